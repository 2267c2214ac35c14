import { describe, expect, it } from 'vitest';
import { keywordCoverage } from '../../src/text/coverage.ts';
import { urlWords } from '../../src/text/url-words.ts';
import type { PageZones } from '../../src/text/zones.ts';

const arabicPage: PageZones = {
  // /blog/مكتبة-رقمية, as a browser sends it
  url: 'https://example.sa/blog/%D9%85%D9%83%D8%AA%D8%A8%D8%A9-%D8%B1%D9%82%D9%85%D9%8A%D8%A9',
  title: 'دليل المكتبة الرقمية | وصل',
  h1: ['الرقمية في المكتبات'],
  headings: ['مقدمة', 'مكتبات رقمية للجميع'],
  firstParagraph: 'نتحدث اليوم عن المكتبات العامة.',
  body: 'نص لا يذكر الموضوع.',
  alts: ['صورة مكتبة', 'مَكتبةٌ رقميةٌ حديثة'],
};

describe('urlWords', () => {
  it('decodes percent-encoded Arabic slugs and reads - _ as spaces', () => {
    expect(urlWords(arabicPage.url)).toBe('blog مكتبة رقمية');
    expect(urlWords('https://example.com/seo_tips/on-page-guide.html?utm=x')).toBe(
      'seo tips on page guide html',
    );
    expect(urlWords('/ar/دليل-السيو')).toBe('ar دليل السيو');
    expect(urlWords('https://example.com/bad%E0%A4-slug')).toBe('bad%E0%A4 slug');
  });
});

describe('keywordCoverage', () => {
  it('finds an Arabic keyword after normalisation and stemming, zone by zone', () => {
    expect(keywordCoverage('المكتبات الرقمية', arabicPage)).toEqual({
      ok: true,
      value: {
        keyword: 'المكتبات الرقمية',
        stems: ['مكتب', 'رقم'],
        title: 'phrase',
        h1: 'words',
        headings: 'phrase',
        url: 'phrase',
        firstParagraph: 'none',
        alts: 'phrase',
        body: 'none',
      },
    });
  });

  it('finds an English keyword in any case and in an underscore slug', () => {
    const result = keywordCoverage('Digital Marketing', {
      url: 'https://example.com/blog/digital_marketing-guide',
      title: 'Marketing, digitally',
      h1: ['The digital marketer’s handbook'],
      headings: [],
      firstParagraph: 'Digital marketing is marketing online.',
      body: '',
      alts: ['marketing team photo'],
    });
    expect(result.ok && result.value).toEqual({
      keyword: 'Digital Marketing',
      stems: ['digit', 'market'],
      title: 'words',
      h1: 'phrase',
      headings: 'none',
      url: 'phrase',
      firstParagraph: 'phrase',
      alts: 'none',
      body: 'none',
    });
  });

  it('keeps numbers in a keyword', () => {
    const result = keywordCoverage('iPhone 15', {
      ...arabicPage,
      title: 'iPhone 14 review',
      h1: ['مراجعة iPhone ١٥'],
    });
    expect(result.ok && [result.value.stems, result.value.title, result.value.h1]).toEqual([
      ['iphon', '15'],
      'none',
      'phrase',
    ]);
  });

  it('matches a keyword made only of stop words on those words', () => {
    const result = keywordCoverage('The Who', { ...arabicPage, title: 'The Who live' });
    expect(result.ok && [result.value.stems, result.value.title, result.value.h1]).toEqual([
      ['the', 'who'],
      'phrase',
      'none',
    ]);
  });

  it('refuses a keyword without words, naming the field', () => {
    expect(keywordCoverage(' ، ؟ ', arabicPage)).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'keyword " ، ؟ " has no words', field: 'keyword' },
    });
  });
});
