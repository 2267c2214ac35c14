import { problem, type Result } from '@wasl/core';
import type { Site } from '@wasl/store';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { presentSaved } from '../http/present-reports.ts';
import {
  BreakdownQuery,
  BreakdownRowDto,
  CsvText,
  CtaDto,
  CtrResultDto,
  FilterDto,
  FunnelDto,
  FunnelStepResultDto,
  GoalDto,
  GoalResultDto,
  PeriodDto,
  PeriodQuery,
  RealtimeDto,
  RealtimeQuery,
  RetentionCohortDto,
  SummaryDto,
  TimeseriesPointDto,
  TimeseriesQuery,
} from '../http/report-schemas.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { errors } from '../http/schemas.ts';
import {
  breakdownReport,
  ctasReport,
  funnelsReport,
  goalsReport,
  type ReportInput,
  type ReportOutput,
  realtimeReport,
  retentionReport,
  summaryReport,
  timeseriesReport,
} from '../services/reports.ts';
import { resolveShareToken } from '../services/share-links.ts';
import { getSite } from '../services/sites.ts';

export const SiteParams = z.strictObject({ ws: z.string(), siteId: z.string() });
export const ShareParams = z.strictObject({
  token: z.string().meta({ description: 'The token of a share link (the last part of its URL)' }),
});
export const SHARE_NOT_FOUND = problem('not_found', 'share link not found; it may have been revoked');
const NO_READER = problem('unavailable', 'reports are unavailable: this server runs without an events store');

interface ReportSpec<Q extends z.ZodType, R extends z.ZodType, J> {
  /** The last part of the URL: …/reports/<name>. */
  name: string;
  summary: string;
  description: string;
  query: Q;
  response: R;
  /** Also served read-only to public share links. */
  shared: boolean;
  run: (input: ReportInput, query: z.output<Q>) => Promise<Result<ReportOutput<J>>>;
  /** Turns the service's answer into the response shape (saved definitions' times as ISO text). */
  present?: (json: J) => z.input<R>;
}

const period = { period: PeriodDto, filters: z.array(FilterDto) };
const previousPeriod = PeriodDto.nullable().meta({ description: 'Set when compare=previous' });

/**
 * Every report, once under a workspace's site (people and API keys with
 * sites.read) and, for the shared subset, under a public share link. Each
 * answers JSON, or CSV with `format=csv`.
 */
export function reportRoutes(app: App, ctx: ServerContext): void {
  const add = <Q extends z.ZodType, R extends z.ZodType, J>(spec: ReportSpec<Q, R, J>) =>
    addReport(app, ctx, spec);

  add({
    name: 'summary',
    summary: 'Visits, visitors, pageviews, new and returning, views per visit, bounce rate, durations',
    description: 'With compare=previous, `previous` holds the same numbers for the days just before.',
    query: PeriodQuery,
    response: z
      .object({
        ...period,
        summary: SummaryDto,
        previous: z.object({ period: PeriodDto, summary: SummaryDto }).nullable(),
      })
      .meta({ id: 'SummaryReport' }),
    shared: true,
    run: summaryReport,
  });

  add({
    name: 'timeseries',
    summary: 'Visits, visitors and pageviews per hour, day, week or month',
    description: 'Every bucket of the period in order, zeros included. Buckets are local to `timeZone`.',
    query: TimeseriesQuery,
    response: z
      .object({
        ...period,
        interval: z.enum(['hour', 'day', 'week', 'month']),
        points: z.array(TimeseriesPointDto),
        previous: z.object({ period: PeriodDto, points: z.array(TimeseriesPointDto) }).nullable(),
      })
      .meta({ id: 'TimeseriesReport' }),
    shared: true,
    run: timeseriesReport,
  });

  add({
    name: 'breakdown',
    summary: 'Top values of one dimension: sources, pages, entry/exit pages, countries, devices, …',
    description:
      '`by` picks the dimension (first_visit_page: landing pages of first visits; event: custom events). ' +
      'Rows are sorted by visitors, then value; `total` counts all values, for paging with limit/offset.',
    query: BreakdownQuery,
    response: z
      .object({
        ...period,
        by: z.string(),
        rows: z.array(BreakdownRowDto),
        total: z.number(),
        limit: z.number(),
        offset: z.number(),
      })
      .meta({ id: 'BreakdownReport' }),
    shared: true,
    run: breakdownReport,
  });

  add({
    name: 'goals',
    summary: "Conversions, conversion rate and revenue of the site's saved goals",
    description: 'One entry per saved goal (see …/goals), oldest first.',
    query: PeriodQuery,
    response: z
      .object({
        ...period,
        previousPeriod,
        goals: z.array(
          z.object({ goal: GoalDto, result: GoalResultDto, previous: GoalResultDto.nullable() }),
        ),
      })
      .meta({ id: 'GoalsReport' }),
    shared: false,
    run: goalsReport,
    present: (json) => ({ ...json, goals: json.goals.map((g) => ({ ...g, goal: presentSaved(g.goal) })) }),
  });

  add({
    name: 'ctas',
    summary: "Click-through rate of the site's tracked calls to action (impressions vs clicks)",
    description: 'One entry per saved call to action (see …/ctas), oldest first.',
    query: PeriodQuery,
    response: z
      .object({
        ...period,
        previousPeriod,
        ctas: z.array(z.object({ cta: CtaDto, result: CtrResultDto, previous: CtrResultDto.nullable() })),
      })
      .meta({ id: 'CtasReport' }),
    shared: false,
    run: ctasReport,
    present: (json) => ({ ...json, ctas: json.ctas.map((c) => ({ ...c, cta: presentSaved(c.cta) })) }),
  });

  add({
    name: 'funnels',
    summary: "Visitors reaching each step of the site's saved funnels, with drop-off",
    description: 'Steps count in order within the funnel window. One entry per saved funnel (see …/funnels).',
    query: PeriodQuery,
    response: z
      .object({
        ...period,
        funnels: z.array(z.object({ funnel: FunnelDto, steps: z.array(FunnelStepResultDto) })),
      })
      .meta({ id: 'FunnelsReport' }),
    shared: false,
    run: funnelsReport,
    present: (json) => ({
      ...json,
      funnels: json.funnels.map((f) => ({ ...f, funnel: presentSaved(f.funnel) })),
    }),
  });

  add({
    name: 'retention',
    summary: 'Weekly cohorts of first-time visitors and how many came back each week after',
    description: 'Weeks start on Monday in `timeZone`.',
    query: PeriodQuery,
    response: z.object({ ...period, cohorts: z.array(RetentionCohortDto) }).meta({ id: 'RetentionReport' }),
    shared: true,
    run: retentionReport,
  });

  add({
    name: 'realtime',
    summary: 'The last 30 minutes: visitors now, pageviews per minute, top pages and sources',
    description: 'Filters and periods do not apply. Poll it (the dashboard does every 10 seconds).',
    query: RealtimeQuery,
    response: z.object({ at: z.string(), realtime: RealtimeDto }).meta({ id: 'RealtimeReport' }),
    shared: true,
    run: (input) => realtimeReport(input),
  });
}

function addReport<Q extends z.ZodType, R extends z.ZodType, J>(
  app: App,
  ctx: ServerContext,
  spec: ReportSpec<Q, R, J>,
): void {
  // Erased to ZodType: Fastify cannot resolve reply types of a schema generic in Q and R.
  const querystring: z.ZodType = spec.query;
  const json: z.ZodType = spec.response;
  const response = {
    200: { content: { 'application/json': { schema: json }, 'text/csv': { schema: CsvText } } },
  };
  app.get(
    `/api/workspaces/:ws/sites/:siteId/reports/${spec.name}`,
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['reports'],
        summary: spec.summary,
        description: spec.description,
        security: SESSION_OR_KEY,
        params: SiteParams,
        querystring,
        response: { ...response, ...errors(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      const { ws, siteId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'sites.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const site = await getSite(ctx.db, ws, siteId);
      if (!site) return sendProblem(reply, problem('not_found', 'site not found'));
      return answer(ctx, reply, site, spec, request.query as z.output<Q>);
    },
  );
  if (!spec.shared) return;
  app.get(
    `/api/share/:token/reports/${spec.name}`,
    {
      config: { auth: 'none' },
      schema: {
        tags: ['share'],
        summary: `${spec.summary} (public share link, read-only)`,
        description: spec.description,
        security: [],
        params: ShareParams,
        querystring,
        response: { ...response, ...errors(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const site = await resolveShareToken(ctx.db, request.params.token);
      if (!site) return sendProblem(reply, SHARE_NOT_FOUND);
      // Never kept by a browser or proxy: a revoked link must stop showing numbers at once.
      reply.header('cache-control', 'no-store');
      return answer(ctx, reply, site, spec, request.query as z.output<Q>);
    },
  );
}

async function answer<Q extends z.ZodType, R extends z.ZodType, J>(
  ctx: ServerContext,
  reply: FastifyReply,
  site: Site,
  spec: ReportSpec<Q, R, J>,
  query: z.output<Q>,
) {
  if (!ctx.analytics) return sendProblem(reply, NO_READER);
  const out = await spec.run({ reader: ctx.analytics, db: ctx.db, site, now: ctx.clock() }, query);
  if (!out.ok) return sendProblem(reply, out.error);
  if ((query as { format?: string }).format === 'csv') {
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${out.value.file}.csv"`)
      .send(out.value.csv());
  }
  return reply.send(spec.present ? spec.present(out.value.json) : out.value.json);
}
