import { request, seg } from '../api/client.ts';

/*
 * The report API's shapes (docs/api-v1-draft.md, "Reports"): rates are fractions in [0, 1],
 * durations milliseconds, dates local to the report's time zone.
 */

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
export type Breakdown = Dimension | 'first_visit_page';
export type FilterOp = 'is' | 'is_not' | 'contains' | 'not_contains';
export type Interval = 'hour' | 'day' | 'week' | 'month';

export interface Period {
  from: string;
  to: string;
  timeZone: string;
}

export interface Filter {
  dimension: Dimension;
  op: FilterOp;
  value: string;
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
  bots: number;
  identity: { cookieless: number; consent: number };
}

export interface SummaryReport {
  period: Period;
  summary: Summary;
  previous: { period: Period; summary: Summary } | null;
}

export interface TimeseriesPoint {
  bucket: string;
  visits: number;
  visitors: number;
  pageviews: number;
}

export interface TimeseriesReport {
  period: Period;
  interval: Interval;
  points: TimeseriesPoint[];
  previous: { period: Period; points: TimeseriesPoint[] } | null;
}

export interface BreakdownRow {
  value: string;
  visitors: number;
  visits: number;
  pageviews: number;
  bounceRate: number;
  avgEngagedMs: number;
  events: number;
}

export interface BreakdownReport {
  rows: BreakdownRow[];
  total: number;
  limit: number;
  offset: number;
}

export type GoalDefinition =
  | { kind: 'page'; pattern: string }
  | {
      kind: 'event';
      event: string;
      properties: Record<string, string>;
      revenueProperty?: string;
      currencyProperty?: string;
      currency?: string;
    };

export type FunnelStep =
  | { kind: 'page'; pattern: string }
  | { kind: 'event'; event: string; properties: Record<string, string> };

export interface EventMatch {
  event: string;
  properties: Record<string, string>;
}

export interface Saved<D> {
  id: string;
  siteId: string;
  name: string;
  definition: D;
  createdAt: string;
  updatedAt: string;
}

export type Goal = Saved<GoalDefinition>;
export type Funnel = Saved<{ steps: FunnelStep[]; windowMs: number }>;
export type Cta = Saved<{ impression: EventMatch; click: EventMatch }>;

export interface GoalResult {
  visitors: number;
  conversions: number;
  conversionRate: number;
  revenue: Record<string, number>;
}

export interface CtrResult {
  impressions: number;
  clicks: number;
  ctr: number;
  uniqueImpressions: number;
  uniqueClicks: number;
}

export interface FunnelStepResult {
  visitors: number;
  dropOff: number;
  conversionRate: number;
}

export interface RetentionCohort {
  week: string;
  visitors: number;
  retained: number[];
}

export interface Realtime {
  visitorsNow: number;
  pageviewsPerMinute: number[];
  topPages: { value: string; visitors: number }[];
  topSources: { value: string; visitors: number }[];
}

export interface ShareLink {
  id: string;
  siteId: string;
  prefix: string;
  createdBy: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** Whose reports: a site of a workspace (signed in), or the site behind a public share link. */
export type ReportSource = { kind: 'site'; ws: string; siteId: string } | { kind: 'share'; token: string };

export const sourceKey = (s: ReportSource) =>
  s.kind === 'site' ? `${s.ws}/${s.siteId}` : `share/${s.token}`;

const sitePath = (ws: string, siteId: string) => `/api/workspaces/${seg(ws)}/sites/${seg(siteId)}`;
const reportsPath = (s: ReportSource) =>
  s.kind === 'site' ? `${sitePath(s.ws, s.siteId)}/reports` : `/api/share/${seg(s.token)}/reports`;

export type Params = Record<string, string | number | undefined | readonly string[]>;

/** `filter=dimension:op:value`, once per filter, exactly as the API reads it. */
export const filterParam = (filters: readonly Filter[]) =>
  filters.map((f) => `${f.dimension}:${f.op}:${f.value}`);

export function reportUrl(source: ReportSource, report: string, params: Params = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) search.append(key, v);
    else search.set(key, String(value));
  }
  const query = search.toString();
  return `${reportsPath(source)}/${report}${query ? `?${query}` : ''}`;
}

export const getReport = <T>(source: ReportSource, report: string, params: Params) =>
  request<T>('GET', reportUrl(source, report, params));

export const getSharedSite = (token: string) =>
  request<{ site: { name: string; domain: string; timezone: string } }>('GET', `/api/share/${seg(token)}`);

export const listShareLinks = (ws: string, siteId: string) =>
  request<{ shareLinks: ShareLink[] }>('GET', `${sitePath(ws, siteId)}/share-links`);
export const createShareLink = (ws: string, siteId: string) =>
  request<{ shareLink: ShareLink; token: string; url: string }>(
    'POST',
    `${sitePath(ws, siteId)}/share-links`,
  );
export const revokeShareLink = (ws: string, siteId: string, linkId: string) =>
  request<void>('DELETE', `${sitePath(ws, siteId)}/share-links/${seg(linkId)}`);

export const createGoal = (ws: string, siteId: string, body: { name: string; definition: GoalDefinition }) =>
  request<{ goal: Goal }>('POST', `${sitePath(ws, siteId)}/goals`, body);
export const deleteGoal = (ws: string, siteId: string, goalId: string) =>
  request<void>('DELETE', `${sitePath(ws, siteId)}/goals/${seg(goalId)}`);
export const createCta = (
  ws: string,
  siteId: string,
  body: { name: string; definition: Cta['definition'] },
) => request<{ cta: Cta }>('POST', `${sitePath(ws, siteId)}/ctas`, body);
export const createFunnel = (
  ws: string,
  siteId: string,
  body: { name: string; definition: Funnel['definition'] },
) => request<{ funnel: Funnel }>('POST', `${sitePath(ws, siteId)}/funnels`, body);
