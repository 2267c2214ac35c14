import type { WaslEvent } from '@wasl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsDb } from '../../src/analytics/db.ts';
import { openEventStore } from '../../src/index.ts';
import type { AudienceMirror, MirrorContact } from '../../src/segments/mirror.ts';
import { openAudienceMirror } from '../../src/segments/open.ts';
import { ENGINES } from './engines.ts';

const T = Date.parse('2026-03-01T00:00:00Z');
const contact = (id: string, extra: Partial<MirrorContact> = {}): MirrorContact => ({
  id,
  email: `${id}@example.com`,
  createdAt: new Date(T),
  updatedAt: new Date(T),
  ...extra,
});
const event = (ws: string, id: string, contactId: string | null, anonymousId: string | null): WaslEvent => ({
  id,
  workspaceId: ws,
  type: 'track',
  name: 'Order Completed',
  anonymousId,
  contactId,
  occurredAt: new Date(T),
  receivedAt: new Date(T),
  properties: {},
  context: {},
});

/** Every mirrored and event row of a workspace, to show another workspace's rows never change. */
async function snapshot(db: AnalyticsDb, ws: string): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const sql of [
    'select id, email, first_name, city, lead_score from audience_contacts where workspace_id = $1 order by id',
    'select anonymous_id, contact_id from audience_identities where workspace_id = $1 order by anonymous_id',
    'select list_id, contact_id from audience_list_members where workspace_id = $1 order by list_id, contact_id',
    'select id, name from audience_accounts where workspace_id = $1 order by id',
    'select id, contact_id, anonymous_id from events where workspace_id = $1 order by id',
  ]) {
    out.push(await db.query(sql, [ws]));
  }
  return out;
}

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`audience mirror: ${engine.name}`, () => {
    let mirror: AudienceMirror;
    let db: AnalyticsDb;
    let cleanup: () => Promise<void>;
    let other: unknown[];

    beforeAll(async () => {
      const setup = await engine.setup();
      cleanup = setup.cleanup;
      const store = await openEventStore(setup.target);
      await store.migrate();
      const events: WaslEvent[] = [];
      for (const ws of ['w1', 'w2']) {
        events.push(
          event(ws, 'e1', 'c1', 'a1'),
          event(ws, 'e2', null, 'a1'),
          event(ws, 'e3', null, 'a2'),
          event(ws, 'e4', 'c2', null),
          event(ws, 'e5', null, 'a3'),
        );
      }
      await store.append(events);
      await store.close();
      mirror = await openAudienceMirror(setup.target);
      db = await setup.db();
      for (const ws of ['w1', 'w2']) {
        await mirror.upsertContacts(ws, [
          contact('c1'),
          contact('c2'),
          contact('c3', { city: 'الرياض', interests: ['طبخ'] }),
        ]);
        await mirror.upsertAccounts(ws, [{ id: 'acc', name: 'Acme' }]);
        await mirror.linkIdentities(ws, [
          { anonymousId: 'a1', contactId: 'c1' },
          { anonymousId: 'a2', contactId: 'c1' },
          { anonymousId: 'a3', contactId: 'c2' },
        ]);
        await mirror.setListMembers(ws, 'L', ['c1', 'c2']);
        await mirror.setListMembers(ws, 'M', ['c1']);
      }
      other = await snapshot(db, 'w2');
    });
    afterAll(async () => {
      await mirror?.close();
      await db?.close();
      await cleanup?.();
    });

    it('upserts replace whole rows; a batch repeating an id keeps the last', async () => {
      await mirror.upsertContacts('w1', [
        contact('c3', { city: 'جدة', leadScore: 5 }),
        contact('c3', { city: 'Riyadh', firstName: 'سارة', leadScore: 7, attributes: { plan: 'pro' } }),
      ]);
      const rows = await db.query(
        "select city, first_name, lead_score, interests, attributes from audience_contacts where workspace_id = 'w1' and id = 'c3'",
        [],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]?.city).toBe('Riyadh');
      expect(rows[0]?.first_name).toBe('سارة');
      expect(Number(rows[0]?.lead_score)).toBe(7);
      const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
      expect(json(rows[0]?.interests)).toEqual([]);
      expect(json(rows[0]?.attributes)).toEqual({ plan: 'pro' });
    });

    it('sets, adds and removes list members', async () => {
      await mirror.addListMembers('w1', 'L', ['c3', 'c3', 'c1']);
      await mirror.removeListMembers('w1', 'L', ['c2']);
      const l = await db.query(
        "select contact_id from audience_list_members where workspace_id = 'w1' and list_id = 'L' order by contact_id",
        [],
      );
      expect(l.map((r) => r.contact_id)).toEqual(['c1', 'c3']);
      await mirror.setListMembers('w1', 'L', ['c2', 'c3']);
      const again = await db.query(
        "select contact_id from audience_list_members where workspace_id = 'w1' and list_id = 'L' order by contact_id",
        [],
      );
      expect(again.map((r) => r.contact_id)).toEqual(['c2', 'c3']);
    });

    it('merges: identities, list memberships and events move to the surviving contact', async () => {
      await mirror.mergeContacts('w1', 'c1', 'c2');
      expect(
        await db.query("select id from audience_contacts where workspace_id = 'w1' order by id", []),
      ).toEqual([{ id: 'c2' }, { id: 'c3' }]);
      expect(
        await db.query(
          "select anonymous_id, contact_id from audience_identities where workspace_id = 'w1' order by anonymous_id",
          [],
        ),
      ).toEqual([
        { anonymous_id: 'a1', contact_id: 'c2' },
        { anonymous_id: 'a2', contact_id: 'c2' },
        { anonymous_id: 'a3', contact_id: 'c2' },
      ]);
      expect(
        await db.query(
          "select list_id, contact_id from audience_list_members where workspace_id = 'w1' order by list_id, contact_id",
          [],
        ),
      ).toEqual([
        { list_id: 'L', contact_id: 'c2' },
        { list_id: 'L', contact_id: 'c3' },
        { list_id: 'M', contact_id: 'c2' },
      ]);
      expect(
        await db.query(
          "select id, contact_id from events where workspace_id = 'w1' and contact_id is not null order by id",
          [],
        ),
      ).toEqual([
        { id: 'e1', contact_id: 'c2' },
        { id: 'e4', contact_id: 'c2' },
      ]);
      expect(await snapshot(db, 'w2')).toEqual(other);
    });

    it('erases: the row, identities and memberships go; events are unlinked and their anonymous ids replaced', async () => {
      await mirror.eraseContact('w1', 'c2');
      expect(
        await db.query("select id from audience_contacts where workspace_id = 'w1' order by id", []),
      ).toEqual([{ id: 'c3' }]);
      expect(await db.query("select * from audience_identities where workspace_id = 'w1'", [])).toEqual([]);
      expect(
        await db.query("select list_id, contact_id from audience_list_members where workspace_id = 'w1'", []),
      ).toEqual([{ list_id: 'L', contact_id: 'c3' }]);
      const events = await db.query(
        "select id, contact_id, anonymous_id from events where workspace_id = 'w1' order by id",
        [],
      );
      expect(events.map((e) => e.contact_id)).toEqual([null, null, null, null, null]);
      expect(events.find((e) => e.id === 'e4')?.anonymous_id).toBeNull();
      const replaced = events.filter((e) => e.id !== 'e4').map((e) => String(e.anonymous_id));
      for (const id of replaced) expect(id).toMatch(/^erased-[0-9a-f-]{36}$/);
      // One fresh id per former anonymous id: e1 and e2 (both a1) still share one, a2 and a3 differ.
      const [e1, e2, e3, e5] = replaced;
      expect(e1).toBe(e2);
      expect(new Set([e1, e3, e5]).size).toBe(3);
      expect(await snapshot(db, 'w2')).toEqual(other);
    });

    it('deletes contacts with their identities and memberships, in that workspace only', async () => {
      await mirror.deleteContacts('w1', ['c3']);
      expect(await db.query("select id from audience_contacts where workspace_id = 'w1'", [])).toEqual([]);
      expect(await db.query("select * from audience_list_members where workspace_id = 'w1'", [])).toEqual([]);
      expect(await snapshot(db, 'w2')).toEqual(other);
      expect((other[0] as unknown[]).length).toBe(3);
    });
  });
}
