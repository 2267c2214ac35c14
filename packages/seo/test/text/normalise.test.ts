import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalise } from '../../src/text/normalise.ts';

describe('normalise', () => {
  it.each([
    ['أ → ا', 'أحمد', 'احمد'],
    ['إ → ا', 'إلى', 'الي'],
    ['آ → ا', 'آخر', 'اخر'],
    ['ٱ → ا', 'ٱلرحمن', 'الرحمن'],
    ['ة → ه', 'مكتبة', 'مكتبه'],
    ['ى → ي', 'مستوى', 'مستوي'],
    ['tashkeel removed', 'مَكْتَبَةٌ', 'مكتبه'],
    ['tanween and shadda removed', 'كتباً مُدرِّس', 'كتبا مدرس'],
    ['superscript alef removed', 'هٰذا', 'هذا'],
    ['tatweel removed', 'كتــــاب', 'كتاب'],
    ['Arabic-Indic digits', '٠١٢٣٤٥٦٧٨٩', '0123456789'],
    ['Eastern Arabic-Indic digits', '۰۱۲۳۴۵۶۷۸۹', '0123456789'],
    ['Persian keheh and yeh', 'کتاب عربی', 'كتاب عربي'],
    ['ZWNJ, ZWJ and RLM removed', 'مكتب\u200cها\u200d\u200f', 'مكتبها'],
    ['ASCII lower case', 'SEO Tools', 'seo tools'],
    ['NFKC: Arabic presentation forms', '\ufefb\ufe8e', 'لاا'],
    ['NFKC: ligature and full-width Latin', 'ﬁnd ＳＥＯ', 'find seo'],
    ['locale-independent lower case (no Turkish dotless i)', 'İSTANBUL', 'i\u0307stanbul'],
    ['right single quote → apostrophe', 'don’t', "don't"],
    ['hamza composed from a combining mark', 'ا\u0654حمد', 'احمد'],
    ['combining hamza on waw composed, not dropped', 'سو\u0654ال', 'سؤال'],
  ])('%s', (_rule, input, expected) => {
    expect(normalise(input)).toBe(expected);
  });

  it('returns the same string when nothing changes', () => {
    const text = 'مكتبه رقميه seo 2024';
    expect(normalise(text)).toBe(text);
  });

  it('is idempotent on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const once = normalise(text);
        expect(normalise(once)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });

  it('is idempotent on Arabic with marks, joiners and digits', () => {
    const arabic = fc.constantFrom(
      ...'أإآٱاةهىيکیءؤئ٠٩۰۹ـًٌٍَُِّْٰ\u0653\u0654\u0655\u200c\u200d \u06d6ﻻﺎ'.split(''),
      'و',
      'e',
      '\u0301',
      '\u00ad',
      'A',
    );
    fc.assert(
      fc.property(fc.array(arabic, { maxLength: 30 }), (chars) => {
        const once = normalise(chars.join(''));
        expect(normalise(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });
});
