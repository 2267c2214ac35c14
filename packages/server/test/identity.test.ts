import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContact, identifyContact, setConsent } from '../src/index.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { CHROME, type IngestApp, startIngestApp } from './helpers/ingest.ts';
import { team } from './helpers/people.ts';

describeEachEngine('identity resolution', (engine) => {
  let t: TestApp;
  let ws: string;
  beforeAll(async () => {
    t = await startTestApp(engine);
    ws = (await team(t, 'Identity')).workspace.id;
  });
  afterAll(() => t.close());

  const identify = async (traits: Record<string, unknown>, anonymousIds: string[] = []) => {
    t.clock.now += 1000;
    const r = await identifyContact(t.db, { workspaceId: ws, traits, anonymousIds, now: t.clock.now });
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  };
  const contact = (id: string) =>
    t.db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();

  it('creates a contact from an email and links the visitor id; a second call finds it by that id', async () => {
    const first = await identify({ email: 'Reem@Example.com', firstName: 'ريم' }, ['anon-1']);
    expect(first).toMatchObject({ created: true, merged: [] });
    const again = await identify({ city: 'الخبر' }, ['anon-1']);
    expect(again).toEqual({ contactId: first.contactId, created: false, merged: [] });
    expect(await contact(first.contactId)).toMatchObject({
      email: 'reem@example.com',
      first_name: 'ريم',
      city: 'الخبر',
    });
  });

  it('refuses to make a contact of a stranger with neither email nor phone', async () => {
    const r = await identifyContact(t.db, {
      workspaceId: ws,
      traits: { firstName: 'X' },
      anonymousIds: ['anon-unknown'],
      now: t.clock.now,
    });
    expect(r.ok).toBe(false);
  });

  it('merges the contacts an email and a phone point at into the older one, keeping what each knew', async () => {
    t.clock.now += 1000;
    const older = await createContact(t.db, {
      workspaceId: ws,
      input: { email: 'saad@example.com', firstName: 'سعد', interests: ['رياضة'], attributes: {} },
      now: t.clock.now,
    });
    t.clock.now += 1000;
    const newer = await createContact(t.db, {
      workspaceId: ws,
      input: { phone: '+966551112233', lastName: 'الحربي', city: 'بريدة', interests: ['سفر'] },
      now: t.clock.now,
    });
    if (!older.ok || !newer.ok) throw new Error('setup');
    const olderId = older.value.contact.id;
    const newerId = newer.value.contact.id;
    // The newer contact consented to SMS more recently; that answer must survive the merge.
    await setConsent(t.db, {
      workspaceId: ws,
      contactId: newerId,
      channel: 'sms',
      status: 'granted',
      source: 'form',
      now: t.clock.now,
    });
    await identify({ email: 'saad@example.com' }, ['anon-saad-phone']);
    await t.db
      .insertInto('contact_identities')
      .values({ workspace_id: ws, anonymous_id: 'anon-newer', contact_id: newerId, created_at: t.clock.now })
      .execute();

    const merged = await identify({ email: 'saad@example.com', phone: '0551112233', country: 'SA' }, [
      'anon-3',
    ]);
    expect(merged).toEqual({ contactId: olderId, created: false, merged: [newerId] });
    expect(await contact(newerId)).toBeUndefined();
    const survivor = await contact(olderId);
    expect(survivor).toMatchObject({
      email: 'saad@example.com',
      phone: '+966551112233',
      first_name: 'سعد',
      last_name: 'الحربي',
      city: 'بريدة',
      country: 'SA',
    });
    expect(JSON.parse(survivor!.interests).sort()).toEqual(['رياضة', 'سفر'].sort());
    const identities = await t.db
      .selectFrom('contact_identities')
      .select('anonymous_id')
      .where('contact_id', '=', olderId)
      .orderBy('anonymous_id')
      .execute();
    expect(identities.map((i) => i.anonymous_id)).toEqual(['anon-3', 'anon-newer', 'anon-saad-phone']);
    const consents = await t.db
      .selectFrom('consents')
      .selectAll()
      .where('contact_id', '=', olderId)
      .execute();
    expect(consents.map((c) => [c.channel, c.status])).toEqual([['sms', 'granted']]);
    const history = await t.db
      .selectFrom('contact_merges')
      .selectAll()
      .where('from_id', '=', newerId)
      .executeTakeFirstOrThrow();
    expect(history).toMatchObject({ into_id: olderId, rule: 'phone' });
    expect(JSON.parse(history.snapshot)).toMatchObject({ id: newerId, last_name: 'الحربي' });
  });
});

describe('identify calls through the Segment API become contacts', () => {
  let t: IngestApp;
  beforeAll(async () => {
    t = await startIngestApp();
  });
  afterAll(() => t.close());

  it('creates the contact, links anonymousId and userId, and takes custom traits only for defined attributes', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/identify',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${t.site.key}:`).toString('base64')}`,
        'user-agent': CHROME,
      },
      payload: JSON.stringify({
        anonymousId: 'seg-anon-1',
        userId: 'customer-7',
        traits: {
          email: 'Nawal@Example.SA',
          name: 'نوال الزهراني',
          address: { city: 'أبها' },
          favouriteColour: 'أزرق',
        },
      }),
    });
    expect(res.statusCode).toBe(200);
    let row:
      | {
          id: string;
          email: string | null;
          first_name: string | null;
          last_name: string | null;
          city: string | null;
          attributes: string;
        }
      | undefined;
    for (let i = 0; i < 100 && !row; i++) {
      row = await t.db
        .selectFrom('contacts')
        .select(['id', 'email', 'first_name', 'last_name', 'city', 'attributes'])
        .where('workspace_id', '=', t.workspaceId)
        .where('email', '=', 'nawal@example.sa')
        .executeTakeFirst();
      if (!row) await new Promise((r) => setTimeout(r, 20));
    }
    expect(row).toMatchObject({ first_name: 'نوال', last_name: 'الزهراني', city: 'أبها', attributes: '{}' });
    const ids = await t.db
      .selectFrom('contact_identities')
      .select('anonymous_id')
      .where('contact_id', '=', row!.id)
      .orderBy('anonymous_id')
      .execute();
    expect(ids.map((i) => i.anonymous_id)).toEqual(['customer-7', 'seg-anon-1']);
  });
});
