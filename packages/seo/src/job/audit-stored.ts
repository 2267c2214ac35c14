import { CHECKS } from '../audit/audit.ts';
import type { PageFacts } from '../audit/facts.ts';
import {
  type AuditOptions,
  contentPages,
  finding,
  indexable,
  resolveUrl,
  type Site,
  text,
} from '../audit/site.ts';
import { findCannibalisation } from '../text/cannibalisation.ts';
import type { CrawledPage, Finding } from '../types.ts';

const key = (url: string): string => resolveUrl(url) ?? url;

/**
 * auditSite's Site, built from facts extracted when each page was saved
 * rather than from bodies (which are never stored).
 */
export function siteFromFacts(
  pages: readonly CrawledPage[],
  facts: ReadonlyMap<string, PageFacts>,
  options: AuditOptions,
): Site {
  const byUrl = new Map<string, CrawledPage>();
  for (const p of pages) if (p.finalUrl) byUrl.set(key(p.finalUrl), p);
  // A page's own URL wins over another page's final URL.
  for (const p of pages) byUrl.set(key(p.url), p);
  const own = pages.filter((p) => p.depth >= 0);
  const ownUrls = new Set(own.map((p) => p.url));
  const sitemap = new Set((options.sitemapUrls ?? []).map(key));
  return {
    pages: own,
    facts: new Map([...facts].filter(([url]) => ownUrls.has(url))),
    now: options.now,
    find: (url) => byUrl.get(key(url)),
    inSitemap: (page) => page.inSitemap || sitemap.has(key(page.url)),
  };
}

/** Indexable pages whose title or first H1 share a primary keyword compete for the same searches. */
export function cannibalisation(site: Site, brands: readonly string[] = []): Finding[] {
  const pages = contentPages(site)
    .filter(indexable)
    .map(({ page, facts }) => ({
      url: page.url,
      title: facts.titles[0] ?? '',
      h1: facts.headings.filter((h) => h.level === 1).map((h) => h.text),
    }));
  return findCannibalisation(pages, [...brands]).map((group) =>
    finding(
      'content.keyword_cannibalisation',
      'warning',
      group.urls,
      text(
        `${group.urls.length} pages target the keyword "${group.keyword}" in their title or H1`,
        `${group.urls.length} صفحات تستهدف الكلمة المفتاحية «${group.keyword}» في العنوان أو H1`,
      ),
      text(
        'Give each page its own primary keyword, or merge them into one page and redirect the others to it.',
        'اجعل لكل صفحة كلمتها المفتاحية الرئيسية، أو ادمجها في صفحة واحدة وحوّل الباقي إليها.',
      ),
      { keyword: group.keyword, stems: group.stems },
    ),
  );
}

/** Every check of the audit library, plus keyword cannibalisation across pages. */
export function auditStoredPages(
  pages: readonly CrawledPage[],
  facts: ReadonlyMap<string, PageFacts>,
  options: AuditOptions & { brands?: readonly string[] },
): Finding[] {
  const site = siteFromFacts(pages, facts, options);
  return [...CHECKS.flatMap((check) => check(site)), ...cannibalisation(site, options.brands)];
}
