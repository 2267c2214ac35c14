import type { WaslEvent } from '@wasl/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSite, identifyContact } from '../src/index.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { type Team, team } from './helpers/people.ts';

describeEachEngine('timeline, data export and erasure', (engine) => {
  let t: TestApp;
  let crew: Team;
  let ws: string;
  let contactId: string;
  let erasedHooks: string[];
  beforeAll(async () => {
    erasedHooks = [];
    t = await startTestApp(engine, {
      audience: {
        contactsChanged: () => {},
        contactsMerged: () => {},
        contactErased: (_ws, id) => erasedHooks.push(id),
        listChanged: () => {},
        accountsChanged: () => {},
      },
    });
    crew = await team(t, 'Privacy');
    ws = crew.workspace.id;
    const identified = await identifyContact(t.db, {
      workspaceId: ws,
      traits: { email: 'khalid@example.com', firstName: 'خالد', phone: '+966501112222' },
      anonymousIds: ['visitor-k'],
      now: t.clock.now,
    });
    if (!identified.ok) throw new Error(identified.error.message);
    contactId = identified.value.contactId;
    const at = (minutes: number) => new Date(t.clock.now - minutes * 60_000);
    const base = { workspaceId: ws, receivedAt: at(0), context: {} };
    const facts: WaslEvent[] = [
      {
        ...base,
        id: 'p1',
        type: 'page',
        name: '',
        anonymousId: 'visitor-k',
        contactId: null,
        occurredAt: at(30),
        properties: { path: '/عروض' },
      },
      {
        ...base,
        id: 't1',
        type: 'track',
        name: 'Order Completed',
        anonymousId: null,
        contactId,
        occurredAt: at(20),
        properties: { revenue: 250 },
      },
      {
        ...base,
        id: 'x1',
        type: 'page',
        name: '',
        anonymousId: 'someone-else',
        contactId: null,
        occurredAt: at(10),
        properties: {},
      },
    ];
    await t.events.append(facts);
  });
  afterAll(() => t.close());

  it('shows what the person did under any id they are known by, and consent changes, newest first', async () => {
    t.clock.now += 60_000;
    const consent = await call(t.app, 'PUT', `/api/workspaces/${ws}/contacts/${contactId}/consents`, {
      as: crew.as.marketer,
      body: { channel: 'email', status: 'granted', source: 'form' },
    });
    expect(consent.statusCode).toBe(200);
    const res = await call(t.app, 'GET', `/api/workspaces/${ws}/contacts/${contactId}/timeline?limit=2`, {
      as: crew.as.analyst,
    });
    expect(res.statusCode).toBe(200);
    const first = res.json();
    expect(first.events.map((e: { name: string; type: string }) => `${e.type}:${e.name}`)).toEqual([
      'track:consent.changed',
      'track:Order Completed',
    ]);
    expect(first.events[0].properties).toEqual({ channel: 'email', status: 'granted', source: 'form' });
    const second = (
      await call(
        t.app,
        'GET',
        `/api/workspaces/${ws}/contacts/${contactId}/timeline?limit=2&before=${first.next}`,
        {
          as: crew.as.analyst,
        },
      )
    ).json();
    expect(second.events.map((e: { id: string }) => e.id)).toEqual(['p1']);
    expect(second.next).toBeNull();
    const bad = await call(
      t.app,
      'GET',
      `/api/workspaces/${ws}/contacts/${contactId}/timeline?before=nonsense`,
      {
        as: crew.as.analyst,
      },
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('before');
  });

  it('exports everything held about the person as JSON', async () => {
    await t.db
      .insertInto('messages')
      .values({
        id: 'msg-1',
        workspace_id: ws,
        idempotency_key: 'campaign:c9:contact:k:email',
        channel: 'email',
        contact_id: contactId,
        address: 'khalid@example.com',
        source_kind: 'campaign',
        source_id: 'c9',
        marketing: 1,
        content: '{}',
        status: 'sent',
        next_attempt_at: 0,
        created_at: Date.UTC(2026, 10, 1),
        updated_at: Date.UTC(2026, 10, 1),
        sent_at: Date.UTC(2026, 10, 1, 0, 0, 2),
      })
      .execute();
    const res = await call(t.app, 'GET', `/api/workspaces/${ws}/contacts/${contactId}/export`, {
      as: crew.as.admin,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toContain(`contact-${contactId}.json`);
    const doc = res.json();
    expect(doc.contact).toMatchObject({ id: contactId, email: 'khalid@example.com', firstName: 'خالد' });
    expect(doc.knownIds).toEqual(['visitor-k']);
    expect(doc.consents).toEqual([
      expect.objectContaining({ channel: 'email', status: 'granted', source: 'form' }),
    ]);
    expect(doc.events.map((e: { id: string }) => e.id).sort()).toEqual(
      ['p1', 't1', expect.any(String)].sort(),
    );
    expect(doc.eventsTruncated).toBe(false);
    expect(doc.messages).toEqual([
      {
        id: 'msg-1',
        channel: 'email',
        address: 'khalid@example.com',
        source: 'campaign:c9',
        status: 'sent',
        skipReason: null,
        createdAt: '2026-11-01T00:00:00.000Z',
        sentAt: '2026-11-01T00:00:02.000Z',
      },
    ]);
  });

  it('erases the person for admins only, keeps an audit entry without personal data, and says so to the events copy', async () => {
    const message = (id: string, status: string) => ({
      id,
      workspace_id: ws,
      idempotency_key: `test:${id}`,
      channel: 'email',
      contact_id: contactId,
      address: 'khalid@example.sa',
      source_kind: 'campaign',
      source_id: 'c1',
      marketing: 1,
      content: JSON.stringify({ variables: { first_name: 'khalid' } }),
      status,
      next_attempt_at: 0,
      created_at: 0,
      updated_at: 0,
    });
    await t.db
      .insertInto('messages')
      .values([message('msg-sent', 'sent'), message('msg-queued', 'queued')])
      .execute();
    // What a browser and a phone left: a push subscription and a WhatsApp service window.
    const site = await createSite(t.db, {
      workspaceId: ws,
      name: 'المتجر',
      domain: 'privacy.example.sa',
      actor: { type: 'system' },
      now: t.clock.now,
    });
    if (!site.ok) throw new Error(site.error.message);
    await t.db
      .insertInto('push_subscriptions')
      .values({
        id: 'push-k',
        workspace_id: ws,
        site_id: site.value.id,
        contact_id: contactId,
        anonymous_id: null,
        endpoint: 'https://push.example.test/k',
        p256dh: 'key',
        auth: 'auth',
        language: 'ar',
        user_agent_family: null,
        created_at: t.clock.now,
        updated_at: t.clock.now,
        last_success_at: null,
      })
      .execute();
    await t.db
      .insertInto('whatsapp_windows')
      .values({ workspace_id: ws, phone: '+966501112222', last_inbound_at: t.clock.now })
      .execute();
    const byMarketer = await call(t.app, 'DELETE', `/api/workspaces/${ws}/contacts/${contactId}`, {
      as: crew.as.marketer,
    });
    expect(byMarketer.statusCode).toBe(403);
    const res = await call(t.app, 'DELETE', `/api/workspaces/${ws}/contacts/${contactId}`, {
      as: crew.as.admin,
    });
    expect(res.statusCode).toBe(204);
    expect(erasedHooks).toEqual([contactId]);
    const gone = await call(t.app, 'GET', `/api/workspaces/${ws}/contacts/${contactId}`, {
      as: crew.as.admin,
    });
    expect(gone.statusCode).toBe(404);
    for (const table of ['consents', 'contact_identities'] as const) {
      const left = await t.db.selectFrom(table).selectAll().where('contact_id', '=', contactId).execute();
      expect(left, table).toEqual([]);
    }
    expect(
      await t.db.selectFrom('push_subscriptions').select('id').where('workspace_id', '=', ws).execute(),
    ).toEqual([]);
    expect(
      await t.db.selectFrom('whatsapp_windows').select('phone').where('workspace_id', '=', ws).execute(),
    ).toEqual([]);
    const audit = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('workspace_id', '=', ws)
      .where('action', '=', 'contact.erased')
      .executeTakeFirstOrThrow();
    expect(audit.target).toBe(`contact:${contactId}`);
    expect(audit.details).not.toContain('khalid');
    // Messages stay counted for the campaign, without anything that leads to the person.
    const messages = await t.db
      .selectFrom('messages')
      .select(['id', 'status', 'skip_reason', 'address', 'content', 'contact_id'])
      .where('workspace_id', '=', ws)
      .where('id', 'in', ['msg-queued', 'msg-sent'])
      .orderBy('id')
      .execute();
    expect(messages).toEqual([
      {
        id: 'msg-queued',
        status: 'skipped',
        skip_reason: 'contact_erased',
        address: null,
        content: '{}',
        contact_id: null,
      },
      { id: 'msg-sent', status: 'sent', skip_reason: null, address: null, content: '{}', contact_id: null },
    ]);
    const again = await call(t.app, 'DELETE', `/api/workspaces/${ws}/contacts/${contactId}`, {
      as: crew.as.admin,
    });
    expect(again.statusCode).toBe(404);
  });
});
