/**
 * Small text helpers the checks share. Arabic normalisation is deliberately
 * local and minimal (the full normaliser lives in src/text and is wired in later).
 */

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** User-perceived characters, so 'é' or 'لا' with a shadda count as people see them, not as bytes. */
export function graphemeCount(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
}

export function* graphemesOf(text: string): Generator<string> {
  for (const { segment } of graphemes.segment(text)) yield segment;
}

/** Collapses runs of whitespace (including NBSP) and trims. */
export const squash = (text: string): string => text.replace(/\s+/gu, ' ').trim();

const ARABIC_DIACRITICS = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]/gu;

/**
 * Folds the spelling variants that do not change an Arabic word for matching:
 * diacritics and tatweel removed, أ إ آ ٱ → ا, ى → ي, ة → ه; Latin lower-cased.
 */
export function normaliseArabic(text: string): string {
  return text
    .normalize('NFC')
    .replace(ARABIC_DIACRITICS, '')
    .replace(/[أإآٱ]/gu, 'ا')
    .replace(/ى/gu, 'ي')
    .replace(/ة/gu, 'ه')
    .toLowerCase();
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}\p{M}\u200c]*/gu;

/** Words of any script: Arabic words are letter runs like Latin ones, diacritics stay inside the word. */
export function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

export const ARABIC_LETTER = /(?=\p{Script=Arabic})\p{L}/gu;
export const hasArabic = (text: string): boolean => /\p{Script=Arabic}/u.test(text);
export const hasLatin = (text: string): boolean => /\p{Script=Latin}/u.test(text);

const arabicPlural = new Intl.PluralRules('ar');

export interface ArabicNoun {
  /** Complete phrases for 1 and 2 (the number is not written: 'صفحة واحدة', 'صفحتان'). */
  one: string;
  two: string;
  /** After 3–10: plural ('صفحات'). */
  few: string;
  /** After 11–99: singular, accusative ('حرفًا'). */
  many: string;
  /** After 100, 0 and the like: singular, genitive ('حرف'); defaults to `many`. */
  other?: string;
}

/** A number with its counted noun, following Arabic agreement ('3 أحرف', '55 حرفًا', '100 حرف'). */
export function arabicCount(n: number, noun: ArabicNoun): string {
  switch (arabicPlural.select(n)) {
    case 'one':
      return noun.one;
    case 'two':
      return noun.two;
    case 'few':
      return `${n} ${noun.few}`;
    case 'many':
      return `${n} ${noun.many}`;
    default:
      return `${n} ${noun.other ?? noun.many}`;
  }
}

// Counted nouns the messages use, in the grammatical case their sentences need.
export const AR_CHARACTERS: ArabicNoun = {
  one: 'حرف واحد',
  two: 'حرفين',
  few: 'أحرف',
  many: 'حرفًا',
  other: 'حرف',
};
export const AR_WORDS: ArabicNoun = { one: 'كلمة واحدة', two: 'كلمتين', few: 'كلمات', many: 'كلمة' };
export const AR_PAGES_SUBJECT: ArabicNoun = { one: 'صفحة واحدة', two: 'صفحتان', few: 'صفحات', many: 'صفحة' };
export const AR_PAGES_GENITIVE: ArabicNoun = { one: 'صفحة واحدة', two: 'صفحتين', few: 'صفحات', many: 'صفحة' };
export const AR_DAYS: ArabicNoun = { one: 'يوم واحد', two: 'يومين', few: 'أيام', many: 'يومًا', other: 'يوم' };
export const AR_CLICKS: ArabicNoun = { one: 'نقرة واحدة', two: 'نقرتين', few: 'نقرات', many: 'نقرة' };
export const AR_REDIRECTS: ArabicNoun = {
  one: 'عملية إعادة توجيه واحدة',
  two: 'عمليتي إعادة توجيه',
  few: 'عمليات إعادة توجيه',
  many: 'عملية إعادة توجيه',
};
