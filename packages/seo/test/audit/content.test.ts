import { describe, expect, it } from 'vitest';
import { hammingDistance, MIN_WORDS } from '../../src/audit/index.ts';
import { auditWith, brief, crawled, filler, html, only, page, url } from './fixtures.ts';

// Arial (= Helvetica AFM) widths in 1/1000 em for the characters of the long title below,
// written out here so the test does not reuse the implementation's table.
const ARIAL: Record<string, number> = {
  ' ': 278,
  ':': 278,
  ',': 278,
  T: 611,
  W: 944,
  a: 556,
  c: 500,
  d: 556,
  e: 556,
  f: 278,
  g: 556,
  h: 556,
  i: 222,
  k: 500,
  l: 222,
  m: 833,
  n: 556,
  o: 556,
  p: 556,
  r: 333,
  s: 500,
  t: 278,
  u: 556,
  v: 500,
  w: 722,
  y: 500,
};

describe('titles and descriptions', () => {
  it('reports a too-long title with its character count and pixel estimate', () => {
    const long =
      'The complete Wasl guide to digital marketing, search engines, social media and online advertising for shops';
    const findings = auditWith([page({ url: url('/long-title'), title: long })]);
    expect(brief(findings)).toEqual([
      { check: 'title.too_long', severity: 'warning', urls: [url('/long-title')] },
    ]);
    const pixels = Math.round(
      ([...long].reduce((sum, ch) => sum + (ARIAL[ch] ?? Number.NaN), 0) * 20) / 1000,
    );
    expect(pixels).toBeGreaterThan(600);
    expect(only(findings, 'title.too_long').details).toEqual({
      value: long,
      characters: long.length,
      pixels,
      maxPixels: 600,
    });
    expect(only(findings, 'title.too_long').message.ar).toContain(`${pixels} بكسل`);
  });

  it('reports missing, empty, multiple and too-short titles', () => {
    const findings = auditWith([
      page({ url: url('/t-missing'), title: null }),
      page({ url: url('/t-empty'), title: '   ' }),
      page({ url: url('/t-multi'), head: '<title>A second title for the same page here</title>' }),
      page({ url: url('/t-short'), lang: 'ar', title: 'الرئيسية' }),
    ]);
    expect(brief(findings)).toEqual([
      { check: 'title.empty', severity: 'critical', urls: [url('/t-empty')] },
      { check: 'title.missing', severity: 'critical', urls: [url('/t-missing')] },
      { check: 'title.multiple', severity: 'warning', urls: [url('/t-multi')] },
      { check: 'title.too_short', severity: 'notice', urls: [url('/t-short')] },
    ]);
    expect(only(findings, 'title.too_short').details).toMatchObject({ value: 'الرئيسية', characters: 8 });
    expect(only(findings, 'title.too_short').message.ar).toBe(
      'يتكون عنوان الصفحة (title) من 8 أحرف فقط (أقل من 30).',
    );
  });

  it('ignores <title> inside inline SVG', () => {
    const svg = '<svg><title>Cart icon</title><path d="M0 0"/></svg>';
    expect(auditWith([page({ url: url('/svg'), extra: svg })])).toEqual([]);
  });

  it('reports titles and descriptions duplicated across indexable pages', () => {
    const same = {
      title: 'Ramadan offers on phones and tablets 2026',
      description:
        'Shared description that two pages both use, which makes them compete for the same searches.',
    };
    const findings = auditWith([page({ url: url('/d1'), ...same }), page({ url: url('/d2'), ...same })]);
    expect(brief(findings)).toEqual([
      { check: 'description.duplicate', severity: 'warning', urls: [url('/d1'), url('/d2')] },
      { check: 'title.duplicate', severity: 'warning', urls: [url('/d1'), url('/d2')] },
    ]);
    expect(only(findings, 'title.duplicate').details).toEqual({ value: same.title, count: 2 });
  });

  it('reports missing, empty, multiple, too-short and too-long descriptions', () => {
    const longAr = 'تعرّف على أفضل الطرق العملية لزيادة مبيعات متجرك الإلكتروني '.repeat(4).trim();
    const findings = auditWith([
      page({ url: url('/m-missing'), description: null }),
      page({ url: url('/m-empty'), description: '' }),
      page({
        url: url('/m-multi'),
        head: '<meta name="description" content="Another description that repeats the first one with other words, sadly.">',
      }),
      page({ url: url('/m-short'), description: 'Cheap phones.' }),
      page({ url: url('/m-long'), lang: 'ar', description: longAr }),
    ]);
    expect(brief(findings)).toEqual([
      { check: 'description.empty', severity: 'warning', urls: [url('/m-empty')] },
      { check: 'description.missing', severity: 'warning', urls: [url('/m-missing')] },
      { check: 'description.multiple', severity: 'warning', urls: [url('/m-multi')] },
      { check: 'description.too_long', severity: 'notice', urls: [url('/m-long')] },
      { check: 'description.too_short', severity: 'notice', urls: [url('/m-short')] },
    ]);
    const long = only(findings, 'description.too_long').details;
    expect(long?.characters).toBe(
      [...new Intl.Segmenter('ar', { granularity: 'grapheme' }).segment(longAr)].length,
    );
    expect(long?.pixels).toBeGreaterThan(920);
  });
});

describe('headings', () => {
  it('reports a missing, multiple or empty H1 and skipped levels', () => {
    const findings = auditWith([
      page({ url: url('/h-missing'), h1: null }),
      page({ url: url('/h-multi'), extra: '<h1>Second main heading</h1>' }),
      page({ url: url('/h-empty'), h1: ' ', extra: '' }),
      page({ url: url('/h-skip'), extra: '<h4>Shipping details</h4>' }),
    ]);
    expect(brief(findings)).toEqual([
      { check: 'h1.empty', severity: 'warning', urls: [url('/h-empty')] },
      { check: 'h1.missing', severity: 'warning', urls: [url('/h-missing')] },
      { check: 'h1.multiple', severity: 'notice', urls: [url('/h-multi')] },
      { check: 'heading.skipped_level', severity: 'notice', urls: [url('/h-skip')] },
    ]);
    expect(only(findings, 'heading.skipped_level').details).toEqual({
      skips: [{ from: 'h2', to: 'h4', text: 'Shipping details' }],
    });
  });

  it('takes a logo image’s alt as the H1 text', () => {
    expect(
      auditWith([page({ url: url('/logo-h1'), h1: '<img src="/l.png" alt="Wasl" width="1" height="1">' })]),
    ).toEqual([]);
  });
});

describe('images', () => {
  it('reports missing alt, empty alt on a linked image, and missing dimensions', () => {
    const findings = auditWith([
      page({ url: url('/i-alt'), extra: '<img src="/team.jpg" width="10" height="10">' }),
      page({
        url: url('/i-link'),
        extra: `<a href="${url('/')}"><img src="/home.png" alt="" width="9" height="9"></a>`,
      }),
      page({ url: url('/i-size'), extra: '<img src="/banner.webp" alt="Ramadan sale banner" width="1200">' }),
      // Empty alt on a decorative, unlinked image, and on a linked image next to text: both fine.
      page({
        url: url('/i-fine'),
        extra: `<img src="/line.png" alt="" width="1" height="1"><a href="/"><img src="/i.png" alt="" width="9" height="9"> Home</a>`,
      }),
    ]);
    expect(brief(findings)).toEqual([
      { check: 'image.alt_empty_linked', severity: 'warning', urls: [url('/i-link')] },
      { check: 'image.alt_missing', severity: 'warning', urls: [url('/i-alt')] },
      { check: 'image.dimensions_missing', severity: 'notice', urls: [url('/i-size')] },
    ]);
    expect(only(findings, 'image.alt_missing').details).toEqual({ images: [url('/team.jpg')] });
    expect(only(findings, 'image.dimensions_missing').details).toEqual({ images: [url('/banner.webp')] });
  });

  it('reports heavy images only when the crawler fetched them', () => {
    const user = page({
      url: url('/gallery'),
      extra:
        '<img src="/big.jpg" alt="Store front" width="4000" height="3000"><img src="/unknown.jpg" alt="Shelf" width="1" height="1">',
    });
    const image = crawled(url('/big.jpg'), undefined, {
      contentType: 'image/jpeg',
      headers: { 'content-type': 'image/jpeg' },
      transferBytes: 512_000,
      bodyBytes: 512_000,
      inSitemap: false,
    });
    const findings = auditWith([user, image]);
    expect(brief(findings)).toEqual([{ check: 'image.heavy', severity: 'warning', urls: [url('/gallery')] }]);
    expect(only(findings, 'image.heavy').details).toEqual({
      image: url('/big.jpg'),
      target: url('/big.jpg'),
      bytes: 512_000,
      maxBytes: 204_800,
    });
  });
});

describe('thin and duplicate content', () => {
  it('reports pages under 200 words, counting Arabic words', () => {
    const findings = auditWith([
      page({ url: url('/thin'), words: 50 }),
      page({ url: url('/ar/قصير'), lang: 'ar', h1: 'صفحة قصيرة', words: 150 }),
    ]);
    expect(brief(findings)).toEqual([
      { check: 'content.thin', severity: 'warning', urls: [url('/ar/قصير')] },
      { check: 'content.thin', severity: 'warning', urls: [url('/thin')] },
    ]);
    // Visible words: the H1 (2), the H2 (1) and the filler; title, script and style are not visible.
    const ar = findings.find((f) => f.urls[0] === url('/ar/قصير'));
    expect(ar?.details).toEqual({ words: 2 + 1 + 150, minWords: MIN_WORDS });
  });

  it('groups exact duplicates, and near-duplicates that differ by a word or by Arabic spelling', () => {
    const text = filler('shared', 300, 'ar');
    const body = (t: string) => `<h2>الخطوات</h2><p>${t}</p>`;
    // Same text with other spellings (hamza on alef, ta marbuta as ha, alef maqsura, diacritics): exact after normalising.
    const respelled = text.replace(/الإعلانية/g, 'الاعلانيه').replace(/المستهدف/g, 'المُسْتَهْدَف');
    const edited = text
      .split(' ')
      .map((w, i) => (i === 150 ? 'المختلفة' : w))
      .join(' ');
    const findings = auditWith([
      page({ url: url('/ar/a'), lang: 'ar', h1: 'دليل', main: body(text) }),
      page({ url: url('/ar/b'), lang: 'ar', h1: 'دليل', main: body(respelled) }),
      page({ url: url('/ar/c'), lang: 'ar', h1: 'دليل', main: body(edited) }),
    ]);
    expect(brief(findings)).toEqual([
      { check: 'content.duplicate', severity: 'warning', urls: [url('/ar/a'), url('/ar/b')] },
      { check: 'content.near_duplicate', severity: 'warning', urls: [url('/ar/a'), url('/ar/c')] },
    ]);
    const near = only(findings, 'content.near_duplicate').details;
    expect(near?.count).toBe(2);
    expect(near?.maxDistance).toBeLessThanOrEqual(3);
  });

  it('keeps unrelated pages apart (simhash distance well above 3)', () => {
    const a = crawled(url('/p'), html({ url: url('/p') }));
    const b = crawled(url('/q'), html({ url: url('/q') }));
    expect(auditWith([a, b])).toEqual([]);
    expect(hammingDistance('ffffffffffffffff', '0000000000000000')).toBe(64);
  });
});
