import { newStemmer } from 'snowball-stemmers';
import type { TokenLang } from './tokenise.ts';

const arabic = newStemmer('arabic');
const english = newStemmer('english');

const ARABIC_LETTER = /\p{Script=Arabic}/u;
const LATIN_LETTER = /\p{Script=Latin}/u;
const LETTER = /\p{L}/u;

/** Language of a token by the script of its first letter; 'num' when it has none. */
export function detectLang(token: string): TokenLang {
  for (const ch of token) {
    if (!LETTER.test(ch)) continue;
    if (ARABIC_LETTER.test(ch)) return 'ar';
    if (LATIN_LETTER.test(ch)) return 'en';
    return 'other';
  }
  return 'num';
}

/** Definite article with the clitics before it; longest first. */
const ARTICLES = ['وال', 'فال', 'بال', 'كال', 'لل', 'ال'];
const PROTECTED = new Map([
  ['الله', 'الله'],
  ['لله', 'الله'],
  ['والله', 'الله'],
  ['بالله', 'الله'],
]);

const stripArticle = (word: string): string => {
  for (const article of ARTICLES) {
    if (word.startsWith(article) && word.length - article.length >= 2) return word.slice(article.length);
  }
  return word;
};

/**
 * Snowball's Arabic stemmer guesses noun or verb from the article: without
 * ال it tries verb suffixes first (شركات → شركا), and with ال it keeps ة-less
 * endings (الرقميه → رقميه). Normalisation has folded ة into ه, so a final ه
 * of three letters or more is read back as ة, the word is stemmed as written
 * and as a definite noun, and the shorter stem wins. Then a final ة and a
 * leading ال Snowball left are dropped, so الالكترونيه and الكترونيه, or
 * اللغه and لغه, share a stem. و/ف before ال are stripped as in Larkey's
 * light10, accepting rare errors (والدين → دين).
 */
function stemArabic(word: string): string {
  const fixed = PROTECTED.get(word);
  if (fixed !== undefined) return fixed;
  if (word.length <= 2) return word;
  const base = word.length >= 3 && word.endsWith('ه') ? `${word.slice(0, -1)}ة` : word;
  const nounForm = `ال${stripArticle(base)}`;
  const asNoun = arabic.stem(nounForm);
  const asWritten = nounForm === base ? asNoun : arabic.stem(base);
  let stem = asNoun.length <= asWritten.length ? asNoun : asWritten;
  if (stem.endsWith('ة')) stem = stem.slice(0, -1);
  if (stem.startsWith('ال') && stem.length >= 4) stem = stem.slice(2);
  return stem;
}

/** Stem without the cache (what one Snowball call costs; for the benchmark). */
export const stemUncached = (token: string, lang: TokenLang = detectLang(token)): string =>
  lang === 'ar' ? stemArabic(token) : lang === 'en' ? english.stem(token) : token;

const CACHE_LIMIT = 100_000;
const cache = { ar: new Map<string, string>(), en: new Map<string, string>() };

/**
 * Stem of a normalised token (Token.norm): Snowball Arabic or English by
 * `lang` (default: the token's script); numbers and other scripts unchanged.
 * Results are cached, as page text repeats a small vocabulary.
 */
export function stem(token: string, lang: TokenLang = detectLang(token)): string {
  if (lang !== 'ar' && lang !== 'en') return token;
  const memo = cache[lang];
  let stemmed = memo.get(token);
  if (stemmed === undefined) {
    stemmed = stemUncached(token, lang);
    if (memo.size >= CACHE_LIMIT) memo.clear();
    memo.set(token, stemmed);
  }
  return stemmed;
}
