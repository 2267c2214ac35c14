import { describe, expect, it } from 'vitest';
import { extractLinks } from '../../src/crawl/links.ts';
import { sameSite } from '../../src/crawl/url.ts';

const internal = sameSite(['https://example.sa/'], false);
const PAGE = 'https://example.sa/مدونة/index.html';

describe('extractLinks', () => {
  it('records <a> text and rel, <link rel=canonical|alternate>, and skips non-page hrefs', () => {
    const html = `<html><head>
      <link rel="canonical" href="/مدونة/">
      <link rel="alternate" hreflang="en" href="https://example.sa/en/blog/">
      <link rel="stylesheet" href="/style.css">
    </head><body>
      <a href="مقال?utm_source=nl">  اقرأ
        المزيد </a>
      <a href="https://other.com/x" rel="nofollow sponsored">Partner</a>
      <a href="/p"><img src="i.png" alt="صورة المنتج"></a>
      <a href="mailto:a@b.sa">mail</a><a href="tel:+966">tel</a><a href="javascript:void(0)">js</a>
      <a href="#top">top</a><a>no href</a>
    </body></html>`;
    expect(extractLinks(html, PAGE, internal)).toEqual({
      nofollow: false,
      links: [
        {
          url: 'https://example.sa/%D9%85%D8%AF%D9%88%D9%86%D8%A9/',
          text: '',
          rel: 'canonical',
          internal: true,
        },
        { url: 'https://example.sa/en/blog/', text: '', rel: 'alternate', internal: true },
        {
          url: 'https://example.sa/%D9%85%D8%AF%D9%88%D9%86%D8%A9/%D9%85%D9%82%D8%A7%D9%84',
          text: 'اقرأ المزيد',
          internal: true,
        },
        { url: 'https://other.com/x', text: 'Partner', rel: 'nofollow sponsored', internal: false },
        { url: 'https://example.sa/p', text: 'صورة المنتج', internal: true },
      ],
    });
  });

  it('resolves against <base href> and reads <meta name=robots> nofollow', () => {
    const html = `<head><base href="https://example.sa/أخبار/"><meta name="robots" content="noindex, nofollow"></head>
      <a href="خبر">خبر &amp; تحليل</a>`;
    expect(extractLinks(html, PAGE, internal)).toEqual({
      nofollow: true,
      links: [
        {
          url: 'https://example.sa/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/%D8%AE%D8%A8%D8%B1',
          text: 'خبر & تحليل',
          internal: true,
        },
      ],
    });
  });

  it('reads a nofollow addressed to the crawler by name only', () => {
    const html =
      '<meta name="WaslBot" content="nofollow"><meta name="otherbot" content="none"><a href="/x">x</a>';
    expect(extractLinks(html, PAGE, internal, { robotsName: 'WaslBot' }).nofollow).toBe(true);
    expect(extractLinks(html, PAGE, internal, { robotsName: 'SomeBot' }).nofollow).toBe(false);
  });
});
