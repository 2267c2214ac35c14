import { describe, expect, it } from 'vitest';
import { parseLinkHeader, xRobotsDirectives } from '../../src/audit/headers.ts';
import {
  estimatePixels,
  extractFacts,
  graphemeCount,
  normaliseArabic,
  simhash,
  words,
} from '../../src/audit/index.ts';
import { AR_CHARACTERS, arabicCount } from '../../src/audit/text.ts';
import { crawled, url } from './fixtures.ts';

const HTML = `<!doctype html><html lang="ar" dir="rtl"><head>
<base href="https://example.com/ar/">
<title>  متجر   وصل &amp; شركاه </title>
<meta name="description" content="وصف قصير">
<meta name="ROBOTS" content="noindex">
<link rel="canonical" href="/ar/">
<link rel="alternate" hreflang="en" href="../en/">
<meta property="og:title" content="عنوان المشاركة"><meta name="twitter:card" content="summary">
<script type="application/ld+json">{"@type":"Organization","name":"وصل"}</script>
<script type="application/ld+json">{broken</script>
<style>.hidden { display: none }</style>
</head><body>
<svg><title>أيقونة</title></svg>
<h1>مرحبا <b>بكم</b></h1><h3>تفاصيل</h3>
<noscript>فعّل جافاسكربت</noscript><template><p>قالب مخفي</p></template>
<p>كَتَبَ الطالبُ الدرسَ، ثم ذهب.</p>
<a href="offers?x=1#top" rel="nofollow">العروض</a>
<a href="/"><img src="logo.png" alt=""></a>
<img src="http://cdn.example.net/a.png" srcset="http://cdn.example.net/a2.png 2x" width="10">
<iframe src="http://maps.example.net/embed"></iframe>
</body></html>`;

describe('extractFacts', () => {
  const facts = extractFacts(
    crawled(url('/ar/'), HTML, { headers: { link: '<https://example.com/ar/?lang=ar>; rel="canonical"' } }),
  );

  it('reads head metadata, decoding entities and ignoring SVG titles', () => {
    expect(facts.titles).toEqual(['متجر وصل & شركاه']);
    expect(facts.descriptions).toEqual(['وصف قصير']);
    expect(facts.metaRobots).toEqual(['noindex']);
    expect(facts.canonicals).toEqual(['/ar/']);
    expect(facts.headerCanonicals).toEqual(['https://example.com/ar/?lang=ar']);
    expect(facts.hreflang).toEqual([{ lang: 'en', url: 'https://example.com/en/', source: 'html' }]);
    expect([facts.lang, facts.htmlDir, facts.bodyDir]).toEqual(['ar', 'rtl', undefined]);
    expect(facts.social).toEqual({ 'og:title': 'عنوان المشاركة', 'twitter:card': 'summary' });
  });

  it('keeps JSON-LD parse errors as values', () => {
    expect(facts.jsonLd[0]).toEqual({ ok: true, value: { '@type': 'Organization', name: 'وصل' } });
    expect(facts.jsonLd[1]?.ok).toBe(false);
  });

  it('records headings, images, anchors and insecure subresources resolved against <base>', () => {
    expect(facts.headings).toEqual([
      { level: 1, text: 'مرحبا بكم' },
      { level: 3, text: 'تفاصيل' },
    ]);
    expect(facts.images).toEqual([
      {
        src: 'https://example.com/ar/logo.png',
        alt: '',
        hasWidth: false,
        hasHeight: false,
        soleLinkContent: true,
      },
      { src: 'http://cdn.example.net/a.png', hasWidth: true, hasHeight: false, soleLinkContent: false },
    ]);
    expect(facts.anchors).toEqual([
      { url: 'https://example.com/ar/offers?x=1', text: 'العروض', rel: 'nofollow' },
      { url: 'https://example.com/', text: '' },
    ]);
    expect(facts.insecureSubresources).toEqual([
      'http://cdn.example.net/a.png',
      'http://cdn.example.net/a2.png',
      'http://maps.example.net/embed',
    ]);
  });

  it('counts visible words only (no script, style, noscript, template or SVG text)', () => {
    // مرحبا بكم | تفاصيل | كتب الطالب الدرس ثم ذهب | العروض
    expect(facts.wordCount).toBe(9);
    expect(facts.arabicLetters).toBe(facts.letters);
  });
});

describe('text helpers', () => {
  it('counts Arabic words with diacritics and punctuation as people do', () => {
    expect(words('كَتَبَ الطالبُ الدرسَ، ثم ذهب. Then he left!')).toEqual([
      'كَتَبَ',
      'الطالبُ',
      'الدرسَ',
      'ثم',
      'ذهب',
      'Then',
      'he',
      'left',
    ]);
  });

  it('normalises alef, ya, ta marbuta, diacritics and tatweel', () => {
    expect(normaliseArabic('أإآٱ ى ة مُـسْتَهْدَف')).toBe('اااا ي ه مستهدف');
  });

  it('counts grapheme clusters, not code units or bytes', () => {
    expect(graphemeCount('مَرْحَبًا')).toBe(5);
    expect('مَرْحَبًا'.length).toBe(9);
    expect(graphemeCount('👍🏽 café')).toBe(6);
  });

  it('estimates pixels from Arial widths for Latin and an average for Arabic', () => {
    // 'a' is 556/1000 em, a space 278/1000 em: 20px × (2 × 0.556 + 0.278) = 27.8
    expect(estimatePixels('a a', 20)).toBe(28);
    // An Arabic letter is 0.4254 em; diacritics add nothing.
    expect(estimatePixels('مرحبا', 20)).toBe(Math.round(5 * 0.4254 * 20));
    expect(estimatePixels('مَرْحَبًا', 20)).toBe(estimatePixels('مرحبا', 20));
  });

  it('fingerprints texts: identical → same simhash, too short → none', () => {
    const t = words('one two three four five six seven eight');
    expect(simhash(t)).toBe(simhash([...t]));
    expect(simhash(t)).toMatch(/^[0-9a-f]{16}$/);
    expect(simhash(['one', 'two'])).toBeUndefined();
  });
});

describe('arabicCount', () => {
  it('agrees the counted noun with the number', () => {
    expect([1, 2, 3, 10, 11, 55, 99, 100, 103].map((n) => arabicCount(n, AR_CHARACTERS))).toEqual([
      'حرف واحد',
      'حرفين',
      '3 أحرف',
      '10 أحرف',
      '11 حرفًا',
      '55 حرفًا',
      '99 حرفًا',
      '100 حرف',
      '103 أحرف',
    ]);
  });
});

describe('header parsers', () => {
  it('parses Link headers with commas inside URLs', () => {
    expect(
      parseLinkHeader('<https://e.com/a,b>; rel="canonical", <https://e.com/en>; rel=alternate; hreflang=en'),
    ).toEqual([
      { url: 'https://e.com/a,b', rel: ['canonical'] },
      { url: 'https://e.com/en', rel: ['alternate'], hreflang: 'en' },
    ]);
  });

  it('keeps X-Robots-Tag directives for Google and all bots, drops those for other bots', () => {
    expect(xRobotsDirectives('noindex, max-snippet: 20')).toEqual(['noindex', 'max-snippet: 20']);
    expect(xRobotsDirectives('bingbot: noindex, nofollow')).toEqual([]);
    expect(xRobotsDirectives('googlebot: nofollow')).toEqual(['nofollow']);
  });
});
