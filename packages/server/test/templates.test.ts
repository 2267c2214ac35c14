import { afterAll, beforeAll, expect, it } from 'vitest';
import { createAttributeDefinition, createContact } from '../src/index.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { type Team, team } from './helpers/people.ts';

const iso = (text: string) => `\u2068${text}\u2069`;

const mjml = `<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text>مرحبًا {{ contact.first_name }} من {{ contact.city }}، مستواك {{ contact.attributes.tier }}</mj-text>
        <mj-button href="{{ unsubscribe_url }}">إلغاء الاشتراك</mj-button>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;

describeEachEngine('templates API', (engine) => {
  let t: TestApp;
  let crew: Team;
  let other: Team;
  let base: string;
  let contactId: string;

  beforeAll(async () => {
    t = await startTestApp(engine);
    crew = await team(t, 'Templates');
    other = await team(t, 'Others');
    base = `/api/workspaces/${crew.workspace.id}/templates`;
    const defined = await createAttributeDefinition(t.db, {
      workspaceId: crew.workspace.id,
      definition: { key: 'tier', label: 'المستوى', type: 'text' },
      actor: { type: 'system' },
      now: t.clock.now,
    });
    if (!defined.ok) throw new Error(defined.error.message);
    const made = await createContact(t.db, {
      workspaceId: crew.workspace.id,
      input: { email: 'layla@example.com', firstName: 'ليلى', city: 'جدة', attributes: { tier: 'ذهبي' } },
      now: t.clock.now,
    });
    if (!made.ok) throw new Error(made.error.message);
    contactId = made.value.contact.id;
  });
  afterAll(() => t.close());

  it('creates an Arabic email template, reads it back, and bumps the version on every update', async () => {
    const created = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: { channel: 'email', name: 'ترحيب', subject: 'أهلًا {{ contact.first_name }}', body: mjml },
    });
    expect(created.statusCode, created.body).toBe(201);
    const template = created.json().template;
    expect(template).toMatchObject({
      channel: 'email',
      name: 'ترحيب',
      subject: 'أهلًا {{ contact.first_name }}',
      body: mjml,
      dir: 'rtl',
      lang: 'ar',
      settings: {},
      version: 1,
      createdAt: '2026-01-15T09:00:00.000Z',
    });

    t.clock.now += 1000;
    const renamed = await call(t.app, 'PATCH', `${base}/${template.id}`, {
      as: crew.as.marketer,
      body: { name: 'ترحيب جديد', settings: { digits: 'arab', timeZone: 'Asia/Riyadh' } },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().template).toMatchObject({
      name: 'ترحيب جديد',
      version: 2,
      settings: { digits: 'arab', timeZone: 'Asia/Riyadh' },
      updatedAt: '2026-01-15T09:00:01.000Z',
    });
    const again = await call(t.app, 'PATCH', `${base}/${template.id}`, {
      as: crew.as.marketer,
      body: { subject: 'مرحبا' },
    });
    expect(again.json().template.version).toBe(3);
    const read = await call(t.app, 'GET', `${base}/${template.id}`, { as: crew.as.analyst });
    expect(read.json().template).toMatchObject({
      name: 'ترحيب جديد',
      subject: 'مرحبا',
      version: 3,
      body: mjml,
    });
    const list = await call(t.app, 'GET', `${base}?channel=email`, { as: crew.as.analyst });
    expect(list.json().templates.map((x: { id: string }) => x.id)).toEqual([template.id]);
    expect(
      (await call(t.app, 'GET', `${base}?channel=sms`, { as: crew.as.analyst })).json().templates,
    ).toEqual([]);
  });

  it('refuses an unknown field with its field, line and column', async () => {
    const broken = mjml.replace('{{ contact.city }}', '{{ contact.cty }}');
    const answer = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: { channel: 'email', name: 'x', subject: 'مرحبا', body: broken },
    });
    expect(answer.statusCode).toBe(400);
    // The column of the variable's name in UTF-16 units, as editors count: 56 on line 5.
    expect((broken.split('\n')[4] ?? '').indexOf('contact.cty') + 1).toBe(56);
    expect(answer.json().error).toEqual({
      code: 'invalid',
      message: 'Unknown field "contact.cty" at line 5, column 56',
      field: 'body',
      line: 5,
      column: 56,
    });
    const subject = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: { channel: 'email', name: 'x', subject: 'hi {{ contact.attributes.vip }}', body: mjml },
    });
    expect(subject.json().error).toMatchObject({ field: 'subject', line: 1, column: 7 });
  });

  it('refuses broken Liquid and broken MJML with their position, and bad settings naming the field', async () => {
    const liquid = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: { channel: 'sms', name: 'x', body: 'سطر\n{% if contact.first_name %}مرحبا' },
    });
    expect(liquid.statusCode).toBe(400);
    expect(liquid.json().error).toMatchObject({ code: 'invalid', field: 'body', line: 2, column: 1 });
    expect(liquid.json().error.message).toMatch(/^Liquid error in body: .*at line 2, column 1$/);

    const noMjml = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: { channel: 'email', name: 'x', subject: 's', body: '<p>hello</p>' },
    });
    expect(noMjml.json().error).toEqual({
      code: 'invalid',
      message: 'MJML error: the template must start with <mjml> at line 1, column 1',
      field: 'body',
      line: 1,
      column: 1,
    });
    const zone = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: { channel: 'sms', name: 'x', body: 'hi', settings: { timeZone: 'Mars/Olympus' } },
    });
    expect(zone.json().error).toEqual({
      code: 'invalid',
      message: 'timeZone "Mars/Olympus" is not an IANA time zone',
      field: 'settings.timeZone',
    });
    const smsSubject = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: { channel: 'sms', name: 'x', subject: 'no', body: 'hi' },
    });
    expect(smsSubject.json().error).toMatchObject({
      field: 'subject',
      message: 'a sms template has no subject',
    });
    const noSubject = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: { channel: 'email', name: 'x', body: mjml },
    });
    expect(noSubject.json().error).toMatchObject({ field: 'subject' });
    expect(
      (await call(t.app, 'GET', `${base}?channel=sms`, { as: crew.as.analyst })).json().templates,
    ).toHaveLength(0);
  });

  it('refuses a broken update and keeps the saved version', async () => {
    const created = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: { channel: 'whatsapp', name: 'تذكير', body: 'مرحبا {{ contact.first_name }}' },
    });
    const id = created.json().template.id;
    const bad = await call(t.app, 'PATCH', `${base}/${id}`, {
      as: crew.as.marketer,
      body: { body: 'مرحبا {{ contact.first_name }\n' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ field: 'body', line: 1 });
    const read = await call(t.app, 'GET', `${base}/${id}`, { as: crew.as.analyst });
    expect(read.json().template).toMatchObject({ body: 'مرحبا {{ contact.first_name }}', version: 1 });
    const dup = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: { channel: 'whatsapp', name: 'تذكير', body: 'x' },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'conflict', field: 'name' });
    const preview = await call(t.app, 'POST', `${base}/${id}/preview`, { as: crew.as.analyst, body: {} });
    expect(preview.json()).toEqual({ text: 'مرحبا سارة' });
  });

  it('previews a saved email for the sample contact, given values, and a real contact', async () => {
    const created = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: { channel: 'email', name: 'معاينة', subject: 'أهلًا {{ contact.first_name }}', body: mjml },
    });
    const id = created.json().template.id;
    const sample = await call(t.app, 'POST', `${base}/${id}/preview`, { as: crew.as.analyst, body: {} });
    expect(sample.statusCode, sample.body).toBe(200);
    expect(sample.json().subject).toBe(`أهلًا ${iso('سارة')}`);
    expect(sample.json().text).toContain(`مرحبًا ${iso('سارة')} من ${iso('الرياض')}، مستواك ${iso('مثال')}`);
    expect(sample.json().html).toContain('dir="rtl"');
    expect(sample.json().html).toContain(
      `href="${t.config.publicUrl.replace(/\/+$/, '')}/preview/unsubscribe"`,
    );

    const given = await call(t.app, 'POST', `${base}/${id}/preview`, {
      as: crew.as.analyst,
      body: { contact: { first_name: 'نورة', attributes: { tier: 'فضي' } } },
    });
    expect(given.json().subject).toBe(`أهلًا ${iso('نورة')}`);
    expect(given.json().text).toContain(`مرحبًا ${iso('نورة')} من ${iso('الرياض')}، مستواك ${iso('فضي')}`);

    const real = await call(t.app, 'POST', `${base}/${id}/preview`, {
      as: crew.as.analyst,
      body: { contactId },
    });
    expect(real.json().text).toContain(`مرحبًا ${iso('ليلى')} من ${iso('جدة')}، مستواك ${iso('ذهبي')}`);

    const elsewhere = await call(t.app, 'POST', `${base}/${id}/preview`, {
      as: crew.as.analyst,
      body: { contactId: 'no-such-contact' },
    });
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.json().error.field).toBe('contactId');
  });

  it('previews unsaved SMS text with parts, encoding, characters and cost', async () => {
    const arabic = await call(t.app, 'POST', `${base}/preview`, {
      as: crew.as.analyst,
      body: { channel: 'sms', body: 'مرحبا {{ contact.first_name }}، لديك عرض جديد', pricePerPart: 0.05 },
    });
    expect(arabic.statusCode, arabic.body).toBe(200);
    expect(arabic.json()).toEqual({
      text: 'مرحبا سارة، لديك عرض جديد',
      sms: {
        encoding: 'ucs2',
        characters: 25,
        parts: 1,
        perPart: 70,
        remainingInPart: 45,
        nonGsmCharacters: [...new Set('مرحباسارة،لديكعرضجديد')],
        cost: 0.05,
      },
    });
    const long = await call(t.app, 'POST', `${base}/preview`, {
      as: crew.as.analyst,
      body: {
        channel: 'sms',
        lang: 'en',
        dir: 'ltr',
        body: `Hi {{ contact.email }} ${'x'.repeat(150)}`,
        pricePerPart: 0.1,
      },
    });
    expect(long.json().text).toBe(`Hi sara@example.com ${'x'.repeat(150)}`);
    expect(long.json().sms).toMatchObject({
      encoding: 'gsm7',
      characters: 170,
      parts: 2,
      perPart: 153,
      cost: 0.2,
    });

    const email = await call(t.app, 'POST', `${base}/preview`, {
      as: crew.as.analyst,
      body: { channel: 'email', subject: '{{ campaign.name }}', body: mjml, contact: { first_name: 'هند' } },
    });
    expect(email.json().subject).toBe(iso('معاينة'));
    expect(email.json().text).toContain(iso('هند'));
    const broken = await call(t.app, 'POST', `${base}/preview`, {
      as: crew.as.analyst,
      body: { channel: 'sms', body: '{{ contact.nope }}' },
    });
    expect(broken.json().error).toEqual({
      code: 'invalid',
      message: 'Unknown field "contact.nope" at line 1, column 4',
      field: 'body',
      line: 1,
      column: 4,
    });
  });

  it('answers 404 to another workspace, refuses analysts writing, and deletes', async () => {
    const created = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: { channel: 'sms', name: 'حذف', body: 'نص' },
    });
    const id = created.json().template.id;
    for (const [method, path, body] of [
      ['GET', base, undefined],
      ['GET', `${base}/${id}`, undefined],
      ['PATCH', `${base}/${id}`, { name: 'x' }],
      ['DELETE', `${base}/${id}`, undefined],
      ['POST', `${base}/${id}/preview`, {}],
      ['POST', `${base}/preview`, { channel: 'sms', body: 'x' }],
      ['POST', base, { channel: 'sms', name: 'y', body: 'x' }],
    ] as const) {
      const answer = await call(t.app, method, path, { as: other.as.owner, body });
      expect(answer.statusCode, `${method} ${path}`).toBe(404);
    }
    const otherBase = `/api/workspaces/${other.workspace.id}/templates`;
    for (const [method, path, body] of [
      ['GET', `${otherBase}/${id}`, undefined],
      ['PATCH', `${otherBase}/${id}`, { name: 'x' }],
      ['DELETE', `${otherBase}/${id}`, undefined],
      ['POST', `${otherBase}/${id}/preview`, {}],
    ] as const) {
      const answer = await call(t.app, method, path, { as: other.as.owner, body });
      expect(answer.statusCode, `${method} ${path}`).toBe(404);
      expect(answer.json().error.message).toBe('template not found');
    }
    const preview = await call(t.app, 'POST', `${otherBase}/preview`, {
      as: other.as.owner,
      body: { channel: 'sms', body: 'x', contactId },
    });
    expect(preview.statusCode).toBe(404);

    expect(
      (await call(t.app, 'PATCH', `${base}/${id}`, { as: crew.as.analyst, body: { name: 'x' } })).statusCode,
    ).toBe(403);
    expect((await call(t.app, 'DELETE', `${base}/${id}`, { as: crew.as.marketer })).statusCode).toBe(204);
    expect((await call(t.app, 'GET', `${base}/${id}`, { as: crew.as.marketer })).statusCode).toBe(404);
  });
});
