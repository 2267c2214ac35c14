import { err, ok, problem, type Result } from '@wasl/core';
import type { Database, SeoAudit } from '@wasl/store';
import type { Kysely } from 'kysely';
import { siteScore } from '../audit/score.ts';
import { crawl } from '../crawl/crawler.ts';
import type { CrawlOptions } from '../crawl/options.ts';
import type { CrawlProgress } from '../crawl/store.ts';
import {
  type AuditSettings,
  DEFAULT_MAX_PAGES,
  FINISHED,
  listFindings,
  saveFindings,
  settingsOf,
} from '../store/audits.ts';
import { SqlCrawlStateStore } from '../store/sql-crawl-store.ts';
import { analysePage, type PageAnalysis } from './analyse-page.ts';
import { auditStoredPages } from './audit-stored.ts';
import { renderSummary } from './render-summary.ts';
import { compareSummary, summarise } from './summary.ts';

export interface RunAuditOptions {
  /** Stops the crawl; the audit stays running and a later run continues it. */
  signal?: AbortSignal;
  onProgress?: (progress: CrawlProgress & { inFlight: number }) => void;
  clock?: () => number;
}

/** How often crawl progress is written to the audit row. */
const PROGRESS_WRITE_MS = 1000;

export function crawlOptions(audit: SeoAudit, settings: AuditSettings): CrawlOptions {
  const options: CrawlOptions = {
    startUrls: [audit.start_url],
    pageLimit: settings.maxPages ?? DEFAULT_MAX_PAGES,
    allowPrivateTargets: settings.allowPrivateTargets === true,
  };
  if (settings.maxDepth !== undefined) options.maxDepth = settings.maxDepth;
  if (settings.concurrency !== undefined) options.concurrency = settings.concurrency;
  if (settings.delayMs !== undefined) options.perHostDelayMs = settings.delayMs;
  if (settings.userAgent !== undefined) options.userAgent = settings.userAgent;
  if (settings.respectRobots !== undefined) options.respectRobots = settings.respectRobots;
  if (settings.includeSubdomains !== undefined) options.includeSubdomains = settings.includeSubdomains;
  return options;
}

/**
 * Runs an audit end to end: the crawl (resumable: pages already saved are
 * not fetched again), the checks, keyword cannibalisation, the score and the
 * summary. Returns the audit row as it ends: done, failed or cancelled, or
 * still running when `signal` stopped it. Running a finished audit again
 * returns it unchanged.
 */
export async function runAudit(
  db: Kysely<Database>,
  auditId: string,
  options: RunAuditOptions = {},
): Promise<Result<SeoAudit>> {
  const clock = options.clock ?? Date.now;
  const audit = await db.selectFrom('seo_audits').selectAll().where('id', '=', auditId).executeTakeFirst();
  if (!audit) return err(problem('not_found', `audit ${auditId} does not exist`));
  if (FINISHED.includes(audit.status as (typeof FINISHED)[number])) return ok(audit);
  const update = (changes: Partial<SeoAudit>) =>
    db
      .updateTable('seo_audits')
      .set(changes)
      .where('id', '=', auditId)
      .returningAll()
      .executeTakeFirstOrThrow();
  if (audit.cancelled_at !== null) return ok(await update({ status: 'cancelled', finished_at: clock() }));
  await update({ status: 'running', started_at: audit.started_at ?? clock() });

  const settings = settingsOf(audit);
  const targets = settings.targetKeywords ?? [];
  const store = new SqlCrawlStateStore<PageAnalysis>(db, auditId, {
    analyse: (page) => analysePage(page, targets),
    clock,
  });
  let lastWrite = 0;
  let writing = Promise.resolve();
  const record = (p: CrawlProgress) => {
    writing = writing.then(async () => {
      await update({ pages_done: p.done, pages_queued: p.queued, errors: p.errors });
    });
  };
  const crawled = await crawl({
    ...crawlOptions(audit, settings),
    store,
    ...(options.signal ? { signal: options.signal } : {}),
    onProgress: (p) => {
      options.onProgress?.(p);
      if (Date.now() - lastWrite < PROGRESS_WRITE_MS) return;
      lastWrite = Date.now();
      record(p);
    },
  });
  await writing;
  if (!crawled.ok) {
    return ok(await update({ status: 'failed', error: crawled.error.message, finished_at: clock() }));
  }
  const { status, pages, progress } = crawled.value;
  const counts = { pages_done: progress.done, pages_queued: progress.queued, errors: progress.errors };
  if (status === 'aborted') return ok(await update(counts));
  if (status === 'cancelled')
    return ok(await update({ ...counts, status: 'cancelled', finished_at: clock() }));

  const analyses = await store.analyses();
  const facts = new Map([...analyses].map(([url, a]) => [url, a.facts]));
  const findings = auditStoredPages(pages, facts, { now: new Date(clock()), brands: settings.brands ?? [] });
  const summary = summarise({ crawl: status, progress, pages, analyses, findings });
  if ((settings.renderPages ?? 0) > 0) {
    summary.render = await renderSummary(pages, settings.renderPages ?? 0, options.signal);
    if (options.signal?.aborted) return ok(await update(counts));
  }
  if (audit.compare_to !== null) {
    const before = await listFindings(db, audit.compare_to);
    summary.comparison = compareSummary(audit.compare_to, before.findings, findings);
    const newCritical = summary.comparison.newCriticalCount;
    if (settings.alertOnNewCritical && newCritical > 0) {
      summary.alert = {
        status: 'pending',
        channel: 'email',
        reason: 'Wasl does not send email yet (messaging issue); the alert waits here',
        newCritical,
      };
    }
  }
  await saveFindings(db, auditId, findings);
  return ok(
    await update({
      ...counts,
      status: 'done',
      score: siteScore(findings, progress.done),
      summary: JSON.stringify(summary),
      finished_at: clock(),
    }),
  );
}
