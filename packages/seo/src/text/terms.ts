import { stem } from './stem.ts';
import { isStopWord } from './stopwords.ts';
import { type Token, tokenise } from './tokenise.ts';

/** A token with what keyword analysis needs: stop-word flag and stem (the normalised form for stop words and numbers). */
export interface Term extends Token {
  stop: boolean;
  stem: string;
}

/** Content words carry keywords: not a stop word, and with at least one letter. */
export const isContent = (term: Term): boolean => !term.stop && term.lang !== 'num';

/** Words that tell one keyword from another: content words and numbers ("iPhone 15" is not "iPhone 14"). */
export const isSignificant = (term: Term): boolean => !term.stop;

export function terms(text: string): Term[] {
  return tokenise(text).map((token) => {
    const stop = isStopWord(token.norm);
    return { ...token, stop, stem: stop ? token.norm : stem(token.norm, token.lang) };
  });
}

/** Most frequent value; ties go to the one seen first (Map keeps insertion order). */
export function mostFrequent(counts: Map<string, number>): string {
  let best = '';
  let bestCount = 0;
  for (const [value, count] of counts) {
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}
