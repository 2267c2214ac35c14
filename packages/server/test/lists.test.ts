import { afterAll, beforeAll, expect, it } from 'vitest';
import { createContact } from '../src/index.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { type Team, team } from './helpers/people.ts';

describeEachEngine('static lists', (engine) => {
  let t: TestApp;
  let crew: Team;
  let ws: string;
  let base: string;
  /** email → contact id, in creation (id) order. */
  const ids: Record<string, string> = {};
  const emails = ['amal@example.com', 'badr@example.com', 'dana@example.com', 'fahd@example.com'];

  beforeAll(async () => {
    t = await startTestApp(engine);
    crew = await team(t, 'Lists');
    ws = crew.workspace.id;
    base = `/api/workspaces/${ws}/lists`;
    for (const email of emails) {
      t.clock.now += 1;
      const made = await createContact(t.db, {
        workspaceId: ws,
        input: { email, firstName: 'سارة', city: 'الرياض' },
        now: t.clock.now,
      });
      if (!made.ok) throw new Error(made.error.message);
      ids[email] = made.value.contact.id;
      t.audience.contactsChanged(ws, [made.value.contact.id]);
    }
    await t.settled();
  });
  afterAll(() => t.close());

  const id = (email: string) => ids[email] ?? '';
  const memberEmails = async (listId: string) =>
    (await call(t.app, 'GET', `${base}/${listId}/members?limit=200`, { as: crew.as.analyst }))
      .json()
      .contacts.map((c: { email: string }) => c.email);

  it('creates, renames and lists lists; names are unique and required', async () => {
    const created = await call(t.app, 'POST', base, { as: crew.as.marketer, body: { name: 'عملاء المعرض' } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().list).toMatchObject({ name: 'عملاء المعرض', memberCount: 0 });
    const again = await call(t.app, 'POST', base, { as: crew.as.marketer, body: { name: 'عملاء المعرض' } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'conflict', field: 'name' });
    const empty = await call(t.app, 'POST', base, { as: crew.as.marketer, body: { name: '  ' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.field).toBe('name');

    const listId = created.json().list.id;
    const renamed = await call(t.app, 'PATCH', `${base}/${listId}`, {
      as: crew.as.marketer,
      body: { name: 'زوار المعرض' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const all = (await call(t.app, 'GET', base, { as: crew.as.analyst })).json().lists;
    expect(all.map((l: { id: string; name: string }) => [l.id, l.name])).toEqual([[listId, 'زوار المعرض']]);
  });

  it('adds and removes members by id, reporting unknown ids, and pages them', async () => {
    const listId = (await call(t.app, 'POST', base, { as: crew.as.marketer, body: { name: 'VIP' } })).json()
      .list.id;
    const added = await call(t.app, 'POST', `${base}/${listId}/members`, {
      as: crew.as.marketer,
      body: { contactIds: [id('amal@example.com'), id('badr@example.com'), id('dana@example.com'), 'ghost'] },
    });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json()).toMatchObject({ changed: 3, unknown: ['ghost'], list: { memberCount: 3 } });
    const repeat = await call(t.app, 'POST', `${base}/${listId}/members`, {
      as: crew.as.marketer,
      body: { contactIds: [id('amal@example.com')] },
    });
    expect(repeat.json()).toMatchObject({ changed: 0, unknown: [], list: { memberCount: 3 } });

    const first = await call(t.app, 'GET', `${base}/${listId}/members?limit=2`, { as: crew.as.analyst });
    expect(first.json().contacts.map((c: { email: string }) => c.email)).toEqual([
      'amal@example.com',
      'badr@example.com',
    ]);
    const second = await call(t.app, 'GET', `${base}/${listId}/members?limit=2&after=${first.json().next}`, {
      as: crew.as.analyst,
    });
    expect(second.json()).toMatchObject({ next: null });
    expect(second.json().contacts.map((c: { email: string }) => c.email)).toEqual(['dana@example.com']);

    const removed = await call(t.app, 'POST', `${base}/${listId}/members/remove`, {
      as: crew.as.marketer,
      body: { contactIds: [id('badr@example.com'), id('fahd@example.com')] },
    });
    expect(removed.json()).toMatchObject({ changed: 1, unknown: [], list: { memberCount: 2 } });
    expect(await memberEmails(listId)).toEqual(['amal@example.com', 'dana@example.com']);
  });

  it('refuses an empty or oversized id list, naming the field', async () => {
    const listId = (await call(t.app, 'POST', base, { as: crew.as.marketer, body: { name: 'حدود' } })).json()
      .list.id;
    for (const contactIds of [[], Array.from({ length: 10_001 }, (_, i) => `id-${i}`)]) {
      const res = await call(t.app, 'POST', `${base}/${listId}/members`, {
        as: crew.as.marketer,
        body: { contactIds },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.field).toBe('contactIds');
    }
  });

  it('exports the members as CSV with a BOM', async () => {
    const listId = (await call(t.app, 'POST', base, { as: crew.as.marketer, body: { name: 'تصدير' } })).json()
      .list.id;
    await call(t.app, 'POST', `${base}/${listId}/members`, {
      as: crew.as.marketer,
      body: { contactIds: [id('fahd@example.com'), id('amal@example.com')] },
    });
    const res = await call(t.app, 'GET', `${base}/${listId}/export`, { as: crew.as.analyst });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const created = (email: string, n: number) =>
      `${id(email)},${email},,سارة,,الرياض,,,0,${new Date(n).toISOString()}`;
    const start = Date.UTC(2026, 0, 15, 9, 0, 0);
    expect(res.body).toBe(
      `\uFEFFid,email,phone,first_name,last_name,city,country,lifecycle_stage,lead_score,created_at\r\n${created('amal@example.com', start + 1)}\r\n${created('fahd@example.com', start + 4)}\r\n`,
    );
  });

  it('feeds segment list conditions: members follow the list after the copy settles', async () => {
    const listId = (
      await call(t.app, 'POST', base, { as: crew.as.marketer, body: { name: 'مدعوون' } })
    ).json().list.id;
    await call(t.app, 'POST', `${base}/${listId}/members`, {
      as: crew.as.marketer,
      body: { contactIds: [id('badr@example.com'), id('dana@example.com')] },
    });
    await t.settled();
    const created = await call(t.app, 'POST', `/api/workspaces/${ws}/segments`, {
      as: crew.as.marketer,
      body: {
        name: 'في قائمة المدعوين',
        definition: { root: { match: 'all', conditions: [{ kind: 'list', listId, member: true }] } },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const segmentId = created.json().segment.id;
    const segment = await t.db
      .selectFrom('segments')
      .selectAll()
      .where('id', '=', segmentId)
      .executeTakeFirstOrThrow();
    await t.segmentEngine.recompute(ws, segment, false);
    const segmentEmails = async () =>
      (
        await call(t.app, 'GET', `/api/workspaces/${ws}/segments/${segmentId}/members`, {
          as: crew.as.analyst,
        })
      )
        .json()
        .contacts.map((c: { email: string }) => c.email);
    expect(await segmentEmails()).toEqual(['badr@example.com', 'dana@example.com']);

    await call(t.app, 'POST', `${base}/${listId}/members`, {
      as: crew.as.marketer,
      body: { contactIds: [id('fahd@example.com')] },
    });
    await call(t.app, 'POST', `${base}/${listId}/members/remove`, {
      as: crew.as.marketer,
      body: { contactIds: [id('badr@example.com')] },
    });
    await t.settled();
    expect(await segmentEmails()).toEqual(['dana@example.com', 'fahd@example.com']);

    const deleted = await call(t.app, 'DELETE', `${base}/${listId}`, { as: crew.as.marketer });
    expect(deleted.statusCode).toBe(204);
    await t.settled();
    expect(await segmentEmails()).toEqual([]);
  });
});
