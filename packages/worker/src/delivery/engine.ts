/**
 * The delivery engine: claims due messages, asks the composer what to send
 * (or why not), waits for the provider's limits, sends through the channel's
 * adapter and records what happened. It never sends a message twice: the
 * adapter calls ctx.commit() just before the point of no return, and a
 * message committed once is never sent again, whatever happens after
 * (docs/decisions/0010-delivery-never-twice.md).
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';
import type { ChannelAdapter, SendResult } from '@wasl/channels';
import type { Database, MessageRow, OltpDialect } from '@wasl/store';
import type { Kysely } from 'kysely';
import { retryDelayMs } from '../backoff.ts';
import { Batcher } from './batcher.ts';
import { ProviderGate, type ProviderLimits } from './limits.ts';
import {
  claimMessages,
  commitMessages,
  type Outcome,
  pauseDelivery,
  recordOutcomes,
} from './message-store.ts';

/** What the composer decided for one claimed message. */
export type Prepared =
  | { kind: 'send'; message: unknown }
  /** Never to be sent: suppressed, no consent, frequency cap, no address, … */
  | { kind: 'skip'; reason: string }
  /** Not now: quiet hours in the contact's time zone, say. Does not count as an attempt. */
  | { kind: 'defer'; until: number; reason: string };

export interface DeliveryEngineOptions {
  db: Kysely<Database>;
  dialect: OltpDialect;
  /** One adapter per channel this engine delivers. */
  adapters: Readonly<Record<string, ChannelAdapter<unknown>>>;
  /** Builds the message for a claimed row, after the consent, suppression and cap checks. */
  prepare(row: MessageRow): Promise<Prepared>;
  /** Limits per channel's provider. */
  limits?: Readonly<Record<string, ProviderLimits>>;
  /** Messages being prepared or sent at once, over all channels; defaults to 20. */
  concurrency?: number;
  /** Leases outlive the slowest send; defaults to 5 minutes. */
  leaseMs?: number;
  /** Wait between claims when nothing is due; defaults to 500 ms. */
  pollMs?: number;
  /** Attempts before a temporary failure becomes final; defaults to 6. */
  maxAttempts?: number;
  /**
   * A channel's own retry schedule: when to try a message again after its
   * attempt `row.attempts` failed, or undefined to give up. Webhooks use the
   * Standard Webhooks schedule over about a day; without one, exponential
   * backoff up to maxAttempts.
   */
  retryAt?: Readonly<Record<string, (row: MessageRow, now: number) => number | undefined>>;
  /** Consecutive temporary failures of one channel's provider that pause it; defaults to 10. */
  breakerFailures?: number;
  /** How long the breaker pauses the channel (doubling while it keeps failing); defaults to 60 s. */
  breakerCoolDownMs?: number;
  clock?: () => number;
  workerId?: string;
  /** Every recorded outcome with its row, after it is durable: events, suppression, counters. */
  onOutcome?: (row: MessageRow, outcome: Outcome) => void;
  onError?: (error: unknown) => void;
}

interface Breaker {
  failures: number;
  coolDownMs: number;
  openUntil: number;
}

export class DeliveryEngine {
  readonly workerId: string;
  readonly #o: DeliveryEngineOptions;
  readonly #clock: () => number;
  readonly #concurrency: number;
  readonly #gates = new Map<string, ProviderGate>();
  readonly #breakers = new Map<string, Breaker>();
  readonly #commits: Batcher<string, boolean>;
  readonly #outcomes: Batcher<Outcome, undefined>;
  readonly #stop = new AbortController();
  #inFlight = 0;
  #wake: (() => void) | undefined;
  #loop: Promise<void> | undefined;

  constructor(options: DeliveryEngineOptions) {
    this.#o = options;
    this.#clock = options.clock ?? Date.now;
    this.#concurrency = options.concurrency ?? 20;
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
    this.#commits = new Batcher(async (ids) => {
      const marked = await commitMessages(options.db, this.workerId, ids, this.#clock());
      return ids.map((id) => marked.has(id));
    });
    this.#outcomes = new Batcher(async (outcomes) => {
      await recordOutcomes(options.db, options.dialect, this.workerId, outcomes, this.#clock());
      return outcomes.map(() => undefined);
    });
  }

  /** Messages being prepared or sent now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  start(): void {
    // Every send in flight listens to the one stop signal.
    setMaxListeners(0, this.#stop.signal);
    this.#loop ??= this.#run().catch((error) => this.#report(error));
  }

  /**
   * Stops claiming, lets sends under way finish (an adapter that has not
   * committed yet gives up and its message is queued again) and writes every
   * outcome.
   */
  async stop(): Promise<void> {
    this.#stop.abort(new Error('the delivery engine is stopping'));
    this.#wake?.();
    await this.#loop;
    await this.#commits.flush();
    await this.#outcomes.flush();
  }

  async #run(): Promise<void> {
    const signal = this.#stop.signal;
    const channels = Object.keys(this.#o.adapters);
    while (!signal.aborted) {
      const free = this.#concurrency - this.#inFlight;
      let rows: MessageRow[] = [];
      // Claim in batches (a quarter of the slots at least): one claim per freed slot would
      // spend more time in claim transactions than in sending.
      if (free >= Math.max(1, Math.floor(this.#concurrency / 4))) {
        try {
          rows = await claimMessages(
            this.#o.db,
            this.#o.dialect,
            this.workerId,
            { limit: free, leaseMs: this.#o.leaseMs ?? 300_000, channels: this.#openChannels(channels) },
            this.#clock(),
          );
        } catch (error) {
          this.#report(error);
        }
      }
      for (const row of rows) {
        this.#inFlight += 1;
        this.#deliver(row)
          .catch((error) => this.#report(error))
          .finally(() => {
            this.#inFlight -= 1;
            this.#wake?.();
          });
      }
      if (signal.aborted) break;
      // Nothing claimed (nothing due, or too few free slots): sleep until a send finishes,
      // or for the poll interval when nothing is in flight.
      if (rows.length === 0) await this.#sleep(this.#inFlight === 0 ? (this.#o.pollMs ?? 500) : 1_000);
    }
    while (this.#inFlight > 0) await this.#sleep(50);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = () => {
        this.#wake = undefined;
        done();
      };
    });
  }

  /** Channels whose breaker is closed (or due for a trial after its cool-down). */
  #openChannels(channels: string[]): string[] {
    const now = this.#clock();
    return channels.filter((c) => (this.#breakers.get(c)?.openUntil ?? 0) <= now);
  }

  async #deliver(row: MessageRow): Promise<void> {
    const signal = this.#stop.signal;
    const adapter = this.#o.adapters[row.channel];
    const provider = adapter?.provider ?? null;
    const now = () => this.#clock();
    let prepared: Prepared;
    try {
      prepared = adapter
        ? await this.#o.prepare(row)
        : { kind: 'skip', reason: `no_adapter: nothing delivers the ${row.channel} channel` };
    } catch (error) {
      return this.#finish(row, this.#retry(row, `prepare: ${describe(error)}`, provider));
    }
    if (prepared.kind === 'skip')
      return this.#finish(row, { id: row.id, kind: 'skipped', reason: prepared.reason });
    if (prepared.kind === 'defer')
      return this.#finish(row, { id: row.id, kind: 'deferred', at: prepared.until, reason: prepared.reason });
    if (!adapter) return;

    const gate = this.#gate(row.channel);
    try {
      await gate.enter(signal);
    } catch {
      // Stopping while waiting for the provider's limits: back to the queue, no attempt spent.
      return this.#finish(row, {
        id: row.id,
        kind: 'retry',
        at: now(),
        error: 'stopped',
        provider,
        uncount: true,
      });
    }
    let committed = false;
    let result: SendResult;
    try {
      result = await adapter.send(prepared.message, {
        signal,
        commit: async () => {
          if (!(await this.#commits.add(row.id)))
            throw new Error('lost the lease on this message: another worker has it');
          committed = true;
        },
      });
    } catch (error) {
      result = { ok: false, retryable: true, code: 'internal', reason: describe(error) };
    } finally {
      gate.leave();
    }
    this.#finish(row, this.#judge(row, result, committed, provider ?? 'unknown'));
  }

  /** The outcome of one send, and what it tells the channel's breaker. */
  #judge(row: MessageRow, result: SendResult, committed: boolean, provider: string): Outcome {
    if (result.ok) {
      this.#breakerSuccess(row.channel);
      return {
        id: row.id,
        kind: 'sent',
        provider,
        providerMessageId: result.providerMessageId,
        response: result.response ?? null,
      };
    }
    const error = `${result.code}: ${result.reason}`;
    // Handed over and then no answer (connection lost, time-out): the provider may have it.
    if (committed && ['connection', 'timeout', 'aborted', 'internal'].includes(result.code)) {
      this.#breakerFailure(row.channel, error);
      return { id: row.id, kind: 'sent', provider, providerMessageId: null, response: error, inDoubt: true };
    }
    if (result.retryable) {
      this.#breakerFailure(row.channel, error);
      return this.#retry(row, error, provider);
    }
    this.#breakerSuccess(row.channel);
    return {
      id: row.id,
      kind: result.bounce ? 'bounced' : 'failed',
      error,
      provider,
      response: result.reason,
    };
  }

  #retry(row: MessageRow, error: string, provider: string | null): Outcome {
    const now = this.#clock();
    const schedule = this.#o.retryAt?.[row.channel];
    const at = schedule
      ? schedule(row, now)
      : row.attempts < (this.#o.maxAttempts ?? 6)
        ? now + retryDelayMs(row.attempts)
        : undefined;
    if (at === undefined)
      return {
        id: row.id,
        kind: 'failed',
        error: `gave up after ${row.attempts} attempts: ${error}`,
        provider,
        response: null,
      };
    return { id: row.id, kind: 'retry', at, error, provider };
  }

  async #finish(row: MessageRow, outcome: Outcome): Promise<void> {
    await this.#outcomes.add(outcome);
    this.#o.onOutcome?.(row, outcome);
  }

  #gate(channel: string): ProviderGate {
    let gate = this.#gates.get(channel);
    if (!gate) {
      gate = new ProviderGate(this.#o.limits?.[channel] ?? {}, this.#clock);
      this.#gates.set(channel, gate);
    }
    return gate;
  }

  #breakerSuccess(channel: string): void {
    const b = this.#breakers.get(channel);
    if (b) {
      b.failures = 0;
      b.coolDownMs = this.#o.breakerCoolDownMs ?? 60_000;
    }
  }

  /** Enough consecutive failures open the breaker: the channel is paused (for every worker) for the cool-down. */
  #breakerFailure(channel: string, error: string): void {
    const base = this.#o.breakerCoolDownMs ?? 60_000;
    const b = this.#breakers.get(channel) ?? { failures: 0, coolDownMs: base, openUntil: 0 };
    this.#breakers.set(channel, b);
    b.failures += 1;
    if (b.failures < (this.#o.breakerFailures ?? 10)) return;
    const now = this.#clock();
    b.openUntil = now + b.coolDownMs;
    b.failures = 0;
    b.coolDownMs = Math.min(b.coolDownMs * 2, 3_600_000);
    pauseDelivery(
      this.#o.db,
      {
        scope: `channel:${channel}`,
        reason: `the provider keeps failing: ${error}`,
        by: 'circuit_breaker',
        until: b.openUntil,
      },
      now,
    ).catch((e) => this.#report(e));
  }

  #report(error: unknown): void {
    (this.#o.onError ?? ((e) => console.error(`[wasl delivery ${this.workerId}]`, e)))(error);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
