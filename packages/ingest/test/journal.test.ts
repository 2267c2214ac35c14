import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type WaslEvent, WaslEventSchema } from '@wasl/core';
import { type EventStore, openDuckDbEventStore } from '@wasl/store';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type EventsAppender,
  type Journal,
  JournalLockedError,
  type JournalOptions,
  openJournal,
  type SegmentDamage,
  startJournalWriter,
} from '../src/index.ts';
import { DrainRate } from '../src/journal/drain-rate.ts';
import { readSegment } from '../src/journal/segment-file.ts';
import { fullEvent, segmentFiles, tempDir, WORKSPACE } from './journal-fixtures.ts';

const MiB = 1024 * 1024;
const byId = (a: WaslEvent, b: WaslEvent) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const events = (prefix: string, count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => fullEvent(`${prefix}-${from + i}`, from + i));

/** Paths of schema fields that `value` leaves unset, walking nested objects (zod's `shape`). */
function unsetFields(schema: unknown, value: unknown, path = ''): string[] {
  let inner = schema as { shape?: Record<string, unknown>; unwrap?: () => unknown };
  while (inner.shape === undefined && typeof inner.unwrap === 'function') {
    inner = inner.unwrap() as typeof inner;
  }
  if (value === undefined) return [path];
  if (inner.shape === undefined || value === null) return [];
  const object = value as Record<string, unknown>;
  return Object.entries(inner.shape).flatMap(([key, field]) =>
    unsetFields(field, object[key], path ? `${path}.${key}` : key),
  );
}

describe('ingest journal', () => {
  let root: string;
  let dir: string;
  const cleanups: (() => Promise<unknown>)[] = [];

  beforeEach(() => {
    root = tempDir('journal');
    dir = join(root, 'journal');
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    rmSync(root, { recursive: true, force: true });
  });

  const open = async (options: Partial<JournalOptions> = {}): Promise<Journal> => {
    const journal = await openJournal({ dir, maxPendingBytes: 64 * MiB, ...options });
    cleanups.push(() => journal.close());
    return journal;
  };
  const openStore = async (): Promise<EventStore> => {
    const store = await openDuckDbEventStore(join(root, 'events.duckdb'));
    await store.migrate();
    cleanups.push(() => store.close());
    return store;
  };
  const storedIds = async (store: EventStore) =>
    (await store.recent(WORKSPACE, 1_000_000)).map((e) => e.id).sort();
  const diskBytes = () => segmentFiles(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);

  it('round-trips every field, Arabic text and times to the millisecond, through a segment and into DuckDB', async () => {
    const sample = fullEvent('sample', 1);
    expect(unsetFields(WaslEventSchema, sample)).toEqual([]);
    expect(WaslEventSchema.parse(sample)).toEqual(sample);
    const sent = events('rt', 40);

    const journal = await open();
    for (let i = 0; i < sent.length; i += 8)
      expect(await journal.append(sent.slice(i, i + 8))).toEqual({ ok: true, value: undefined });
    await journal.close();

    const [segment, ...others] = segmentFiles(dir);
    expect(others).toEqual([]);
    const contents = await readSegment(dir, segment as string);
    expect(contents.damage).toEqual([]);
    expect(contents.records).toBe(5);
    expect(contents.events).toStrictEqual(sent);

    const reopened = await open();
    const store = await openStore();
    expect(await startJournalWriter(reopened, store).stop()).toEqual({ drained: true });
    const stored = await store.recent(WORKSPACE, 1000);
    expect(stored.sort(byId)).toStrictEqual([...sent].sort(byId));
    expect(segmentFiles(dir)).toEqual([]);
    expect(reopened.stats()).toMatchObject({
      pendingBytes: 0,
      segments: 0,
      eventsFlushed: 40,
      recordsFlushed: 5,
    });
  });

  it('answers concurrent appends only after a sync that follows them, with far fewer syncs than appends', async () => {
    const journal = await open();
    const appenders = 20;
    const rounds = 25;
    await Promise.all(
      Array.from({ length: appenders }, async (_, a) => {
        for (let r = 0; r < rounds; r++) {
          const id = `gc-${a}-${r}`;
          const syncsBefore = journal.stats().syncs;
          expect(await journal.append([fullEvent(id, r)])).toEqual({ ok: true, value: undefined });
          expect(journal.stats().syncs).toBeGreaterThan(syncsBefore);
          if (r % 5 === 0) {
            const file = join(dir, segmentFiles(dir).at(-1) as string);
            expect(readFileSync(file, 'utf8')).toContain(`"${id}"`);
          }
        }
      }),
    );
    const stats = journal.stats();
    expect(stats.recordsWritten).toBe(appenders * rounds);
    expect(stats.eventsWritten).toBe(appenders * rounds);
    expect(stats.syncs).toBeGreaterThanOrEqual(rounds);
    // Each round's appends arrive in one turn of the event loop and share one sync.
    expect(stats.syncs).toBeLessThanOrEqual((appenders * rounds) / 10);
  });

  /** Three records, each synced alone; returns the byte offset where the third starts. */
  const threeRecords = async (): Promise<{ file: string; thirdAt: number }> => {
    const journal = await open();
    expect((await journal.append(events('torn', 2, 0))).ok).toBe(true);
    expect((await journal.append(events('torn', 3, 2))).ok).toBe(true);
    const file = join(dir, segmentFiles(dir)[0] as string);
    const thirdAt = statSync(file).size;
    expect((await journal.append(events('torn', 2, 5))).ok).toBe(true);
    await journal.close();
    return { file, thirdAt };
  };

  it.each([
    {
      damage: 'a write cut inside the last payload',
      make: (file: string, at: number) => truncateSync(file, at + 8 + 40),
      kept: 5,
      reason: /^torn record \(40 of \d+ payload bytes\)$/,
    },
    {
      damage: 'a write cut inside the last header',
      make: (file: string, at: number) => truncateSync(file, at + 3),
      kept: 5,
      reason: /^torn record header \(3 of 8 bytes\)$/,
    },
    {
      damage: 'a changed byte in the last record',
      make: (file: string) => {
        const data = readFileSync(file);
        data[data.length - 10] = (data[data.length - 10] as number) ^ 0x20;
        writeFileSync(file, data);
      },
      kept: 5,
      reason: /^record checksum mismatch$/,
    },
    {
      damage: 'zeros after the last record (the size reached disk, the data did not)',
      make: (file: string) => writeFileSync(file, Buffer.alloc(4096), { flag: 'a' }),
      kept: 7,
      reason: /^impossible record length 0$/,
    },
  ])('replays the records before $damage, drops the rest and reports it', async ({ make, kept, reason }) => {
    const { file, thirdAt } = await threeRecords();
    const sizeBefore = statSync(file).size;
    make(file, thirdAt);
    const damageAt = kept === 7 ? sizeBefore : thirdAt;
    const damagedBytes = statSync(file).size - damageAt;

    const journal = await open();
    const store = await openStore();
    const reported: SegmentDamage[] = [];
    const writer = startJournalWriter(journal, store, { onDamage: (d) => reported.push(d) });
    expect((await journal.append([fullEvent('after-restart', 99)])).ok).toBe(true);
    expect(await writer.stop()).toEqual({ drained: true });

    const expected = [...events('torn', kept).map((e) => e.id), 'after-restart'].sort();
    expect(await storedIds(store)).toEqual(expected);
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ file, offset: damageAt, bytes: damagedBytes });
    expect(reported[0]?.reason).toMatch(reason);
    expect(journal.stats()).toMatchObject({ damagedParts: 1, damagedBytes, segments: 0, pendingBytes: 0 });
  });

  it('refuses, without writing, a batch that would pass the bound, and takes batches again once the writer frees space', async () => {
    const journal = await open({ maxPendingBytes: 16 * 1024 });
    let accepted = 0;
    let refused: unknown;
    for (let i = 0; refused === undefined && i < 1000; i++) {
      const files = segmentFiles(dir);
      const bytes = diskBytes();
      const taken = await journal.append([fullEvent(`b-${i}`, i)]);
      if (taken.ok) accepted += 1;
      else {
        refused = taken.error;
        expect(segmentFiles(dir)).toEqual(files);
        expect(diskBytes()).toBe(bytes);
      }
    }
    expect(accepted).toBeGreaterThan(5);
    // Nothing has drained yet, so the store looks stalled: clients are told to wait 10 s.
    expect(refused).toEqual({
      code: 'unavailable',
      message: expect.stringMatching(
        /^the ingest journal is full \(\d+ of 16384 bytes not yet in the events store\); retry shortly$/,
      ),
      retryAfterSeconds: 10,
    });
    const stats = journal.stats();
    expect(stats.refusedFull).toBe(1);
    expect(stats.pendingBytes).toBeLessThanOrEqual(16 * 1024);
    expect(stats.pendingBytes).toBe(diskBytes());

    const store = await openStore();
    expect(await startJournalWriter(journal, store).stop()).toEqual({ drained: true });
    expect(journal.stats().pendingBytes).toBe(0);
    expect((await journal.append([fullEvent('b-after', 1)])).ok).toBe(true);
    expect(await startJournalWriter(journal, store).stop()).toEqual({ drained: true });
    expect(await storedIds(store)).toHaveLength(accepted + 1);
  });

  it('refuses what it could never store, writing nothing, and everything once closed', async () => {
    const journal = await open({ maxPendingBytes: 4096 });
    const badDate = { ...fullEvent('bad-date'), occurredAt: new Date(Number.NaN) };
    const bigint = { ...fullEvent('bigint'), properties: { n: 1n } };
    const huge = { ...fullEvent('huge'), properties: { text: 'ب'.repeat(4096) } };
    expect(await journal.append([fullEvent('ok'), badDate])).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'event bad-date: occurredAt is not a valid Date' },
    });
    expect(await journal.append([fullEvent('fine'), bigint])).toEqual({
      ok: false,
      error: { code: 'invalid', message: expect.stringMatching(/^event bigint is not JSON \(.*BigInt.*\)$/) },
    });
    expect(await journal.append([huge])).toMatchObject({
      ok: false,
      error: { code: 'invalid', message: expect.stringMatching(/can never fit the journal's bound of 4096/) },
    });
    expect(segmentFiles(dir)).toEqual([]);
    expect(journal.stats()).toMatchObject({ recordsWritten: 0, pendingBytes: 0, refusedFull: 0 });
    await journal.close();
    expect(await journal.append([fullEvent('late')])).toEqual({
      ok: false,
      error: { code: 'unavailable', message: `ingest journal ${dir} is closed`, retryAfterSeconds: 5 },
    });
  });

  it('keeps events while the store fails, fills up and refuses, then stores each event once after it recovers', async () => {
    const store = await openStore();
    let failing = true;
    let calls = 0;
    let committedThenFailed = 0;
    const flaky: EventsAppender = {
      async append(batch) {
        if (!failing) return store.append(batch);
        calls += 1;
        // Every other failure comes after the store committed (a timeout on the way back):
        // the writer cannot tell and appends the batch again.
        if (calls % 2 === 1) {
          await store.append(batch);
          committedThenFailed += 1;
        }
        throw new Error('events store unreachable');
      },
    };
    const journal = await open({ maxPendingBytes: 48 * 1024, segmentMaxAgeMs: 20 });
    const errors: unknown[] = [];
    const writer = startJournalWriter(journal, flaky, {
      minRetryMs: 5,
      maxRetryMs: 20,
      onError: (e) => errors.push(e),
    });
    const accepted: string[] = [];
    let refused: unknown;
    for (let i = 0; refused === undefined && i < 5000; i++) {
      const taken = await journal.append([fullEvent(`f-${i}`, i)]);
      if (taken.ok) accepted.push(`f-${i}`);
      else refused = taken.error;
      if (i % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(refused).toMatchObject({ code: 'unavailable', retryAfterSeconds: 10 });
    await vi.waitFor(() => expect(committedThenFailed).toBeGreaterThan(1), { timeout: 5000 });
    const during = journal.stats();
    expect(during.segments).toBeGreaterThan(1);
    expect(during.eventsFlushed).toBe(0);
    expect(during.flushFailures).toBeGreaterThan(2);
    expect(during.lastFlushError).toEqual({ message: 'events store unreachable', at: expect.any(Date) });
    expect(errors.length).toBe(during.flushFailures);

    failing = false;
    expect(await writer.stop()).toEqual({ drained: true });
    const ids = await storedIds(store);
    expect(ids).toEqual([...accepted].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(journal.stats()).toMatchObject({
      pendingBytes: 0,
      segments: 0,
      eventsFlushed: accepted.length,
      lastFlushError: null,
    });
  });

  it('gives up draining a store that stays down at the stop timeout, leaving the segments for the next process', async () => {
    const journal = await openJournal({ dir, maxPendingBytes: MiB });
    const down: EventsAppender = { append: () => Promise.reject(new Error('connection refused')) };
    const writer = startJournalWriter(journal, down, { minRetryMs: 5, maxRetryMs: 10 });
    expect((await journal.append(events('kept', 4))).ok).toBe(true);
    const started = performance.now();
    expect(await writer.stop({ timeoutMs: 200 })).toEqual({ drained: false });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(journal.stats()).toMatchObject({ segments: 1, eventsFlushed: 0 });
    expect(journal.stats().flushFailures).toBeGreaterThan(1);
    await journal.close();
    expect(segmentFiles(dir)).toHaveLength(1);

    const next = await open();
    const store = await openStore();
    expect(await startJournalWriter(next, store).stop({ timeoutMs: 10_000 })).toEqual({ drained: true });
    expect(await storedIds(store)).toEqual(events('kept', 4).map((e) => e.id));
  });

  it('replays segments left by an earlier process before new ones', async () => {
    const earlier = await open();
    expect((await earlier.append(events('old', 3))).ok).toBe(true);
    await earlier.close();

    const journal = await open();
    expect(journal.stats()).toMatchObject({ segments: 1, pendingBytes: diskBytes() });
    const store = await openStore();
    const batches: string[][] = [];
    const recording: EventsAppender = {
      append: (batch) => {
        batches.push(batch.map((e) => e.id));
        return store.append(batch);
      },
    };
    expect((await journal.append(events('new', 2))).ok).toBe(true);
    expect(await startJournalWriter(journal, recording).stop()).toEqual({ drained: true });
    expect(batches).toEqual([
      ['old-0', 'old-1', 'old-2'],
      ['new-0', 'new-1'],
    ]);
  });

  it('seals a segment by age, so a lone event reaches the store without more traffic', async () => {
    const journal = await open({ segmentMaxAgeMs: 200 });
    const store = await openStore();
    const writer = startJournalWriter(journal, store);
    cleanups.push(() => writer.stop());
    const started = performance.now();
    expect((await journal.append([fullEvent('quiet')])).ok).toBe(true);
    await vi.waitFor(async () => expect(await storedIds(store)).toEqual(['quiet']), {
      timeout: 3000,
      interval: 20,
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    // The writer deletes the segment and counts it just after the store holds its events.
    await vi.waitFor(() => expect(journal.stats()).toMatchObject({ segmentsFlushed: 1, segments: 0 }), {
      timeout: 3000,
      interval: 20,
    });
  });

  it('seals a segment once it holds segmentBytes', async () => {
    const journal = await open({ segmentBytes: 8 * 1024, segmentMaxAgeMs: 60_000 });
    for (let i = 0; i < 40; i++) expect((await journal.append([fullEvent(`s-${i}`, i)])).ok).toBe(true);
    const files = segmentFiles(dir);
    expect(files.length).toBeGreaterThanOrEqual(4);
    expect(journal.stats().segments).toBe(files.length);
    const record = diskBytes() / 40;
    for (const name of files.slice(0, -1))
      expect(statSync(join(dir, name)).size).toBeLessThan(8 * 1024 + record * 2);
  });

  describe('one process per directory', () => {
    const writeLock = (holder: object) => {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'journal.lock'), JSON.stringify(holder));
    };

    it('refuses a second journal on the directory in this process, and allows one after close', async () => {
      const journal = await open();
      await expect(openJournal({ dir, maxPendingBytes: MiB })).rejects.toThrow(
        new JournalLockedError(dir, process.pid),
      );
      await expect(openJournal({ dir, maxPendingBytes: MiB })).rejects.toThrow(
        /already open in this process/,
      );
      expect(() => startJournalWriter(journal, { append: async () => ({ inserted: 0 }) })).not.toThrow();
      expect(() => startJournalWriter(journal, { append: async () => ({ inserted: 0 }) })).toThrow(
        /already has a writer/,
      );
      await journal.close();
      await (await open()).close();
    });

    it('refuses a directory locked by another running process, naming it', async () => {
      writeLock({ pid: process.ppid });
      const opening = openJournal({ dir, maxPendingBytes: MiB });
      await expect(opening).rejects.toBeInstanceOf(JournalLockedError);
      await expect(opening).rejects.toThrow(
        `ingest journal ${dir} is locked by running process ${process.ppid} (${join(dir, 'journal.lock')}); ` +
          'each ingest process needs its own journal directory.',
      );
    });

    it('takes over the lock of a process that is gone, or whose pid now belongs to another process', async () => {
      const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
      writeLock({ pid: Number(gone.stdout.toString()) });
      await (await openJournal({ dir, maxPendingBytes: MiB })).close();
      writeLock({ pid: process.ppid, started: '1' });
      const journal = await open();
      expect(JSON.parse(readFileSync(join(dir, 'journal.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
      await journal.close();
      expect(segmentFiles(dir)).toEqual([]);
    });
  });

  it('tells refused clients to wait until the overflow drains at the recent rate', () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const rate = new DrainRate();
      expect(rate.retryAfterSeconds(1)).toBe(10); // nothing drained yet: the store looks stalled
      vi.advanceTimersByTime(10_000);
      rate.note(1000 * 1000); // 100 kB/s over the 10 s window
      expect(rate.retryAfterSeconds(100_000)).toBe(1);
      expect(rate.retryAfterSeconds(2_500_000)).toBe(25);
      expect(rate.retryAfterSeconds(50_000_000)).toBe(60);
      vi.advanceTimersByTime(10_001);
      expect(rate.retryAfterSeconds(1)).toBe(10);
    } finally {
      vi.useRealTimers();
    }
  });
});
