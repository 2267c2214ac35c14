import {
  AUDIT_STATUSES,
  type AuditSettings,
  cancelAudit,
  getAudit,
  listAudits,
  listFindings,
  listPages,
} from '@wasl/seo';
import type { SeoAudit } from '@wasl/store';
import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { iso } from '../http/present.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { errors, IsoTime, NoContent, PageLimit, WorkspaceParams } from '../http/schemas.ts';
import { deleteSeoSchedule, setSeoSchedule, startAudit } from '../services/seo.ts';
import { compareAuditRows, findingsCsv, summaryOf } from '../services/seo-views.ts';

const AuditParams = z.strictObject({ ws: z.string(), auditId: z.string() });
const SiteParams = z.strictObject({ ws: z.string(), siteId: z.string() });
const Offset = z.coerce.number().int().min(0).default(0);
const Severity = z.enum(['critical', 'warning', 'notice']);
const SeverityCounts = z.object({ critical: z.number(), warning: z.number(), notice: z.number() });
const Localised = z.object({ en: z.string(), ar: z.string() });

const AuditOptions = z.strictObject({
  maxPages: z
    .number()
    .int()
    .min(1)
    .max(10_000)
    .optional()
    .meta({ description: 'Pages to crawl at most (default 500)' }),
  maxDepth: z.number().int().min(0).max(100).optional(),
  concurrency: z.number().int().min(1).max(16).optional(),
  delayMs: z
    .number()
    .int()
    .min(0)
    .max(30_000)
    .optional()
    .meta({ description: 'Between two requests to one host' }),
  userAgent: z.string().min(1).max(200).optional(),
  respectRobots: z.boolean().optional(),
  includeSubdomains: z.boolean().optional(),
  brands: z.array(z.string().min(1).max(100)).max(20).optional(),
  targetKeywords: z
    .array(z.string().trim().min(1).max(100))
    .max(20)
    .optional()
    .meta({ description: 'Keywords to check on every page (Arabic or English, several words allowed)' }),
});

const NewAuditBody = z.strictObject({
  url: z
    .string()
    .min(1)
    .max(2000)
    .meta({ description: 'Where the crawl starts; any site, e.g. a competitor' }),
  options: AuditOptions.optional(),
  siteId: z.string().optional(),
  compareTo: z
    .string()
    .optional()
    .meta({ description: 'An earlier audit to compare with when this one is done' }),
});

const SeoAuditDto = z
  .object({
    id: z.string(),
    siteId: z.string().nullable(),
    startUrl: z.string(),
    options: z.record(z.string(), z.unknown()),
    status: z.enum(AUDIT_STATUSES),
    progress: z.object({ pagesDone: z.number(), pagesQueued: z.number(), errors: z.number() }),
    score: z.number().nullable(),
    summary: z.record(z.string(), z.unknown()).nullable(),
    error: z.string().nullable(),
    compareTo: z.string().nullable(),
    cancelRequested: z.boolean(),
    createdAt: IsoTime,
    startedAt: IsoTime.nullable(),
    finishedAt: IsoTime.nullable(),
  })
  .meta({ id: 'SeoAudit' });

const SeoFindingDto = z
  .object({
    check: z.string(),
    severity: Severity,
    urls: z.array(z.string()),
    message: Localised,
    howToFix: Localised,
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'SeoFinding' });

const Match = z.enum(['phrase', 'words', 'none']);

const SeoPageDto = z
  .object({
    url: z.string(),
    finalUrl: z.string(),
    status: z.number(),
    depth: z.number(),
    inSitemap: z.boolean(),
    error: z.string().optional(),
    timings: z.record(z.string(), z.number()).optional(),
    transferBytes: z.number(),
    title: z.string().optional(),
    wordCount: z.number().optional(),
    keywords: z.array(z.object({ surface: z.string(), count: z.number(), density: z.number() })),
    readability: z
      .object({ lang: z.string(), averageWordsPerSentence: z.number(), longSentenceShare: z.number() })
      .optional(),
    coverage: z
      .array(
        z.object({
          keyword: z.string(),
          stems: z.array(z.string()),
          title: Match,
          h1: Match,
          headings: Match,
          url: Match,
          firstParagraph: Match,
          alts: Match,
          body: Match,
        }),
      )
      .optional()
      .meta({
        description:
          "Where each of the audit's target keywords appears: phrase, words (all, any order) or none",
      }),
  })
  .meta({ id: 'SeoPage' });

const ChangeList = z.object({
  total: z.number(),
  items: z.array(
    z.object({
      check: z.string(),
      severity: Severity,
      url: z.string(),
      target: z.string().optional(),
      message: Localised,
    }),
  ),
});
const ComparedSide = z.object({
  id: z.string(),
  startUrl: z.string(),
  status: z.string(),
  score: z.number().nullable(),
  findings: SeverityCounts,
});
const SeoComparisonDto = z
  .object({
    audit: ComparedSide,
    other: ComparedSide,
    onlyInAudit: ChangeList,
    onlyInOther: ChangeList,
    inBoth: z.number(),
  })
  .meta({ id: 'SeoAuditComparison' });

const ScheduleBody = z.strictObject({
  day: z
    .number()
    .int()
    .min(0)
    .max(6)
    .meta({ description: '0 = Sunday … 6 = Saturday, in the site time zone' }),
  hour: z.number().int().min(0).max(23),
});
const SeoScheduleDto = z
  .object({ siteId: z.string(), day: z.number(), hour: z.number(), timezone: z.string(), nextRunAt: IsoTime })
  .meta({ id: 'SeoSchedule' });

const CsvText = z.string().meta({ description: 'CSV, UTF-8 with a byte order mark' });

const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

function presentAudit(a: SeoAudit): z.output<typeof SeoAuditDto> {
  const { allowPrivateTargets: _hidden, ...options } = JSON.parse(a.options) as AuditSettings;
  return {
    id: a.id,
    siteId: a.site_id,
    startUrl: a.start_url,
    options,
    status: a.status as (typeof AUDIT_STATUSES)[number],
    progress: { pagesDone: a.pages_done, pagesQueued: a.pages_queued, errors: a.errors },
    score: a.score,
    summary: summaryOf(a) as Record<string, unknown> | null,
    error: a.error,
    compareTo: a.compare_to,
    cancelRequested: a.cancelled_at !== null,
    createdAt: iso(a.created_at),
    startedAt: isoOrNull(a.started_at),
    finishedAt: isoOrNull(a.finished_at),
  };
}

const auditNotFound = { code: 'not_found', message: 'audit not found' } as const;

/** SEO audits: start one (the worker runs it), follow it, read and export its findings, compare two. */
export function seoRoutes(
  app: App,
  ctx: ServerContext,
  options: { seoAllowPrivateTargets?: boolean } = {},
): void {
  const store = { db: ctx.db, dialect: ctx.dialect };

  app.post(
    '/api/workspaces/:ws/seo/audits',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['seo'],
        summary: 'Start an SEO audit of a URL; it runs in the background (owner, admin, marketer)',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        body: NewAuditBody,
        response: { 202: z.object({ audit: SeoAuditDto }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'sites.manage');
      if (!access.ok) return sendProblem(reply, access.error);
      const { url, siteId, compareTo } = request.body;
      const started = await startAudit(store, {
        workspaceId: request.params.ws,
        url,
        settings: request.body.options ?? {},
        ...(siteId !== undefined ? { siteId } : {}),
        ...(compareTo !== undefined ? { compareTo } : {}),
        allowPrivateTargets: options.seoAllowPrivateTargets === true,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!started.ok) return sendProblem(reply, started.error);
      return reply.code(202).send({ audit: presentAudit(started.value) });
    },
  );

  app.get(
    '/api/workspaces/:ws/seo/audits',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['seo'],
        summary: 'SEO audits, newest first',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        querystring: z.strictObject({ limit: PageLimit, offset: Offset, siteId: z.string().optional() }),
        response: {
          200: z.object({ audits: z.array(SeoAuditDto), total: z.number() }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'sites.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const { limit, offset, siteId } = request.query;
      const page = await listAudits(ctx.db, request.params.ws, {
        limit,
        offset,
        ...(siteId ? { siteId } : {}),
      });
      return { audits: page.audits.map(presentAudit), total: page.total };
    },
  );

  app.get(
    '/api/workspaces/:ws/seo/audits/:auditId',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['seo'],
        summary: 'One SEO audit: status, progress, score and summary',
        security: SESSION_OR_KEY,
        params: AuditParams,
        response: { 200: z.object({ audit: SeoAuditDto }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'sites.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const audit = await getAudit(ctx.db, request.params.ws, request.params.auditId);
      if (!audit) return sendProblem(reply, auditNotFound);
      return { audit: presentAudit(audit) };
    },
  );

  app.get(
    '/api/workspaces/:ws/seo/audits/:auditId/findings',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['seo'],
        summary: "An audit's findings in both languages, as JSON (paged) or CSV (all)",
        security: SESSION_OR_KEY,
        params: AuditParams,
        querystring: z.strictObject({
          severity: Severity.optional(),
          check: z.string().optional(),
          format: z.enum(['json', 'csv']).default('json'),
          limit: PageLimit,
          offset: Offset,
        }),
        response: {
          200: {
            content: {
              'application/json': {
                schema: z.object({ findings: z.array(SeoFindingDto), total: z.number() }),
              },
              'text/csv': { schema: CsvText },
            },
          },
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'sites.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const audit = await getAudit(ctx.db, request.params.ws, request.params.auditId);
      if (!audit) return sendProblem(reply, auditNotFound);
      const { severity, check, format, limit, offset } = request.query;
      const filter = { ...(severity ? { severity } : {}), ...(check ? { check } : {}) };
      if (format === 'csv') {
        const all = await listFindings(ctx.db, audit.id, filter);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="seo-audit-${audit.id}.csv"`)
          .send(findingsCsv(all.findings));
      }
      return listFindings(ctx.db, audit.id, filter, { limit, offset });
    },
  );

  app.get(
    '/api/workspaces/:ws/seo/audits/:auditId/pages',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['seo'],
        summary: 'The crawled URLs: status, depth, timings, title, word count, top keywords',
        security: SESSION_OR_KEY,
        params: AuditParams,
        querystring: z.strictObject({ limit: PageLimit, offset: Offset }),
        response: {
          200: z.object({ pages: z.array(SeoPageDto), total: z.number() }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'sites.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const audit = await getAudit(ctx.db, request.params.ws, request.params.auditId);
      if (!audit) return sendProblem(reply, auditNotFound);
      const page = await listPages(ctx.db, audit.id, request.query);
      return {
        pages: page.pages.map((p) => ({ ...p, timings: p.timings ? { ...p.timings } : undefined })),
        total: page.total,
      };
    },
  );

  app.post(
    '/api/workspaces/:ws/seo/audits/:auditId/cancel',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['seo'],
        summary: 'Stop a queued or running audit (owner, admin, marketer)',
        security: SESSION_OR_KEY,
        params: AuditParams,
        response: { 200: z.object({ audit: SeoAuditDto }), ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'sites.manage');
      if (!access.ok) return sendProblem(reply, access.error);
      const cancelled = await cancelAudit(ctx.db, request.params.ws, request.params.auditId, ctx.clock());
      if (!cancelled.ok) return sendProblem(reply, cancelled.error);
      return { audit: presentAudit(cancelled.value) };
    },
  );

  app.get(
    '/api/workspaces/:ws/seo/audits/:auditId/compare',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['seo'],
        summary:
          'Two audits side by side (the previous run, or a competitor): scores, counts, differing findings',
        security: SESSION_OR_KEY,
        params: AuditParams,
        querystring: z.strictObject({
          with: z
            .string()
            .min(1)
            .optional()
            .meta({ description: "Another audit's id; defaults to the audit's compareTo" }),
        }),
        response: { 200: SeoComparisonDto, ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'sites.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const audit = await getAudit(ctx.db, request.params.ws, request.params.auditId);
      if (!audit) return sendProblem(reply, auditNotFound);
      const withId = request.query.with ?? audit.compare_to;
      if (withId === null) {
        return sendProblem(reply, {
          code: 'invalid',
          message: 'with: give the id of the audit to compare with',
          field: 'with',
        });
      }
      const other = await getAudit(ctx.db, request.params.ws, withId);
      if (!other)
        return sendProblem(reply, { code: 'not_found', message: `with: no audit ${withId}`, field: 'with' });
      return compareAuditRows(ctx.db, audit, other);
    },
  );

  app.put(
    '/api/workspaces/:ws/sites/:siteId/seo-schedule',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['seo'],
        summary:
          "Audit the site every week at this day and hour of the site's time zone (owner, admin, marketer)",
        security: SESSION_OR_KEY,
        params: SiteParams,
        body: ScheduleBody,
        response: { 200: z.object({ schedule: SeoScheduleDto }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'sites.manage');
      if (!access.ok) return sendProblem(reply, access.error);
      const saved = await setSeoSchedule(store, {
        workspaceId: request.params.ws,
        siteId: request.params.siteId,
        ...request.body,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!saved.ok) return sendProblem(reply, saved.error);
      return { schedule: { ...saved.value, nextRunAt: iso(saved.value.nextRunAt) } };
    },
  );

  app.delete(
    '/api/workspaces/:ws/sites/:siteId/seo-schedule',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['seo'],
        summary: "Stop the site's weekly SEO audit (owner, admin, marketer)",
        security: SESSION_OR_KEY,
        params: SiteParams,
        response: { 204: NoContent, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'sites.manage');
      if (!access.ok) return sendProblem(reply, access.error);
      const deleted = await deleteSeoSchedule(store, {
        workspaceId: request.params.ws,
        siteId: request.params.siteId,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!deleted.ok) return sendProblem(reply, deleted.error);
      return reply.code(204).send();
    },
  );
}
