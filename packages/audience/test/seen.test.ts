import { describe, expect, it } from 'vitest';
import { SeenKeys } from '../src/import/seen.ts';

describe('SeenKeys', () => {
  it('remembers the first line of every key across growth', () => {
    const seen = new SeenKeys(16);
    const n = 300_000;
    let fresh = 0;
    for (let i = 0; i < n; i++) if (seen.firstLine(`e${i}@x.co`, i + 2) === undefined) fresh++;
    expect(fresh).toBe(n);
    expect(seen.size).toBe(n);
    let found = 0;
    for (let i = 0; i < n; i++) if (seen.firstLine(`e${i}@x.co`, n + i + 2) === i + 2) found++;
    expect(found).toBe(n);
    expect(seen.size).toBe(n);
    expect(seen.firstLine('p+966501234567', 5)).toBeUndefined();
  });
});
