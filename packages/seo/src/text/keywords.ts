import { isContent, mostFrequent, terms } from './terms.ts';
import type { TokenLang } from './tokenise.ts';

export interface KeywordFrequency {
  stem: string;
  lang: TokenLang;
  /** The most frequent spelling on the page (as written), e.g. "المكتبات" for stem "مكتب". */
  surface: string;
  count: number;
  /** Percent: count × 100 / contentWords. */
  density: number;
}

export interface KeywordReport {
  /** Every token, stop words and numbers included. */
  words: number;
  /** Tokens with a letter that are not stop words: the denominator of density. */
  contentWords: number;
  /** Most frequent first; equal counts in order of first appearance. */
  keywords: KeywordFrequency[];
}

/**
 * Keyword frequency and density of a page's text, on stems, so "مكتبة" and
 * "المكتبات" count as one keyword. Density = occurrences of the stem × 100 /
 * content words, where content words exclude stop words and pure numbers
 * (they are in neither the count nor the denominator).
 */
export function keywordFrequency(text: string, limit = Number.POSITIVE_INFINITY): KeywordReport {
  const all = terms(text);
  const byStem = new Map<string, { lang: TokenLang; count: number; surfaces: Map<string, number> }>();
  let contentWords = 0;
  for (const term of all) {
    if (!isContent(term)) continue;
    contentWords++;
    let entry = byStem.get(term.stem);
    if (entry === undefined) {
      entry = { lang: term.lang, count: 0, surfaces: new Map() };
      byStem.set(term.stem, entry);
    }
    entry.count++;
    entry.surfaces.set(term.surface, (entry.surfaces.get(term.surface) ?? 0) + 1);
  }
  const keywords = [...byStem]
    .map(([stem, e]) => ({
      stem,
      lang: e.lang,
      surface: mostFrequent(e.surfaces),
      count: e.count,
      density: (e.count * 100) / contentWords,
    }))
    // Array.prototype.sort is stable, so equal counts keep first-appearance order.
    .sort((a, b) => b.count - a.count)
    .slice(0, limit);
  return { words: all.length, contentWords, keywords };
}
