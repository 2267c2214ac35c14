/**
 * What a provider allows: messages per second and per hour (token buckets)
 * and messages in flight at once. A provider that silently drops what exceeds
 * its limit (listmonk#1802) never sees more than this from us.
 */
export interface ProviderLimits {
  perSecond?: number;
  perHour?: number;
  /** Sends in flight at once to this provider. */
  concurrency?: number;
}

/** A token bucket: `rate` tokens per `periodMs`, holding at most `burst`. */
export class TokenBucket {
  readonly #ratePerMs: number;
  readonly #burst: number;
  #tokens: number;
  #at: number;

  constructor(rate: number, periodMs: number, burst: number, now: number) {
    if (!(rate > 0)) throw new RangeError(`rate must be positive, got ${rate}`);
    this.#ratePerMs = rate / periodMs;
    this.#burst = burst;
    this.#tokens = burst;
    this.#at = now;
  }

  /** Takes one token now if there is one (returns 0), else returns how many ms until there will be. */
  take(now: number): number {
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#at) * this.#ratePerMs);
    this.#at = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - this.#tokens) / this.#ratePerMs);
  }
}

/** The limits of one provider as a gate: `enter` waits for a slot and tokens, `leave` frees the slot. */
export class ProviderGate {
  readonly #buckets: TokenBucket[];
  readonly #concurrency: number;
  readonly #clock: () => number;
  #inFlight = 0;
  readonly #waiters: Array<() => void> = [];

  constructor(limits: ProviderLimits, clock: () => number) {
    const now = clock();
    this.#clock = clock;
    this.#concurrency = limits.concurrency ?? Number.POSITIVE_INFINITY;
    this.#buckets = [];
    // A second's worth of burst: smooth enough for providers that count per second.
    if (limits.perSecond) this.#buckets.push(new TokenBucket(limits.perSecond, 1_000, limits.perSecond, now));
    if (limits.perHour)
      this.#buckets.push(new TokenBucket(limits.perHour, 3_600_000, Math.max(1, limits.perHour / 60), now));
  }

  async enter(signal: AbortSignal): Promise<void> {
    while (this.#inFlight >= this.#concurrency) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
      signal.throwIfAborted();
    }
    this.#inFlight += 1;
    try {
      for (const bucket of this.#buckets) {
        for (let wait = bucket.take(this.#clock()); wait > 0; wait = bucket.take(this.#clock())) {
          await sleep(wait, signal);
        }
      }
    } catch (error) {
      this.leave();
      throw error;
    }
  }

  leave(): void {
    this.#inFlight -= 1;
    this.#waiters.shift()?.();
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
