import { describe, expect, it } from 'vitest';
import { parseSitemap } from '../../src/crawl/sitemap.ts';

describe('parseSitemap', () => {
  it('reads a urlset', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
      <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <url><loc> https://example.sa/%D8%A3 </loc><lastmod>2026-01-01</lastmod></url>
        <url><loc>https://example.sa/?a=1&amp;b=2</loc></url>
      </urlset>`;
    expect(parseSitemap(xml)).toEqual({
      urls: ['https://example.sa/%D8%A3', 'https://example.sa/?a=1&b=2'],
      sitemaps: [],
    });
  });

  it('reads a sitemap index, namespaced elements included', () => {
    const xml = `<sm:sitemapindex xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9">
      <sm:sitemap><sm:loc>https://example.sa/a.xml.gz</sm:loc></sm:sitemap>
      <sm:sitemap><sm:loc>https://example.sa/b.xml</sm:loc></sm:sitemap></sm:sitemapindex>`;
    expect(parseSitemap(xml)).toEqual({
      urls: [],
      sitemaps: ['https://example.sa/a.xml.gz', 'https://example.sa/b.xml'],
    });
  });

  it('reads a text sitemap, one URL a line', () => {
    expect(parseSitemap('\uFEFFhttps://example.sa/a\r\n\r\nnot a url\nhttp://example.sa/b\n')).toEqual({
      urls: ['https://example.sa/a', 'http://example.sa/b'],
      sitemaps: [],
    });
  });
});
