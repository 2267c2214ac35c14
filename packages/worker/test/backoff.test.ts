import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, retryDelayMs } from '../src/index.ts';

const attempt = fc.integer({ min: 1, max: 10_000 });
const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const policy = fc
  .record({ baseMs: fc.integer({ min: 1, max: 60_000 }), capMs: fc.integer({ min: 1, max: 86_400_000 }) })
  .filter((p) => p.capMs >= p.baseMs);

describe('retryDelayMs (exponential backoff, full jitter)', () => {
  it('stays within [0, min(cap, base · 2^(attempt−1))) and is a whole number of ms', () => {
    fc.assert(
      fc.property(attempt, random, policy, (n, r, p) => {
        const delay = retryDelayMs(n, () => r, p);
        const ceiling = Math.min(p.capMs, p.baseMs * 2 ** (n - 1));
        expect(Number.isSafeInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThan(ceiling);
      }),
    );
  });

  it('never waits longer than the cap, however many attempts (no overflow to Infinity or NaN)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), random, (n, r) => {
        expect(retryDelayMs(n, () => r)).toBeLessThan(DEFAULT_BACKOFF.capMs);
      }),
    );
  });

  it('grows: for the same draw, a later attempt never waits less', () => {
    fc.assert(
      fc.property(attempt, attempt, random, policy, (a, b, r, p) => {
        const [early, late] = a <= b ? [a, b] : [b, a];
        expect(retryDelayMs(late, () => r, p)).toBeGreaterThanOrEqual(retryDelayMs(early, () => r, p));
      }),
    );
  });

  it('doubles its ceiling per attempt from 1 s until the 1 h cap', () => {
    const ceilings = [1, 2, 3, 12, 13, 40].map((n) => retryDelayMs(n, () => 1 - Number.EPSILON) + 1);
    expect(ceilings).toEqual([1_000, 2_000, 4_000, 2_048_000, 3_600_000, 3_600_000]);
  });
});
