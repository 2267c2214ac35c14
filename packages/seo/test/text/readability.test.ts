import { describe, expect, it } from 'vitest';
import { englishSyllables, readability } from '../../src/text/readability.ts';

const words = (n: number, word: string) => Array.from({ length: n }, () => word).join(' ');

describe('readability', () => {
  it('gives English structure and Flesch reading ease', () => {
    // 9 words in 2 sentences; letters 3+3+3+2+3+3+2+3+5 = 27; syllables 8×1 + happy 2 = 10.
    const r = readability('The cat sat on the mat. It was happy!');
    expect(r).toEqual({
      lang: 'en',
      words: 9,
      sentences: 2,
      averageWordsPerSentence: 4.5,
      averageWordLength: 3,
      longSentenceShare: 0,
      fleschReadingEase: 206.835 - 1.015 * 4.5 - 84.6 * (10 / 9),
    });
  });

  it('gives Arabic structure only, lengths in graphemes without tashkeel', () => {
    // Sentences end at . and ؟ + line break: 4 + 3 + 1 words.
    // Letters: ذهب 3, الطالب 6, الي 3, المدرسه 7, هل 2, قرات 4, الكتاب 6, نعم 3 = 34.
    const r = readability('ذهب الطالبُ إلى المدرسةِ. هل قرأتَ الكتاب؟\nنعم');
    expect(r).toEqual({
      lang: 'ar',
      words: 8,
      sentences: 3,
      averageWordsPerSentence: 8 / 3,
      averageWordLength: 34 / 8,
      longSentenceShare: 0,
    });
  });

  it('counts sentences over 25 words as long; a decimal point ends no sentence', () => {
    const r = readability(`${words(26, 'كلمة')}. ${words(25, 'كلمة')}! السعر 3.5 دولار`);
    expect([r.words, r.sentences, r.longSentenceShare]).toEqual([54, 3, 1 / 3]);
  });

  it('counts graphemes, not code units, for a word with a combining mark', () => {
    // "café" written with a combining acute: NFKC composes it to 4 graphemes.
    expect(readability('cafe\u0301 noir').averageWordLength).toBe(4);
  });

  it('is all zeros for text without words', () => {
    expect(readability(' … ')).toEqual({
      lang: 'other',
      words: 0,
      sentences: 0,
      averageWordsPerSentence: 0,
      averageWordLength: 0,
      longSentenceShare: 0,
    });
  });
});

describe('englishSyllables', () => {
  it.each([
    ['cat', 1],
    ['happy', 2],
    ['make', 1],
    ['table', 2],
    ['readability', 5],
    ['marketing', 3],
    ['makes', 1],
  ])('%s → %i', (word, expected) => {
    expect(englishSyllables(word)).toBe(expected);
  });
});
