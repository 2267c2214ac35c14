/**
 * When to try a failed webhook again: Standard Webhooks' recommended schedule
 * (immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h after the
 * attempt before), about a day in all, with jitter so endpoints that failed
 * together are not retried together. Pure: the caller passes the randomness.
 */

/** Delay before each attempt, after the attempt before it; the first is immediate. */
export const WEBHOOK_RETRY_DELAYS_MS: readonly number[] = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

/** Each delay is stretched or shrunk by up to this fraction. */
export const WEBHOOK_RETRY_JITTER = 0.1;

/**
 * The time (epoch ms) of the next attempt after `attempt` attempts have
 * failed (1 after the first), counted on the schedule from the first attempt;
 * undefined when all attempts are used up. `random` returns [0, 1). The
 * result may lie in the past when earlier attempts ran late: send at once then.
 */
export function nextAttemptAt(
  attempt: number,
  firstAttemptAt: number,
  random: () => number = Math.random,
): number | undefined {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a whole number from 1, got ${attempt}`);
  }
  if (attempt >= WEBHOOK_RETRY_DELAYS_MS.length) return undefined;
  const before = WEBHOOK_RETRY_DELAYS_MS.slice(0, attempt).reduce((sum, ms) => sum + ms, 0);
  const delay = WEBHOOK_RETRY_DELAYS_MS[attempt] ?? 0;
  const jitter = (random() * 2 - 1) * WEBHOOK_RETRY_JITTER;
  return firstAttemptAt + before + Math.round(delay * (1 + jitter));
}
