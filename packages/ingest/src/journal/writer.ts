import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { WaslEvent } from '@wasl/core';
import { type Journal, type SealedSegment, segmentQueueOf } from './journal.ts';
import { readSegment, type SegmentContents, type SegmentDamage } from './segment-file.ts';

/**
 * Where the writer puts events: `EventStore.append` from @wasl/store fits
 * (packages/store/src/events/port.ts). It must be idempotent by
 * (workspaceId, id), because a segment interrupted by a crash is appended again.
 */
export interface EventsAppender {
  append(events: readonly WaslEvent[]): Promise<{ inserted: number }>;
}

export interface JournalWriterOptions {
  /**
   * Most events in one store append. Default 2,000. A store append runs mostly
   * synchronous JavaScript (mapping rows, filling DuckDB chunks: about 30 µs an
   * event), which stalls the event loop the HTTP path shares: 2,000 events are
   * about 60 ms, 5,000 about 150 ms (bench/journal.ts).
   */
  batchSize?: number;
  /** Wait before the first retry of a failed step; doubles per failure, with jitter. Default 100 ms. */
  minRetryMs?: number;
  /** Longest wait between retries. Default 30 s. */
  maxRetryMs?: number;
  /** A store append (or reading or deleting a segment) failed and will be retried. For logs and alerts. */
  onError?: (error: unknown) => void;
  /** Part of a segment could not be replayed: a torn tail after a crash, or damage on disk. */
  onDamage?: (damage: SegmentDamage) => void;
  /** A batch is in the store (live segments re-evaluate the people it concerns). Replays after a crash call it again. */
  onStored?: (events: readonly WaslEvent[]) => void;
}

export interface JournalWriter {
  /**
   * Seals the segment being written, flushes every sealed segment to the
   * store, and stops. With `timeoutMs`, stops retrying a failing store after
   * that long; what is left stays on disk for the next process. `drained`
   * says whether everything sealed reached the store.
   */
  stop(options?: { timeoutMs?: number }): Promise<{ drained: boolean }>;
}

const running = new WeakSet<Journal>();

/**
 * Moves sealed segments, oldest first, into the events store in batches and
 * deletes each once the store holds all of it. Segments an earlier process
 * left behind come first. A failing store is retried with backoff, for ever:
 * meanwhile the journal fills up and `append` refuses, so nothing is lost.
 *
 * @example
 * const writer = startJournalWriter(journal, eventStore, {
 *   onError: (e) => log.error({ err: e }, 'flushing the ingest journal failed; retrying'),
 *   onDamage: (d) => log.warn(d, 'ingest journal: unreadable bytes dropped'),
 * });
 */
export function startJournalWriter(
  journal: Journal,
  store: EventsAppender,
  options: JournalWriterOptions = {},
): JournalWriter {
  const queue = segmentQueueOf(journal);
  const batchSize = options.batchSize ?? 2000;
  const minRetryMs = options.minRetryMs ?? 100;
  const maxRetryMs = options.maxRetryMs ?? 30_000;
  if (!(Number.isSafeInteger(batchSize) && batchSize > 0)) {
    throw new RangeError(`batchSize must be a whole number > 0, got ${batchSize}`);
  }
  if (running.has(journal)) throw new Error(`ingest journal ${journal.dir} already has a writer`);
  running.add(journal);

  let stopping = false;
  /** Ends the wait for the next sealed segment. */
  let wake = () => {};
  /** Aborted when stop() stops waiting for a failing store. */
  const giveUp = new AbortController();

  /** Runs `step` until it succeeds; undefined once stop() gave up waiting. */
  async function attempt<T>(step: () => Promise<T>): Promise<{ value: T } | undefined> {
    for (let failures = 0; ; failures++) {
      try {
        return await unlessAborted(step(), giveUp.signal);
      } catch (error) {
        queue.flushFailed(error);
        options.onError?.(error);
      }
      const ceiling = Math.min(maxRetryMs, minRetryMs * 2 ** failures);
      const delay = ceiling / 2 + Math.random() * (ceiling / 2);
      await sleep(delay, undefined, { signal: giveUp.signal }).catch(() => undefined);
      if (giveUp.signal.aborted) return undefined;
    }
  }

  async function read(segment: SealedSegment): Promise<SegmentContents> {
    try {
      return await readSegment(queue.dir, segment.name);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const missing = {
        file: join(queue.dir, segment.name),
        offset: 0,
        bytes: segment.bytes,
        reason: 'segment file is missing',
      };
      return { events: [], records: 0, damage: [missing] };
    }
  }

  /** False when stop() gave up; the segment then stays for the next process. */
  async function flush(segment: SealedSegment): Promise<boolean> {
    const loaded = await attempt(() => read(segment));
    if (loaded === undefined) return false;
    const contents = loaded.value;
    for (const damage of contents.damage) options.onDamage?.(damage);
    const { events } = contents;
    for (let start = 0; start < events.length; start += batchSize) {
      const batch = events.slice(start, start + batchSize);
      if ((await attempt(() => store.append(batch))) === undefined) return false;
      options.onStored?.(batch);
    }
    return (await attempt(() => queue.flushed(segment, contents))) !== undefined;
  }

  async function run(): Promise<boolean> {
    for (;;) {
      const segment = queue.oldest();
      if (segment !== undefined) {
        if (!(await flush(segment))) return false;
        continue;
      }
      if (stopping) return true;
      await new Promise<void>((resolve) => {
        wake = resolve;
        void queue.nextSealed().then(resolve);
      });
    }
  }

  const done = run();

  return {
    async stop({ timeoutMs } = {}) {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => giveUp.abort(), timeoutMs);
      try {
        await queue.seal();
        stopping = true;
        wake();
        return { drained: await done };
      } finally {
        clearTimeout(timer);
        running.delete(journal);
      }
    },
  };
}

/**
 * `work`'s value, or undefined as soon as `signal` aborts (the work goes on,
 * unobserved). Listens only while `work` runs, so calling it for every batch
 * leaves nothing attached to a signal that may never fire.
 */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<{ value: T } | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve({ value });
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
