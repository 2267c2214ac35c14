import { describe, expect, it } from 'vitest';
import { tokenise } from '../../src/text/tokenise.ts';

const brief = (text: string) => tokenise(text).map((t) => [t.surface, t.norm, t.lang, t.breakBefore]);

describe('tokenise', () => {
  it('splits mixed Arabic, English, digits and Arabic punctuation', () => {
    expect(brief('تعلَّم SEO في ٢٠٢٤، أو web3؟ السعر: 3.5 دولار؛ don’t stop!')).toEqual([
      ['تعلَّم', 'تعلم', 'ar', true],
      ['SEO', 'seo', 'en', false],
      ['في', 'في', 'ar', false],
      ['٢٠٢٤', '2024', 'num', false],
      ['أو', 'او', 'ar', true],
      ['web3', 'web3', 'en', false],
      ['السعر', 'السعر', 'ar', true],
      ['3.5', '3.5', 'num', true],
      ['دولار', 'دولار', 'ar', false],
      ['don’t', "don't", 'en', true],
      ['stop', 'stop', 'en', false],
    ]);
  });

  it('keeps tatweel, ZWNJ and ZWJ inside a word', () => {
    expect(brief('كتــاب مكتب\u200cها ال\u200dكتاب mar\u00adket')).toEqual([
      ['كتــاب', 'كتاب', 'ar', true],
      ['مكتب\u200cها', 'مكتبها', 'ar', false],
      ['ال\u200dكتاب', 'الكتاب', 'ar', false],
      ['mar\u00adket', 'market', 'en', false],
    ]);
  });

  it('splits where the script changes and at hyphens, joins digits to letters', () => {
    expect(brief('الـSEO e-commerce ٢٠٢٤م 1,000')).toEqual([
      ['الـ', 'ال', 'ar', true],
      ['SEO', 'seo', 'en', false],
      ['e', 'e', 'en', false],
      ['commerce', 'commerce', 'en', true],
      ['٢٠٢٤م', '2024م', 'ar', false],
      ['1,000', '1,000', 'num', false],
    ]);
  });

  it('gives UTF-16 offsets into the input', () => {
    const text = '«مرحبا» hello';
    expect(tokenise(text).map((t) => text.slice(t.start, t.end))).toEqual(['مرحبا', 'hello']);
    expect(tokenise(text).map((t) => [t.start, t.end])).toEqual([
      [1, 6],
      [8, 13],
    ]);
  });

  it('returns nothing for punctuation and space only', () => {
    expect(tokenise(' ، ؛ ؟ … - ')).toEqual([]);
  });
});
