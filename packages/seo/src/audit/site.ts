/** The audit's view of a crawl, shared by every check, and the helpers checks build findings with. */
import type { CrawledPage, Finding, LocalisedText, Severity } from '../types.ts';
import { extractFacts, isHtml, type PageFacts } from './facts.ts';
import { metaRobotsDirectives, xRobotsDirectives } from './headers.ts';
import { resolveUrl } from './url.ts';

export { resolveUrl };

export interface AuditOptions {
  /** The audit's clock (certificate expiry is measured from it). */
  now: Date;
  /** URLs listed in the site's sitemaps, in addition to CrawledPage.inSitemap. */
  sitemapUrls?: readonly string[];
}

export interface Site {
  /** The site's own pages; external link targets (depth -1) are only reachable through find(). */
  pages: readonly CrawledPage[];
  /** Facts of every page with an HTML body, by CrawledPage.url. */
  facts: ReadonlyMap<string, PageFacts>;
  now: Date;
  /** The crawled page at `url`, matched on its url or its final URL. */
  find(url: string): CrawledPage | undefined;
  inSitemap(page: CrawledPage): boolean;
}

export type Check = (site: Site) => Finding[];

const key = (url: string): string => resolveUrl(url) ?? url;

export function buildSite(pages: readonly CrawledPage[], options: AuditOptions): Site {
  const byUrl = new Map<string, CrawledPage>();
  for (const p of pages) if (p.finalUrl) byUrl.set(key(p.finalUrl), p);
  // A page's own URL wins over another page's final URL.
  for (const p of pages) byUrl.set(key(p.url), p);
  // The crawler records external link targets it checked with depth -1. Pages in URL order, so
  // findings (and the URLs inside each) do not depend on which concurrent fetch finished first.
  const own = pages.filter((p) => p.depth >= 0).sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  const facts = new Map<string, PageFacts>();
  for (const p of own) if (isHtml(p)) facts.set(p.url, extractFacts(p));
  const sitemap = new Set((options.sitemapUrls ?? []).map(key));
  return {
    pages: own,
    facts,
    now: options.now,
    find: (url) => byUrl.get(key(url)),
    inSitemap: (page) => page.inSitemap || sitemap.has(key(page.url)),
  };
}

export const text = (en: string, ar: string): LocalisedText => ({ en, ar });

export function finding(
  check: string,
  severity: Severity,
  urls: readonly string[],
  message: LocalisedText,
  howToFix: LocalisedText,
  details?: Record<string, unknown>,
): Finding {
  const f: Finding = { check, severity, urls: [...urls], message, howToFix };
  if (details !== undefined) f.details = details;
  return f;
}

export interface ContentPage {
  page: CrawledPage;
  facts: PageFacts;
}

/** Pages that answered 200 with HTML at their own URL (redirect sources are judged by the redirect checks). */
export function contentPages(site: Site): ContentPage[] {
  const out: ContentPage[] = [];
  for (const page of site.pages) {
    const facts = site.facts.get(page.url);
    if (facts && page.status === 200 && page.redirects.length === 0 && !page.error) out.push({ page, facts });
  }
  return out;
}

export interface RobotsState {
  noindex: boolean;
  nofollow: boolean;
  /** Where each directive came from: 'meta', 'header' or both. */
  noindexFrom: string[];
  nofollowFrom: string[];
}

export function robotsState(page: CrawledPage, facts: PageFacts | undefined): RobotsState {
  const meta = metaRobotsDirectives(facts?.metaRobots ?? []);
  const header = xRobotsDirectives(page.headers['x-robots-tag']);
  const from = (d: string) => [
    ...(meta.includes(d) ? ['meta'] : []),
    ...(header.includes(d) ? ['header'] : []),
  ];
  const noindexFrom = from('noindex');
  const nofollowFrom = from('nofollow');
  return { noindex: noindexFrom.length > 0, nofollow: nofollowFrom.length > 0, noindexFrom, nofollowFrom };
}

export function isNoindex(site: Site, page: CrawledPage): boolean {
  return robotsState(page, site.facts.get(page.url)).noindex;
}

/** The page's first HTML canonical resolved to an absolute URL, else the Link-header one. */
export function canonicalUrl(page: CrawledPage, facts: PageFacts): string | undefined {
  const raw = facts.canonicals[0] ?? facts.headerCanonicals[0];
  return raw === undefined ? undefined : resolveUrl(raw, page.finalUrl || page.url);
}

export const sameUrl = (a: string, b: string): boolean => key(a) === key(b);

/** Pages search engines would index: not noindex, canonical missing or pointing to themselves. */
export function indexable({ page, facts }: ContentPage): boolean {
  if (robotsState(page, facts).noindex) return false;
  const canonical = canonicalUrl(page, facts);
  return canonical === undefined || sameUrl(canonical, page.url) || sameUrl(canonical, page.finalUrl);
}

/** Outgoing links of a page: the crawler's list when it has one, else the anchors parsed here. */
export function outgoingLinks(
  page: CrawledPage,
  facts: PageFacts | undefined,
): { url: string; text: string; internal: boolean }[] {
  // <link rel=canonical|alternate> targets are judged by the canonical and hreflang checks.
  if (page.links) return page.links.filter((l) => !/\b(canonical|alternate)\b/i.test(l.rel ?? ''));
  const host = new URL(page.finalUrl || page.url).host;
  return (facts?.anchors ?? []).map((a) => ({
    url: a.url,
    text: a.text,
    internal: new URL(a.url).host === host,
  }));
}

/** Failed page: an HTTP error status or no response (pages blocked by robots.txt were not tried). */
export const failed = (page: CrawledPage): boolean =>
  !page.blockedByRobots && (page.status >= 400 || (page.status === 0 && page.error !== undefined));

/** What a page answered, for messages: the status code, else why there was no answer. */
export const statusLabel = (page: CrawledPage): string =>
  page.status > 0
    ? String(page.status)
    : (page.error?.kind ?? (page.blockedByRobots ? 'blocked_by_robots' : 'no response'));
