/**
 * Pieces shared by webhook authentication: replay windows and comparisons of
 * secrets that take the same time whatever the input.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { err, ok, problem, type Result } from '@wasl/core';

/** How far a signed timestamp may be from our clock, either way. */
export const MAX_WEBHOOK_AGE_MS = 5 * 60_000;

/**
 * Checks a signed timestamp (epoch seconds, as text) is within the replay
 * window of now; the field is named in the error.
 */
export function checkFresh(seconds: string | undefined, nowMs: number, field: string): Result<true> {
  if (seconds === undefined || !/^\d{1,12}$/.test(seconds.trim())) {
    return err(
      problem('unauthorized', `${field} must be epoch seconds, got ${JSON.stringify(seconds)}`, field),
    );
  }
  const age = nowMs - Number(seconds.trim()) * 1000;
  if (Math.abs(age) > MAX_WEBHOOK_AGE_MS) {
    const which = age > 0 ? `${Math.round(age / 1000)} s old` : `${Math.round(-age / 1000)} s in the future`;
    return err(
      problem('unauthorized', `${field} is ${which}; at most ${MAX_WEBHOOK_AGE_MS / 1000} s allowed`, field),
    );
  }
  return ok(true);
}

/** Compares two secrets in constant time, whatever their lengths (both are hashed first). */
export function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
