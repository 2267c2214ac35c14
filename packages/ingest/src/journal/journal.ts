import { closeSync, mkdirSync, openSync, readdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { err, ok, type Result, type WaslEvent } from '@wasl/core';
import { syncData, syncDirectory, writeAll } from './disk.ts';
import { DrainRate } from './drain-rate.ts';
import { lockJournalDir } from './lock.ts';
import { encodeRecord } from './record.ts';
import type { JournalRefusal } from './refusal.ts';
import { SEGMENT_MAGIC, type SegmentContents, segmentName, segmentSeq } from './segment-file.ts';
import type { JournalStats } from './stats.ts';

export interface JournalOptions {
  /** Local directory for this process alone (it is locked); created if missing. */
  dir: string;
  /**
   * `append` refuses a batch that would take the bytes not yet in the events
   * store (segment files plus records waiting for their sync) past this. It
   * bounds both the disk the journal uses and the memory of waiting records.
   */
  maxPendingBytes: number;
  /** A segment is sealed, and handed to the writer, once it holds this many bytes. Default 4 MiB. */
  segmentBytes?: number;
  /** …or this long after its first record, however small, so quiet sites' events reach the store. Default 500 ms. */
  segmentMaxAgeMs?: number;
  /**
   * Least time from the start of one sync to the start of the next. 0 (the
   * default) syncs again as soon as the previous sync ends: records that
   * arrived meanwhile share that next sync. Raising it trades latency for
   * fewer syncs when each costs much CPU.
   */
  syncIntervalMs?: number;
}

/**
 * The durable log between the collect endpoint and the events store (decision 0006).
 *
 * @example
 * const journal = await openJournal({ dir: 'data/ingest', maxPendingBytes: 256 * 1024 ** 2 });
 * const writer = startJournalWriter(journal, events, { onError: (e) => log.error(e) });
 * const taken = await journal.append(batch); // resolves after an fdatasync covers the batch
 * if (!taken.ok && taken.error.code === 'unavailable') reply.header('retry-after', taken.error.retryAfterSeconds);
 * if (!taken.ok) return reply.code(taken.error.code === 'invalid' ? 400 : 503).send(taken.error);
 * // shutdown: stop taking requests, then
 * await writer.stop({ timeoutMs: 10_000 });
 * await journal.close();
 */
export interface Journal {
  readonly dir: string;
  /**
   * Resolves `ok` once the batch is on disk: written and covered by an
   * fdatasync shared with the other appends of that moment (group commit).
   * Refuses, without writing, when the journal is full or closed, or the
   * batch cannot be written. Rejects when the disk fails (EIO, ENOSPC); the
   * batch then counts as not accepted.
   */
  append(events: readonly WaslEvent[]): Promise<Result<void, JournalRefusal>>;
  stats(): JournalStats;
  /** Hands the segment being written to the writer now, if it holds records. */
  seal(): Promise<void>;
  /**
   * Refuses further appends, waits for the ones already accepted, seals the
   * last segment and unlocks the directory. Segments the writer has not
   * flushed stay on disk and are replayed by the next process. Stop the
   * writer first: once unlocked, the directory may belong to another process.
   */
  close(): Promise<void>;
}

/** A segment that is complete and never written again, waiting for the writer. */
export interface SealedSegment {
  name: string;
  /** Its size as accounted in `pendingBytes`. */
  bytes: number;
}

/** What the background writer takes from a journal; see writer.ts. */
export interface SegmentQueue {
  readonly dir: string;
  /** The oldest sealed segment not yet flushed. */
  oldest(): SealedSegment | undefined;
  /** Resolves when another segment is sealed. */
  nextSealed(): Promise<void>;
  seal(): Promise<void>;
  /** Deletes a segment whose events the store now holds. */
  flushed(segment: SealedSegment, contents: SegmentContents): Promise<void>;
  flushFailed(error: unknown): void;
}

const DEFAULT_SEGMENT_BYTES = 4 * 1024 * 1024;
const DEFAULT_SEGMENT_MAX_AGE_MS = 500;
/** Retry-After while shutting down: a restarted or other process can take the request. */
const CLOSED_RETRY_AFTER_S = 5;

interface ActiveSegment {
  seq: number;
  name: string;
  fd: number;
  /** Bytes written (or attempted) so far, header included. */
  bytes: number;
  records: number;
}

interface Waiter {
  resolve: (value: Result<void, JournalRefusal>) => void;
  reject: (error: unknown) => void;
}

const queues = new WeakMap<Journal, SegmentQueue>();

/** The writer's view of a journal made by `openJournal`. */
export function segmentQueueOf(journal: Journal): SegmentQueue {
  const queue = queues.get(journal);
  if (!queue) throw new TypeError('not a journal made by openJournal');
  return queue;
}

/**
 * Opens (creating if needed) and locks a journal directory. Segments left by
 * an earlier process become sealed segments, first in line for the writer;
 * new records go to a new segment.
 */
export async function openJournal(options: JournalOptions): Promise<Journal> {
  const { dir, maxPendingBytes } = options;
  if (!(Number.isSafeInteger(maxPendingBytes) && maxPendingBytes > 0)) {
    throw new RangeError(`maxPendingBytes must be a whole number > 0, got ${maxPendingBytes}`);
  }
  mkdirSync(dir, { recursive: true });
  const unlock = lockJournalDir(dir);
  try {
    const left = readdirSync(dir)
      .map((name) => ({ name, seq: segmentSeq(name) }))
      .filter((s): s is { name: string; seq: number } => s.seq !== undefined)
      .sort((a, b) => a.seq - b.seq)
      .map((s) => ({ ...s, bytes: statSync(join(dir, s.name)).size }));
    return new FileJournal(options, unlock, left);
  } catch (error) {
    unlock();
    throw error;
  }
}

class FileJournal implements Journal, SegmentQueue {
  readonly dir: string;
  private readonly maxPendingBytes: number;
  private readonly segmentBytes: number;
  private readonly segmentMaxAgeMs: number;
  private readonly syncIntervalMs: number;
  private lastSeq: number;
  private active: ActiveSegment | undefined;
  private readonly sealed: SealedSegment[];
  /** Records accepted and not yet written, with the appends waiting on them. */
  private queue: Buffer[] = [];
  private waiters: Waiter[] = [];
  private queuedBytes = 0;
  private queuedEvents = 0;
  private pendingBytes: number;
  private rotateRequested = false;
  private scheduled = false;
  private running = false;
  private lastSyncStart = 0;
  private ageTimer: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private sealedWaiters: (() => void)[] = [];
  private readonly drained = new DrainRate();
  private closed = false;
  private closing: Promise<void> | undefined;
  private readonly counters = {
    recordsWritten: 0,
    eventsWritten: 0,
    syncs: 0,
    refusedFull: 0,
    recordsFlushed: 0,
    eventsFlushed: 0,
    segmentsFlushed: 0,
    damagedParts: 0,
    damagedBytes: 0,
    flushFailures: 0,
    lastFlushError: null as JournalStats['lastFlushError'],
  };

  constructor(
    options: JournalOptions,
    private readonly unlock: () => void,
    left: readonly { seq: number; name: string; bytes: number }[],
  ) {
    this.dir = options.dir;
    this.maxPendingBytes = options.maxPendingBytes;
    this.segmentBytes = options.segmentBytes ?? DEFAULT_SEGMENT_BYTES;
    this.segmentMaxAgeMs = options.segmentMaxAgeMs ?? DEFAULT_SEGMENT_MAX_AGE_MS;
    this.syncIntervalMs = options.syncIntervalMs ?? 0;
    this.sealed = left.map(({ name, bytes }) => ({ name, bytes }));
    this.pendingBytes = left.reduce((sum, s) => sum + s.bytes, 0);
    this.lastSeq = left.at(-1)?.seq ?? 0;
    queues.set(this, this);
  }

  append(events: readonly WaslEvent[]): Promise<Result<void, JournalRefusal>> {
    if (this.closed) {
      return Promise.resolve(
        err({
          code: 'unavailable',
          message: `ingest journal ${this.dir} is closed`,
          retryAfterSeconds: CLOSED_RETRY_AFTER_S,
        }),
      );
    }
    if (events.length === 0) return Promise.resolve(ok(undefined));
    let record: Buffer;
    try {
      record = encodeRecord(events);
    } catch (error) {
      if (error instanceof TypeError)
        return Promise.resolve(err({ code: 'invalid', message: error.message }));
      throw error;
    }
    if (record.length > this.maxPendingBytes) {
      return Promise.resolve(
        err({
          code: 'invalid',
          message: `a batch of ${record.length} bytes can never fit the journal's bound of ${this.maxPendingBytes}; send fewer events per request`,
        }),
      );
    }
    const overflow = this.pendingBytes + record.length - this.maxPendingBytes;
    if (overflow > 0) {
      this.counters.refusedFull += 1;
      return Promise.resolve(
        err({
          code: 'unavailable',
          message: `the ingest journal is full (${this.pendingBytes} of ${this.maxPendingBytes} bytes not yet in the events store); retry shortly`,
          retryAfterSeconds: this.drained.retryAfterSeconds(overflow),
        }),
      );
    }
    this.pendingBytes += record.length;
    this.queue.push(record);
    this.queuedBytes += record.length;
    this.queuedEvents += events.length;
    const acknowledged = new Promise<Result<void, JournalRefusal>>((resolve, reject) =>
      this.waiters.push({ resolve, reject }),
    );
    this.schedule();
    return acknowledged;
  }

  stats(): JournalStats {
    return {
      ...this.counters,
      pendingBytes: this.pendingBytes,
      maxPendingBytes: this.maxPendingBytes,
      segments: this.sealed.length + (this.active ? 1 : 0),
    };
  }

  seal(): Promise<void> {
    this.rotateRequested = true;
    this.schedule();
    return this.idle();
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    await this.seal();
    clearTimeout(this.ageTimer);
    this.unlock();
    this.wakeWriter();
  }

  // --- the writer's side (SegmentQueue) ---------------------------------------

  oldest(): SealedSegment | undefined {
    return this.sealed[0];
  }

  nextSealed(): Promise<void> {
    return new Promise((resolve) => this.sealedWaiters.push(resolve));
  }

  async flushed(segment: SealedSegment, contents: SegmentContents): Promise<void> {
    try {
      await unlink(join(this.dir, segment.name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const at = this.sealed.indexOf(segment);
    if (at >= 0) this.sealed.splice(at, 1);
    this.pendingBytes -= segment.bytes;
    this.drained.note(segment.bytes);
    const c = this.counters;
    c.segmentsFlushed += 1;
    c.recordsFlushed += contents.records;
    c.eventsFlushed += contents.events.length;
    c.damagedParts += contents.damage.length;
    c.damagedBytes += contents.damage.reduce((sum, d) => sum + d.bytes, 0);
    c.lastFlushError = null;
  }

  flushFailed(error: unknown): void {
    this.counters.flushFailures += 1;
    this.counters.lastFlushError = {
      message: error instanceof Error ? error.message : String(error),
      at: new Date(),
    };
  }

  // --- group commit -----------------------------------------------------------

  /** Runs the commit loop on the next turn, so every append of this turn shares its first sync. */
  private schedule(): void {
    if (this.scheduled || this.running) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.run();
    });
  }

  private idle(): Promise<void> {
    if (!this.scheduled && !this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Never rejects: a failed group rejects its own appends and the loop goes on. */
  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0 || this.rotateRequested) {
        if (this.queue.length > 0) {
          await this.spaceSyncs();
          await this.commitGroup();
        }
        const full = this.active !== undefined && this.active.bytes >= this.segmentBytes;
        if (this.rotateRequested || full) {
          this.rotateRequested = false;
          this.sealActive();
        }
      }
    } finally {
      this.running = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }

  private async spaceSyncs(): Promise<void> {
    const wait = this.lastSyncStart + this.syncIntervalMs - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  }

  /** Writes every waiting record, syncs once, and answers their appends. */
  private async commitGroup(): Promise<void> {
    const records = this.queue;
    const waiters = this.waiters;
    const bytes = this.queuedBytes;
    const events = this.queuedEvents;
    this.queue = [];
    this.waiters = [];
    this.queuedBytes = 0;
    this.queuedEvents = 0;

    let segment: ActiveSegment;
    try {
      segment = this.active ?? (await this.createSegment());
    } catch (error) {
      this.pendingBytes -= bytes; // written nowhere
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    const at = segment.bytes;
    // Counted in pendingBytes until the writer releases the segment, even if the write fails.
    segment.bytes += bytes;
    try {
      writeAll(segment.fd, records, at);
      this.lastSyncStart = performance.now();
      await syncData(segment.fd);
    } catch (error) {
      // After a failed write or fdatasync, what reached the disk is unknown and
      // a later sync may report success without it (Linux marks the pages
      // clean). The file is never written again; the writer replays what it
      // holds, stopping at a torn record.
      this.sealActive();
      for (const waiter of waiters) waiter.reject(error);
      return;
    }
    if (segment.records === 0) this.armAgeTimer(segment);
    segment.records += records.length;
    this.counters.syncs += 1;
    this.counters.recordsWritten += records.length;
    this.counters.eventsWritten += events;
    const accepted = ok(undefined);
    for (const waiter of waiters) waiter.resolve(accepted);
  }

  /** A new segment whose header and directory entry are durable before any record goes in. */
  private async createSegment(): Promise<ActiveSegment> {
    this.lastSeq += 1;
    const name = segmentName(this.lastSeq);
    const path = join(this.dir, name);
    const fd = openSync(path, 'wx');
    try {
      writeSync(fd, SEGMENT_MAGIC, 0, SEGMENT_MAGIC.length, 0);
      await syncData(fd);
      await syncDirectory(this.dir);
    } catch (error) {
      closeSync(fd);
      try {
        unlinkSync(path);
      } catch {
        // The writer skips a segment with no header; the error that matters is the one above.
      }
      throw error;
    }
    this.pendingBytes += SEGMENT_MAGIC.length;
    this.active = { seq: this.lastSeq, name, fd, bytes: SEGMENT_MAGIC.length, records: 0 };
    return this.active;
  }

  private armAgeTimer(segment: ActiveSegment): void {
    clearTimeout(this.ageTimer);
    this.ageTimer = setTimeout(() => {
      if (this.active !== segment) return;
      this.rotateRequested = true;
      this.schedule();
    }, this.segmentMaxAgeMs);
    // A quiet journal must not keep a finished process alive; close() seals it.
    this.ageTimer.unref();
  }

  /** Closes the segment being written and queues it for the writer (or deletes it if empty). */
  private sealActive(): void {
    const segment = this.active;
    if (!segment) return;
    this.active = undefined;
    clearTimeout(this.ageTimer);
    try {
      closeSync(segment.fd);
    } catch {
      // Everything acknowledged in it was synced; a failing close changes nothing the writer reads.
    }
    if (segment.bytes === SEGMENT_MAGIC.length) {
      try {
        unlinkSync(join(this.dir, segment.name));
        this.pendingBytes -= segment.bytes;
        return;
      } catch {
        // Left for the writer, which deletes it like any other.
      }
    }
    this.sealed.push({ name: segment.name, bytes: segment.bytes });
    this.wakeWriter();
  }

  private wakeWriter(): void {
    for (const resolve of this.sealedWaiters.splice(0)) resolve();
  }
}
