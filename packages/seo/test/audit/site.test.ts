import { describe, expect, it } from 'vitest';
import { auditSite } from '../../src/audit/index.ts';
import type { CrawledPage } from '../../src/types.ts';
import {
  AR_URL,
  auditWith,
  brief,
  cleanArabic,
  cleanEnglish,
  crawled,
  EN_URL,
  NOW,
  only,
  page,
  SECURE_HEADERS,
  url,
} from './fixtures.ts';

const withoutHeader = (name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(SECURE_HEADERS).filter(([k]) => k !== name));

describe('security', () => {
  it('reports http:// subresources on https pages', () => {
    const findings = auditWith([
      page({
        url: url('/mixed'),
        extra: `<script src="http://cdn.example.net/app.js"></script><img src="http://img.example.net/a.png" alt="A" width="1" height="1">
<link rel="stylesheet" href="http://cdn.example.net/app.css"><a href="http://old.example.net/">Our old site</a>`,
      }),
    ]);
    expect(brief(findings)).toEqual([
      { check: 'security.mixed_content', severity: 'critical', urls: [url('/mixed')] },
    ]);
    // Links are navigation, not subresources.
    expect(only(findings, 'security.mixed_content').details).toEqual({
      resources: [
        'http://cdn.example.net/app.js',
        'http://img.example.net/a.png',
        'http://cdn.example.net/app.css',
      ],
    });
  });

  it('reports https pages without HSTS or CSP, grouped over the site', () => {
    const findings = auditWith([
      page({ url: url('/no-hsts') }, { headers: withoutHeader('strict-transport-security') }),
      page({ url: url('/no-csp') }, { headers: withoutHeader('content-security-policy') }),
      page({ url: url('/no-csp-2') }, { headers: withoutHeader('content-security-policy') }),
    ]);
    expect(brief(findings)).toEqual([
      { check: 'security.csp_missing', severity: 'notice', urls: [url('/no-csp'), url('/no-csp-2')] },
      { check: 'security.hsts_missing', severity: 'warning', urls: [url('/no-hsts')] },
    ]);
    expect(only(findings, 'security.csp_missing').details).toEqual({ count: 2 });
  });

  it('reports a certificate expiring within 30 days of the audit time, and an expired one', () => {
    const tls = (validTo: string) => ({ protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', validTo });
    const soon = [cleanArabic(), cleanEnglish()].map((p) => ({ ...p, tls: tls('2026-12-03T12:00:00Z') }));
    const findings = auditSite(soon, { now: NOW });
    expect(brief(findings)).toEqual([
      { check: 'security.tls_expiring', severity: 'warning', urls: [AR_URL, EN_URL].sort() },
    ]);
    expect(only(findings, 'security.tls_expiring').details).toEqual({
      host: 'example.com',
      validTo: '2026-12-03T12:00:00Z',
      daysLeft: 10,
    });
    const expired = auditSite(
      soon.map((p) => ({ ...p, tls: tls('2026-11-01T00:00:00Z') })),
      { now: NOW },
    );
    expect(brief(expired)).toEqual([
      { check: 'security.tls_expired', severity: 'critical', urls: [AR_URL, EN_URL].sort() },
    ]);
    // The same certificate 31 days out is fine.
    expect(
      auditSite(
        soon.map((p) => ({ ...p, tls: tls('2026-12-24T00:00:00Z') })),
        { now: NOW },
      ),
    ).toEqual([]);
  });
});

const ld = (json: string) => `<script type="application/ld+json">${json}</script>`;

describe('structured data', () => {
  it('reports JSON-LD syntax errors with the parser message', () => {
    const findings = auditWith([
      page({ url: url('/bad-json'), head: ld('{"@type": "Organization", "name": "Wasl",}') }),
    ]);
    expect(brief(findings)).toEqual([
      { check: 'schema.json_invalid', severity: 'critical', urls: [url('/bad-json')] },
    ]);
    const details = only(findings, 'schema.json_invalid').details;
    expect(details?.block).toBe(1);
    expect(details?.error).toMatch(/JSON/);
  });

  it('reports required and recommended properties per type', () => {
    const product = page({
      url: url('/product'),
      head: ld(
        '{"@context":"https://schema.org","@type":"Product","name":"هاتف","image":"/p.png","description":"هاتف ذكي"}',
      ),
    });
    const breadcrumb = page({
      url: url('/crumbs'),
      head: ld(`{"@type":"BreadcrumbList","itemListElement":[
        {"@type":"ListItem","position":1,"name":"الرئيسية"},
        {"@type":"ListItem","position":2,"name":"الجوالات"}]}`),
    });
    const faq = page({
      url: url('/faq'),
      head: ld(`{"@type":"FAQPage","mainEntity":[
        {"@type":"Question","name":"هل الشحن مجاني؟","acceptedAnswer":{"@type":"Answer","text":"نعم"}},
        {"@type":"Question","name":"كم مدة التوصيل؟","acceptedAnswer":{"@type":"Answer"}}]}`),
    });
    const business = page({
      url: url('/branch'),
      head: ld(
        '{"@type":"LocalBusiness","name":"فرع الرياض","telephone":"+966","url":"/","geo":{},"openingHoursSpecification":[]}',
      ),
    });
    const article = page({
      url: url('/article'),
      head: ld('[{"@type":"Article","headline":"عنوان","image":"/a.png","author":{"name":"سارة"}}]'),
    });
    const findings = auditWith([product, breadcrumb, faq, business, article]);
    expect(brief(findings)).toEqual([
      { check: 'schema.recommended_missing', severity: 'notice', urls: [url('/article')] },
      { check: 'schema.recommended_missing', severity: 'notice', urls: [url('/branch')] },
      { check: 'schema.recommended_missing', severity: 'notice', urls: [url('/product')] },
      { check: 'schema.required_missing', severity: 'critical', urls: [url('/branch')] },
      { check: 'schema.required_missing', severity: 'critical', urls: [url('/crumbs')] },
      { check: 'schema.required_missing', severity: 'critical', urls: [url('/faq')] },
      { check: 'schema.required_missing', severity: 'critical', urls: [url('/product')] },
    ]);
    const details = (check: string, path: string) =>
      findings.find((f) => f.check === check && f.urls[0] === url(path))?.details;
    expect(details('schema.required_missing', '/product')).toEqual({
      block: 1,
      type: 'Product',
      missing: ['offers|review|aggregateRating'],
    });
    expect(details('schema.recommended_missing', '/product')).toEqual({
      block: 1,
      type: 'Product',
      missing: ['brand'],
    });
    // The last crumb may omit item; earlier ones may not.
    expect(details('schema.required_missing', '/crumbs')).toEqual({
      block: 1,
      type: 'BreadcrumbList',
      missing: ['itemListElement[0].item'],
    });
    expect(details('schema.required_missing', '/faq')).toEqual({
      block: 1,
      type: 'FAQPage',
      missing: ['mainEntity[1].acceptedAnswer.text'],
    });
    // An empty list counts as missing (openingHoursSpecification: []).
    expect(details('schema.required_missing', '/branch')).toEqual({
      block: 1,
      type: 'LocalBusiness',
      missing: ['address'],
    });
    expect(details('schema.recommended_missing', '/branch')).toEqual({
      block: 1,
      type: 'LocalBusiness',
      missing: ['openingHoursSpecification'],
    });
    expect(details('schema.recommended_missing', '/article')).toEqual({
      block: 1,
      type: 'Article',
      missing: ['datePublished', 'dateModified'],
    });
  });
});

describe('social tags', () => {
  it('reports missing Open Graph properties and a missing twitter:card', () => {
    const findings = auditWith([
      page({ url: url('/no-og-image'), og: ['og:title', 'og:description', 'og:url'] }),
      page({ url: url('/no-twitter'), twitterCard: false }),
    ]);
    expect(brief(findings)).toEqual([
      { check: 'social.og_missing', severity: 'notice', urls: [url('/no-og-image')] },
      { check: 'social.twitter_card_missing', severity: 'notice', urls: [url('/no-twitter')] },
    ]);
    expect(only(findings, 'social.og_missing').details).toEqual({ missing: ['og:image'] });
  });
});

describe('sitemap, orphans and depth', () => {
  it('reports sitemap entries that are noindex, blocked, redirected, failing or not canonical', () => {
    const pages: CrawledPage[] = [
      page({ url: url('/s-noindex'), head: '<meta name="robots" content="noindex">' }),
      crawled(url('/s-blocked'), undefined, { status: 0, blockedByRobots: true }),
      crawled(url('/s-redirect'), undefined, {
        finalUrl: EN_URL,
        redirects: [{ url: url('/s-redirect'), status: 301, location: EN_URL }],
      }),
      crawled(url('/s-error'), '<p>gone</p>', { status: 404 }),
      page({ url: url('/s-copy'), canonical: EN_URL }),
    ];
    const findings = auditWith(pages);
    expect(brief(findings)).toEqual([
      { check: 'indexing.noindex', severity: 'warning', urls: [url('/s-noindex')] },
      { check: 'sitemap.blocked', severity: 'warning', urls: [url('/s-blocked')] },
      { check: 'sitemap.error', severity: 'warning', urls: [url('/s-error')] },
      { check: 'sitemap.noindex', severity: 'warning', urls: [url('/s-noindex')] },
      { check: 'sitemap.non_canonical', severity: 'warning', urls: [url('/s-copy')] },
      { check: 'sitemap.redirect', severity: 'warning', urls: [url('/s-redirect')] },
      { check: 'status.client_error', severity: 'critical', urls: [url('/s-error')] },
    ]);
    expect(only(findings, 'sitemap.redirect').details).toEqual({ finalUrl: EN_URL });
    expect(only(findings, 'sitemap.non_canonical').details).toEqual({ canonical: EN_URL });
  });

  it('takes sitemap URLs given to the audit into account', () => {
    const noindex = page(
      { url: url('/listed'), head: '<meta name="robots" content="noindex">' },
      { inSitemap: false },
    );
    const findings = auditWith([noindex], { sitemapUrls: [url('/listed')] });
    expect(brief(findings)).toEqual([
      { check: 'indexing.noindex', severity: 'warning', urls: [url('/listed')] },
      { check: 'sitemap.noindex', severity: 'warning', urls: [url('/listed')] },
    ]);
  });

  it('reports sitemap pages without inlinks, and pages deeper than 3 clicks', () => {
    const findings = auditWith([
      page({ url: url('/orphan') }, { inlinks: [url('/orphan')] }),
      page({ url: url('/deep') }, { depth: 5 }),
      page({ url: url('/three') }, { depth: 3 }),
    ]);
    expect(brief(findings)).toEqual([
      { check: 'crawl.depth', severity: 'notice', urls: [url('/deep')] },
      { check: 'orphan.page', severity: 'warning', urls: [url('/orphan')] },
    ]);
    expect(only(findings, 'crawl.depth').details).toEqual({ depth: 5, maxDepth: 3 });
  });
});

describe('URL slugs', () => {
  it('reports a long Arabic slug with its readable and encoded lengths, and mixed-script slugs', () => {
    const slug = 'أفضل-عروض-الجوالات-الذكية-في-رمضان-لهذا-العام';
    const long = url(`/ar/${slug}`);
    const mixed = url('/ar/جوالات-samsung-الجديدة');
    const title = 'عروض الجوالات الذكية في رمضان لهذا العام';
    const findings = auditWith([page({ url: long, lang: 'ar', title }), page({ url: mixed, lang: 'ar' })]);
    expect(brief(findings)).toEqual([
      { check: 'url.encoded_slug_long', severity: 'notice', urls: [long] },
      { check: 'url.mixed_script_slug', severity: 'notice', urls: [mixed] },
    ]);
    const readable = `/ar/${slug}`;
    const encoded = `/ar/${encodeURIComponent(slug)}`;
    expect(encoded.length).toBeGreaterThan(200);
    expect(only(findings, 'url.encoded_slug_long').details).toEqual({
      path: readable,
      readableLength: readable.length,
      encodedLength: encoded.length,
    });
    expect(only(findings, 'url.mixed_script_slug').details).toEqual({ segments: ['جوالات-samsung-الجديدة'] });
  });
});
