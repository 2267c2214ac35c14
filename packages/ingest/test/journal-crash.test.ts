import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openDuckDbEventStore } from '@wasl/store';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openJournal, startJournalWriter } from '../src/index.ts';
import { fullEvent, segmentFiles, tempDir, WORKSPACE } from './journal-fixtures.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./journal-crash-child.ts', import.meta.url));
/** Acknowledged events before the kill; the writer must have stored some of them too. */
const ACKED_BEFORE_KILL = 20_000;
const FLUSHED_BEFORE_KILL = 5_000;
const APPENDERS = 64;
// The child compiles TypeScript and loads DuckDB before its first append (seconds on a
// loaded 2-core machine), then acknowledges several thousand events a second.
const SLOW_MACHINE_MS = 60_000;

/** `fullEvent` numbers each event by its position, which the child encodes in the id. */
const sentEvent = (id: string) => {
  const [, , i, k] = id.split('-').map(Number);
  return fullEvent(id, (i as number) + (k as number));
};

/**
 * kill -9 an ingest process while it appends thousands of events a second
 * and its writer flushes them into DuckDB; reopen the journal and the store,
 * let the writer drain, and count: every acknowledged event is stored exactly
 * once, as it was sent.
 */
describe('ingest journal crash recovery', () => {
  let root: string;
  let child: ChildProcess | undefined;

  beforeEach(() => {
    root = tempDir('journal-crash');
  });
  afterEach(() => {
    if (child?.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  it('stores every acknowledged event exactly once after a SIGKILL under load', {
    timeout: 3 * SLOW_MACHINE_MS,
  }, async () => {
    const dir = join(root, 'journal');
    const storeFile = join(root, 'events.duckdb');
    const proc = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      cwd: REPO_ROOT,
      env: { ...process.env, JOURNAL_DIR: dir, STORE_FILE: storeFile, APPENDERS: String(APPENDERS) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child = proc;
    const acked = new Set<string>();
    let flushed = 0;
    const lines = createInterface({ input: proc.stdout });
    lines.on('line', (line) => {
      const [kind, ...rest] = line.split(' ');
      if (kind === 'ack') for (const id of rest) acked.add(id);
      else if (kind === 'flushed') flushed = Number(rest[0]);
    });
    const outputEnded = new Promise((resolve) => lines.once('close', resolve));
    const exited = new Promise((resolve) => proc.once('exit', resolve));

    await vi.waitFor(
      () => {
        expect(proc.exitCode).toBeNull();
        expect(acked.size).toBeGreaterThanOrEqual(ACKED_BEFORE_KILL);
        expect(flushed).toBeGreaterThanOrEqual(FLUSHED_BEFORE_KILL);
      },
      { timeout: SLOW_MACHINE_MS, interval: 10 },
    );
    proc.kill('SIGKILL');
    await Promise.all([exited, outputEnded]); // and every line written before the kill has been read
    expect(proc.signalCode).toBe('SIGKILL');
    const ackedAtKill = acked.size;
    const flushedAtKill = flushed;

    const journal = await openJournal({ dir, maxPendingBytes: 64 * 1024 * 1024 });
    const left = journal.stats();
    expect(left.segments).toBeGreaterThan(0); // the kill left events that only the journal held
    const store = await openDuckDbEventStore(storeFile);
    try {
      await store.migrate();
      expect(await startJournalWriter(journal, store).stop()).toEqual({ drained: true });
      await journal.close();
      expect(segmentFiles(dir)).toEqual([]);

      const stored = await store.recent(WORKSPACE, 10_000_000);
      const copies = new Map<string, number>();
      for (const event of stored) copies.set(event.id, (copies.get(event.id) ?? 0) + 1);
      expect([...copies.values()].filter((n) => n !== 1)).toEqual([]);
      expect([...acked].filter((id) => copies.get(id) !== 1)).toEqual([]);
      // Stored but never acknowledged: written, and the kill came before their sync answered.
      // At most the appends in flight: one per appender, of up to 3 events.
      const unacknowledged = stored.filter((e) => !acked.has(e.id));
      expect(unacknowledged.length).toBeLessThanOrEqual(APPENDERS * 3);
      expect(stored).toStrictEqual(stored.map((e) => sentEvent(e.id)));

      const replayed = journal.stats();
      console.info(
        `journal crash test: ${ackedAtKill} events acknowledged before the kill, ${flushedAtKill} already ` +
          `in the store; the restart replayed ${left.segments} segments (${left.pendingBytes} bytes, ` +
          `${replayed.eventsFlushed} events, ${replayed.damagedParts} damaged parts); ` +
          `${unacknowledged.length} stored events were never acknowledged`,
      );
    } finally {
      await store.close();
    }
  });
});
