/** Sitemap consistency, orphan pages and click depth. */
import type { CrawledPage, Finding, LocalisedText, Severity } from '../../types.ts';
import {
  type Check,
  canonicalUrl,
  contentPages,
  failed,
  finding,
  isNoindex,
  type Site,
  sameUrl,
  statusLabel,
  text,
} from '../site.ts';
import { AR_CLICKS, arabicCount } from '../text.ts';

export const MAX_DEPTH = 3;

const FIX_SITEMAP = text(
  'List only final, indexable, canonical URLs that answer 200 in the sitemap; remove or replace this one.',
  'أدرج في خريطة الموقع الروابط النهائية القابلة للفهرسة والأساسية التي تستجيب بالرمز 200 فقط، واحذف هذا الرابط أو استبدله.',
);

function sitemapProblem(
  site: Site,
  page: CrawledPage,
):
  | { check: string; severity: Severity; message: LocalisedText; details: Record<string, unknown> }
  | undefined {
  if (page.blockedByRobots)
    return {
      check: 'sitemap.blocked',
      severity: 'warning',
      message: text(
        'The sitemap lists a URL that robots.txt blocks.',
        'تتضمن خريطة الموقع رابطًا يمنعه ملف robots.txt.',
      ),
      details: {},
    };
  if (failed(page))
    return {
      check: 'sitemap.error',
      severity: 'warning',
      message: text(
        `The sitemap lists a URL that fails (${statusLabel(page)}).`,
        `تتضمن خريطة الموقع رابطًا لا يعمل (${statusLabel(page)}).`,
      ),
      details: { status: page.status },
    };
  if (page.redirects.length > 0)
    return {
      check: 'sitemap.redirect',
      severity: 'warning',
      message: text(
        `The sitemap lists a URL that redirects to ${page.finalUrl}.`,
        `تتضمن خريطة الموقع رابطًا يعيد التوجيه إلى ${page.finalUrl}.`,
      ),
      details: { finalUrl: page.finalUrl },
    };
  if (isNoindex(site, page))
    return {
      check: 'sitemap.noindex',
      severity: 'warning',
      message: text('The sitemap lists a page marked noindex.', 'تتضمن خريطة الموقع صفحة تحمل noindex.'),
      details: {},
    };
  const facts = site.facts.get(page.url);
  const canonical = facts && canonicalUrl(page, facts);
  if (canonical !== undefined && !sameUrl(canonical, page.url) && !sameUrl(canonical, page.finalUrl))
    return {
      check: 'sitemap.non_canonical',
      severity: 'warning',
      message: text(
        `The sitemap lists a page whose canonical is another URL (${canonical}).`,
        `تتضمن خريطة الموقع صفحة رابطها الأساسي رابط آخر (${canonical}).`,
      ),
      details: { canonical },
    };
  return undefined;
}

export const sitemapConsistency: Check = (site) =>
  site.pages.flatMap((page) => {
    if (!site.inSitemap(page)) return [];
    const problem = sitemapProblem(site, page);
    return problem
      ? [finding(problem.check, problem.severity, [page.url], problem.message, FIX_SITEMAP, problem.details)]
      : [];
  });

export const orphanPages: Check = (site) =>
  site.pages
    .filter((p) => site.inSitemap(p) && p.inlinks.filter((l) => !sameUrl(l, p.url)).length === 0)
    .map((p) =>
      finding(
        'orphan.page',
        'warning',
        [p.url],
        text(
          'The page is in the sitemap but no crawled page links to it.',
          'الصفحة مدرجة في خريطة الموقع لكن لا توجد أي صفحة أخرى تشير إليها برابط.',
        ),
        text(
          'Link to it from related pages or the menu, so visitors and search engines can reach it.',
          'أضف روابط إليها من الصفحات ذات الصلة أو من القائمة، ليصل إليها الزوار ومحركات البحث.',
        ),
      ),
    );

export const crawlDepth: Check = (site) =>
  contentPages(site)
    .filter(({ page }) => page.depth > MAX_DEPTH)
    .map(
      ({ page }): Finding =>
        finding(
          'crawl.depth',
          'notice',
          [page.url],
          text(
            `The page is ${page.depth} clicks from the start page (more than ${MAX_DEPTH}).`,
            `تبعد الصفحة ${arabicCount(page.depth, AR_CLICKS)} عن صفحة البداية (أكثر من ${MAX_DEPTH}).`,
          ),
          text(
            'Link to it from higher-level pages (home, categories, hubs) so it is reachable in 3 clicks or fewer.',
            'أضف روابط إليها من صفحات أعلى مستوى (الرئيسية أو الأقسام) ليمكن الوصول إليها في 3 نقرات أو أقل.',
          ),
          { depth: page.depth, maxDepth: MAX_DEPTH },
        ),
    );
