import { type Token, tokenise } from './tokenise.ts';

export interface Readability {
  /** The script most words are in: 'ar' or 'en' ('other' with no Arabic or Latin words). */
  lang: 'ar' | 'en' | 'other';
  /** Tokens, numbers included. */
  words: number;
  /** Sentences with at least one word. */
  sentences: number;
  averageWordsPerSentence: number;
  /** In graphemes (Intl.Segmenter) of the normalised word: no tashkeel or tatweel, never bytes. */
  averageWordLength: number;
  /** Share (0..1) of sentences longer than LONG_SENTENCE_WORDS words. */
  longSentenceShare: number;
  /** English pages only; undefined for Arabic (see readability()). */
  fleschReadingEase?: number;
}

export const LONG_SENTENCE_WORDS = 25;

/** Sentence ends: . ! ? ؟ … ۔ and line breaks. A "." inside a number (3.5) is part of the word, so it never ends one. */
const SENTENCE_END = /[.!?؟…۔\n]/;

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
const graphemeCount = (text: string): number => {
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
};

/**
 * English syllables by the usual heuristic: groups of vowels (y included),
 * less a silent final e ("make", not "table"), at least one.
 */
export function englishSyllables(word: string): number {
  const w = word.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length <= 3) return 1;
  const trimmed = w.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, (m) => m.slice(0, 1));
  return Math.max(1, trimmed.match(/[aeiouy]+/g)?.length ?? 0);
}

function sentenceLengths(text: string, tokens: Token[]): number[] {
  const lengths: number[] = [];
  let current = 0;
  let previousEnd = 0;
  for (const token of tokens) {
    if (current > 0 && SENTENCE_END.test(text.slice(previousEnd, token.start))) {
      lengths.push(current);
      current = 0;
    }
    current++;
    previousEnd = token.end;
  }
  if (current > 0) lengths.push(current);
  return lengths;
}

/**
 * Structural readability indicators of a page's text. Flesch reading ease is
 * given for English only: its constants were fitted to English syllables per
 * word, and Arabic is written without short vowels, so syllables cannot be
 * counted from the text and no validated Flesch adaptation exists; Arabic
 * pages get the structural indicators alone.
 */
export function readability(text: string): Readability {
  const tokens = tokenise(text);
  let ar = 0;
  let en = 0;
  let letters = 0;
  for (const t of tokens) {
    if (t.lang === 'ar') ar++;
    else if (t.lang === 'en') en++;
    letters += graphemeCount(t.norm);
  }
  const lang = ar === 0 && en === 0 ? 'other' : ar >= en ? 'ar' : 'en';
  const lengths = sentenceLengths(text, tokens);
  const words = tokens.length;
  const sentences = lengths.length;
  const averageWordsPerSentence = sentences === 0 ? 0 : words / sentences;
  const result: Readability = {
    lang,
    words,
    sentences,
    averageWordsPerSentence,
    averageWordLength: words === 0 ? 0 : letters / words,
    longSentenceShare:
      sentences === 0 ? 0 : lengths.filter((n) => n > LONG_SENTENCE_WORDS).length / sentences,
  };
  if (lang === 'en' && words > 0) {
    const syllables = tokens.reduce((sum, t) => sum + (t.lang === 'en' ? englishSyllables(t.norm) : 1), 0);
    result.fleschReadingEase = 206.835 - 1.015 * averageWordsPerSentence - 84.6 * (syllables / words);
  }
  return result;
}
