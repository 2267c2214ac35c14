/** Runs every check over a crawl. */
import type { CrawledPage, Finding } from '../types.ts';
import { duplicateContent, thinContent } from './checks/content.ts';
import { headings } from './checks/headings.ts';
import { hreflang } from './checks/hreflang.ts';
import { imageAttributes, imageWeight } from './checks/images.ts';
import { canonicals, robotsDirectives } from './checks/indexing.ts';
import { langAndDir } from './checks/lang.ts';
import { brokenLinks, genericLinkText } from './checks/links.ts';
import { structuredData } from './checks/schema.ts';
import { mixedContent, securityHeaders, tlsExpiry } from './checks/security.ts';
import { crawlDepth, orphanPages, sitemapConsistency } from './checks/sitemap.ts';
import { socialTags } from './checks/social.ts';
import { redirects, statusCodes } from './checks/status.ts';
import { titlesAndDescriptions } from './checks/titles.ts';
import { slugs } from './checks/urls.ts';
import { type AuditOptions, buildSite, type Check } from './site.ts';

export const CHECKS: readonly Check[] = [
  statusCodes,
  brokenLinks,
  redirects,
  robotsDirectives,
  canonicals,
  hreflang,
  langAndDir,
  titlesAndDescriptions,
  headings,
  imageAttributes,
  imageWeight,
  mixedContent,
  securityHeaders,
  tlsExpiry,
  structuredData,
  socialTags,
  sitemapConsistency,
  orphanPages,
  crawlDepth,
  thinContent,
  duplicateContent,
  genericLinkText,
  slugs,
];

/** All findings for a crawled site. Pure: the same pages and options give the same findings. */
export function auditSite(pages: readonly CrawledPage[], options: AuditOptions): Finding[] {
  const site = buildSite(pages, options);
  return CHECKS.flatMap((check) => check(site));
}
