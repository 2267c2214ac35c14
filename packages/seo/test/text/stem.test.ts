import { describe, expect, it } from 'vitest';
import { normalise } from '../../src/text/normalise.ts';
import { detectLang, stem } from '../../src/text/stem.ts';
import { isStopWord } from '../../src/text/stopwords.ts';
import { ARABIC_STOP_WORDS } from '../../src/text/stopwords-ar.ts';

const stemOf = (word: string) => stem(normalise(word));

describe('stop words', () => {
  it.each([
    ['إلى', true],
    ['الى', true],
    ['إلي', true],
    ['أن', true],
    ['ان', true],
    ['إنّ', true],
    ['على', true],
    ['هذه', true],
    ['هذة', true],
    ['كان', true],
    ['قال', true],
    ['الذى', true],
    ['The', true],
    ['don’t', true],
    ['مكتبة', false],
    ['تسويق', false],
    ['marketing', false],
  ])('%s → %s', (word, expected) => {
    expect(isStopWord(normalise(word))).toBe(expected);
  });

  it('has a few hundred Arabic entries after normalisation', () => {
    const distinct = new Set(ARABIC_STOP_WORDS.split(/\s+/).filter(Boolean).map(normalise));
    expect(distinct.size).toBe(445);
  });
});

describe('stem', () => {
  it.each([
    ['المكتبات', 'مكتب'],
    ['مكتبة', 'مكتب'],
    ['مكتبتنا', 'مكتب'],
    ['والمكتبات', 'مكتب'],
    ['الرقمية', 'رقم'],
    ['رقمي', 'رقم'],
    ['الإلكترونية', 'كترون'],
    ['الكترونية', 'كترون'],
    ['إلكتروني', 'كترون'],
    ['الشركات', 'شرك'],
    ['شركات', 'شرك'],
    ['شركة', 'شرك'],
    ['اللغة', 'لغ'],
    ['لغة', 'لغ'],
    ['والكتاب', 'كتاب'],
    ['للتسويق', 'تسويق'],
    ['بالتسويق', 'تسويق'],
    ['يعملون', 'يعمل'],
    ['الله', 'الله'],
    ['marketing', 'market'],
    ['Marketers', 'market'],
    ['libraries', 'librari'],
    ['library', 'librari'],
    ['٢٠٢٤', '2024'],
  ])('%s → %s', (word, expected) => {
    expect(stemOf(word)).toBe(expected);
  });

  it('uses the language given, not the script, when told', () => {
    expect(stem('marketing', 'num')).toBe('marketing');
    expect(stem('marketing', 'en')).toBe('market');
  });

  it('detects a token language by script', () => {
    expect([
      detectLang('مكتبه'),
      detectLang('seo'),
      detectLang('2024م'),
      detectLang('2024'),
      detectLang('книга'),
    ]).toEqual(['ar', 'en', 'ar', 'num', 'other']);
  });
});
