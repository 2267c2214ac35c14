import {
  type AnalyticsReader,
  type Breakdown,
  type BreakdownRow,
  type CtrResult,
  type Filter,
  type FunnelStepResult,
  type GoalResult,
  type Interval,
  ok,
  type Period,
  type Realtime,
  type ReportScope,
  type Result,
  type RetentionCohort,
  resolvePeriod,
  type Summary,
  type TimeseriesPoint,
} from '@wasl/core';
import type { Database, Site } from '@wasl/store';
import type { Kysely } from 'kysely';
import { type CsvCell, toCsv } from './csv.ts';
import { listSaved, type Saved } from './report-definitions.ts';
import {
  type ChosenPeriods,
  chooseInterval,
  choosePeriod,
  type PeriodQuery,
  parseFilters,
} from './report-query.ts';

/**
 * The reports: each reads the analytics port for one site and answers both as
 * JSON and as CSV (`csv` is built only when asked for). The port's numbers are
 * passed through untouched: rounding is the reader's (the dashboard's) job.
 */

export interface ReportInput {
  reader: AnalyticsReader;
  db: Kysely<Database>;
  site: Site;
  now: number;
}

export interface ReportOutput<J> {
  json: J;
  csv: () => string;
  /** The download's file name without extension, e.g. `summary_2026-01-01_2026-01-30`. */
  file: string;
}

export interface PeriodReportQuery extends PeriodQuery {
  filter?: string | string[] | undefined;
}

interface Prepared {
  periods: ChosenPeriods;
  filters: Filter[];
  scope: ReportScope;
  previousScope: ReportScope | undefined;
}

function prepare(input: ReportInput, query: PeriodReportQuery): Result<Prepared> {
  const periods = choosePeriod(query, input.site.timezone, input.now);
  if (!periods.ok) return periods;
  const filters = parseFilters(query.filter);
  if (!filters.ok) return filters;
  const toScope = (period: Period): ReportScope => ({
    workspaceId: input.site.workspace_id,
    siteId: input.site.id,
    ...resolvePeriod(period),
    timeZone: period.timeZone,
    filters: filters.value,
  });
  const { current, previous } = periods.value;
  return ok({
    periods: periods.value,
    filters: filters.value,
    scope: toScope(current),
    previousScope: previous && toScope(previous),
  });
}

const fileName = (report: string, period: Period) => `${report}_${period.from}_${period.to}`;

const SUMMARY_COLUMNS = [
  'visits',
  'visitors',
  'pageviews',
  'new_visitors',
  'returning_visitors',
  'views_per_visit',
  'bounce_rate',
  'avg_visit_duration_ms',
  'avg_engaged_ms',
  'bots',
] as const;

const summaryCells = (s: Summary): CsvCell[] => [
  s.visits,
  s.visitors,
  s.pageviews,
  s.newVisitors,
  s.returningVisitors,
  s.viewsPerVisit,
  s.bounceRate,
  s.avgVisitDurationMs,
  s.avgEngagedMs,
  s.bots,
];

export interface SummaryReport {
  period: Period;
  filters: Filter[];
  summary: Summary;
  previous: { period: Period; summary: Summary } | null;
}

export async function summaryReport(
  input: ReportInput,
  query: PeriodReportQuery,
): Promise<Result<ReportOutput<SummaryReport>>> {
  const prepared = prepare(input, query);
  if (!prepared.ok) return prepared;
  const { periods, filters, scope, previousScope } = prepared.value;
  const [summary, previous] = await Promise.all([
    input.reader.summary(scope),
    previousScope && input.reader.summary(previousScope),
  ]);
  const json: SummaryReport = {
    period: periods.current,
    filters,
    summary,
    previous: previous && periods.previous ? { period: periods.previous, summary: previous } : null,
  };
  return ok({
    json,
    file: fileName('summary', periods.current),
    csv: () => {
      const rows: CsvCell[][] = [
        ['current', periods.current.from, periods.current.to, ...summaryCells(summary)],
      ];
      if (json.previous) {
        const p = json.previous;
        rows.push(['previous', p.period.from, p.period.to, ...summaryCells(p.summary)]);
      }
      return toCsv(['period', 'from', 'to', ...SUMMARY_COLUMNS], rows);
    },
  });
}

export interface TimeseriesReport {
  period: Period;
  interval: Interval;
  filters: Filter[];
  points: TimeseriesPoint[];
  previous: { period: Period; points: TimeseriesPoint[] } | null;
}

export async function timeseriesReport(
  input: ReportInput,
  query: PeriodReportQuery & { interval?: Interval | undefined },
): Promise<Result<ReportOutput<TimeseriesReport>>> {
  const prepared = prepare(input, query);
  if (!prepared.ok) return prepared;
  const { periods, filters, scope, previousScope } = prepared.value;
  const interval = chooseInterval(query.interval, periods.days);
  if (!interval.ok) return interval;
  const [points, previous] = await Promise.all([
    input.reader.timeseries(scope, interval.value),
    previousScope && input.reader.timeseries(previousScope, interval.value),
  ]);
  const json: TimeseriesReport = {
    period: periods.current,
    interval: interval.value,
    filters,
    points,
    previous: previous && periods.previous ? { period: periods.previous, points: previous } : null,
  };
  return ok({
    json,
    file: fileName(`timeseries-${interval.value}`, periods.current),
    csv: () => {
      const header = ['bucket', 'visits', 'visitors', 'pageviews'];
      const before = json.previous?.points;
      if (before)
        header.push('previous_bucket', 'previous_visits', 'previous_visitors', 'previous_pageviews');
      // Buckets are matched by position: the previous period has the same number of days.
      const length = Math.max(points.length, before?.length ?? 0);
      const rows = Array.from({ length }, (_, i) => {
        const p = points[i];
        const row: CsvCell[] = [p?.bucket, p?.visits, p?.visitors, p?.pageviews];
        if (before) row.push(before[i]?.bucket, before[i]?.visits, before[i]?.visitors, before[i]?.pageviews);
        return row;
      });
      return toCsv(header, rows);
    },
  });
}

export interface BreakdownReport {
  period: Period;
  filters: Filter[];
  by: Breakdown;
  rows: BreakdownRow[];
  total: number;
  limit: number;
  offset: number;
}

/** Rows the port answers per call. */
export const MAX_PAGE_ROWS = 1000;
/** An export without a limit takes every row, page by page, up to this many. */
export const MAX_EXPORT_ROWS = 100_000;
const DEFAULT_LIMIT = 10;

export async function breakdownReport(
  input: ReportInput,
  query: PeriodReportQuery & {
    by: Breakdown;
    limit?: number | undefined;
    offset: number;
    format: 'json' | 'csv';
  },
): Promise<Result<ReportOutput<BreakdownReport>>> {
  const prepared = prepare(input, query);
  if (!prepared.ok) return prepared;
  const { periods, filters, scope } = prepared.value;
  const everything = query.format === 'csv' && query.limit === undefined;
  const limit = everything ? MAX_PAGE_ROWS : (query.limit ?? DEFAULT_LIMIT);
  const page = await input.reader.breakdown(scope, query.by, { limit, offset: query.offset });
  const rows = [...page.rows];
  const end = Math.min(page.total, query.offset + MAX_EXPORT_ROWS);
  while (everything && query.offset + rows.length < end && rows.length % MAX_PAGE_ROWS === 0) {
    const next = await input.reader.breakdown(scope, query.by, { limit, offset: query.offset + rows.length });
    if (next.rows.length === 0) break;
    rows.push(...next.rows);
  }
  const json: BreakdownReport = {
    period: periods.current,
    filters,
    by: query.by,
    rows,
    total: page.total,
    limit: everything ? rows.length : limit,
    offset: query.offset,
  };
  return ok({
    json,
    file: fileName(query.by, periods.current),
    csv: () =>
      toCsv(
        [query.by, 'visitors', 'visits', 'pageviews', 'bounce_rate', 'avg_engaged_ms', 'events'],
        rows.map((r) => [r.value, r.visitors, r.visits, r.pageviews, r.bounceRate, r.avgEngagedMs, r.events]),
      ),
  });
}

interface SavedResult<K extends 'goal' | 'cta', R> {
  item: Saved<K>;
  result: R;
  previous: R | null;
}

/** Runs `read` for each saved definition of the site, in the period and (when asked) the previous one. */
async function eachSaved<K extends 'goal' | 'cta', R>(
  input: ReportInput,
  kind: K,
  prepared: Prepared,
  read: (scope: ReportScope, item: Saved<K>) => Promise<R>,
): Promise<Result<SavedResult<K, R>[]>> {
  const saved = await listSaved(input.db, kind, input.site.workspace_id, input.site.id);
  if (!saved.ok) return saved;
  const { scope, previousScope } = prepared;
  return ok(
    await Promise.all(
      saved.value.map(async (item) => ({
        item,
        result: await read(scope, item),
        previous: previousScope ? await read(previousScope, item) : null,
      })),
    ),
  );
}

export interface GoalsReport {
  period: Period;
  filters: Filter[];
  previousPeriod: Period | null;
  goals: { goal: Saved<'goal'>; result: GoalResult; previous: GoalResult | null }[];
}

export async function goalsReport(
  input: ReportInput,
  query: PeriodReportQuery,
): Promise<Result<ReportOutput<GoalsReport>>> {
  const prepared = prepare(input, query);
  if (!prepared.ok) return prepared;
  const results = await eachSaved(input, 'goal', prepared.value, (scope, goal) =>
    input.reader.goal(scope, goal.definition),
  );
  if (!results.ok) return results;
  const { periods, filters } = prepared.value;
  const goals = results.value.map(({ item, result, previous }) => ({ goal: item, result, previous }));
  return ok({
    json: { period: periods.current, filters, previousPeriod: periods.previous ?? null, goals },
    file: fileName('goals', periods.current),
    csv: () => {
      // One column per currency that any goal earned in.
      const currencies = [...new Set(goals.flatMap((g) => Object.keys(g.result.revenue)))].sort();
      const compare = periods.previous !== undefined;
      const header = [
        'goal',
        'visitors',
        'conversions',
        'conversion_rate',
        ...currencies.map((c) => `revenue_${c}`),
      ];
      if (compare) header.push('previous_visitors', 'previous_conversions', 'previous_conversion_rate');
      const rows = goals.map(({ goal, result, previous }) => {
        const row: CsvCell[] = [
          goal.name,
          result.visitors,
          result.conversions,
          result.conversionRate,
          ...currencies.map((c) => result.revenue[c] ?? 0),
        ];
        if (compare) row.push(previous?.visitors, previous?.conversions, previous?.conversionRate);
        return row;
      });
      return toCsv(header, rows);
    },
  });
}

export interface CtasReport {
  period: Period;
  filters: Filter[];
  previousPeriod: Period | null;
  ctas: { cta: Saved<'cta'>; result: CtrResult; previous: CtrResult | null }[];
}

export async function ctasReport(
  input: ReportInput,
  query: PeriodReportQuery,
): Promise<Result<ReportOutput<CtasReport>>> {
  const prepared = prepare(input, query);
  if (!prepared.ok) return prepared;
  const results = await eachSaved(input, 'cta', prepared.value, (scope, cta) =>
    input.reader.ctr(scope, cta.definition),
  );
  if (!results.ok) return results;
  const { periods, filters } = prepared.value;
  const ctas = results.value.map(({ item, result, previous }) => ({ cta: item, result, previous }));
  return ok({
    json: { period: periods.current, filters, previousPeriod: periods.previous ?? null, ctas },
    file: fileName('ctas', periods.current),
    csv: () => {
      const compare = periods.previous !== undefined;
      const header = ['cta', 'impressions', 'clicks', 'ctr', 'unique_impressions', 'unique_clicks'];
      if (compare) header.push('previous_impressions', 'previous_clicks', 'previous_ctr');
      const rows = ctas.map(({ cta, result: r, previous: p }) => {
        const row: CsvCell[] = [
          cta.name,
          r.impressions,
          r.clicks,
          r.ctr,
          r.uniqueImpressions,
          r.uniqueClicks,
        ];
        if (compare) row.push(p?.impressions, p?.clicks, p?.ctr);
        return row;
      });
      return toCsv(header, rows);
    },
  });
}

export interface FunnelsReport {
  period: Period;
  filters: Filter[];
  funnels: { funnel: Saved<'funnel'>; steps: FunnelStepResult[] }[];
}

const stepTarget = (step: Saved<'funnel'>['definition']['steps'][number]) =>
  step.kind === 'page' ? step.pattern : step.event;

export async function funnelsReport(
  input: ReportInput,
  query: PeriodReportQuery,
): Promise<Result<ReportOutput<FunnelsReport>>> {
  const prepared = prepare(input, query);
  if (!prepared.ok) return prepared;
  const saved = await listSaved(input.db, 'funnel', input.site.workspace_id, input.site.id);
  if (!saved.ok) return saved;
  const { periods, filters, scope } = prepared.value;
  const funnels = await Promise.all(
    saved.value.map(async (funnel) => ({
      funnel,
      steps: await input.reader.funnel(scope, funnel.definition),
    })),
  );
  return ok({
    json: { period: periods.current, filters, funnels },
    file: fileName('funnels', periods.current),
    csv: () =>
      toCsv(
        ['funnel', 'step', 'step_kind', 'step_target', 'visitors', 'drop_off', 'conversion_rate'],
        funnels.flatMap(({ funnel, steps }) =>
          steps.map((s, i) => {
            const step = funnel.definition.steps[i];
            return [
              funnel.name,
              i + 1,
              step?.kind,
              step && stepTarget(step),
              s.visitors,
              s.dropOff,
              s.conversionRate,
            ];
          }),
        ),
      ),
  });
}

export interface RetentionReport {
  period: Period;
  filters: Filter[];
  cohorts: RetentionCohort[];
}

export async function retentionReport(
  input: ReportInput,
  query: PeriodReportQuery,
): Promise<Result<ReportOutput<RetentionReport>>> {
  const prepared = prepare(input, query);
  if (!prepared.ok) return prepared;
  const { periods, filters, scope } = prepared.value;
  const cohorts = await input.reader.retention(scope);
  return ok({
    json: { period: periods.current, filters, cohorts },
    file: fileName('retention', periods.current),
    csv: () => {
      const weeks = Math.max(0, ...cohorts.map((c) => c.retained.length));
      const header = ['week', 'visitors', ...Array.from({ length: weeks }, (_, k) => `week_${k}`)];
      return toCsv(
        header,
        cohorts.map((c) => [c.week, c.visitors, ...Array.from({ length: weeks }, (_, k) => c.retained[k])]),
      );
    },
  });
}

export interface RealtimeReport {
  at: string;
  realtime: Realtime;
}

export async function realtimeReport(input: ReportInput): Promise<Result<ReportOutput<RealtimeReport>>> {
  const at = new Date(input.now);
  const realtime = await input.reader.realtime(input.site.workspace_id, input.site.id, at);
  const minutes = realtime.pageviewsPerMinute.length;
  return ok({
    json: { at: at.toISOString(), realtime },
    file: `realtime_${at.toISOString().slice(0, 16).replace(':', '-')}`,
    csv: () =>
      toCsv(
        ['kind', 'value', 'count'],
        [
          ['visitors_now', '', realtime.visitorsNow],
          // Oldest first, as the port gives them; the value says how many minutes ago.
          ...realtime.pageviewsPerMinute.map((n, i): CsvCell[] => [
            'pageviews_minutes_ago',
            minutes - 1 - i,
            n,
          ]),
          ...realtime.topPages.map((p): CsvCell[] => ['page', p.value, p.visitors]),
          ...realtime.topSources.map((s): CsvCell[] => ['source', s.value, s.visitors]),
        ],
      ),
  });
}
