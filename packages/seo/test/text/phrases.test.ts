import { describe, expect, it } from 'vitest';
import { longTailPhrases } from '../../src/text/phrases.ts';
import type { PageZones } from '../../src/text/zones.ts';

const page = (zones: Partial<PageZones>): PageZones => ({
  url: 'https://example.sa/',
  title: '',
  h1: [],
  headings: [],
  firstParagraph: '',
  body: '',
  alts: [],
  ...zones,
});

const BODY = 'نصائح التسويق بالمحتوى مفيدة. نصائح التسويق بالمحتوى مجربة. نصائح التسويق بالمحتوى سهلة.';
const brief = (zones: PageZones) => longTailPhrases(zones).map((p) => [p.surface, p.count, p.score, p.zones]);

describe('longTailPhrases', () => {
  it('ranks by frequency when everything is body text', () => {
    // Each phrase in the body scores 1 per occurrence; those seen once (score 1) are dropped.
    expect(brief(page({ body: `${BODY} دليل تحسين محركات البحث` }))).toEqual([
      ['نصائح التسويق بالمحتوى', 3, 3, ['body']],
    ]);
  });

  it('lets placement in the title outrank frequency', () => {
    // The title phrase occurs once but weighs 5; the body phrase occurs 3 times, 1 each.
    expect(brief(page({ title: 'دليل تحسين محركات البحث', body: BODY }))).toEqual([
      ['دليل تحسين محركات البحث', 1, 5, ['title']],
      ['دليل تحسين محركات', 1, 5, ['title']],
      ['تحسين محركات البحث', 1, 5, ['title']],
      ['نصائح التسويق بالمحتوى', 3, 3, ['body']],
    ]);
  });

  it('adds the weights of every zone a phrase appears in', () => {
    const phrases = longTailPhrases(
      page({
        title: 'أدوات تحسين محركات البحث',
        h1: ['تحسين محركات البحث'],
        headings: ['لماذا تحسين محركات البحث؟'],
        firstParagraph: 'نشرح تحسين محركات البحث هنا.',
        body: 'نشرح تحسين محركات البحث هنا. ثم تحسين محركات البحث مرة أخرى',
        alts: ['صورة تحسين محركات البحث'],
      }),
    );
    // title 5 + h1 4 + headings 3 + first paragraph 2 + body 1 (its copy of the first paragraph skipped) + alt 1.
    expect(phrases[0]).toEqual({
      key: 'تحس محرك بحث',
      surface: 'تحسين محركات البحث',
      words: 3,
      count: 6,
      score: 16,
      zones: ['title', 'h1', 'headings', 'firstParagraph', 'body', 'alts'],
    });
  });

  it('never starts or ends a phrase with a stop word, allows one inside', () => {
    expect(longTailPhrases(page({ title: 'أفضل أدوات التسويق في السعودية' })).map((p) => p.surface)).toEqual([
      'أفضل أدوات التسويق في السعودية',
      'أدوات التسويق في السعودية',
      'أفضل أدوات التسويق',
      'التسويق في السعودية',
    ]);
  });

  it('does not cross punctuation', () => {
    // Only the part after the comma makes a phrase; "تحسين محركات البحث" is not one here.
    expect(longTailPhrases(page({ title: 'تحسين محركات، البحث عن أدوات' })).map((p) => p.surface)).toEqual([
      'البحث عن أدوات',
    ]);
    expect(longTailPhrases(page({ title: 'Best SEO tools | Wasl' })).map((p) => p.surface)).toEqual([
      'Best SEO tools',
    ]);
  });

  it('counts spellings as one phrase after normalisation and stemming', () => {
    const phrases = longTailPhrases(
      page({ body: 'المكتبات الرقمية الحديثة. مكتبة رقمية حديثة. المكتبات الرقمية الحديثة.' }),
    );
    expect(phrases.map((p) => [p.surface, p.count])).toEqual([['المكتبات الرقمية الحديثة', 3]]);
  });
});
