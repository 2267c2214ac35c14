import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { openJournal } from '../src/index.ts';
import { RECORD_HEADER_BYTES } from '../src/journal/record.ts';
import { fullEvent, tempDir } from './journal-fixtures.ts';

type Step =
  | { kind: 'write'; ids: string[] }
  | { kind: 'sync-start' }
  | { kind: 'sync-end'; startedAt: number };

/** What the journal asked of the disk, in order: record writes and fdatasync calls. */
const trace = vi.hoisted((): Step[] => []);

// The real node:fs, watched: a sync observed only through the journal's own
// counters would not show that it is awaited before appends are answered.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const idsIn = (record: NodeJS.ArrayBufferView) => {
    const bytes = Buffer.from(record.buffer, record.byteOffset, record.byteLength);
    const events = JSON.parse(bytes.subarray(RECORD_HEADER_BYTES).toString('utf8')) as { id: string }[];
    return events.map((e) => e.id);
  };
  const watched = {
    ...fs,
    writevSync: (fd: number, buffers: readonly NodeJS.ArrayBufferView[], position?: number) => {
      const written = fs.writevSync(fd, buffers, position);
      trace.push({ kind: 'write', ids: buffers.flatMap(idsIn) });
      return written;
    },
    fdatasync: (fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
      const startedAt = trace.push({ kind: 'sync-start' }) - 1;
      fs.fdatasync(fd, (error) => {
        trace.push({ kind: 'sync-end', startedAt });
        callback(error);
      });
    },
  };
  return { ...watched, default: watched };
});

let root: string;
beforeEach(() => {
  root = tempDir('journal-sync');
  trace.length = 0;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

it('answers each append only after an fdatasync that began after its record was written', async () => {
  const journal = await openJournal({ dir: join(root, 'journal'), maxPendingBytes: 64 * 1024 * 1024 });
  const appenders = 16;
  const rounds = 20;
  let checked = 0;
  await Promise.all(
    Array.from({ length: appenders }, async (_, a) => {
      for (let r = 0; r < rounds; r++) {
        const id = `s-${a}-${r}`;
        expect(await journal.append([fullEvent(id, r)])).toEqual({ ok: true, value: undefined });
        const written = trace.findIndex((step) => step.kind === 'write' && step.ids.includes(id));
        expect(written).toBeGreaterThanOrEqual(0);
        const covered = trace.some((step) => step.kind === 'sync-end' && step.startedAt > written);
        expect(covered, `append of ${id} answered before a sync covered its write`).toBe(true);
        checked += 1;
      }
    }),
  );
  await journal.close();
  expect(checked).toBe(appenders * rounds);
  const writes = trace.filter((step) => step.kind === 'write').length;
  const syncs = trace.filter((step) => step.kind === 'sync-start').length;
  // One write and one sync per group (plus one sync for the new segment's header).
  expect(syncs).toBe(writes + 1);
  expect(writes).toBeLessThanOrEqual((appenders * rounds) / 8);
});
