export interface BackoffPolicy {
  /** Ceiling of the first retry's delay. */
  baseMs: number;
  /** No retry waits longer than this, however many attempts came before. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, capMs: 60 * 60 * 1_000 };

/**
 * How long to wait before retrying after the `attempt`-th failure (1-based):
 * exponential backoff with full jitter, a uniform draw in
 * [0, min(cap, base · 2^(attempt−1))). Full jitter spreads the retries of jobs
 * that failed together (a provider outage) instead of sending them back in a
 * burst at the same instant.
 *
 * @example retryDelayMs(3, () => 0.5) // 2000: half of min(1h, 1s · 2²)
 */
export function retryDelayMs(
  attempt: number,
  random: () => number = Math.random,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  // 2 ** n turns into Infinity for a large n; min() then yields the cap, never NaN.
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
