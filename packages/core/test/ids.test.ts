import { describe, expect, it } from 'vitest';
import { newId, UUID_PATTERN } from '../src/ids.ts';

describe('newId', () => {
  it('is a version 7 UUID with the RFC 9562 variant', () => {
    const id = newId();
    expect(id).toMatch(UUID_PATTERN);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
  });

  it('sorts by creation time and never repeats', () => {
    const ids = Array.from({ length: 2000 }, (_, i) => newId(1_700_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('embeds the millisecond timestamp', () => {
    const t = 1_795_000_000_123;
    expect(Number.parseInt(newId(t).replace(/-/g, '').slice(0, 12), 16)).toBe(t);
  });
});
