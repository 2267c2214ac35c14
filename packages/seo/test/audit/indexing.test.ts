import { describe, expect, it } from 'vitest';
import { auditWith, brief, crawled, EN_URL, only, page, SECURE_HEADERS, url } from './fixtures.ts';

describe('robots directives', () => {
  it('reports noindex and nofollow from meta tags and the X-Robots-Tag header', () => {
    const metaNoindex = page(
      { url: url('/draft'), head: '<meta name="robots" content="noindex, follow">' },
      { inSitemap: false },
    );
    const headerNoindex = page(
      { url: url('/print') },
      { inSitemap: false, headers: { ...SECURE_HEADERS, 'x-robots-tag': 'googlebot: noindex' } },
    );
    const nofollow = page({ url: url('/forum'), head: '<meta name="googlebot" content="nofollow">' });
    // Directives for another crawler do not apply to Google.
    const otherBot = page(
      { url: url('/other') },
      { headers: { ...SECURE_HEADERS, 'x-robots-tag': 'otherbot: noindex' } },
    );
    const findings = auditWith([metaNoindex, headerNoindex, nofollow, otherBot]);
    expect(brief(findings)).toEqual([
      { check: 'indexing.nofollow', severity: 'warning', urls: [url('/forum')] },
      { check: 'indexing.noindex', severity: 'warning', urls: [url('/draft')] },
      { check: 'indexing.noindex', severity: 'warning', urls: [url('/print')] },
    ]);
    expect(findings.find((f) => f.urls[0] === url('/draft'))?.details).toEqual({ sources: ['meta'] });
    expect(findings.find((f) => f.urls[0] === url('/print'))?.details).toEqual({ sources: ['header'] });
  });
});

describe('canonical', () => {
  it('reports missing, multiple, relative and header-mismatched canonicals', () => {
    const missing = page({ url: url('/no-canonical'), canonical: null });
    const multiple = page(
      {
        url: url('/two-canonicals'),
        head: `<link rel="canonical" href="${url('/two-canonicals?ref=1')}">`,
      },
      { inSitemap: false },
    );
    const relative = page({ url: url('/relative'), canonical: '/relative' });
    const mismatch = page(
      { url: url('/mismatch') },
      { inSitemap: false, headers: { ...SECURE_HEADERS, link: `<${url('/elsewhere')}>; rel="canonical"` } },
    );
    const findings = auditWith([missing, multiple, relative, mismatch]);
    expect(brief(findings)).toEqual([
      { check: 'canonical.header_mismatch', severity: 'warning', urls: [url('/mismatch')] },
      { check: 'canonical.missing', severity: 'notice', urls: [url('/no-canonical')] },
      { check: 'canonical.multiple', severity: 'warning', urls: [url('/two-canonicals')] },
      { check: 'canonical.relative', severity: 'notice', urls: [url('/relative')] },
    ]);
    expect(only(findings, 'canonical.multiple').details).toEqual({
      canonicals: [url('/two-canonicals'), url('/two-canonicals?ref=1')],
    });
    expect(only(findings, 'canonical.relative').details).toEqual({ canonical: '/relative' });
    expect(only(findings, 'canonical.header_mismatch').details).toEqual({
      html: url('/mismatch'),
      header: url('/elsewhere'),
    });
  });

  it('reports canonicals pointing to a redirect, an error page or a noindex page', () => {
    const toRedirect = page({ url: url('/c1'), canonical: url('/moved') }, { inSitemap: false });
    const moved = crawled(url('/moved'), undefined, {
      finalUrl: EN_URL,
      inSitemap: false,
      redirects: [{ url: url('/moved'), status: 301, location: EN_URL }],
    });
    const toError = page({ url: url('/c2'), canonical: url('/deleted') }, { inSitemap: false });
    const deleted = crawled(url('/deleted'), '<p>gone</p>', { status: 410, inSitemap: false });
    const toNoindex = page({ url: url('/c3'), canonical: url('/hidden') }, { inSitemap: false });
    const hidden = page(
      { url: url('/hidden'), head: '<meta name="robots" content="noindex">' },
      { inSitemap: false },
    );
    const findings = auditWith([toRedirect, moved, toError, deleted, toNoindex, hidden]);
    expect(brief(findings)).toEqual([
      { check: 'canonical.to_error', severity: 'critical', urls: [url('/c2')] },
      { check: 'canonical.to_noindex', severity: 'critical', urls: [url('/c3')] },
      { check: 'canonical.to_redirect', severity: 'warning', urls: [url('/c1')] },
      { check: 'indexing.noindex', severity: 'warning', urls: [url('/hidden')] },
      { check: 'status.client_error', severity: 'critical', urls: [url('/deleted')] },
    ]);
    expect(only(findings, 'canonical.to_redirect').details).toEqual({
      target: url('/moved'),
      finalUrl: EN_URL,
    });
    expect(only(findings, 'canonical.to_error').details).toEqual({ target: url('/deleted'), status: 410 });
  });
});

const alt = (lang: string, href: string) => `<link rel="alternate" hreflang="${lang}" href="${href}">`;

describe('hreflang', () => {
  it('reports a missing return link on the page whose alternate does not link back', () => {
    const x = page({
      url: url('/x'),
      head: alt('en', url('/x')) + alt('ar', url('/y')) + alt('x-default', url('/x')),
    });
    const y = page({ url: url('/y'), lang: 'ar', head: alt('ar', url('/y')) + alt('x-default', url('/y')) });
    const findings = auditWith([x, y]);
    expect(brief(findings)).toEqual([
      { check: 'hreflang.missing_return', severity: 'warning', urls: [url('/x')] },
    ]);
    expect(only(findings, 'hreflang.missing_return').details).toEqual({ target: url('/y'), lang: 'ar' });
  });

  it('reports a missing x-default and a missing self reference', () => {
    const z = page({ url: url('/z'), head: alt('en', url('/z')) });
    const v = page({
      url: url('/v'),
      head: alt('en', url('/v')) + alt('de', url('/w')) + alt('x-default', url('/v')),
    });
    const w = page({
      url: url('/w'),
      htmlLang: 'de',
      head: alt('en', url('/v')) + alt('x-default', url('/v')),
    });
    expect(brief(auditWith([z, v, w]))).toEqual([
      { check: 'hreflang.no_self', severity: 'warning', urls: [url('/w')] },
      { check: 'hreflang.no_x_default', severity: 'notice', urls: [url('/z')] },
    ]);
  });

  it('reports invalid codes, a self code that contradicts html lang, and non-200 targets', () => {
    const invalid = page({
      url: url('/uk'),
      head: alt('en-UK', url('/uk')) + alt('x-default', url('/uk')) + alt('ar-KSA', url('/uk')),
    });
    const mismatch = page({
      url: url('/mixed'),
      head: alt('ar', url('/mixed')) + alt('x-default', url('/mixed')),
    });
    const toMissing = page({
      url: url('/fr-link'),
      head: alt('en', url('/fr-link')) + alt('x-default', url('/fr-link')) + alt('fr', url('/fr/missing')),
    });
    const missing = crawled(url('/fr/missing'), '<p>404</p>', { status: 404, inSitemap: false });
    const findings = auditWith([invalid, mismatch, toMissing, missing]);
    expect(brief(findings)).toEqual([
      { check: 'hreflang.invalid_code', severity: 'critical', urls: [url('/uk')] },
      { check: 'hreflang.invalid_code', severity: 'critical', urls: [url('/uk')] },
      { check: 'hreflang.lang_mismatch', severity: 'warning', urls: [url('/mixed')] },
      { check: 'hreflang.target_not_ok', severity: 'warning', urls: [url('/fr-link')] },
      { check: 'status.client_error', severity: 'critical', urls: [url('/fr/missing')] },
    ]);
    expect(findings.filter((f) => f.check === 'hreflang.invalid_code').map((f) => f.details)).toEqual([
      { code: 'en-UK' },
      { code: 'ar-KSA' },
    ]);
    expect(only(findings, 'hreflang.lang_mismatch').details).toEqual({ hreflang: 'ar', lang: 'en' });
    expect(only(findings, 'hreflang.target_not_ok').details).toEqual({
      target: url('/fr/missing'),
      lang: 'fr',
      status: 404,
      redirects: 0,
    });
  });

  it('reads hreflang alternates from the Link header', () => {
    const headerOnly = page(
      { url: url('/h') },
      {
        headers: {
          ...SECURE_HEADERS,
          link: `<${url('/h')}>; rel="alternate"; hreflang="en", <${url('/h')}>; rel="alternate"; hreflang="x-default"`,
        },
      },
    );
    const selfless = page(
      { url: url('/h2') },
      { headers: { ...SECURE_HEADERS, link: `<${url('/h')}>; rel="alternate"; hreflang="x-default"` } },
    );
    expect(brief(auditWith([headerOnly, selfless]))).toEqual([
      { check: 'hreflang.missing_return', severity: 'warning', urls: [url('/h2')] },
      { check: 'hreflang.no_self', severity: 'warning', urls: [url('/h2')] },
    ]);
  });
});

describe('lang and dir', () => {
  it('reports a missing lang, and Arabic pages not set right-to-left by lang or by script', () => {
    const noLang = page({ url: url('/nolang'), htmlLang: null });
    const arNoDir = page({ url: url('/ar/بدون-اتجاه'), lang: 'ar', dir: null });
    // No lang at all, but the visible text is Arabic.
    const arByScript = page({ url: url('/ar/نص'), lang: 'ar', htmlLang: null, dir: null });
    // dir="rtl" on <body> is enough.
    const bodyRtl = page({
      url: url('/ar/جسم'),
      lang: 'ar',
      dir: null,
      extra: '',
      main: `<div>${'<p>مرحبا بكم في متجرنا الإلكتروني</p>'.repeat(60)}</div>`,
    });
    const bodyRtlHtml = (bodyRtl.body ?? '').replace('<body>', '<body dir="rtl">');
    const findings = auditWith([noLang, arNoDir, arByScript, { ...bodyRtl, body: bodyRtlHtml }]);
    expect(brief(findings)).toEqual([
      { check: 'dir.missing_rtl', severity: 'warning', urls: [url('/ar/بدون-اتجاه')] },
      { check: 'dir.missing_rtl', severity: 'warning', urls: [url('/ar/نص')] },
      { check: 'lang.missing', severity: 'warning', urls: [url('/ar/نص')] },
      { check: 'lang.missing', severity: 'warning', urls: [url('/nolang')] },
    ]);
    const byScript = findings.find((f) => f.check === 'dir.missing_rtl' && f.urls[0] === url('/ar/نص'));
    expect(byScript?.details?.lang).toBe(null);
    expect(byScript?.details?.arabicLetterShare).toBeGreaterThan(0.9);
  });
});
