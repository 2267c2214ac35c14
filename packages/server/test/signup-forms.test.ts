import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSite, createTopic, sendableAddress } from '../src/index.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { type Team, team } from './helpers/people.ts';

const form = {
  'content-type': 'application/x-www-form-urlencoded',
  'user-agent': 'Browser/1.0',
  referer: 'https://roses.example/ar/',
};

describeEachEngine('signup form', (engine) => {
  let t: TestApp;
  let crew: Team;
  let ws: string;
  let key: string;
  let topicId: string;
  beforeAll(async () => {
    t = await startTestApp(engine);
    crew = await team(t, 'Forms');
    ws = crew.workspace.id;
    const site = await createSite(t.db, {
      workspaceId: ws,
      name: 'متجر الورد',
      domain: 'roses.example',
      actor: { type: 'system' },
      now: t.clock.now,
    });
    if (!site.ok) throw new Error(site.error.message);
    key = site.value.key;
    const topic = await createTopic(t.db, {
      workspaceId: ws,
      name: 'عروض',
      actor: { type: 'system' },
      now: t.clock.now,
    });
    if (!topic.ok) throw new Error(topic.error.message);
    topicId = topic.value.id;
  });
  afterAll(() => t.close());

  const contactByEmail = (email: string) =>
    t.db
      .selectFrom('contacts')
      .selectAll()
      .where('workspace_id', '=', ws)
      .where('email', '=', email)
      .executeTakeFirst();

  it('serves an Arabic right-to-left form that only its own site may frame, and an embed script', async () => {
    const res = await call(t.app, 'GET', `/forms/${key}?lang=ar`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="ar" dir="rtl">');
    expect(res.body).toContain('أوافق على تلقي رسائل تسويقية بالبريد من متجر الورد.');
    expect(res.body).toContain(`name="topic" value="${topicId}"`);
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['content-security-policy']).toContain('frame-ancestors');
    expect(res.headers['content-security-policy']).toContain('https://roses.example');
    const script = await call(t.app, 'GET', '/f.js');
    expect(script.headers['content-type']).toContain('javascript');
    expect(script.body).toContain('/forms/');
    expect((await call(t.app, 'GET', '/forms/site_unknown')).statusCode).toBe(404);
  });

  it('creates the contact with consent and its proof when the box is ticked; unticked topics are refused', async () => {
    const res = await call(t.app, 'POST', `/forms/${key}?lang=ar`, {
      body: 'email=Noor%40Example.com&firstName=%D9%86%D9%88%D8%B1&phone=0501112233&consent=email',
      headers: form,
      remoteAddress: '203.0.113.20',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('شكرًا لاشتراكك!');
    const contact = await contactByEmail('noor@example.com');
    expect(contact).toMatchObject({ first_name: 'نور', source: 'signup_form:roses.example' });
    const sendable = await sendableAddress(t.db, {
      workspaceId: ws,
      contactId: contact!.id,
      channel: 'email',
      marketing: true,
    });
    expect(sendable).toEqual({ ok: true, value: 'noor@example.com' });
    const topic = await sendableAddress(t.db, {
      workspaceId: ws,
      contactId: contact!.id,
      channel: 'email',
      marketing: true,
      topicId,
    });
    expect(topic).toEqual({ ok: false, error: 'topic_unsubscribed' });
    const consent = await t.db
      .selectFrom('consents')
      .selectAll()
      .where('contact_id', '=', contact!.id)
      .where('topic_id', '=', '')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(consent.proof)).toEqual({
      ip: '203.0.113.20',
      userAgent: 'Browser/1.0',
      site: 'roses.example',
      page: 'https://roses.example/ar/',
    });
  });

  it('with double opt-in on, keeps email consent pending and queues the confirmation email, whose link grants it', async () => {
    const set = await call(t.app, 'PUT', `/api/workspaces/${ws}/messaging/policy`, {
      as: crew.as.admin,
      body: { doubleOptIn: true },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().policy).toMatchObject({ doubleOptIn: true, frequencyCap: { count: 3, periodDays: 7 } });
    const res = await call(t.app, 'POST', `/forms/${key}?lang=ar`, {
      body: 'email=salma%40example.com&firstName=%D8%B3%D9%84%D9%85%D9%89&consent=email',
      headers: form,
      remoteAddress: '203.0.113.21',
    });
    expect(res.statusCode).toBe(200);
    const contact = await contactByEmail('salma@example.com');
    const pending = await sendableAddress(t.db, {
      workspaceId: ws,
      contactId: contact!.id,
      channel: 'email',
      marketing: true,
    });
    expect(pending).toEqual({ ok: false, error: 'no_consent' });
    const confirmation = await t.db
      .selectFrom('messages')
      .selectAll()
      .where('workspace_id', '=', ws)
      .where('contact_id', '=', contact!.id)
      .executeTakeFirstOrThrow();
    expect(confirmation).toMatchObject({
      channel: 'email',
      source_kind: 'system',
      status: 'queued',
      marketing: 0,
    });
    // The link in the email (its content carries it) confirms the subscription.
    const link = /\/confirm\/[A-Za-z0-9_.~-]+/.exec(confirmation.content)?.[0] ?? '';
    expect(link).not.toBe('');
    const confirmed = await call(t.app, 'GET', link, { headers: { 'user-agent': 'Browser/1.0' } });
    expect(confirmed.statusCode).toBe(200);
    const granted = await sendableAddress(t.db, {
      workspaceId: ws,
      contactId: contact!.id,
      channel: 'email',
      marketing: true,
    });
    expect(granted).toEqual({ ok: true, value: 'salma@example.com' });
    await call(t.app, 'PUT', `/api/workspaces/${ws}/messaging/policy`, { as: crew.as.admin, body: {} });
  });

  it('asks again without the consent box or with a bad email, keeping what was typed; stores nothing', async () => {
    const noConsent = await call(t.app, 'POST', `/forms/${key}?lang=ar`, {
      body: 'email=omar%40example.com&firstName=%D8%B9%D9%85%D8%B1',
      headers: form,
      remoteAddress: '203.0.113.21',
    });
    expect(noConsent.statusCode).toBe(400);
    expect(noConsent.body).toContain('فعّل الموافقة');
    expect(noConsent.body).toContain('value="omar@example.com"');
    const badEmail = await call(t.app, 'POST', `/forms/${key}?lang=en`, {
      body: 'email=omar-at-example&consent=email',
      headers: form,
      remoteAddress: '203.0.113.21',
    });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.body).toContain('Enter a valid email address.');
    expect(await contactByEmail('omar@example.com')).toBeUndefined();
  });

  it('thanks and ignores a bot that fills the hidden field, and limits one address to 10 tries', async () => {
    const bot = await call(t.app, 'POST', `/forms/${key}`, {
      body: 'email=bot%40spam.example&consent=email&website=http%3A%2F%2Fspam',
      headers: form,
      remoteAddress: '203.0.113.99',
    });
    expect(bot.statusCode).toBe(200);
    expect(await contactByEmail('bot@spam.example')).toBeUndefined();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const r = await call(t.app, 'POST', `/forms/${key}?lang=en`, {
        body: `email=p${i}%40example.com&consent=email`,
        headers: form,
        remoteAddress: '198.51.100.7',
      });
      statuses.push(r.statusCode);
    }
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    expect(statuses[10]).toBe(429);
  });
});
