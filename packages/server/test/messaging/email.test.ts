import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { createOutcomeHandler } from '../../src/services/messaging/outcomes.ts';
import { savePolicy } from '../../src/services/messaging/policy.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { call } from '../helpers/client.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { type Team, team } from '../helpers/people.ts';
import { addContact, addSender, addTemplate, type Mailroom, openMailroom } from './delivery.ts';

const FSI = '\u2068';
const PDI = '\u2069';
const unfold = (line: string) => line.replace(/\r?\n(?=[ \t])/g, '');
const header = (lines: readonly { key: string; line: string }[], key: string) =>
  lines
    .filter((h) => h.key === key)
    .map((h) => unfold(h.line))
    .join('\n');

describeEachEngine('email delivery through the API and the engine', (engine) => {
  let t: TestApp;
  let crew: Team;
  let ws: string;
  let templateId: string;
  let room: Mailroom;
  const refused = new Set<string>();

  beforeAll(async () => {
    t = await startTestApp(engine, { messaging: { channels: ['email'] } });
    crew = await team(t, 'متجر الورد');
    ws = crew.workspace.id;
    templateId = await addTemplate(t, ws);
    await addSender(t, ws);
    room = await openMailroom((rcpt) =>
      rcpt === 'full@example.sa'
        ? { kind: 'refuse-rcpt', code: 552, message: '5.2.2 Mailbox full' }
        : refused.has(rcpt)
          ? {
              kind: 'refuse-rcpt',
              code: 550,
              message: `5.1.1 <${rcpt}>: Recipient address rejected: User unknown`,
            }
          : { kind: 'accept' },
    );
  });
  afterAll(async () => {
    await room.close();
    await t.close();
  });
  beforeEach(() => {
    room.sink.received.length = 0;
  });

  const send = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    call(t.app, 'POST', `/api/workspaces/${ws}/messages`, { as: crew.as.marketer, body, headers });
  const marketing = (contactId: string, variables: Record<string, unknown> = { season: 'الربيع' }) => ({
    contactId,
    marketing: true,
    content: { templateId, variables },
  });
  const logOf = async (id: string) =>
    (await call(t.app, 'GET', `/api/workspaces/${ws}/messages/${id}`, { as: crew.as.analyst })).json()
      .message;

  it('sends an Arabic template to a consenting contact: one message, decoded, with one-click unsubscribe and the Message-ID convention', async () => {
    const contactId = await addContact(
      t,
      crew,
      { email: 'layla@example.sa', firstName: 'ليلى', lastName: 'حسن', locale: 'ar' },
      'granted',
    );
    const res = await send(marketing(contactId), { 'idempotency-key': 'spring-layla' });
    expect(res.statusCode).toBe(202);
    const queued = res.json().message;
    expect(queued).toMatchObject({
      status: 'queued',
      contactId,
      marketing: true,
      waiting: null,
      inDoubt: false,
    });
    // The same key again: the same message, nothing new queued.
    const again = await send(marketing(contactId), { 'idempotency-key': 'spring-layla' });
    expect(again.statusCode).toBe(202);
    expect(again.json().message.id).toBe(queued.id);

    await room.deliver(t);

    expect(room.sink.received).toHaveLength(1);
    const mail = room.sink.received[0];
    if (!mail) throw new Error('no mail');
    expect(mail.to).toEqual(['layla@example.sa']);
    expect(mail.from).toBe('news@mail.example.sa');
    expect(mail.messageId).toBe(`wasl-${queued.id}@mail.example.sa`);
    const parsed = await simpleParser(mail.raw);
    expect(parsed.subject).toBe(`عرض ${FSI}الربيع${PDI} لك يا ${FSI}ليلى${PDI}`);
    expect(parsed.from?.value).toEqual([{ address: 'news@mail.example.sa', name: 'متجر الورد' }]);
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value : []).toEqual([
      { address: 'layla@example.sa', name: 'ليلى حسن' },
    ]);
    expect(parsed.replyTo?.value).toEqual([{ address: 'care@example.sa', name: '' }]);
    expect(parsed.text).toContain(`مرحبًا ${FSI}ليلى${PDI}، وصلت تشكيلة ${FSI}الربيع${PDI} الجديدة.`);
    expect(parsed.html).toContain('dir="rtl"');
    expect(parsed.html).toContain(`مرحبًا ${FSI}ليلى${PDI}، وصلت تشكيلة ${FSI}الربيع${PDI} الجديدة.`);
    // Signed with the sender identity's DKIM key, over the unsubscribe headers too.
    const dkim = header(parsed.headerLines, 'dkim-signature');
    expect(dkim).toMatch(/\bd=mail\.example\.sa;/);
    expect(dkim).toMatch(/\bs=wasl;/);
    expect(dkim).toMatch(/\ba=rsa-sha256;/);
    expect(dkim).toMatch(/\bh=[^;]*List-Unsubscribe/i);
    const unsubscribe = header(parsed.headerLines, 'list-unsubscribe');
    expect(unsubscribe).toMatch(
      /^List-Unsubscribe: <http:\/\/localhost:8080\/unsubscribe\/[A-Za-z0-9_~.-]+>$/,
    );
    expect(header(parsed.headerLines, 'list-unsubscribe-post')).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    // The link in the header is the hosted one-click unsubscribe, and it works.
    const path = /<http:\/\/localhost:8080(\/unsubscribe\/[^>]+)>/.exec(unsubscribe)?.[1] ?? '';
    expect((await call(t.app, 'GET', path)).statusCode).toBe(200);

    const logged = await logOf(queued.id);
    expect(logged).toMatchObject({
      status: 'sent',
      provider: 'smtp',
      inDoubt: false,
      attempts: 1,
      skipReason: null,
    });
    expect(logged.response).toMatch(/^250 /);
    expect(logged.sentAt).toBe(new Date(t.clock.now).toISOString());

    const facts = (await t.events.store.recent(ws, 100)).filter((e) => e.name === 'message.sent');
    expect(facts.map((e) => [e.contactId, e.properties])).toEqual([
      [
        contactId,
        {
          messageId: queued.id,
          channel: 'email',
          sourceKind: 'campaign',
          sourceId: null,
          provider: 'smtp',
          reason: null,
          inDoubt: false,
        },
      ],
    ]);
  });

  it('tracks clicks through signed links with UTM parameters and opens through a pixel; unsubscribe links stay direct', async () => {
    const contactId = await addContact(t, crew, { email: 'reem@example.sa', firstName: 'ريم' }, 'granted');
    const res = await send({
      contactId,
      marketing: true,
      content: {
        templateId,
        variables: { season: 'الصيف' },
        utm: { source: 'newsletter', medium: 'email', campaign: 'صيف-٢٠٢٦' },
      },
    });
    expect(res.statusCode).toBe(202);
    await room.deliver(t);
    const parsed = await simpleParser(room.sink.received[0]?.raw ?? Buffer.alloc(0));
    const html = String(parsed.html);
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1] ?? '');
    const click = hrefs.find((h) => h.startsWith('http://localhost:8080/t/c/')) ?? '';
    expect(click).not.toBe('');
    // The preference link is left alone: one click must reach the page, not a redirect.
    expect(hrefs.some((h) => /^http:\/\/localhost:8080\/preferences\//.test(h))).toBe(true);
    expect(html).toMatch(/<img src="http:\/\/localhost:8080\/t\/o\/[^"]+" width="1" height="1" alt=""/);
    // The redirect goes to the original link, Arabic path intact, with the campaign's UTM parameters.
    const redirect = await call(t.app, 'GET', click.slice('http://localhost:8080'.length), {
      headers: {
        'user-agent':
          'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148',
      },
    });
    expect(redirect.statusCode).toBe(302);
    const target = new URL(String(redirect.headers.location));
    expect(decodeURIComponent(target.pathname)).toBe('/ar/ورود');
    expect(Object.fromEntries(target.searchParams)).toEqual({
      lang: 'ar',
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'صيف-٢٠٢٦',
    });
    // A link someone edited is refused, never redirected.
    const forged = await call(t.app, 'GET', `${click.slice('http://localhost:8080'.length, -3)}xyz`);
    expect(forged.statusCode).toBe(400);
  });

  it('skips a contact without consent and a suppressed one, with the reason in the log; transactional mail skips consent, never suppression', async () => {
    const noConsent = await addContact(t, crew, { email: 'omar@example.sa', firstName: 'عمر' });
    const suppressed = await addContact(t, crew, { email: 'sara@example.sa', firstName: 'سارة' }, 'granted');
    const sup = await call(t.app, 'POST', `/api/workspaces/${ws}/suppressions`, {
      as: crew.as.admin,
      body: { channel: 'email', address: 'sara@example.sa' },
    });
    expect(sup.statusCode).toBeLessThan(300);
    const a = (await send(marketing(noConsent))).json().message.id;
    const b = (await send(marketing(suppressed))).json().message.id;
    const receipt = {
      subject: 'إيصال طلبك رقم ١٢٣',
      html: '<p dir="rtl">شكرًا لطلبك</p>',
      text: 'شكرًا لطلبك',
    };
    const c = (await send({ contactId: noConsent, marketing: false, content: receipt })).json().message.id;
    const d = (await send({ contactId: suppressed, marketing: false, content: receipt })).json().message.id;

    await room.deliver(t);

    expect(await logOf(a)).toMatchObject({ status: 'skipped', skipReason: 'no_consent', attempts: 1 });
    expect(await logOf(b)).toMatchObject({ status: 'skipped', skipReason: 'suppressed' });
    expect(await logOf(c)).toMatchObject({ status: 'sent', skipReason: null });
    expect(await logOf(d)).toMatchObject({ status: 'skipped', skipReason: 'suppressed' });
    expect(room.sink.received.map((m) => m.to)).toEqual([['omar@example.sa']]);
    const parsed = await simpleParser(room.sink.received[0]?.raw ?? Buffer.alloc(0));
    expect(parsed.subject).toBe('إيصال طلبك رقم ١٢٣');
    expect(parsed.headers.has('list-unsubscribe')).toBe(false);

    const list = await call(
      t.app,
      'GET',
      `/api/workspaces/${ws}/messages?status=skipped&contactId=${suppressed}`,
      {
        as: crew.as.analyst,
      },
    );
    expect(
      list
        .json()
        .messages.map((m: { id: string; skipReason: string }) => [m.id, m.skipReason])
        .sort(),
    ).toEqual(
      [
        [b, 'suppressed'],
        [d, 'suppressed'],
      ].sort(),
    );
    const skippedFacts = (await t.events.store.recent(ws, 100)).filter((e) => e.name === 'message.skipped');
    expect(skippedFacts.map((e) => e.properties.reason).sort()).toEqual([
      'no_consent',
      'suppressed',
      'suppressed',
    ]);
  });

  it('caps marketing messages per contact and period', async () => {
    await savePolicy(t.db, ws, { frequencyCap: { count: 2, periodDays: 7 } }, t.clock.now);
    const contactId = await addContact(t, crew, { email: 'huda@example.sa', firstName: 'هدى' }, 'granted');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await send(marketing(contactId))).json().message.id);
      await room.deliver(t);
    }
    const statuses = await Promise.all(
      ids.map(async (id) => (await logOf(id)).skipReason ?? (await logOf(id)).status),
    );
    expect(statuses).toEqual(['sent', 'sent', 'frequency_cap']);
    expect(room.sink.received.filter((m) => m.to[0] === 'huda@example.sa')).toHaveLength(2);
    // A week later the window has moved on; three claimed at once still give two sends.
    t.clock.now += 8 * 86_400_000;
    const together = [];
    for (let i = 0; i < 3; i++) together.push((await send(marketing(contactId))).json().message.id);
    await room.deliver(t);
    const outcomes = await Promise.all(together.map(async (id) => (await logOf(id)).skipReason ?? 'sent'));
    expect(outcomes.sort()).toEqual(['frequency_cap', 'sent', 'sent']);
    expect(room.sink.received.filter((m) => m.to[0] === 'huda@example.sa')).toHaveLength(4);
    await savePolicy(t.db, ws, {}, t.clock.now);
  });

  it('defers marketing email in the quiet hours of the contact’s time zone until they end', async () => {
    await savePolicy(t.db, ws, { quietHours: { email: { start: '21:00', end: '08:00' } } }, t.clock.now);
    const contactId = await addContact(
      t,
      crew,
      { email: 'khalid@example.sa', firstName: 'خالد', timezone: 'Asia/Riyadh' },
      'granted',
    );
    // 19:30Z is 22:30 in Riyadh.
    const day = new Date(t.clock.now);
    t.clock.now = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 19, 30);
    const id = (await send(marketing(contactId))).json().message.id;
    await room.deliver(t);
    const waiting = await logOf(id);
    const end = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1, 5, 0);
    expect(waiting).toMatchObject({
      status: 'queued',
      waiting: 'quiet_hours',
      attempts: 0,
      nextAttemptAt: new Date(end).toISOString(),
    });
    expect(room.sink.received).toHaveLength(0);
    t.clock.now = end;
    await room.deliver(t);
    expect(await logOf(id)).toMatchObject({ status: 'sent', attempts: 1 });
    expect(room.sink.received.map((m) => m.to)).toEqual([['khalid@example.sa']]);
    await savePolicy(t.db, ws, {}, t.clock.now);
  });

  it('suppresses an address that bounces hard (550 5.1.1); the next send to it is skipped', async () => {
    refused.add('gone@example.sa');
    const contactId = await addContact(t, crew, { email: 'gone@example.sa', firstName: 'نورة' }, 'granted');
    const first = (await send(marketing(contactId))).json().message.id;
    await room.deliver(t);
    const bounced = await logOf(first);
    expect(bounced).toMatchObject({ status: 'bounced', provider: 'smtp' });
    expect(bounced.lastError).toContain('5.1.1');
    const sups = await call(t.app, 'GET', `/api/workspaces/${ws}/suppressions?channel=email`, {
      as: crew.as.analyst,
    });
    expect(
      sups.json().suppressions.filter((s: { address: string }) => s.address === 'gone@example.sa'),
    ).toMatchObject([{ channel: 'email', address: 'gone@example.sa', reason: 'hard_bounce' }]);
    const next = (
      await send({ contactId, marketing: false, content: { subject: 'س', html: '<p>س</p>', text: 'س' } })
    ).json().message.id;
    await room.deliver(t);
    expect(await logOf(next)).toMatchObject({ status: 'skipped', skipReason: 'suppressed' });
    expect(room.sink.received).toHaveLength(0);
    const facts = (await t.events.store.recent(ws, 200)).filter(
      (e) => e.name === 'message.bounced' && e.properties.messageId === first,
    );
    expect(facts).toHaveLength(1);
    expect(facts[0]?.properties).toMatchObject({ provider: 'smtp', channel: 'email', inDoubt: false });
    expect(String(facts[0]?.properties.reason)).toContain('550');
  });

  it('keeps an address whose mailbox is full (a soft bounce, 552 5.2.2)', async () => {
    const contactId = await addContact(t, crew, { email: 'full@example.sa' }, 'granted');
    const id = (await send(marketing(contactId))).json().message.id;
    await room.deliver(t);
    expect(await logOf(id)).toMatchObject({ status: 'bounced', lastError: '552: 552 5.2.2 Mailbox full' });
    const sups = await call(t.app, 'GET', `/api/workspaces/${ws}/suppressions?channel=email`, {
      as: crew.as.analyst,
    });
    expect(sups.json().suppressions.map((s: { address: string }) => s.address)).not.toContain(
      'full@example.sa',
    );
  });

  it('suppresses an address whose owner complained (a report after the send)', async () => {
    const contactId = await addContact(t, crew, { email: 'angry@example.sa' }, 'granted');
    const id = (await send(marketing(contactId))).json().message.id;
    await room.deliver(t);
    const row = await t.db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const handler = createOutcomeHandler({
      db: t.db,
      record: (events) => t.events.store.append(events),
      onError: (error) => {
        throw error;
      },
      clock: () => t.clock.now,
    });
    await handler.onReport(row, { status: 'complained', reason: 'abuse report (ARF)' });
    const sups = await call(t.app, 'GET', `/api/workspaces/${ws}/suppressions?channel=email`, {
      as: crew.as.analyst,
    });
    expect(
      sups.json().suppressions.filter((s: { address: string }) => s.address === 'angry@example.sa'),
    ).toMatchObject([{ reason: 'complaint', details: 'abuse report (ARF)' }]);
    const facts = (await t.events.store.recent(ws, 200)).filter((e) => e.name === 'message.complained');
    expect(facts.map((e) => [e.contactId, e.properties.messageId, e.properties.reason])).toEqual([
      [contactId, id, 'abuse report (ARF)'],
    ]);
  });

  it('refuses bad input naming the field', async () => {
    const contactId = await addContact(t, crew, { email: 'x1@example.sa' });
    const unknownTemplate = await send({ contactId, marketing: true, content: { templateId: 'nope' } });
    expect(unknownTemplate.statusCode).toBe(400);
    expect(unknownTemplate.json().error).toMatchObject({
      field: 'content.templateId',
      message: 'no email template has the id "nope"',
    });
    const unknownContact = await send({ contactId: 'nobody', marketing: false, content: { templateId } });
    expect(unknownContact.statusCode).toBe(404);
    const noBody = await send({ contactId, marketing: false, content: { subject: 'x' } });
    expect(noBody.statusCode).toBe(400);
    expect(noBody.json().error.message).toBe(
      'content: html is required (or give templateId to send a template)',
    );
  });

  it('pauses and resumes delivery for the workspace (workspace.update)', async () => {
    const contactId = await addContact(t, crew, { email: 'p1@example.sa' }, 'granted');
    const denied = await call(t.app, 'POST', `/api/workspaces/${ws}/delivery/pause`, {
      as: crew.as.marketer,
      body: {},
    });
    expect(denied.statusCode).toBe(403);
    const paused = await call(t.app, 'POST', `/api/workspaces/${ws}/delivery/pause`, {
      as: crew.as.admin,
      body: {},
    });
    expect(paused.json()).toEqual({ scope: `workspace:${ws}`, paused: true });
    const id = (await send(marketing(contactId))).json().message.id;
    await room.deliver(t, 300);
    expect((await logOf(id)).status).toBe('queued');
    const resumed = await call(t.app, 'POST', `/api/workspaces/${ws}/delivery/resume`, {
      as: crew.as.admin,
      body: {},
    });
    expect(resumed.json()).toEqual({ scope: `workspace:${ws}`, paused: false });
    await room.deliver(t);
    expect((await logOf(id)).status).toBe('sent');
  });

  it('answers 404 to another workspace for every messages endpoint', async () => {
    const other = await team(t, 'Other');
    const contactId = await addContact(t, crew, { email: 'private@example.sa' });
    const id = (await send({ contactId, marketing: false, content: { templateId } })).json().message.id;
    const owner = other.as.owner;
    const o = other.workspace.id;
    const asOther = async (method: 'GET' | 'POST', url: string, body?: unknown) =>
      (await call(t.app, method, url, { as: owner, ...(body ? { body } : {}) })).statusCode;
    // Their workspace's URLs with our ids.
    expect(await asOther('GET', `/api/workspaces/${o}/messages/${id}`)).toBe(404);
    expect(
      await asOther('POST', `/api/workspaces/${o}/messages`, {
        contactId,
        marketing: false,
        content: { templateId },
      }),
    ).toBe(404);
    expect(await asOther('POST', `/api/workspaces/${o}/contacts/${contactId}/double-opt-in`, {})).toBe(404);
    expect(await asOther('POST', `/api/workspaces/${o}/delivery/pause`, { sourceId: 'spring' })).toBe(404);
    const theirs = await call(t.app, 'GET', `/api/workspaces/${o}/messages`, { as: owner });
    expect(theirs.json().messages).toEqual([]);
    // Our workspace's URLs.
    expect(await asOther('GET', `/api/workspaces/${ws}/messages`)).toBe(404);
    expect(await asOther('GET', `/api/workspaces/${ws}/messages/${id}`)).toBe(404);
    expect(
      await asOther('POST', `/api/workspaces/${ws}/messages`, {
        contactId,
        marketing: false,
        content: { templateId },
      }),
    ).toBe(404);
    expect(await asOther('POST', `/api/workspaces/${ws}/delivery/pause`, {})).toBe(404);
    expect(await asOther('POST', `/api/workspaces/${ws}/delivery/resume`, {})).toBe(404);
    expect(await asOther('POST', `/api/workspaces/${ws}/contacts/${contactId}/double-opt-in`, {})).toBe(404);
  });
});

describeEachEngine('email without a provider configured', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(() => t.close());

  it('accepts the send and keeps it queued, saying no provider is configured', async () => {
    const crew = await team(t);
    const ws = crew.workspace.id;
    const contactId = await addContact(t, crew, { email: 'q@example.sa' });
    const res = await call(t.app, 'POST', `/api/workspaces/${ws}/messages`, {
      as: crew.as.marketer,
      body: {
        contactId,
        marketing: false,
        content: { subject: 'مرحبًا', html: '<p>مرحبًا</p>', text: 'مرحبًا' },
      },
    });
    expect(res.statusCode).toBe(202);
    expect(res.json().message).toMatchObject({ status: 'queued', waiting: 'no email provider configured' });
    const list = await call(t.app, 'GET', `/api/workspaces/${ws}/messages`, { as: crew.as.analyst });
    expect(list.json().messages).toMatchObject([
      { id: res.json().message.id, waiting: 'no email provider configured' },
    ]);
  });
});
