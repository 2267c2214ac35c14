import type { Database } from '@wasl/store';
import type { Kysely } from 'kysely';
import type { PageAnalysis } from '../job/analyse-page.ts';
import type { KeywordCoverage } from '../text/coverage.ts';
import type { CrawledPage, RequestTimings } from '../types.ts';
import type { Paging } from './audits.ts';

/** One row of an audit's per-URL table. */
export interface AuditPage {
  url: string;
  finalUrl: string;
  status: number;
  depth: number;
  inSitemap: boolean;
  error?: string;
  timings?: RequestTimings;
  transferBytes: number;
  title?: string;
  wordCount?: number;
  keywords: { surface: string; count: number; density: number }[];
  readability?: { lang: string; averageWordsPerSentence: number; longSentenceShare: number };
  /** Where each of the audit's target keywords appears on the page. */
  coverage?: KeywordCoverage[];
}

/** Saved pages in crawl order, external link targets included (depth -1). */
export async function listPages(
  db: Kysely<Database>,
  auditId: string,
  page: Paging,
): Promise<{ pages: AuditPage[]; total: number }> {
  const base = db.selectFrom('seo_crawl_urls').where('audit_id', '=', auditId).where('state', '=', 'done');
  const [rows, count] = await Promise.all([
    base.select(['page', 'analysis']).orderBy('saved_seq').limit(page.limit).offset(page.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return {
    pages: rows.map((row) =>
      toAuditPage(
        JSON.parse(row.page ?? '{}') as CrawledPage,
        row.analysis === null ? undefined : (JSON.parse(row.analysis) as PageAnalysis),
      ),
    ),
    total: Number(count.n),
  };
}

function toAuditPage(p: CrawledPage, analysis: PageAnalysis | undefined): AuditPage {
  const out: AuditPage = {
    url: p.url,
    finalUrl: p.finalUrl,
    status: p.status,
    depth: p.depth,
    inSitemap: p.inSitemap,
    transferBytes: p.transferBytes,
    keywords: (analysis?.text.keywords ?? []).map(({ surface, count, density }) => ({
      surface,
      count,
      density,
    })),
  };
  if (p.error) out.error = `${p.error.kind}: ${p.error.message}`;
  if (p.timings) out.timings = p.timings;
  if (analysis) {
    const title = analysis.facts.titles[0];
    if (title !== undefined) out.title = title;
    out.wordCount = analysis.facts.wordCount;
    const { lang, averageWordsPerSentence, longSentenceShare } = analysis.text.readability;
    out.readability = { lang, averageWordsPerSentence, longSentenceShare };
    if (analysis.text.coverage) out.coverage = analysis.text.coverage;
  }
  return out;
}
