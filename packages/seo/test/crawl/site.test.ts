import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crawl } from '../../src/crawl/index.ts';
import type { CrawledPage } from '../../src/types.ts';
import { encodeWindows1256, html, listen } from './fixtures.ts';

const enc = (path: string) => encodeURI(path);
const ARTICLE = '/مدونة/مقال';
const SECOND = '/مدونة/مقال-ثان';
const WINDOWS_TITLE = 'صفحة بترميز ويندوز';
const PNG = Buffer.alloc(3000, 7);

/** Requests per path as sent on the wire; robots.txt and sitemaps included. */
const hits = new Map<string, number>();
let base = '';
let close: () => Promise<void>;

const site: Record<
  string,
  (send: (status: number, headers: Record<string, string>, body?: Buffer | string) => void) => void
> = {
  '/robots.txt': (send) =>
    send(
      200,
      { 'content-type': 'text/plain' },
      `User-agent: *\nDisallow: /private/\n\nSitemap: ${base}/sitemap_index.xml\n`,
    ),
  '/sitemap_index.xml': (send) =>
    send(
      200,
      { 'content-type': 'application/xml' },
      `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <sitemap><loc>${base}/sitemap-pages.xml.gz</loc></sitemap></sitemapindex>`,
    ),
  '/sitemap-pages.xml.gz': (send) =>
    send(
      200,
      { 'content-type': 'application/gzip' },
      gzipSync(
        `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${base}/</loc></url>` +
          `<url><loc>${base}/sitemap-only</loc></url><url><loc>https://elsewhere.example/x</loc></url></urlset>`,
      ),
    ),
  '/': (send) =>
    send(
      200,
      { 'content-type': 'text/html; charset=utf-8' },
      html(
        'الصفحة الرئيسية',
        `<a href="${ARTICLE}">مقال</a> <a href="${enc(ARTICLE)}">المقال نفسه</a>
         <a href="/windows">ويندوز</a> <a href="/old">قديم</a> <a href="/loop-a">حلقة</a>
         <a href="/missing">مفقود</a> <a href="/private/secret">سري</a> <a href="/image.png">صورة</a>
         <a href="/binary">ثنائي</a> <a href="/nofollowed" rel="nofollow">لا تتبع</a>
         <a href="/?utm_source=newsletter#top">الرئيسية</a> <a href="mailto:info@example.sa">بريد</a>
         <a href="tel:+966500000000">هاتف</a> <a href="javascript:void(0)">js</a>
         <a href="https://elsewhere.example/page">خارجي</a>`,
      ),
    ),
  [enc(ARTICLE)]: (send) =>
    send(
      200,
      { 'content-type': 'text/html; charset=utf-8' },
      html(
        'مقال عن التسويق',
        `<a href="/">الرئيسية</a> <a href="${enc(ARTICLE).toLowerCase()}">هنا</a> <a href="مقال-ثان">التالي</a>`,
        '<base href="/مدونة/">',
      ),
    ),
  [enc(SECOND)]: (send) =>
    send(
      200,
      { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' },
      gzipSync(
        html('المقال الثاني', '<p>نص</p>'.repeat(200), `<link rel="canonical" href="${enc(SECOND)}">`),
      ),
    ),
  '/windows': (send) =>
    send(
      200,
      { 'content-type': 'text/html' },
      encodeWindows1256(
        `<html><head><meta charset="windows-1256"><title>${WINDOWS_TITLE}</title></head><body></body></html>`,
      ),
    ),
  '/old': (send) => send(301, { location: '/older' }),
  '/older': (send) => send(302, { location: `${base}/new` }),
  '/new': (send) =>
    send(200, { 'content-type': 'text/html; charset=utf-8' }, html('الجديد', '<a href="/">الرئيسية</a>')),
  '/loop-a': (send) => send(302, { location: '/loop-b' }),
  '/loop-b': (send) => send(302, { location: '/loop-a' }),
  '/missing': (send) => send(404, { 'content-type': 'text/html; charset=utf-8' }, html('غير موجود', '')),
  '/private/secret': (send) => send(200, { 'content-type': 'text/html' }, html('سري', '')),
  '/sitemap-only': (send) =>
    send(200, { 'content-type': 'text/html; charset=utf-8' }, html('من خريطة الموقع', '')),
  '/image.png': (send) => send(200, { 'content-type': 'image/png' }, PNG),
  '/binary': (send) =>
    send(200, { 'content-type': 'text/html' }, Buffer.from([0x89, 0x50, 0x00, 0x00, 0xff, 0xfe, 0x00, 1, 2])),
  '/nofollowed': (send) => send(200, { 'content-type': 'text/html' }, html('x', '')),
};

let pages: CrawledPage[] = [];
const page = (path: string) => {
  const found = pages.find((p) => p.url === `${base}${enc(path)}`);
  if (!found) throw new Error(`no page ${path}`);
  return found;
};

beforeAll(async () => {
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const route = site[path];
    const send = (status: number, headers: Record<string, string>, body?: Buffer | string) => {
      res.writeHead(status, headers);
      res.end(body);
    };
    if (route) route(send);
    else send(404, { 'content-type': 'text/plain' }, 'no route');
  });
  const started = await listen(server);
  base = `http://127.0.0.1:${started.port}`;
  close = started.close;
  const result = await crawl({
    startUrls: [`${base}/`],
    allowPrivateTargets: true,
    perHostDelayMs: 0,
    concurrency: 4,
  });
  if (!result.ok) throw new Error(result.error.message);
  pages = result.value.pages;
  expect(result.value.status).toBe('complete');
  expect(result.value.sitemaps).toEqual([
    { url: `${base}/sitemap_index.xml`, status: 200, urls: 0 },
    { url: `${base}/sitemap-pages.xml.gz`, status: 200, urls: 3 },
  ]);
});

afterAll(() => close());

describe('crawling an Arabic site over HTTP/1.1', () => {
  it('finds each page once, readable and percent-encoded links being one page', () => {
    expect(pages.map((p) => p.url.slice(base.length)).sort()).toEqual(
      [
        '/',
        enc(ARTICLE),
        enc(SECOND),
        '/binary',
        '/image.png',
        '/loop-a',
        '/missing',
        '/old',
        '/private/secret',
        '/sitemap-only',
        '/windows',
      ].sort(),
    );
    for (const [path, count] of hits) expect({ path, count }).toEqual({ path, count: 1 });
    expect(hits.has('/private/secret')).toBe(false);
    expect(hits.has('/nofollowed')).toBe(false);
  });

  it('records status, depth, sitemap membership and inlinks', () => {
    const summary = (path: string) => {
      const p = page(path);
      return [p.status, p.depth, p.inSitemap, p.inlinks.map((u) => u.slice(base.length)).sort()];
    };
    expect(summary('/')).toEqual([200, 0, true, [enc(ARTICLE), '/old']]);
    expect(summary(ARTICLE)).toEqual([200, 1, false, ['/']]);
    expect(summary(SECOND)).toEqual([200, 2, false, [enc(ARTICLE)]]);
    expect(summary('/sitemap-only')).toEqual([200, 0, true, []]);
    expect(summary('/missing')).toEqual([404, 1, false, ['/']]);
  });

  it('decodes Arabic bodies: UTF-8, gzip and windows-1256', () => {
    expect(page('/').body).toContain('<title>الصفحة الرئيسية</title>');
    expect(page(ARTICLE).body).toContain('<title>مقال عن التسويق</title>');
    const second = page(SECOND);
    expect([second.encoding, second.charset, second.body?.includes('<title>المقال الثاني</title>')]).toEqual([
      'gzip',
      'utf-8',
      true,
    ]);
    expect(second.transferBytes).toBeLessThan(second.bodyBytes);
    expect(second.bodyBytes).toBe(Buffer.byteLength(second.body ?? ''));
    const windows = page('/windows');
    expect([windows.charset, windows.body?.includes(`<title>${WINDOWS_TITLE}</title>`)]).toEqual([
      'windows-1256',
      true,
    ]);
  });

  it('follows a redirect chain hop by hop and stops a loop', () => {
    const old = page('/old');
    expect([old.status, old.finalUrl, old.redirects, old.body?.includes('<title>الجديد</title>')]).toEqual([
      200,
      `${base}/new`,
      [
        { url: `${base}/old`, status: 301, location: '/older' },
        { url: `${base}/older`, status: 302, location: `${base}/new` },
      ],
      true,
    ]);
    const loop = page('/loop-a');
    expect([loop.status, loop.error?.kind, loop.redirects.map((r) => r.location)]).toEqual([
      302,
      'redirect_loop',
      ['/loop-b', '/loop-a'],
    ]);
  });

  it('records a robots.txt disallow without fetching, and non-HTML without a body', () => {
    const secret = page('/private/secret');
    expect([secret.blockedByRobots, secret.status, secret.error?.kind, secret.body]).toEqual([
      true,
      0,
      'blocked_by_robots',
      undefined,
    ]);
    const image = page('/image.png');
    expect([image.status, image.contentType, image.body, image.bodyBytes, image.links]).toEqual([
      200,
      'image/png',
      undefined,
      PNG.length,
      undefined,
    ]);
    const binary = page('/binary');
    expect([binary.status, binary.body, binary.error?.kind]).toEqual([200, undefined, 'other']);
  });

  it('records outgoing links with text, rel and internal flag', () => {
    const links = page('/').links ?? [];
    expect(links.length).toBe(12);
    expect(links.filter((l) => l.url === `${base}${enc(ARTICLE)}`).map((l) => l.text)).toEqual([
      'مقال',
      'المقال نفسه',
    ]);
    expect(links.find((l) => l.rel === 'nofollow')).toEqual({
      url: `${base}/nofollowed`,
      text: 'لا تتبع',
      rel: 'nofollow',
      internal: true,
    });
    expect(links.find((l) => !l.internal)).toEqual({
      url: 'https://elsewhere.example/page',
      text: 'خارجي',
      internal: false,
    });
    expect(links.filter((l) => l.url === `${base}/`).map((l) => l.text)).toEqual(['الرئيسية']);
    expect(page(SECOND).links).toEqual([
      { url: `${base}${enc(SECOND)}`, text: '', rel: 'canonical', internal: true },
    ]);
  });

  it('times each request in order, with HTTP version and no TLS over plain HTTP', () => {
    for (const p of pages.filter((x) => !x.blockedByRobots)) {
      const t = p.timings;
      if (!t) throw new Error(`no timings for ${p.url}`);
      expect(t.ttfbMs).toBeGreaterThanOrEqual(0);
      expect(t.ttfbMs + t.downloadMs).toBeLessThanOrEqual(t.totalMs + 0.001);
      expect(t.tlsMs).toBeUndefined();
      expect(t.dnsMs).toBeUndefined(); // an IP literal needs no lookup
      expect([p.httpVersion, p.tls]).toEqual(['1.1', undefined]);
    }
    // Some request opened a connection and timed it.
    expect(pages.some((p) => (p.timings?.connectMs ?? -1) >= 0)).toBe(true);
  });
});
