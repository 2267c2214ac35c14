import { normalise } from './normalise.ts';

/** Script of a token's letters; 'num' when it has digits only. */
export type TokenLang = 'ar' | 'en' | 'other' | 'num';

export interface Token {
  /** The word as written in the input. */
  surface: string;
  /** normalise(surface): what matching, stop words and stemming use. */
  norm: string;
  lang: TokenLang;
  /** UTF-16 offsets of the word in the input. */
  start: number;
  end: number;
  /** True for the first token and when something other than white space separates it from the one before. */
  breakBefore: boolean;
}

const UNKNOWN = 0;
const SPACE = 1;
const PUNCT = 2;
const ARABIC = 3;
const LATIN = 4;
const OTHER = 5;
const DIGIT = 6;
/** Combining marks, tatweel, ZWNJ/ZWJ, soft hyphen: inside a word, never start one. */
const JOIN = 7;
/** . , ٫ ٬ between two digits: 3.5, 1,000, ١٢٫٥. */
const NUMSEP = 8;
/** ' ’ between two Latin letters: don't, marketer's. */
const APOS = 9;

const CLASS = new Uint8Array(0x10000);

const RE = {
  space: /[\p{White_Space}\p{Cf}]/u,
  arabic: /\p{Script=Arabic}/u,
  latin: /\p{Script=Latin}/u,
  letter: /\p{L}/u,
  digit: /\p{Nd}/u,
  mark: /\p{M}/u,
};

function classify(cp: number): number {
  if (cp === 0x200c || cp === 0x200d || cp === 0x0640 || cp === 0x00ad) return JOIN;
  if (cp === 0x2e || cp === 0x2c || cp === 0x066b || cp === 0x066c) return NUMSEP;
  if (cp === 0x27 || cp === 0x2019) return APOS;
  const ch = String.fromCodePoint(cp);
  if (RE.digit.test(ch)) return DIGIT;
  if (RE.letter.test(ch)) {
    if (RE.arabic.test(ch)) return ARABIC;
    if (RE.latin.test(ch)) return LATIN;
    return OTHER;
  }
  if (RE.mark.test(ch)) return JOIN;
  if (RE.space.test(ch)) return SPACE;
  return PUNCT;
}

const ASTRAL = new Map<number, number>();

function classAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const cp = text.codePointAt(i)!;
    let k = ASTRAL.get(cp);
    if (k === undefined) {
      k = classify(cp);
      ASTRAL.set(cp, k);
    }
    return k;
  }
  let k = CLASS[c]!;
  if (k === UNKNOWN) {
    k = classify(c);
    CLASS[c] = k;
  }
  return k;
}

const isLetter = (k: number) => k === ARABIC || k === LATIN || k === OTHER;

/**
 * Splits text into words of Arabic script, Latin letters or digits. Any other
 * character splits, including ، ؛ ؟ and hyphens; a change between Arabic and
 * Latin letters splits too ("الـSEO" → "الـ", "SEO"). Digits join letters of
 * either script ("web3", "٢٠٢٤م").
 */
export function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  let start = -1;
  /** Letter script of the open token (ARABIC, LATIN, OTHER), or DIGIT while it has none. */
  let script = 0;
  let last = 0;
  let sawPunct = true;

  const close = (end: number) => {
    const surface = text.slice(start, end);
    const lang: TokenLang =
      script === ARABIC ? 'ar' : script === LATIN ? 'en' : script === OTHER ? 'other' : 'num';
    tokens.push({ surface, norm: normalise(surface), lang, start, end, breakBefore: sawPunct });
    start = -1;
    sawPunct = false;
  };

  while (i < n) {
    const k = classAt(text, i);
    const width = text.charCodeAt(i) >= 0xd800 && text.charCodeAt(i) <= 0xdbff && i + 1 < n ? 2 : 1;
    if (start >= 0) {
      if (k === JOIN) {
        i += width;
        continue;
      }
      if (k === DIGIT || (isLetter(k) && (script === DIGIT || k === script))) {
        if (script === DIGIT && k !== DIGIT) script = k;
        last = k;
        i += width;
        continue;
      }
      const next = i + 1 < n ? classAt(text, i + 1) : SPACE;
      if (
        (k === NUMSEP && last === DIGIT && next === DIGIT) ||
        (k === APOS && last === LATIN && next === LATIN)
      ) {
        i += 1;
        continue;
      }
      close(i);
    }
    if (k === DIGIT || isLetter(k)) {
      start = i;
      script = k;
      last = k;
    } else if (k === PUNCT || k === NUMSEP || k === APOS) {
      sawPunct = true;
    }
    i += width;
  }
  if (start >= 0) close(n);
  return tokens;
}
