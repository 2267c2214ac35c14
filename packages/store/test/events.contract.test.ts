import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId, type WaslEvent } from '@wasl/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DUCKDB_EVENT_MIGRATIONS } from '../src/events/duckdb-migrations.ts';
import { POSTGRES_EVENT_MIGRATIONS } from '../src/events/postgres-migrations.ts';
import {
  type EventMigration,
  type EventStore,
  openDuckDbEventStore,
  openEventStore,
  openPostgresEventStore,
} from '../src/index.ts';
import { freshPgSchema, TEST_PG_URL } from '../src/testing/index.ts';
import { waslEvent } from './contracts/event-arbitrary.ts';
import { eventBufferCases } from './contracts/event-buffer.ts';
import { nextLine, runFixture } from './fixtures/child.ts';
import { makeEvents } from './fixtures/events.ts';

/** A database for one suite: stores opened on it, and how to throw it away. */
interface Harness {
  open(migrations?: readonly EventMigration[]): Promise<EventStore>;
  /** Whether a second open() sees the first one's data (not so for ':memory:'). */
  shared: boolean;
  /** The engine's own migrations, which open() uses when given none. */
  migrations: readonly EventMigration[];
  cleanup(): Promise<void>;
}

const ALL_TIME: [Date, Date] = [new Date('0001-01-01T00:00:00Z'), new Date('9999-12-31T23:59:59.999Z')];
const newWorkspace = () => `ws-${newId()}`;
const byNewest = (a: WaslEvent, b: WaslEvent) =>
  b.occurredAt.getTime() - a.occurredAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

function countTypes(events: readonly WaslEvent[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of events) counts[e.type] = (counts[e.type] ?? 0) + 1;
  return counts;
}

const event = (
  workspaceId: string,
  id: string,
  occurredAt: Date,
  patch: Partial<WaslEvent> = {},
): WaslEvent => ({
  id,
  workspaceId,
  type: 'page',
  name: '',
  anonymousId: 'anon-1',
  contactId: null,
  occurredAt,
  receivedAt: occurredAt,
  properties: {},
  context: {},
  ...patch,
});

/**
 * The events port's contract. Every adapter runs all of it; each test makes
 * its own workspace, so tests share one database and never see each other.
 */
function eventStoreContract(name: string, setup: () => Promise<Harness>, skip = false): void {
  describe.skipIf(skip)(name, () => {
    let harness: Harness;
    let store: EventStore;

    beforeAll(async () => {
      harness = await setup();
      store = await harness.open();
      await store.migrate();
    });
    afterAll(async () => {
      await store?.close();
      await harness?.cleanup();
    });

    it('migrate() again, twice at once, and from a second store: no error, data kept', async () => {
      const ws = newWorkspace();
      await store.append(makeEvents({ workspaceId: ws, count: 10 }));
      await store.migrate();
      await Promise.all([store.migrate(), store.migrate()]);
      if (harness.shared) {
        const second = await harness.open();
        await Promise.all([store.migrate(), second.migrate()]);
        expect((await second.recent(ws, 100)).length).toBe(10);
        await second.close();
      }
      expect((await store.recent(ws, 100)).length).toBe(10);
    });

    it('a failing migration leaves no trace; the next run applies it; unknown versions are refused', async () => {
      const fresh = await setup();
      const probe = (...statements: string[]) => [...fresh.migrations, { version: '0002_probe', statements }];
      try {
        const failing = await fresh.open(
          probe('create table events_probe (x integer)', 'select * from no_such_table'),
        );
        await expect(failing.migrate()).rejects.toThrow(
          /events migration 0002_probe failed: .*no_such_table/,
        );
        // Failing at the same place again proves nothing survived: had the events
        // table or events_probe been kept, creating them again would fail first.
        await expect(failing.migrate()).rejects.toThrow(
          /events migration 0002_probe failed: .*no_such_table/,
        );
        await expect(failing.append(makeEvents({ workspaceId: newWorkspace(), count: 1 }))).rejects.toThrow();
        await failing.close();
        if (fresh.shared) {
          const fixed = await fresh.open(probe('create table events_probe (x integer)'));
          await fixed.migrate();
          await fixed.migrate();
          expect(await fixed.append(makeEvents({ workspaceId: newWorkspace(), count: 3 }))).toEqual({
            inserted: 3,
          });
          await fixed.close();
          const older = await fresh.open();
          await expect(older.migrate()).rejects.toThrow(/does not know \(0002_probe\).*newer Wasl/);
          await older.close();
        }
      } finally {
        await fresh.cleanup();
      }
    });

    it('re-delivering the same 1,000 events inserts nothing and changes no count', async () => {
      const ws = newWorkspace();
      const events = makeEvents({ workspaceId: ws, count: 1000, seed: 7 });
      expect(await store.append(events)).toEqual({ inserted: 1000 });
      const counts = await store.countByType(ws, ...ALL_TIME);
      expect(counts).toEqual(countTypes(events));
      expect(await store.append(events)).toEqual({ inserted: 0 });
      expect(await store.countByType(ws, ...ALL_TIME)).toEqual(counts);
      // Part old, part new, and one id twice in the same batch: only the new ones count.
      const more = makeEvents({ workspaceId: ws, count: 5, seed: 8, idPrefix: 'more' });
      expect(await store.append([...events.slice(0, 3), ...more, more[0]!])).toEqual({ inserted: 5 });
      expect(await store.append([])).toEqual({ inserted: 0 });
    });

    it('never crosses workspaces, even for the same event id', async () => {
      const a = newWorkspace();
      const b = newWorkspace();
      const events = makeEvents({ workspaceId: a, count: 50 });
      await store.append(events);
      expect(await store.countByType(b, ...ALL_TIME)).toEqual({});
      expect(await store.recent(b, 100)).toEqual([]);
      const sameIds = events.map((e) => ({ ...e, workspaceId: b, type: 'track' as const, name: 'B' }));
      expect(await store.append(sameIds)).toEqual({ inserted: 50 });
      expect(await store.countByType(b, ...ALL_TIME)).toEqual({ track: 50 });
      expect(await store.countByType(a, ...ALL_TIME)).toEqual(countTypes(events));
      expect((await store.recent(a, 100)).every((e) => e.workspaceId === a)).toBe(true);
    });

    it('counts exactly what a plain filter over the generated dataset counts', async () => {
      const ws = newWorkspace();
      const events = makeEvents({ workspaceId: ws, count: 5000, seed: 11 });
      await store.append(events);
      const windows: [string, string][] = [
        ['2025-03-01T00:00:00Z', '2025-03-21T00:00:00Z'],
        ['2025-03-05T06:30:00Z', '2025-03-09T18:00:00Z'],
        ['2025-03-20T23:00:00Z', '2025-03-21T00:00:00Z'],
        ['2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z'],
      ];
      for (const [f, t] of windows) {
        const from = new Date(f);
        const to = new Date(t);
        const expected = countTypes(events.filter((e) => e.occurredAt >= from && e.occurredAt < to));
        expect(await store.countByType(ws, from, to)).toEqual(expected);
      }
    });

    it('window: from is inclusive, to is exclusive, to the millisecond', async () => {
      const ws = newWorkspace();
      const from = new Date('2025-06-01T00:00:00.000Z');
      const to = new Date('2025-06-02T00:00:00.000Z');
      const at = (ms: number) => new Date(ms);
      await store.append([
        event(ws, 'before', at(from.getTime() - 1)),
        event(ws, 'at-from', from, { type: 'track', name: 'x' }),
        event(ws, 'last', at(to.getTime() - 1), { type: 'identify' }),
        event(ws, 'at-to', to),
      ]);
      expect(await store.countByType(ws, from, to)).toEqual({ track: 1, identify: 1 });
      expect(await store.countByType(ws, from, from)).toEqual({});
      // The widest window any Date can express, far beyond what can be stored.
      expect(await store.countByType(ws, new Date(-8.64e15), new Date(8.64e15))).toEqual({
        page: 2,
        track: 1,
        identify: 1,
      });
    });

    it('returns every field as appended: Arabic text, nested JSON, nulls and Dates', async () => {
      const ws = newWorkspace();
      const full: WaslEvent = {
        id: 'ar-1',
        workspaceId: ws,
        type: 'track',
        name: 'تمت عملية الشراء',
        anonymousId: 'مجهول-١',
        contactId: 'عميل-٤٢',
        occurredAt: new Date('2025-03-14T21:45:10.123Z'),
        receivedAt: new Date('2025-03-14T21:45:11.987Z'),
        properties: {
          المنتج: 'عباية سوداء',
          'السعر 💰': 349.99,
          items: [{ sku: 'A-1', tags: ['جديد', 'رمضان'], qty: 2 }, null, true, [[]], {}],
          nested: { deep: { deeper: { deepest: 'نهاية', n: -1.5e-7, big: 1e21 } } },
          quote: 'he said "مرحبا" \\ back\\slash\nnewline\ttab',
          empty: '',
        },
        context: {
          url: 'https://example.sa/ar/المتجر?utm_source=واتساب',
          path: '/ar/المتجر',
          title: 'المتجر — وصل',
          referrer: 'https://www.google.com.sa/',
          utm: { source: 'واتساب', medium: 'social', campaign: 'رمضان-٢٠٢٥', term: 'عباية', content: 'زر' },
          clickId: 'gclid-123',
          locale: 'ar-SA',
          userAgent: 'Mozilla/5.0',
          device: { type: 'mobile', browser: 'Safari', os: 'iOS', screen: '390x844' },
          geo: { country: 'SA', region: 'الرياض', city: 'الرياض' },
          source: 'whatsapp',
          medium: 'social',
          sessionId: 'جلسة-7',
          bot: false,
        },
      };
      const bare = event(ws, 'bare', new Date('2025-03-14T21:00:00Z'), {
        type: 'alias',
        anonymousId: null,
        contactId: 'c-1',
      });
      await store.append([bare, full]);
      expect(await store.recent(ws, 10)).toEqual([full, bare]);
    });

    it('stores U+0000 as nothing and unpaired surrogates as U+FFFD instead of failing the batch', async () => {
      const ws = newWorkspace();
      const dirty = event(ws, 'dirty', new Date('2025-01-01T00:00:00Z'), {
        name: 'a\u0000b',
        properties: { 'k\u0000': 'x\ud800y', list: ['\udc00'] },
        context: { path: '/p\u0000' },
      });
      expect(await store.append([dirty, event(ws, 'clean', new Date('2025-01-02T00:00:00Z'))])).toEqual({
        inserted: 2,
      });
      const [, back] = await store.recent(ws, 2);
      expect(back).toMatchObject({
        name: 'ab',
        properties: { k: 'x\ufffdy', list: ['\ufffd'] },
        context: { path: '/p' },
      });
    });

    it('keeps times from year 1 to year 9999 exactly, and refuses a batch with a time beyond', async () => {
      const ws = newWorkspace();
      const first = new Date('0001-01-01T00:00:00.000Z');
      const last = new Date('9999-12-31T23:59:59.999Z');
      const ancient = new Date('0050-07-04T12:00:00.001Z');
      await store.append([
        event(ws, 'first', first, { receivedAt: last }),
        event(ws, 'last', last, { receivedAt: first }),
        event(ws, 'ancient', ancient),
      ]);
      const back = await store.recent(ws, 3);
      expect(back.map((e) => [e.id, e.occurredAt.toISOString(), e.receivedAt.toISOString()])).toEqual([
        ['last', last.toISOString(), first.toISOString()],
        ['ancient', ancient.toISOString(), ancient.toISOString()],
        ['first', first.toISOString(), last.toISOString()],
      ]);
      const beyond = event(ws, 'beyond', new Date('+010000-01-01T00:00:00Z'));
      await expect(store.append([event(ws, 'ok', first), beyond])).rejects.toThrow(/years 1 to 9999/);
      // Nothing of the refused batch was written; `to` is exclusive even at the very end of the range.
      expect((await store.recent(ws, 10)).map((e) => e.id)).toEqual(['last', 'ancient', 'first']);
      expect(await store.countByType(ws, first, last)).toEqual({ page: 2 });
    });

    it('appends a batch of 20,000 events', async () => {
      const ws = newWorkspace();
      const events = makeEvents({ workspaceId: ws, count: 20_000, seed: 20 });
      expect(await store.append(events)).toEqual({ inserted: 20_000 });
      expect(await store.countByType(ws, ...ALL_TIME)).toEqual(countTypes(events));
      expect(await store.recent(ws, 5)).toEqual([...events].sort(byNewest).slice(0, 5));
    });

    it('recent(): newest first, ties broken by id descending, at most `limit`', async () => {
      const ws = newWorkspace();
      const t = new Date('2025-05-05T05:05:05.005Z');
      const events = [
        event(ws, 'b', t),
        event(ws, 'a', t),
        event(ws, 'c', t),
        event(ws, 'old', new Date(t.getTime() - 1)),
        event(ws, 'new', new Date(t.getTime() + 1)),
      ];
      await store.append(events);
      expect((await store.recent(ws, 10)).map((e) => e.id)).toEqual(['new', 'c', 'b', 'a', 'old']);
      expect((await store.recent(ws, 2)).map((e) => e.id)).toEqual(['new', 'c']);
      expect(await store.recent(ws, 0)).toEqual([]);
      await expect(store.recent(ws, -1)).rejects.toThrow(RangeError);
    });

    it('history(): one person by contact id or any known id, newest first, paged, never another workspace', async () => {
      const ws = newWorkspace();
      const other = newWorkspace();
      const t = Date.parse('2025-06-01T10:00:00.000Z');
      const at = (s: number) => new Date(t + s * 1000);
      await store.append([
        event(ws, 'e1', at(1), { anonymousId: 'visitor-x' }),
        event(ws, 'e2', at(2), { anonymousId: null, contactId: 'contact-1' }),
        event(ws, 'e3', at(3), { anonymousId: 'someone-else' }),
        event(ws, 'e4', at(3), { anonymousId: 'device-y', type: 'track', name: 'Order Completed' }),
        event(ws, 'e5', at(3), { anonymousId: 'visitor-x' }),
        event(other, 'e6', at(4), { anonymousId: 'visitor-x' }),
      ]);
      const ids = ['contact-1', 'visitor-x', 'device-y'];
      expect((await store.history(ws, ids, { limit: 10 })).map((e) => e.id)).toEqual([
        'e5',
        'e4',
        'e2',
        'e1',
      ]);
      const first = await store.history(ws, ids, { limit: 2 });
      expect(first.map((e) => e.id)).toEqual(['e5', 'e4']);
      const last = first[first.length - 1]!;
      const next = await store.history(ws, ids, {
        limit: 2,
        before: { occurredAt: last.occurredAt, id: last.id },
      });
      expect(next.map((e) => e.id)).toEqual(['e2', 'e1']);
      expect(await store.history(ws, [], { limit: 10 })).toEqual([]);
      expect((await store.history(other, ids, { limit: 10 })).map((e) => e.id)).toEqual(['e6']);
    });

    it('property: any batch of valid events comes back exactly as appended', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer().chain((n) => fc.array(waslEvent(`ws-prop-${n}`), { minLength: 1, maxLength: 25 })),
          async (generated) => {
            const ws = newWorkspace();
            // Unique ids, so the expected set is every generated event.
            const events = generated.map((e, i) => ({ ...e, id: `${i}-${e.id}`, workspaceId: ws }));
            expect(await store.append(events)).toEqual({ inserted: events.length });
            const back = await store.recent(ws, events.length + 1);
            expect(back).toHaveLength(events.length);
            for (let i = 1; i < back.length; i++) {
              expect(back[i - 1]!.occurredAt.getTime()).toBeGreaterThanOrEqual(back[i]!.occurredAt.getTime());
            }
            const byId = new Map(back.map((e) => [e.id, e]));
            for (const e of events) expect(byId.get(e.id)).toEqual(e);
          },
        ),
        { numRuns: 40 },
      );
    });

    it('ping() answers while open and throws once closed', async () => {
      const other = await harness.open();
      await other.ping();
      await other.close();
      await expect(other.ping()).rejects.toThrow();
      await store.ping();
    });

    eventBufferCases(() => store);
  });
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasl-events-'));
  tempDirs.push(dir);
  return join(dir, 'data', 'events.duckdb');
};

eventStoreContract('events store contract: duckdb in memory', async () => ({
  open: (migrations) => openDuckDbEventStore(':memory:', { migrations }),
  shared: false,
  migrations: DUCKDB_EVENT_MIGRATIONS,
  cleanup: async () => undefined,
}));

eventStoreContract('events store contract: duckdb file', async () => {
  const file = tempFile();
  return {
    open: (migrations) => openDuckDbEventStore(file, { migrations }),
    shared: true,
    migrations: DUCKDB_EVENT_MIGRATIONS,
    cleanup: async () => undefined,
  };
});

eventStoreContract(
  'events store contract: postgres (set WASL_TEST_PG_URL to run)',
  async () => {
    const schema = await freshPgSchema(TEST_PG_URL!);
    return {
      open: async (migrations) => openPostgresEventStore(schema.url, { migrations }),
      shared: true,
      migrations: POSTGRES_EVENT_MIGRATIONS,
      cleanup: () => schema.drop(),
    };
  },
  !TEST_PG_URL,
);

describe('events store: duckdb file, one process', () => {
  it('keeps the rows when the file is closed and opened again', async () => {
    const file = tempFile();
    const ws = newWorkspace();
    const events = makeEvents({ workspaceId: ws, count: 300 });
    const first = await openEventStore({ kind: 'duckdb', file });
    await first.migrate();
    await first.append(events);
    await first.close();
    const again = await openEventStore({ kind: 'duckdb', file });
    await again.migrate();
    expect(await again.countByType(ws, ...ALL_TIME)).toEqual(countTypes(events));
    expect(await again.recent(ws, 300)).toEqual([...events].sort(byNewest));
    expect(await again.append(events)).toEqual({ inserted: 0 });
    await again.close();
  });

  it('shares one DuckDB instance between stores on the same file in this process', async () => {
    const file = tempFile();
    const ws = newWorkspace();
    const a = await openDuckDbEventStore(file);
    const b = await openDuckDbEventStore(file);
    await Promise.all([a.migrate(), b.migrate()]);
    const events = makeEvents({ workspaceId: ws, count: 2000 });
    // Concurrent appends of overlapping batches: serialised, so no write conflict and no double insert.
    const results = await Promise.all([a.append(events.slice(0, 1500)), b.append(events.slice(500))]);
    expect(results[0].inserted + results[1].inserted).toBe(2000);
    await a.close();
    expect(await b.countByType(ws, ...ALL_TIME)).toEqual(countTypes(events));
    await b.close();
  });

  it('says plainly that the file is in use when another process holds it', async () => {
    const file = tempFile();
    const holder = runFixture('hold-duckdb.ts', [file]);
    try {
      expect(await nextLine(holder.child, holder.lines)).toBe('ready');
      await expect(openEventStore({ kind: 'duckdb', file })).rejects.toThrow(
        `events store ${file} is in use by another process; embedded mode runs one process — use PostgreSQL for several`,
      );
    } finally {
      holder.child.stdin.end();
      await once(holder.child, 'exit');
    }
    // Once the other process has let go, this one can open it.
    const store = await openEventStore({ kind: 'duckdb', file });
    await store.ping();
    await store.close();
  });
});

describe('events store: postgres via openEventStore', () => {
  it.skipIf(!TEST_PG_URL)(
    'opens, migrates and answers through the factory (set WASL_TEST_PG_URL to run)',
    async () => {
      const schema = await freshPgSchema(TEST_PG_URL!);
      try {
        const store = await openEventStore({ kind: 'postgres', url: schema.url });
        await store.migrate();
        await store.ping();
        await store.close();
      } finally {
        await schema.drop();
      }
    },
  );

  it('ping() rejects when PostgreSQL is unreachable', async () => {
    const store = await openEventStore({ kind: 'postgres', url: 'postgres://wasl@127.0.0.1:1/nowhere' });
    await expect(store.ping()).rejects.toThrow();
    await store.close();
  });
});
