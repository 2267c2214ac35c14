import { z } from 'zod';

/**
 * The web-analytics report contract shared by the events store (which answers
 * it in SQL on DuckDB and PostgreSQL), the HTTP API (which validates it) and
 * the dashboard (which draws it). Definitions, so every engine, the tests and
 * the docs agree (docs/analytics-reports.md says the same for marketers):
 *
 * - Population: the site's events with `bot = false` and type `page` or `track`.
 *   Bot events are only counted by `summary.bots`.
 * - A visit is one `session_id`. It belongs to the period in which it started
 *   (its first event), and all its events count with it. A visit's source,
 *   medium, referrer, UTM values, country, region, device, browser, OS and
 *   language are those of its first event; entry page = path of its first
 *   pageview, exit page = path of its last (ties broken by event id).
 *   Events without a `session_id` or an `anonymous_id` (server-side events)
 *   belong to no visit and count nowhere. A visit's visitor is its first
 *   event's `anonymous_id` (a cookieless id changes at midnight, even inside
 *   a visit). Visits count whole, whatever their length: the events store
 *   keeps one row per visit, merged as its events are appended (decision 0007).
 * - Filters select visits: a visit qualifies when it matches every filter.
 *   Visit-level dimensions compare the visit's value (unknown is ''); `page`
 *   matches when the visit has a pageview on a matching path; `event` when it
 *   has a custom event of that name. `is_not` and `not_contains` are the
 *   negations of `is` and `contains`: `page is_not /x` keeps visits that never
 *   viewed /x. `contains` lower-cases both sides (Unicode). Reports then count
 *   only qualifying visits.
 * - Visitors: distinct `anonymous_id` over qualifying visits. A visitor is new
 *   when their first visit ever (any time, any filter) started inside the
 *   period, i.e. they have no visit that started before it; returning visitors = visitors
 *   − new visitors. A visit is a first visit when it is its visitor's first
 *   visit ever (their earliest visit; ties broken by visit id).
 * - Pageviews: `page` events. Custom events: `track` events other than
 *   `$engagement` (the tracker's engagement beacons, whose `engaged_ms` is the
 *   visible time on their path).
 * - Bounce: a visit with exactly one pageview and no custom event.
 *   Bounce rate = bounces / visits. Views per visit = pageviews / visits.
 * - Visit duration = last event time − first event time of the visit.
 *   Average engaged time = sum(engaged_ms) / pageviews (per page in breakdowns).
 * - Rates are fractions in [0, 1], durations milliseconds, rounded by the
 *   client, never by the engine.
 */

/** Dimensions reports break down by and filter on. */
export const DIMENSIONS = [
  'page',
  'entry_page',
  'exit_page',
  'source',
  'medium',
  'referrer',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'country',
  'region',
  'device',
  'browser',
  'os',
  'language',
  'event',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Breakdowns also offer the landing pages of first visits. */
export const BREAKDOWNS = [...DIMENSIONS, 'first_visit_page'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

export const FilterSchema = z
  .object({
    dimension: z.enum(DIMENSIONS),
    /** `is`/`is_not`: equal to one of `values` (case-sensitive); `contains`/`not_contains`: case-insensitive substring of any. */
    op: z.enum(['is', 'is_not', 'contains', 'not_contains']),
    values: z.array(z.string().max(2048)).min(1).max(50),
  })
  .strict();
export type Filter = z.infer<typeof FilterSchema>;

/** A date or a period in the site's (or the query's) time zone, end inclusive. */
export const PeriodSchema = z
  .object({
    /** 'YYYY-MM-DD', first day included. */
    from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    /** 'YYYY-MM-DD', last day included. */
    to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    /** IANA time zone, e.g. 'Asia/Riyadh'. */
    timeZone: z.string().min(1).max(64),
  })
  .strict();
export type Period = z.infer<typeof PeriodSchema>;

/** What every report reads: whose data, which period, which visits. */
export interface ReportScope {
  workspaceId: string;
  siteId: string;
  /** Half-open instant range [from, to), already resolved from a Period. */
  from: Date;
  to: Date;
  timeZone: string;
  filters: readonly Filter[];
}

export interface Summary {
  visits: number;
  visitors: number;
  pageviews: number;
  newVisitors: number;
  returningVisitors: number;
  viewsPerVisit: number;
  bounceRate: number;
  avgVisitDurationMs: number;
  avgEngagedMs: number;
  /** Bot pageviews and track events in the period (not filtered), never part of other numbers. */
  bots: number;
  /** Visits by how their visitor was identified; reports say which mode produced them. */
  identity: { cookieless: number; consent: number };
}

export type Interval = 'hour' | 'day' | 'week' | 'month';

export interface TimeseriesPoint {
  /** Bucket start as local 'YYYY-MM-DD' (day/week/month; weeks start Monday) or 'YYYY-MM-DDTHH' (hour). */
  bucket: string;
  visits: number;
  visitors: number;
  pageviews: number;
}

/**
 * One value of a breakdown. `page` rows count the visits that viewed the path,
 * its pageviews, and the engaged time of beacons on it; `event` rows the
 * visits with that event; every other dimension (entry, exit and first-visit
 * pages included) groups visits by their value.
 */
export interface BreakdownRow {
  /** The dimension's value; '' when unknown (e.g. direct traffic has no referrer). */
  value: string;
  visitors: number;
  visits: number;
  pageviews: number;
  bounceRate: number;
  /** Page dimensions: sum of engaged_ms on that path / its pageviews; others: over the visits' pages. */
  avgEngagedMs: number;
  /** `event` breakdown: how many times the event happened; others: custom events in the visits. */
  events: number;
}

/** A pageview pattern (`*` matches any run of characters) or an event with property filters. */
export const GoalDefinitionSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('page'), pattern: z.string().min(1).max(2048) }).strict(),
  z
    .object({
      kind: z.literal('event'),
      event: z.string().min(1).max(200),
      /** Every listed property must equal its value (compared as text). */
      properties: z.record(z.string().max(200), z.string().max(500)).default({}),
      /** Property holding the revenue amount (a number or numeric text), if any. */
      revenueProperty: z.string().max(200).optional(),
      /** Property holding the ISO 4217 currency; else `currency`. */
      currencyProperty: z.string().max(200).optional(),
      /** Currency when no currency property is given or present. */
      currency: z
        .string()
        .regex(/^[A-Z]{3}$/)
        .optional(),
    })
    .strict(),
]);
export type GoalDefinition = z.infer<typeof GoalDefinitionSchema>;

/**
 * Event goals count custom events. A property matches when its text equals the
 * value, or both are plain numbers and equal as numbers ('1.50' matches 1.5).
 * Revenue: amounts that are numbers or numeric text (below 10^15), summed
 * exactly; the currency is the currency property's value when it is three
 * letters (upper-cased), else `currency`, else 'XXX' (ISO 4217: no currency).
 */
export interface GoalResult {
  /** Distinct visitors who converted. */
  visitors: number;
  /** Matching pageviews or events. */
  conversions: number;
  /** Converting visitors / all visitors in scope. */
  conversionRate: number;
  /** Revenue per currency, summed over conversions with a numeric amount. */
  revenue: Record<string, number>;
}

/** Click-through rate of a tracked call to action: impressions vs clicks (both events, optional property filters). */
export interface CtrDefinition {
  impression: { event: string; properties: Record<string, string> };
  click: { event: string; properties: Record<string, string> };
}

export interface CtrResult {
  impressions: number;
  clicks: number;
  /** clicks / impressions (0 when no impressions). */
  ctr: number;
  uniqueImpressions: number;
  uniqueClicks: number;
}

/**
 * A funnel step is a goal definition without revenue. Steps are counted per
 * visitor over the scope's visits (a visitor may take them across visits):
 * each step's event strictly after the previous one's (by time, then id), and
 * at most `windowMs` after the first step's.
 */
export interface FunnelDefinition {
  steps: GoalDefinition[];
  /** All steps must happen in order within this many ms of the first. */
  windowMs: number;
}

export interface FunnelStepResult {
  /** Visitors who reached this step (in order, within the window). */
  visitors: number;
  /** Visitors lost since the previous step. */
  dropOff: number;
  /** visitors / visitors at step 1. */
  conversionRate: number;
}

/**
 * Filters pick a cohort by its first visit (e.g. visitors acquired by Google);
 * a return counts any visit of theirs in the period. One cohort per week of
 * the period, empty ones included; `retained` runs to the period's last week.
 */
export interface RetentionCohort {
  /** Monday of the cohort week, 'YYYY-MM-DD' local. */
  week: string;
  /** Visitors whose first visit ever fell in that week (within the period). */
  visitors: number;
  /** retained[k]: of them, visitors with a visit in week `week + k` (k = 0 is the cohort itself). */
  retained: number[];
}

/**
 * Pages: pageviews' paths, by the distinct visitor ids that viewed them;
 * sources: visits with an event in the 30 minutes, by their first event's
 * source (looked up to a day back). Top 10 of each.
 */
export interface Realtime {
  /** Distinct visitors with an event in the last 5 minutes. */
  visitorsNow: number;
  /** Pageviews per minute for the last 30 minutes, oldest first (30 entries). */
  pageviewsPerMinute: number[];
  topPages: { value: string; visitors: number }[];
  topSources: { value: string; visitors: number }[];
}

export interface BreakdownPage {
  rows: BreakdownRow[];
  /** Distinct values in all, for paging. */
  total: number;
}

/**
 * The reports port: the events store answers it (DuckDB and PostgreSQL share
 * one contract suite with exact expected numbers). Every method reads one
 * site of one workspace and never another's rows.
 */
export interface AnalyticsReader {
  summary(scope: ReportScope): Promise<Summary>;
  /** Every bucket of the period in order, zeros included. */
  timeseries(scope: ReportScope, interval: Interval): Promise<TimeseriesPoint[]>;
  /** Sorted by visitors desc, then value asc. */
  breakdown(
    scope: ReportScope,
    by: Breakdown,
    page: { limit: number; offset: number },
  ): Promise<BreakdownPage>;
  goal(scope: ReportScope, goal: GoalDefinition): Promise<GoalResult>;
  ctr(scope: ReportScope, definition: CtrDefinition): Promise<CtrResult>;
  funnel(scope: ReportScope, definition: FunnelDefinition): Promise<FunnelStepResult[]>;
  retention(scope: ReportScope): Promise<RetentionCohort[]>;
  /** Last 30 minutes before `now`; filters ignored. */
  realtime(workspaceId: string, siteId: string, now: Date): Promise<Realtime>;
}
