/** CrawledPage fixtures built from real HTML, with deterministic filler text per page. */
import { auditSite } from '../../src/audit/index.ts';
import type { CrawledPage, Finding } from '../../src/types.ts';

export const SITE = 'https://example.com';
export const NOW = new Date('2026-11-23T00:00:00Z');
export const FAR_EXPIRY = '2027-09-01T00:00:00Z';

export const url = (path: string): string => new URL(path, SITE).href;

const EN_WORDS = (
  'marketing digital store online customers sales campaign content website search engines results visits ' +
  'conversion audience brand email phone application products prices offers discounts shipping payment secure ' +
  'reports performance weekly monthly budget cost click images video blog articles questions support service ' +
  'experience speed quality trust reviews ratings riyadh jeddah dubai cairo amman library compares chooses ' +
  'visits follows shares buys plans measures improves tests'
).split(' ');
const AR_WORDS = (
  'التسويق الرقمي المتجر الإلكتروني العملاء المبيعات الحملة الإعلانية المحتوى الموقع البحث محركات النتائج ' +
  'الزيارات التحويل الجمهور المستهدف العلامة التجارية الرسائل البريد الهاتف التطبيق المنتجات الأسعار العروض ' +
  'الخصومات الشحن المجاني الدفع الآمن التقارير الأداء الأسبوعية الشهرية الميزانية التكلفة النقرة الظهور الصور ' +
  'الفيديو المدونة المقالات الأسئلة الشائعة الدعم الفني خدمة تجربة المستخدم السرعة الجودة الثقة المراجعات ' +
  'التقييمات الرياض جدة دبي القاهرة عمّان مكتبة يبحث يشتري يقارن يختار يتابع يشارك مدرسة'
).split(' ');

/** `count` words drawn from a fixed vocabulary by a generator seeded with `seed`. */
export function filler(seed: string, count: number, lang: 'en' | 'ar'): string {
  const vocabulary = lang === 'ar' ? AR_WORDS : EN_WORDS;
  let state = 7;
  for (const ch of seed) state = (state * 31 + (ch.codePointAt(0) ?? 0)) % 2_147_483_647;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    out.push(vocabulary[state % vocabulary.length] ?? '');
  }
  return out.join(' ');
}

export interface HtmlParts {
  url: string;
  lang?: 'en' | 'ar';
  /** html attributes; null leaves the attribute out. */
  htmlLang?: string | null;
  dir?: string | null;
  /** null: no <title> element. */
  title?: string | null;
  description?: string | null;
  /** Canonical href; null: none. */
  canonical?: string | null;
  head?: string;
  h1?: string | null;
  /** Markup after the H1 (defaults to an H2, a sized image with alt, and 260 words of text). */
  main?: string;
  /** Visible text words (default 260). */
  words?: number;
  /** Extra markup at the end of <body>. */
  extra?: string;
  og?: string[];
  twitterCard?: boolean;
}

const OG = ['og:title', 'og:description', 'og:image', 'og:url'];

/** A page that passes every check unless a part is overridden. */
export function html(p: HtmlParts): string {
  const lang = p.lang ?? 'en';
  const ar = lang === 'ar';
  const slug = decodeURIComponent(new URL(p.url).pathname);
  const htmlLang = p.htmlLang === undefined ? lang : p.htmlLang;
  const dir = p.dir === undefined ? (ar ? 'rtl' : null) : p.dir;
  const title =
    p.title === undefined
      ? ar
        ? `دليل التسويق الرقمي للمتاجر: ${slug}`
        : `Digital marketing guide for stores: ${slug}`
      : p.title;
  const description =
    p.description === undefined
      ? ar
        ? `كل ما يحتاجه صاحب المتجر الإلكتروني لزيادة الزيارات والمبيعات عبر البحث والإعلانات، صفحة ${slug}.`
        : `Everything an online store owner needs to grow visits and sales through search and ads, page ${slug}.`
      : p.description;
  const canonical = p.canonical === undefined ? p.url : p.canonical;
  const og = p.og ?? OG;
  const h1 = p.h1 === undefined ? (ar ? `دليل ${slug}` : `Guide ${slug}`) : p.h1;
  const main =
    p.main ??
    `<h2>${ar ? 'الخطوات' : 'Steps'}</h2>
    <img src="/img/${encodeURIComponent(slug)}.png" alt="${ar ? 'مخطط الحملة' : 'Campaign chart'}" width="640" height="360">
    <p>${filler(p.url, p.words ?? 260, lang)}</p>`;
  return `<!doctype html>
<html${htmlLang === null ? '' : ` lang="${htmlLang}"`}${dir === null ? '' : ` dir="${dir}"`}>
<head>
<meta charset="utf-8">
${title === null ? '' : `<title>${title}</title>`}
${description === null ? '' : `<meta name="description" content="${description}">`}
${canonical === null ? '' : `<link rel="canonical" href="${canonical}">`}
${og.map((k) => `<meta property="${k}" content="${k === 'og:url' ? p.url : k === 'og:image' ? `${SITE}/og.png` : 'x'}">`).join('\n')}
${p.twitterCard === false ? '' : '<meta name="twitter:card" content="summary_large_image">'}
${p.head ?? ''}
<style>body { margin: 0 }</style>
<script>window.dataLayer = [];</script>
</head>
<body>
${h1 === null ? '' : `<h1>${h1}</h1>`}
${main}
${p.extra ?? ''}
</body>
</html>`;
}

export const SECURE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'content-security-policy': "default-src 'self'",
};

/** A fetched page with a 200 answer, secure headers, in the sitemap and linked from the home page. */
export function crawled(
  pageUrl: string,
  body: string | undefined,
  over: Partial<CrawledPage> = {},
): CrawledPage {
  const bytes = body === undefined ? 0 : Buffer.byteLength(body);
  return {
    url: pageUrl,
    finalUrl: pageUrl,
    status: 200,
    redirects: [],
    headers: { ...SECURE_HEADERS },
    contentType: 'text/html',
    charset: 'utf-8',
    ...(body === undefined ? {} : { body }),
    transferBytes: bytes,
    bodyBytes: bytes,
    tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', validTo: FAR_EXPIRY },
    depth: 1,
    inlinks: [url('/')],
    inSitemap: true,
    blockedByRobots: false,
    fetchedAt: NOW.toISOString(),
    ...over,
  };
}

/** A clean page from parts. */
export const page = (parts: HtmlParts, over: Partial<CrawledPage> = {}): CrawledPage =>
  crawled(parts.url, html(parts), over);

// The clean pair: an Arabic and an English version of one page, hreflang-linked both ways.
export const AR_URL = url('/ar/دليل-التسويق');
export const EN_URL = url('/en/marketing-guide');
/** 55 characters, over 100 bytes in UTF-8. */
export const AR_TITLE = 'دليل التسويق الرقمي للمتاجر الإلكترونية في المملكة ٢٠٢٦';

const alternates = `
<link rel="alternate" hreflang="ar" href="${AR_URL}">
<link rel="alternate" hreflang="en" href="${EN_URL}">
<link rel="alternate" hreflang="x-default" href="${EN_URL}">`;

export const cleanArabic = (): CrawledPage =>
  page(
    {
      url: AR_URL,
      lang: 'ar',
      title: AR_TITLE,
      description:
        'تعرّف على خطوات عملية لزيادة زيارات متجرك الإلكتروني ومبيعاته عبر محركات البحث والإعلانات ووسائل التواصل.',
      head: `${alternates}
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"Organization","name":"وصل","url":"${SITE}/","logo":"${SITE}/logo.png"},
 {"@type":"BreadcrumbList","itemListElement":[
  {"@type":"ListItem","position":1,"name":"الرئيسية","item":"${SITE}/"},
  {"@type":"ListItem","position":2,"name":"دليل التسويق"}]}]}</script>`,
      h1: 'دليل التسويق الرقمي للمتاجر',
      extra: `<p><a href="${EN_URL}">اقرأ الدليل باللغة الإنجليزية</a></p>
<h2>الأسئلة الشائعة</h2><h3>كم يستغرق ظهور النتائج؟</h3><p>عادة من ثلاثة إلى ستة أشهر.</p>
<a href="${SITE}/"><img src="${SITE}/logo.png" alt="الصفحة الرئيسية لوصل" width="120" height="40"></a>
<img src="${SITE}/divider.png" alt="" width="600" height="2">`,
    },
    // The start URL.
    { inlinks: [url('/'), EN_URL], depth: 0 },
  );

export const cleanEnglish = (): CrawledPage =>
  page(
    {
      url: EN_URL,
      lang: 'en',
      title: 'Digital marketing guide for online stores',
      description:
        'Practical steps to grow your online store’s visits and sales through search engines, ads and social media.',
      head: `${alternates}
<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","name":"Wasl Pro",
 "image":"${SITE}/pro.png","description":"Marketing analytics","brand":{"@type":"Brand","name":"Wasl"},
 "offers":{"@type":"Offer","price":"49","priceCurrency":"SAR"}}</script>`,
      h1: 'Digital marketing guide for online stores',
      extra: `<p><a href="${AR_URL}">Read the guide in Arabic</a></p>`,
    },
    { inlinks: [url('/'), AR_URL] },
  );

export interface Brief {
  check: string;
  severity: string;
  urls: string[];
}

/** Findings reduced to check, severity and sorted URLs, in a stable order. */
export const brief = (findings: readonly Finding[]): Brief[] =>
  findings
    .map((f) => ({ check: f.check, severity: f.severity, urls: [...f.urls].sort() }))
    .sort((a, b) => `${a.check} ${a.urls.join()}`.localeCompare(`${b.check} ${b.urls.join()}`));

export const only = (findings: readonly Finding[], check: string): Finding => {
  const matching = findings.filter((f) => f.check === check);
  if (matching.length !== 1) throw new Error(`expected one ${check} finding, got ${matching.length}`);
  return matching[0] as Finding;
};

/** Throws unless every finding says what is wrong and how to fix it in English and in Arabic script. */
export function assertLocalised(findings: readonly Finding[]): void {
  for (const f of findings)
    for (const t of [f.message, f.howToFix])
      if (!/[a-z]/i.test(t.en) || !/\p{Script=Arabic}{3}/u.test(t.ar) || /undefined|NaN/.test(t.en + t.ar))
        throw new Error(`${f.check} on ${f.urls.join(', ')}: text not localised: ${JSON.stringify(t)}`);
}

/** Audit of the clean pair plus `extra` pages; every finding's texts are checked with assertLocalised. */
export function auditWith(extra: CrawledPage[], options: { sitemapUrls?: string[] } = {}): Finding[] {
  const findings = auditSite([cleanArabic(), cleanEnglish(), ...extra], { now: NOW, ...options });
  assertLocalised(findings);
  return findings;
}
