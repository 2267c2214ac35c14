import { err, newId, ok, type Problem, problem, type Result } from '@wasl/core';
import type { Database, SeoAudit, SeoFindingRow } from '@wasl/store';
import type { Kysely } from 'kysely';
import { normaliseUrl } from '../crawl/url.ts';
import type { Finding, Severity } from '../types.ts';

export const AUDIT_STATUSES = ['queued', 'running', 'done', 'failed', 'cancelled'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];
export const FINISHED: readonly AuditStatus[] = ['done', 'failed', 'cancelled'];

/** What a person may choose for an audit; stored as the audit's options. */
export interface AuditSettings {
  maxPages?: number;
  maxDepth?: number;
  concurrency?: number;
  delayMs?: number;
  userAgent?: string;
  respectRobots?: boolean;
  includeSubdomains?: boolean;
  /** Site or brand names left out of titles when looking for keyword cannibalisation. */
  brands?: string[];
  /** Keywords the site wants to rank for: each page reports where it uses them (title, H1, URL, first paragraph, alt). */
  targetKeywords?: string[];
  /**
   * Private and loopback targets. Only trusted callers set it (the CLI's
   * --allow-private, a test server's option); the HTTP API never takes it from a request.
   */
  allowPrivateTargets?: boolean;
  /**
   * Pages to measure in Chromium after the crawl (FCP, LCP, CLS, TBT); 0 by
   * default. Trusted callers only, like allowPrivateTargets: the browser
   * fetches subresources without the crawler's address checks.
   */
  renderPages?: number;
  /** Set on scheduled audits: new critical findings since compareTo raise an alert. */
  alertOnNewCritical?: boolean;
}

/** Default page cap: an audit is a sample big enough to judge a site, not a mirror of it. */
export const DEFAULT_MAX_PAGES = 500;

export interface NewAudit {
  id?: string;
  workspaceId: string;
  siteId?: string | null;
  startUrl: string;
  settings?: AuditSettings;
  createdBy?: string | null;
  compareTo?: string | null;
  now: number;
}

export async function createAudit(db: Kysely<Database>, input: NewAudit): Promise<Result<SeoAudit>> {
  const url = normaliseUrl(input.startUrl);
  if (!url.ok) return err(problem('invalid', `url: ${url.error.message}`, 'url'));
  if (input.compareTo) {
    const other = await getAudit(db, input.workspaceId, input.compareTo);
    if (!other)
      return err(problem('invalid', `compareTo: no audit ${input.compareTo} in this workspace`, 'compareTo'));
  }
  const row = {
    id: input.id ?? newId(input.now),
    workspace_id: input.workspaceId,
    site_id: input.siteId ?? null,
    start_url: url.value,
    options: JSON.stringify(input.settings ?? {}),
    status: 'queued',
    pages_done: 0,
    pages_queued: 0,
    errors: 0,
    created_by: input.createdBy ?? null,
    created_at: input.now,
    compare_to: input.compareTo ?? null,
  };
  await db
    .insertInto('seo_audits')
    .values(row)
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const saved = await db.selectFrom('seo_audits').selectAll().where('id', '=', row.id).executeTakeFirst();
  // The id was taken in another workspace: not this caller's audit.
  if (saved?.workspace_id !== input.workspaceId) return err(problem('conflict', `audit ${row.id} exists`));
  return ok(saved);
}

export const settingsOf = (audit: SeoAudit): AuditSettings => JSON.parse(audit.options) as AuditSettings;

export function getAudit(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<SeoAudit | undefined> {
  return db
    .selectFrom('seo_audits')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface Paging {
  limit: number;
  offset: number;
}

/** Newest first. */
export async function listAudits(
  db: Kysely<Database>,
  workspaceId: string,
  page: Paging & { siteId?: string },
): Promise<{ audits: SeoAudit[]; total: number }> {
  const base = db
    .selectFrom('seo_audits')
    .where('workspace_id', '=', workspaceId)
    .$if(page.siteId !== undefined, (q) => q.where('site_id', '=', page.siteId ?? ''));
  const [audits, count] = await Promise.all([
    base
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { audits, total: Number(count.n) };
}

/** Marks the audit cancelled; its crawl stops within a second. A finished audit is a conflict. */
export async function cancelAudit(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
  now: number,
): Promise<Result<SeoAudit, Problem>> {
  const audit = await getAudit(db, workspaceId, id);
  if (!audit) return err(problem('not_found', 'audit not found'));
  if (FINISHED.includes(audit.status as AuditStatus)) {
    return err(
      problem('conflict', `audit ${id} is ${audit.status}: only a queued or running audit can be cancelled`),
    );
  }
  await db
    .updateTable('seo_audits')
    .set({ cancelled_at: now })
    .where('id', '=', id)
    .where('cancelled_at', 'is', null)
    .execute();
  // Nothing runs a queued audit yet: it is cancelled at once.
  await db
    .updateTable('seo_audits')
    .set({ status: 'cancelled', finished_at: now })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .execute();
  return ok((await getAudit(db, workspaceId, id)) ?? audit);
}

/** Replaces the audit's findings (a re-run after a crash writes them again). */
export async function saveFindings(
  db: Kysely<Database>,
  auditId: string,
  findings: readonly Finding[],
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('seo_findings').where('audit_id', '=', auditId).execute();
    const rows = findings.map((f, seq) => ({
      audit_id: auditId,
      seq,
      check_id: f.check,
      severity: f.severity,
      url: f.urls[0] ?? null,
      urls: JSON.stringify(f.urls),
      url_count: f.urls.length,
      details: f.details === undefined ? null : JSON.stringify(f.details),
      message_en: f.message.en,
      message_ar: f.message.ar,
      fix_en: f.howToFix.en,
      fix_ar: f.howToFix.ar,
    }));
    for (let i = 0; i < rows.length; i += 200) {
      await trx
        .insertInto('seo_findings')
        .values(rows.slice(i, i + 200))
        .execute();
    }
  });
}

export function toFinding(row: SeoFindingRow): Finding {
  const f: Finding = {
    check: row.check_id,
    severity: row.severity as Severity,
    urls: JSON.parse(row.urls) as string[],
    message: { en: row.message_en, ar: row.message_ar },
    howToFix: { en: row.fix_en, ar: row.fix_ar },
  };
  if (row.details !== null) f.details = JSON.parse(row.details) as Record<string, unknown>;
  return f;
}

export interface FindingFilter {
  severity?: Severity;
  check?: string;
}

/** In the audit's order (the library's: by check, then page). Without `page`, all of them. */
export async function listFindings(
  db: Kysely<Database>,
  auditId: string,
  filter: FindingFilter = {},
  page?: Paging,
): Promise<{ findings: Finding[]; total: number }> {
  const base = db
    .selectFrom('seo_findings')
    .where('audit_id', '=', auditId)
    .$if(filter.severity !== undefined, (q) => q.where('severity', '=', filter.severity ?? ''))
    .$if(filter.check !== undefined, (q) => q.where('check_id', '=', filter.check ?? ''));
  const rows = await base
    .selectAll()
    .orderBy('seq')
    .$if(page !== undefined, (q) => q.limit(page?.limit ?? 0).offset(page?.offset ?? 0))
    .execute();
  const total =
    page === undefined
      ? rows.length
      : Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { findings: rows.map(toFinding), total };
}
