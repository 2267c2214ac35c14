import { afterAll, beforeAll, expect, it } from 'vitest';
import { createContact } from '../src/index.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { type Team, team } from './helpers/people.ts';

describeEachEngine('accounts', (engine) => {
  let t: TestApp;
  let crew: Team;
  let ws: string;
  let base: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(engine);
    crew = await team(t, 'Accounts');
    ws = crew.workspace.id;
    base = `/api/workspaces/${ws}/accounts`;
    for (const name of ['hala', 'majed', 'noor']) {
      t.clock.now += 1;
      const made = await createContact(t.db, {
        workspaceId: ws,
        input: { email: `${name}@example.com` },
        now: t.clock.now,
      });
      if (!made.ok) throw new Error(made.error.message);
      ids[name] = made.value.contact.id;
      t.audience.contactsChanged(ws, [made.value.contact.id]);
    }
    await t.settled();
  });
  afterAll(() => t.close());

  const id = (name: string) => ids[name] ?? '';

  it('creates an account with its domain normalised (lower case, IDN to punycode) and changes fields', async () => {
    const created = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: {
        name: 'متجر الورد',
        domain: 'https://WWW.متجر-الورد.com/about',
        industry: 'retail',
        size: '11-50',
        region: 'الخليج',
        attributes: { tier: 'gold', seats: 12 },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const account = created.json().account;
    expect(account).toMatchObject({
      name: 'متجر الورد',
      domain: 'www.xn----zmchirjc5md0b.com',
      industry: 'retail',
      size: '11-50',
      region: 'الخليج',
      attributes: { tier: 'gold', seats: 12 },
      contactCount: 0,
    });
    const changed = await call(t.app, 'PATCH', `${base}/${account.id}`, {
      as: crew.as.marketer,
      body: { region: null, attributes: { tier: null, plan: 'pro' } },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json().account).toMatchObject({ region: null, attributes: { seats: 12, plan: 'pro' } });
    const one = await call(t.app, 'GET', `${base}/${account.id}`, { as: crew.as.analyst });
    expect(one.json().account.attributes).toEqual({ seats: 12, plan: 'pro' });
  });

  it('refuses a bad domain or an unknown field, naming it', async () => {
    const bad = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: { name: 'خطأ', domain: 'not a domain' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'invalid', field: 'domain' });
    const extra = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: { name: 'خطأ', employees: 5 },
    });
    expect(extra.statusCode).toBe(400);
    expect(extra.json().error.message).toContain('employees');
  });

  it('sets the contacts of an account, reporting unknown ids, and feeds account segment conditions', async () => {
    const make = async (name: string, industry: string) => {
      t.clock.now += 1; // ids order accounts by creation only across milliseconds
      return (await call(t.app, 'POST', base, { as: crew.as.marketer, body: { name, industry } })).json()
        .account.id as string;
    };
    const bank = await make('بنك الشرق', 'finance');
    const shop = await make('سوق المدينة', 'retail');
    const set = await call(t.app, 'PUT', `${base}/${bank}/contacts`, {
      as: crew.as.marketer,
      body: { contactIds: [id('hala'), id('majed'), 'ghost'] },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toEqual({ attached: 2, detached: 0, unknown: ['ghost'] });
    await call(t.app, 'PUT', `${base}/${shop}/contacts`, {
      as: crew.as.marketer,
      body: { contactIds: [id('noor')] },
    });
    await t.settled();

    const created = await call(t.app, 'POST', `/api/workspaces/${ws}/segments`, {
      as: crew.as.marketer,
      body: {
        name: 'قطاع مالي',
        definition: {
          root: {
            match: 'all',
            conditions: [{ kind: 'account', field: 'industry', operator: 'eq', value: 'finance' }],
          },
        },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const segmentId = created.json().segment.id;
    await t.segmentEngine.recompute(
      ws,
      await t.db.selectFrom('segments').selectAll().where('id', '=', segmentId).executeTakeFirstOrThrow(),
      false,
    );
    const members = async () =>
      (
        await call(t.app, 'GET', `/api/workspaces/${ws}/segments/${segmentId}/members`, {
          as: crew.as.analyst,
        })
      )
        .json()
        .contacts.map((c: { email: string }) => c.email);
    expect(await members()).toEqual(['hala@example.com', 'majed@example.com']);

    // Moving one contact, then re-classifying the other account, both reach the segment.
    const moved = await call(t.app, 'PUT', `${base}/${bank}/contacts`, {
      as: crew.as.marketer,
      body: { contactIds: [id('hala')] },
    });
    expect(moved.json()).toEqual({ attached: 0, detached: 1, unknown: [] });
    await call(t.app, 'PATCH', `${base}/${shop}`, { as: crew.as.marketer, body: { industry: 'finance' } });
    await t.settled();
    expect(await members()).toEqual(['hala@example.com', 'noor@example.com']);

    const gone = await call(t.app, 'DELETE', `${base}/${bank}`, { as: crew.as.marketer });
    expect(gone.statusCode).toBe(204);
    await t.settled();
    expect(await members()).toEqual(['noor@example.com']);
    const hala = await call(t.app, 'GET', `/api/workspaces/${ws}/contacts/${id('hala')}`, {
      as: crew.as.analyst,
    });
    expect(hala.json().contact.accountId).toBeNull();
  });

  it('pages accounts in creation order with their contact counts', async () => {
    const first = await call(t.app, 'GET', `${base}?limit=1`, { as: crew.as.analyst });
    expect(first.json().accounts.map((a: { name: string }) => a.name)).toEqual(['متجر الورد']);
    const rest = await call(t.app, 'GET', `${base}?limit=10&after=${first.json().next}`, {
      as: crew.as.analyst,
    });
    expect(
      rest.json().accounts.map((a: { name: string; contactCount: number }) => [a.name, a.contactCount]),
    ).toEqual([['سوق المدينة', 1]]);
    expect(rest.json().next).toBeNull();
  });
});
