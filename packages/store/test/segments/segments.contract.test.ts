import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsDb } from '../../src/analytics/db.ts';
import { type EventStoreTarget, openEventStore } from '../../src/index.ts';
import { compileSegment } from '../../src/segments/compile.ts';
import { createSegmentEvaluator, type SegmentEvaluator } from '../../src/segments/evaluator.ts';
import type { AudienceMirror } from '../../src/segments/mirror.ts';
import { openAudienceMirror } from '../../src/segments/open.ts';
import { ATTRIBUTE_DEFS, type Dataset, generate, NOW, OTHER_WS, WS } from './dataset.ts';
import { DEFINITIONS, SAVED } from './definitions.ts';
import { ENGINES } from './engines.ts';
import { SegmentModel } from './model.ts';

// The segments contract: one generated audience loaded through the events
// store's append and the audience mirror into each engine; every definition's
// members compared exactly with those computed in plain TypeScript (model.ts).

const DATA = generate();
const MODEL = new SegmentModel(DATA, WS, NOW, SAVED);

async function load(target: EventStoreTarget, data: Dataset, mirror: AudienceMirror): Promise<void> {
  const store = await openEventStore(target);
  await store.migrate();
  for (let i = 0; i < data.events.length; i += 5_000) await store.append(data.events.slice(i, i + 5_000));
  await store.close();
  for (const ws of [WS, OTHER_WS]) {
    await mirror.upsertContacts(
      ws,
      data.contacts.filter((c) => c.workspaceId === ws),
    );
    await mirror.upsertAccounts(
      ws,
      data.accounts.filter((a) => a.workspaceId === ws),
    );
    await mirror.linkIdentities(
      ws,
      data.identities.filter((i) => i.workspaceId === ws),
    );
    for (const listId of ['list-a', 'list-b']) {
      const ids = data.lists
        .filter((l) => l.workspaceId === ws && l.listId === listId)
        .map((l) => l.contactId);
      await mirror.setListMembers(ws, listId, ids);
    }
  }
}

const sorted = (ids: readonly unknown[]) => ids.map(String).sort();

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`segments contract: ${engine.name}`, () => {
    let db: AnalyticsDb;
    let mirror: AudienceMirror;
    let evaluator: SegmentEvaluator;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      const setup = await engine.setup();
      cleanup = setup.cleanup;
      mirror = await openAudienceMirror(setup.target);
      await load(setup.target, DATA, mirror);
      db = await setup.db();
      evaluator = createSegmentEvaluator(db, {
        attributeDefs: async () => ATTRIBUTE_DEFS,
        segment: async (_ws, id) => SAVED[id],
        now: () => NOW,
      });
    });
    afterAll(async () => {
      await mirror?.close();
      await db?.close();
      await cleanup?.();
    });

    it('holds a dataset that exercises the definitions', async () => {
      expect(DATA.contacts.filter((c) => c.workspaceId === WS)).toHaveLength(2000);
      expect(DATA.events.length).toBeGreaterThan(45_000);
      const anonymousOnly = DATA.events.filter(
        (e) => e.workspaceId === WS && e.contactId === null && e.anonymousId?.startsWith('anon-'),
      );
      expect(anonymousOnly.length).toBeGreaterThan(3_000);
      const rows = await db.query(`select count(*) as n from audience_contacts where workspace_id = $1`, [
        WS,
      ]);
      expect(Number(rows[0]?.n)).toBe(2000);
    });

    for (const [name, def] of Object.entries(DEFINITIONS)) {
      it(`members: ${name}`, async () => {
        const expected = MODEL.members(def);
        // Neither everyone nor no one (except the deliberate empty group), so the test can tell.
        if (def.root.conditions.length > 0) {
          expect(expected.length).toBeGreaterThan(0);
          expect(expected.length).toBeLessThan(2000);
        }
        const members = await evaluator.members(WS, def);
        if (!members.ok) throw new Error(members.error.message);
        expect(sorted(members.value)).toEqual(expected);
        const count = await evaluator.count(WS, def);
        expect(count).toEqual({ ok: true, value: expected.length });
      });
    }

    it('evaluates one contact as the full evaluation does', async () => {
      const checks: [string, boolean, boolean][] = [];
      for (const [name, def] of Object.entries(DEFINITIONS).slice(0, 34)) {
        const expected = new Set(MODEL.members(def));
        for (const id of ['c-0', 'c-17', 'c-311', 'c-1999']) {
          const one = await evaluator.isMember(WS, def, id);
          if (!one.ok) throw new Error(one.error.message);
          checks.push([`${name} ${id}`, one.value, expected.has(id)]);
        }
      }
      expect(checks.filter(([, got, want]) => got !== want)).toEqual([]);
      expect(checks.some(([, got]) => got)).toBe(true);
    });

    it('evaluates a batch of contacts as the full evaluation does', async () => {
      // Every 7th contact, plus one that does not exist: the live path's batch.
      const batch = [
        ...Array.from({ length: 2000 }, (_, i) => `c-${i}`).filter((_, i) => i % 7 === 0),
        'c-none',
      ];
      for (const [name, def] of Object.entries(DEFINITIONS)) {
        const expected = MODEL.members(def).filter((id) => batch.includes(id));
        const found = await evaluator.membersAmong(WS, def, batch);
        if (!found.ok) throw new Error(`${name}: ${found.error.message}`);
        expect(sorted(found.value), name).toEqual(sorted(expected));
      }
    });

    it('reads only the asked workspace', async () => {
      const everyone = await evaluator.members(OTHER_WS, { root: { match: 'all', conditions: [] } });
      expect(everyone.ok && everyone.value.length).toBe(60);
      const def = DEFINITIONS['orders at least 2 in the last 14 days'];
      if (!def) throw new Error('missing definition');
      const other = new SegmentModel(DATA, OTHER_WS, NOW, SAVED).members(def);
      const got = await evaluator.members(OTHER_WS, def);
      expect(got.ok && sorted(got.value)).toEqual(other);
    });

    it('binds hostile and Arabic values as parameters', async () => {
      const hostile = "'); drop table audience_contacts; --";
      const def = {
        root: {
          match: 'any' as const,
          conditions: [
            { kind: 'attribute' as const, field: 'city', operator: 'eq' as const, value: hostile },
            { kind: 'attribute' as const, field: 'city', operator: 'eq' as const, value: 'جدة' },
          ],
        },
      };
      const compiled = compileSegment(def, {
        workspaceId: WS,
        now: NOW,
        dialect: db.dialect,
        attributeDefs: [],
        resolveSegment: () => undefined,
      });
      if (!compiled.ok) throw new Error(compiled.error.message);
      expect(compiled.value.sql).not.toContain('drop table');
      expect(compiled.value.sql).not.toContain('جدة');
      const got = await evaluator.members(WS, def);
      expect(got.ok && sorted(got.value)).toEqual(MODEL.members(def));
      const rows = await db.query('select count(*) as n from audience_contacts', []);
      expect(Number(rows[0]?.n)).toBe(2060);
    });
  });
}
