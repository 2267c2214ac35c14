import { describe, expect, it } from 'vitest';
import { LruCache } from '../src/lru-cache.ts';

describe('LruCache', () => {
  it('stays between capacity and twice the capacity', () => {
    const cache = new LruCache<number, number>(100);
    for (let i = 0; i < 10_000; i++) cache.set(i, i);
    expect(cache.size).toBeGreaterThanOrEqual(100);
    expect(cache.size).toBeLessThanOrEqual(200);
    expect(cache.get(0)).toBeUndefined();
    expect(cache.get(9_999)).toBe(9_999);
  });

  it('keeps what is used and forgets what is not', () => {
    const cache = new LruCache<string, number>(10);
    cache.set('hot', 1);
    for (let i = 0; i < 100; i++) {
      cache.set(`cold-${i}`, i);
      expect(cache.get('hot')).toBe(1);
    }
    expect(cache.get('cold-0')).toBeUndefined();
  });
});
