import { describe, expect, it } from 'vitest';
import { auditSite } from '../../src/audit/index.ts';
import { auditWith, brief, crawled, NOW, only, page, url } from './fixtures.ts';

const notFound = (path: string, over = {}) =>
  crawled(url(path), '<html><body>Not found</body></html>', { status: 404, inSitemap: false, ...over });

describe('status codes', () => {
  it('reports 4xx and 5xx pages and fetch errors by kind', () => {
    const findings = auditWith([
      notFound('/gone'),
      crawled(url('/crash'), undefined, { status: 503, inSitemap: false }),
      crawled(url('/slow'), undefined, {
        status: 0,
        inSitemap: false,
        error: { kind: 'timeout', message: 'no answer after 10000 ms' },
      }),
    ]);
    expect(brief(findings)).toEqual([
      { check: 'status.client_error', severity: 'critical', urls: [url('/gone')] },
      { check: 'status.fetch_error', severity: 'critical', urls: [url('/slow')] },
      { check: 'status.server_error', severity: 'critical', urls: [url('/crash')] },
    ]);
    expect(only(findings, 'status.client_error').details).toEqual({ status: 404 });
    expect(only(findings, 'status.fetch_error').details).toEqual({
      kind: 'timeout',
      error: 'no answer after 10000 ms',
    });
    expect(only(findings, 'status.fetch_error').message.ar).toContain('لم يستجب الخادم');
  });

  it('does not report pages blocked by robots.txt as failures', () => {
    const blocked = crawled(url('/private'), undefined, {
      status: 0,
      inSitemap: false,
      blockedByRobots: true,
      error: { kind: 'blocked_by_robots', message: 'Disallow: /private' },
    });
    expect(auditWith([blocked])).toEqual([]);
  });
});

describe('broken links', () => {
  it('reports the pages linking to a failing internal page', () => {
    const source = page({
      url: url('/links-here'),
      extra: `<p><a href="/gone">The old pricing table</a></p>`,
    });
    const findings = auditWith([source, notFound('/gone')]);
    expect(brief(findings)).toEqual([
      { check: 'links.broken_internal', severity: 'critical', urls: [url('/links-here')] },
      { check: 'status.client_error', severity: 'critical', urls: [url('/gone')] },
    ]);
    expect(only(findings, 'links.broken_internal').details).toEqual({ target: url('/gone'), status: 404 });
  });

  it('reports failing external links (as warnings) from the crawler’s link list', () => {
    const external = 'https://partner.example.org/offer';
    const source = page(
      { url: url('/partners'), extra: `<a href="${external}">Our partner's Ramadan offer</a>` },
      {
        links: [
          { url: external, text: "Our partner's Ramadan offer", internal: false },
          // A <link> element, as the crawler lists them: not a broken link.
          { url: url('/gone'), text: '', rel: 'alternate', internal: true },
        ],
      },
    );
    const findings = auditWith([
      source,
      notFound('/gone'),
      crawled(external, undefined, {
        status: 0,
        depth: -1,
        inSitemap: false,
        error: { kind: 'dns', message: 'ENOTFOUND' },
      }),
    ]);
    // The external page's own failure is not the site's status problem.
    expect(brief(findings)).toEqual([
      { check: 'links.broken_external', severity: 'warning', urls: [url('/partners')] },
      { check: 'status.client_error', severity: 'critical', urls: [url('/gone')] },
    ]);
    expect(only(findings, 'links.broken_external').details).toEqual({
      target: external,
      status: 0,
      errorKind: 'dns',
    });
  });
});

describe('redirects', () => {
  it('reports chains of more than one hop with every hop', () => {
    const chain = crawled(url('/old'), undefined, {
      finalUrl: url('/new'),
      inSitemap: false,
      redirects: [
        { url: url('/old'), status: 301, location: '/older' },
        { url: url('/older'), status: 302, location: '/new' },
      ],
    });
    const single = crawled(url('/moved'), undefined, {
      finalUrl: EN(),
      inSitemap: false,
      redirects: [{ url: url('/moved'), status: 301, location: EN() }],
    });
    const findings = auditWith([chain, single]);
    expect(brief(findings)).toEqual([{ check: 'redirect.chain', severity: 'warning', urls: [url('/old')] }]);
    expect(only(findings, 'redirect.chain').details).toEqual({
      hops: 2,
      chain: [url('/old'), url('/older'), url('/new')],
    });
  });

  it('reports loops and runaway redirects as critical', () => {
    const loop = crawled(url('/a'), undefined, {
      status: 0,
      inSitemap: false,
      redirects: [
        { url: url('/a'), status: 301, location: '/b' },
        { url: url('/b'), status: 301, location: '/a' },
      ],
      error: { kind: 'redirect_loop', message: 'loop' },
    });
    const many = crawled(url('/far'), undefined, {
      status: 0,
      inSitemap: false,
      redirects: Array.from({ length: 10 }, (_, i) => ({
        url: url(`/far${i}`),
        status: 302,
        location: `/far${i + 1}`,
      })),
      error: { kind: 'too_many_redirects', message: 'more than 10' },
    });
    const findings = auditWith([loop, many]);
    expect(brief(findings)).toEqual([
      { check: 'redirect.loop', severity: 'critical', urls: [url('/a')] },
      { check: 'redirect.too_many', severity: 'critical', urls: [url('/far')] },
    ]);
    expect(only(findings, 'redirect.loop').details).toEqual({ hops: [url('/a'), url('/b')] });
  });
});

const EN = () => url('/en/marketing-guide');

describe('generic link text', () => {
  it('flags Arabic and English generic anchors after trimming and normalising', () => {
    const arabic = page({
      url: url('/ar/عروض'),
      lang: 'ar',
      extra: `<a href="${EN()}">  اضغط هنا </a> <a href="${EN()}">اقرأ المزيد »</a> <a href="${EN()}">أسعار الباقات الشهرية</a>`,
    });
    const english = page({
      url: url('/offers'),
      extra: `<a href="${EN()}">Click here</a> <a href="${EN()}">Learn more...</a>`,
    });
    const findings = auditWith([arabic, english]);
    expect(brief(findings)).toEqual([
      { check: 'links.generic_text', severity: 'notice', urls: [url('/ar/عروض')] },
      { check: 'links.generic_text', severity: 'notice', urls: [url('/offers')] },
    ]);
    const ar = findings.find((f) => f.urls[0] === url('/ar/عروض'));
    expect(ar?.details).toEqual({
      links: [
        { url: EN(), text: 'اضغط هنا' },
        { url: EN(), text: 'اقرأ المزيد »' },
      ],
    });
  });

  it('checks links only on the site, with the audit clock as a parameter', () => {
    expect(auditSite([], { now: NOW })).toEqual([]);
  });
});
