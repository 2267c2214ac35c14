import { describe, expect, it } from 'vitest';
import { compareAudits, siteScore } from '../../src/audit/index.ts';
import type { Finding, Severity } from '../../src/types.ts';

const f = (check: string, severity: Severity, urls: string[], target?: string): Finding => ({
  check,
  severity,
  urls,
  message: { en: check, ar: check },
  howToFix: { en: '', ar: '' },
  ...(target === undefined ? {} : { details: { target } }),
});

describe('siteScore', () => {
  it('is 100 without findings and follows the documented formula', () => {
    expect(siteScore([], 10)).toBe(100);
    // One critical on 1 of 10 pages: 1 − 0.12 × (0.25 + 0.75 × 0.1) = 0.961
    expect(siteScore([f('status.client_error', 'critical', ['a'])], 10)).toBe(96);
    // A site-wide warning: 1 − 0.05 × 1 = 0.95; with the critical above: 0.961 × 0.95 = 0.91295
    const all = Array.from({ length: 10 }, (_, i) => `p${i}`);
    expect(
      siteScore(
        [f('status.client_error', 'critical', ['a']), f('security.hsts_missing', 'warning', all)],
        10,
      ),
    ).toBe(91);
  });

  it('weights a check by its worst severity and its distinct affected pages', () => {
    const findings = [f('schema.x', 'notice', ['a']), f('schema.x', 'critical', ['a', 'b'])];
    // critical, share 2/4: 1 − 0.12 × (0.25 + 0.375) = 0.925
    expect(siteScore(findings, 4)).toBe(93);
  });

  it('never goes below 0 and rises when a problem is fixed', () => {
    const critical = (n: number) => Array.from({ length: n }, (_, i) => f(`c${i}`, 'critical', ['a']));
    // 0.88^60 rounds to 0; 0.88^10 = 0.2785; 0.88^9 = 0.3165
    expect(siteScore(critical(60), 1)).toBe(0);
    expect(siteScore(critical(10), 1)).toBe(28);
    expect(siteScore(critical(9), 1)).toBe(32);
  });
});

describe('compareAudits', () => {
  it('splits findings into new, fixed and unchanged by check, url and target', () => {
    const before = [
      f('title.missing', 'critical', ['/a', '/b']),
      f('links.broken_internal', 'critical', ['/a'], '/gone'),
      f('links.broken_internal', 'critical', ['/a'], '/old'),
    ];
    const after = [
      f('title.missing', 'critical', ['/b']),
      f('links.broken_internal', 'critical', ['/a'], '/old'),
      f('links.broken_internal', 'critical', ['/a'], '/missing'),
      f('h1.missing', 'warning', ['/c']),
    ];
    const diff = compareAudits(before, after);
    const keys = (list: typeof diff.new) => list.map((c) => [c.check, c.url, c.target ?? null]);
    expect(keys(diff.new)).toEqual([
      ['links.broken_internal', '/a', '/missing'],
      ['h1.missing', '/c', null],
    ]);
    expect(keys(diff.fixed)).toEqual([
      ['title.missing', '/a', null],
      ['links.broken_internal', '/a', '/gone'],
    ]);
    expect(keys(diff.unchanged)).toEqual([
      ['title.missing', '/b', null],
      ['links.broken_internal', '/a', '/old'],
    ]);
    expect(diff.new[1]?.severity).toBe('warning');
  });
});
