import { describe, expect, it } from 'vitest';
import { auditSite, estimatePixels, graphemeCount, siteScore, TITLE_FONT_PX } from '../../src/audit/index.ts';
import { AR_TITLE, cleanArabic, cleanEnglish, NOW } from './fixtures.ts';

describe('clean pages', () => {
  it('a clean Arabic page and a clean English page produce no findings and score 100', () => {
    const findings = auditSite([cleanArabic(), cleanEnglish()], { now: NOW });
    expect(findings).toEqual([]);
    expect(siteScore(findings, 2)).toBe(100);
  });

  it('counts an Arabic title of 55 characters (over 100 bytes) as characters, not bytes', () => {
    expect(graphemeCount(AR_TITLE)).toBe(55);
    expect(Buffer.byteLength(AR_TITLE)).toBeGreaterThan(100);
    expect(estimatePixels(AR_TITLE, TITLE_FONT_PX)).toBeLessThan(600);
  });
});
