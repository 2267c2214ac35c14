import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { type Team, team } from './helpers/people.ts';

describeEachEngine('contacts', (engine) => {
  let t: TestApp;
  let crew: Team;
  let url: string;
  beforeAll(async () => {
    t = await startTestApp(engine);
    crew = await team(t, 'Contacts');
    // Local numbers typed by a team in Riyadh are Saudi.
    await call(t.app, 'PATCH', `/api/workspaces/${crew.workspace.id}`, {
      as: crew.as.owner,
      body: { timezone: 'Asia/Riyadh' },
    });
    url = `/api/workspaces/${crew.workspace.id}/contacts`;
    const budget = await call(t.app, 'POST', `/api/workspaces/${crew.workspace.id}/attributes`, {
      as: crew.as.marketer,
      body: { key: 'budget', label: 'الميزانية', type: 'number' },
    });
    expect(budget.statusCode).toBe(201);
    const plan = await call(t.app, 'POST', `/api/workspaces/${crew.workspace.id}/attributes`, {
      as: crew.as.marketer,
      body: { key: 'plan', label: 'Plan', type: 'list', options: ['basic', 'pro'] },
    });
    expect(plan.statusCode).toBe(201);
  });
  afterAll(() => t.close());

  it('adds a contact: Arabic names kept, email lower-cased, a local Saudi number stored as E.164', async () => {
    const res = await call(t.app, 'POST', url, {
      as: crew.as.marketer,
      body: {
        email: 'Layla.Hassan@Example.SA',
        phone: '٠٥٠ ١٢٣ ٤٥٦٧',
        firstName: 'ليلى',
        lastName: 'حسن',
        city: 'الرياض',
        country: 'SA',
        lifecycleStage: 'lead',
        interests: ['عطور', 'هدايا'],
        attributes: { budget: '١٢٥٠', plan: 'pro' },
      },
    });
    expect(res.statusCode).toBe(201);
    const { contact, warnings } = res.json();
    expect(warnings).toEqual([]);
    expect(contact).toMatchObject({
      email: 'layla.hassan@example.sa',
      phone: '+966501234567',
      firstName: 'ليلى',
      lastName: 'حسن',
      city: 'الرياض',
      country: 'SA',
      lifecycleStage: 'lead',
      interests: ['عطور', 'هدايا'],
      attributes: { budget: 1250, plan: 'pro' },
      leadScore: 0,
    });
    const read = await call(t.app, 'GET', `${url}/${contact.id}`, { as: crew.as.analyst });
    expect(read.statusCode).toBe(200);
    expect(read.json().contact).toEqual(contact);
  });

  it('refuses bad input naming every field at fault, and stores nothing', async () => {
    const before = (await call(t.app, 'GET', `${url}?limit=200`, { as: crew.as.analyst })).json().contacts
      .length;
    const res = await call(t.app, 'POST', url, {
      as: crew.as.marketer,
      body: { email: 'not-an-email', phone: '123', attributes: { budget: 'abc' } },
    });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('invalid');
    expect(error.field).toBe('email');
    expect(error.message).toContain('email');
    expect(error.message).toContain('not-an-email');
    expect(error.message).toContain('phone');
    expect(error.message).toContain('budget');
    expect(error.message).toContain('number');
    const after = (await call(t.app, 'GET', `${url}?limit=200`, { as: crew.as.analyst })).json().contacts
      .length;
    expect(after).toBe(before);
  });

  it('refuses a value outside a list attribute, an unknown attribute, and a contact with neither email nor phone', async () => {
    const outside = await call(t.app, 'POST', url, {
      as: crew.as.marketer,
      body: { email: 'list@example.com', attributes: { plan: 'gold' } },
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.message).toContain('plan');
    expect(outside.json().error.message).toContain('gold');
    const unknown = await call(t.app, 'POST', url, {
      as: crew.as.marketer,
      body: { email: 'unknown@example.com', attributes: { colour: 'red' } },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain('colour');
    const nobody = await call(t.app, 'POST', url, { as: crew.as.marketer, body: { firstName: 'سارة' } });
    expect(nobody.statusCode).toBe(400);
    expect(nobody.json().error.field).toBe('email');
  });

  it('answers 409 naming the field when another contact has the email or phone', async () => {
    const first = await call(t.app, 'POST', url, {
      as: crew.as.marketer,
      body: { email: 'dup@example.com', phone: '+201001234567' },
    });
    expect(first.statusCode).toBe(201);
    const sameEmail = await call(t.app, 'POST', url, {
      as: crew.as.marketer,
      body: { email: 'DUP@example.com' },
    });
    expect(sameEmail.statusCode).toBe(409);
    expect(sameEmail.json().error).toMatchObject({ code: 'conflict', field: 'email' });
    expect(sameEmail.json().error.message).toContain(first.json().contact.id);
    const samePhone = await call(t.app, 'POST', url, {
      as: crew.as.marketer,
      body: { phone: '+20 100 123 4567' },
    });
    expect(samePhone.statusCode).toBe(409);
    expect(samePhone.json().error.field).toBe('phone');
  });

  it('changes only the fields sent; null clears a field or removes a custom attribute', async () => {
    const created = await call(t.app, 'POST', url, {
      as: crew.as.marketer,
      body: { email: 'patch@example.com', city: 'جدة', attributes: { budget: 10, plan: 'basic' } },
    });
    const id = created.json().contact.id;
    t.clock.now += 1000;
    const res = await call(t.app, 'PATCH', `${url}/${id}`, {
      as: crew.as.marketer,
      body: { city: null, lastName: 'العتيبي', attributes: { budget: null } },
    });
    expect(res.statusCode).toBe(200);
    const { contact } = res.json();
    expect(contact).toMatchObject({
      email: 'patch@example.com',
      city: null,
      lastName: 'العتيبي',
      attributes: { plan: 'basic' },
    });
    expect(contact.attributes).not.toHaveProperty('budget');
    expect(Date.parse(contact.updatedAt)).toBe(t.clock.now);
    const orphan = await call(t.app, 'PATCH', `${url}/${id}`, {
      as: crew.as.marketer,
      body: { email: null },
    });
    expect(orphan.statusCode).toBe(400);
    expect(orphan.json().error.message).toContain('email or a phone');
  });

  it('pages newest first and searches the start of names, emails and phones', async () => {
    const mine = await team(t, 'Paging');
    const base = `/api/workspaces/${mine.workspace.id}/contacts`;
    const names = ['أحمد', 'Ahmad', 'Mona', 'منى', 'Omar'];
    for (const [i, firstName] of names.entries()) {
      t.clock.now += 1;
      const r = await call(t.app, 'POST', base, {
        as: mine.as.marketer,
        body: { firstName, email: `p${i}@example.com` },
      });
      expect(r.statusCode).toBe(201);
    }
    const first = (await call(t.app, 'GET', `${base}?limit=2`, { as: mine.as.analyst })).json();
    expect(first.contacts.map((c: { firstName: string }) => c.firstName)).toEqual(['Omar', 'منى']);
    const second = (
      await call(t.app, 'GET', `${base}?limit=2&before=${first.next}`, { as: mine.as.analyst })
    ).json();
    expect(second.contacts.map((c: { firstName: string }) => c.firstName)).toEqual(['Mona', 'Ahmad']);
    const third = (
      await call(t.app, 'GET', `${base}?limit=2&before=${second.next}`, { as: mine.as.analyst })
    ).json();
    expect(third.contacts.map((c: { firstName: string }) => c.firstName)).toEqual(['أحمد']);
    expect(third.next).toBeNull();
    const search = (
      await call(t.app, 'GET', `${base}?search=${encodeURIComponent('من')}`, { as: mine.as.analyst })
    ).json();
    expect(search.contacts.map((c: { firstName: string }) => c.firstName)).toEqual(['منى']);
    const latin = (await call(t.app, 'GET', `${base}?search=ahm`, { as: mine.as.analyst })).json();
    expect(latin.contacts.map((c: { firstName: string }) => c.firstName)).toEqual(['Ahmad']);
  });

  it('lets analysts read but not write', async () => {
    const res = await call(t.app, 'POST', url, {
      as: crew.as.analyst,
      body: { email: 'analyst@example.com' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('keeps a custom attribute type fixed and refuses removing list options', async () => {
    const attrs = `/api/workspaces/${crew.workspace.id}/attributes`;
    const clash = await call(t.app, 'POST', attrs, {
      as: crew.as.marketer,
      body: { key: 'budget', label: 'again', type: 'text' },
    });
    expect(clash.statusCode).toBe(409);
    const standard = await call(t.app, 'POST', attrs, {
      as: crew.as.marketer,
      body: { key: 'email', label: 'Email', type: 'text' },
    });
    expect(standard.statusCode).toBe(400);
    const removed = await call(t.app, 'PATCH', `${attrs}/plan`, {
      as: crew.as.marketer,
      body: { options: ['pro', 'enterprise'] },
    });
    expect(removed.statusCode).toBe(400);
    expect(removed.json().error.message).toContain('basic');
    const added = await call(t.app, 'PATCH', `${attrs}/plan`, {
      as: crew.as.marketer,
      body: { options: ['basic', 'pro', 'enterprise'], label: 'الخطة' },
    });
    expect(added.statusCode).toBe(200);
    expect(added.json().attribute).toEqual({
      key: 'plan',
      label: 'الخطة',
      type: 'list',
      options: ['basic', 'pro', 'enterprise'],
    });
    const listed = (await call(t.app, 'GET', attrs, { as: crew.as.analyst })).json().attributes;
    expect(listed.map((a: { key: string }) => a.key)).toEqual(['budget', 'plan']);
  });
});
