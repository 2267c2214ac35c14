import { err, ok, type Problem, problem, type Result, type WaslEvent } from '@wasl/core';
import type { EventStore } from './port.ts';
import { type Serial, serial } from './serial.ts';
import { unstorableReason } from './unstorable.ts';

export interface EventBufferOptions {
  /** Write as soon as this many events wait; also the largest batch written. Default 5,000. */
  batchSize?: number;
  /** Write events that have waited this long, however few. Default 1,000 ms. */
  intervalMs?: number;
  /** `add` refuses a batch that would take the buffer past this many events. Default 100,000. */
  maxEvents?: number;
  /**
   * A background write failed. The events stay in the buffer and are retried
   * after `intervalMs`; this is for logs and alerts.
   */
  onError: (error: unknown) => void;
}

/**
 * Collects events from requests and writes them in batches, because one
 * append per request would cost the engines far more than one per thousands.
 *
 * Accepted events are never dropped: a failed write keeps them, in order, for
 * the next attempt. When the store stays down the buffer fills up and `add`
 * answers `unavailable`, so the request gets a 503 and the sender retries,
 * instead of the process growing until it dies. Re-sent events are harmless:
 * the store skips ids it already holds.
 *
 * @example
 * const buffer = new EventBuffer(events, { onError: (e) => log.error(e) });
 * const accepted = buffer.add(batch);
 * if (!accepted.ok) return reply.code(503).send(accepted.error);
 */
export class EventBuffer {
  private readonly batchSize: number;
  private readonly intervalMs: number;
  private readonly maxEvents: number;
  private readonly onError: (error: unknown) => void;
  private readonly run: Serial = serial();
  /** Oldest first; a batch leaves only after the store has it. */
  private readonly pending: WaslEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Flushes queued or running; the size trigger needs no second one while one runs. */
  private flushes = 0;
  private closed = false;

  constructor(
    private readonly store: Pick<EventStore, 'append'>,
    options: EventBufferOptions,
  ) {
    this.batchSize = options.batchSize ?? 5000;
    this.intervalMs = options.intervalMs ?? 1000;
    this.maxEvents = options.maxEvents ?? 100_000;
    this.onError = options.onError;
  }

  /** Events accepted and not yet written. */
  get size(): number {
    return this.pending.length;
  }

  /**
   * Accepts all of `events` or none: `invalid` when one could not be stored
   * on any engine (retrying would not help), `unavailable` when the buffer is
   * full or closed (retrying later will).
   */
  add(events: readonly WaslEvent[]): Result<{ waiting: number }, Problem> {
    if (this.closed) return err(problem('unavailable', 'the events buffer is closed'));
    if (this.pending.length + events.length > this.maxEvents) {
      return err(
        problem(
          'unavailable',
          `the events buffer is full (${this.pending.length} of ${this.maxEvents} events waiting); retry shortly`,
        ),
      );
    }
    for (const event of events) {
      const reason = unstorableReason(event);
      if (reason !== undefined) return err(problem('invalid', reason));
    }
    for (const event of events) this.pending.push(event);
    if (this.pending.length >= this.batchSize) this.flushInBackground();
    else this.arm();
    return ok({ waiting: this.pending.length });
  }

  /**
   * Writes every event waiting now. Rejects if the store fails; the events
   * then stay and a retry is scheduled.
   */
  flush(): Promise<void> {
    this.flushes += 1;
    const done = this.run(() => this.drain()).finally(() => {
      this.flushes -= 1;
    });
    done.catch(() => this.arm());
    return done;
  }

  /** Refuses new events and writes the waiting ones; call again if it rejects. */
  async close(): Promise<void> {
    this.closed = true;
    this.disarm();
    await this.flush();
  }

  private async drain(): Promise<void> {
    this.disarm();
    while (this.pending.length > 0) {
      const batch = this.pending.slice(0, this.batchSize);
      await this.store.append(batch);
      // Only drain removes events, and drains run one at a time, so the
      // front of the queue is still this batch.
      this.pending.splice(0, batch.length);
    }
  }

  private flushInBackground(): void {
    this.disarm();
    if (this.flushes > 0) {
      // The running flush normally takes these too; the timer covers the case where it just failed.
      this.arm();
      return;
    }
    this.flush().catch((error: unknown) => this.onError(error));
  }

  private arm(): void {
    if (this.timer !== undefined || this.closed || this.pending.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flushInBackground();
    }, this.intervalMs);
    // Pending events must not keep a finished process alive; close() writes them.
    this.timer.unref();
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
