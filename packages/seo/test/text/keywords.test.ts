import { describe, expect, it } from 'vitest';
import { keywordFrequency } from '../../src/text/keywords.ts';

describe('keywordFrequency', () => {
  it('counts Arabic keywords on stems; density over content words', () => {
    // 12 words; في and كل are stop words, so 10 content words.
    // المكتبات / المكتبة / والمكتبات → مكتب ×3 = 30%; الرقمية ×2 → رقم = 20%.
    const report = keywordFrequency(
      'المكتبات الرقمية مفيدة. تقدم المكتبة الرقمية كتباً كثيرة، والمكتبات في كل مدينة.',
    );
    expect(report.words).toBe(12);
    expect(report.contentWords).toBe(10);
    expect(report.keywords.map((k) => [k.stem, k.surface, k.count, k.density])).toEqual([
      ['مكتب', 'المكتبات', 3, 30],
      ['رقم', 'الرقمية', 2, 20],
      ['مفيد', 'مفيدة', 1, 10],
      ['تقدم', 'تقدم', 1, 10],
      ['كتب', 'كتباً', 1, 10],
      ['كثير', 'كثيرة', 1, 10],
      ['مدين', 'مدينة', 1, 10],
    ]);
    expect(report.keywords.every((k) => k.lang === 'ar')).toBe(true);
  });

  it('counts English keywords, shows the most frequent spelling, leaves numbers out', () => {
    // 17 tokens; stop words the, in, and, more; numbers 2024 and 3: 11 content words.
    // market: Marketing, marketers, marketing, marketing = 4 (spelt "marketing" twice).
    const report = keywordFrequency(
      'Marketing tools help marketers. The marketing team uses tools every day, marketing in 2024 and 3 more.',
    );
    expect(report.words).toBe(17);
    expect(report.contentWords).toBe(11);
    expect(report.keywords.slice(0, 2).map((k) => [k.stem, k.surface, k.count, k.lang])).toEqual([
      ['market', 'marketing', 4, 'en'],
      ['tool', 'tools', 2, 'en'],
    ]);
    expect(report.keywords[0]!.density).toBe(400 / 11);
  });

  it('limits the list and handles a page without content words', () => {
    expect(keywordFrequency('في على من', 5)).toEqual({ words: 3, contentWords: 0, keywords: [] });
    expect(keywordFrequency('أ ب ت ث ج', 2).keywords.map((k) => k.surface)).toEqual(['أ', 'ت']);
  });
});
