import { err, ok, problem, type Result } from '@wasl/core';
import { isSignificant, type Term, terms } from './terms.ts';
import { urlWords } from './url-words.ts';
import type { PageZones } from './zones.ts';

/** 'phrase': the keyword's words in order, next to each other (stop words aside); 'words': all of them, anywhere. */
export type KeywordMatch = 'phrase' | 'words' | 'none';

export interface KeywordCoverage {
  keyword: string;
  /** What is matched: stems of the keyword's words but stop words (of all its words when it has only stop words). */
  stems: string[];
  title: KeywordMatch;
  h1: KeywordMatch;
  headings: KeywordMatch;
  url: KeywordMatch;
  firstParagraph: KeywordMatch;
  alts: KeywordMatch;
  body: KeywordMatch;
}

/** Stem runs of a text split at punctuation, keeping only the words that count. */
function stemRuns(list: Term[], keep: (t: Term) => boolean): string[][] {
  const runs: string[][] = [];
  for (const term of list) {
    if (term.breakBefore || runs.length === 0) runs.push([]);
    if (keep(term)) runs[runs.length - 1]!.push(term.stem);
  }
  return runs;
}

function containsRun(run: string[], wanted: string[]): boolean {
  outer: for (let i = 0; i + wanted.length <= run.length; i++) {
    for (let j = 0; j < wanted.length; j++) if (run[i + j] !== wanted[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * Where a target keyword (any language, several words) appears on a page,
 * after normalisation and stemming: "المكتبات الرقمية" is found in a title
 * saying "مكتبة رقمية", and in the URL /مكتبة-رقمية (percent-encoded or not).
 */
export function keywordCoverage(keyword: string, zones: PageZones): Result<KeywordCoverage> {
  const all = terms(keyword);
  if (all.length === 0) return err(problem('invalid', `keyword "${keyword}" has no words`, 'keyword'));
  const keep = all.some(isSignificant) ? isSignificant : () => true;
  const wanted = all.filter(keep).map((t) => t.stem);

  const match = (texts: string[]): KeywordMatch => {
    let best: KeywordMatch = 'none';
    for (const text of texts) {
      const runs = stemRuns(terms(text), keep);
      if (runs.some((run) => containsRun(run, wanted))) return 'phrase';
      const present = new Set(runs.flat());
      if (wanted.every((s) => present.has(s))) best = 'words';
    }
    return best;
  };

  return ok({
    keyword,
    stems: wanted,
    title: match([zones.title]),
    h1: match(zones.h1),
    headings: match(zones.headings),
    url: match([urlWords(zones.url)]),
    firstParagraph: match([zones.firstParagraph]),
    alts: match(zones.alts),
    body: match([zones.body]),
  });
}
