import { describe, expect, it } from 'vitest';
import { nextAttemptAt, WEBHOOK_RETRY_DELAYS_MS } from '../../src/webhook/index.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const first = Date.UTC(2026, 0, 1, 9, 0, 0);
const noJitter = () => 0.5;

describe('nextAttemptAt', () => {
  it('follows the Standard Webhooks schedule, counted from the first attempt', () => {
    const at = [1, 2, 3, 4, 5, 6, 7].map((n) => nextAttemptAt(n, first, noJitter)! - first);
    expect(at).toEqual([
      5 * S,
      5 * S + 5 * M,
      5 * S + 35 * M,
      5 * S + 35 * M + 2 * H,
      5 * S + 35 * M + 7 * H,
      5 * S + 35 * M + 17 * H,
      5 * S + 35 * M + 27 * H,
    ]);
    expect(WEBHOOK_RETRY_DELAYS_MS).toHaveLength(8);
  });

  it('gives up after the eighth attempt', () => {
    expect(nextAttemptAt(8, first, noJitter)).toBeUndefined();
    expect(nextAttemptAt(20, first, noJitter)).toBeUndefined();
  });

  it('jitters only the last step, by up to 10 % either way', () => {
    expect(nextAttemptAt(3, first, () => 0)! - first).toBe(5 * S + 5 * M + 27 * M);
    expect(nextAttemptAt(3, first, () => 0.999_999)! - first).toBe(
      5 * S + 5 * M + Math.round(30 * M * 1.099_999_8),
    );
    expect(nextAttemptAt(1, first, () => 0)! - first).toBe(4500);
  });

  it('stays in order whatever the jitter', () => {
    for (let n = 1; n < 7; n++) {
      expect(nextAttemptAt(n + 1, first, () => 0)!).toBeGreaterThan(
        nextAttemptAt(n, first, () => 0.999_999)!,
      );
    }
  });

  it('refuses an attempt number below 1', () => {
    expect(() => nextAttemptAt(0, first)).toThrow('attempt must be a whole number from 1, got 0');
  });
});
