import type { Dimension, Filter, ReportScope } from '@wasl/core';
import { type AnalyticsDb, num } from './db.ts';
import type { Dialect } from './dialect.ts';
import { Params } from './params.ts';

/**
 * How far before `now` realtime looks for the first event of a visit that is
 * active in its last 30 minutes (ingestion ends a visit after 30 idle minutes).
 */
export const VISIT_MARGIN_MS = 86_400_000;

/** Visit-level dimensions: the column of the visit's first event they read. */
export const FIRST_EVENT_COLUMN = {
  source: 'source',
  medium: 'medium',
  referrer: 'referrer_host',
  utm_source: 'utm_source',
  utm_medium: 'utm_medium',
  utm_campaign: 'utm_campaign',
  utm_term: 'utm_term',
  utm_content: 'utm_content',
  country: 'country',
  region: 'region',
  device: 'device_type',
  browser: 'browser',
  os: 'os',
  language: 'locale',
} as const satisfies Partial<Record<Dimension, string>>;
export type FirstEventDimension = keyof typeof FIRST_EVENT_COLUMN;

export const isFirstEventDimension = (d: string): d is FirstEventDimension => d in FIRST_EVENT_COLUMN;

/** A custom event: a track event that is not an engagement beacon. */
export const CUSTOM_EVENT = `(type = 'track' and name <> '$engagement')`;
export const ENGAGEMENT = `(type = 'track' and name = '$engagement')`;
export const BOUNCE = '(pageviews = 1 and events = 0)';

/** What a report needs from its visits beyond the base columns. */
export interface ScopeNeeds {
  /** First-event dimensions to expose as visit columns (filters add theirs). */
  dimensions?: readonly FirstEventDimension[];
  /** entry_page and exit_page. */
  pages?: boolean;
  /** Add `ev`: the events of the scope's visits (page and event breakdowns, goals, CTR, funnels). */
  events?: boolean;
  /** Keep `properties` in `ev` (goals, CTR, funnels). */
  properties?: boolean;
  /** Add `prior`: visitors with a visit started before the period, i.e. not new. */
  prior?: boolean;
}

/** The events of one site of one workspace that reports count: pageviews and track events of people. */
export function population(dialect: Dialect, p: Params, workspaceId: string, siteId: string): string {
  return `workspace_id = ${p.text(workspaceId)} and site_id = ${p.text(siteId)}
    and ${dialect.isPageOrTrack('type')} and bot is not true
    and session_id is not null and anonymous_id is not null`;
}

/** Whether `expr` (text, never null) matches the filter's values; the positive form of every op. */
export function matchesAny(p: Params, expr: string, filter: Filter): string {
  if (filter.op === 'is' || filter.op === 'is_not') {
    return `${expr} in (${filter.values.map((v) => p.text(v)).join(', ')})`;
  }
  return `(${filter.values.map((v) => `strpos(lower(${expr}), lower(${p.text(v)})) > 0`).join(' or ')})`;
}

const negates = (filter: Filter) => filter.op === 'is_not' || filter.op === 'not_contains';

/** Whether a scope needs its visits' events: for `page` and `event` filters. */
const filtersEvents = (scope: ReportScope) =>
  scope.filters.some((f) => f.dimension === 'page' || f.dimension === 'event');

/**
 * The last event time of the visits started in the period (every visit,
 * filters not applied), or undefined when there is none: their events lie
 * between `from` and it, so reports that read events read exactly that
 * range of the events table. Only asked when the report reads events.
 */
export async function visitsEnd(
  db: AnalyticsDb,
  scope: ReportScope,
  needs: ScopeNeeds,
): Promise<number | undefined> {
  if (needs.events !== true && !filtersEvents(scope)) return undefined;
  const p = new Params();
  const [row] = await db.query(
    `select ${db.dialect.epochMs('max(ended_at)')} as ended from visits
  where workspace_id = ${p.text(scope.workspaceId)} and site_id = ${p.text(scope.siteId)}
    and started_at >= ${p.time(scope.from)} and started_at < ${p.time(scope.to)}`,
    p.values,
  );
  return row?.ended === null || row?.ended === undefined ? undefined : num(row.ended);
}

/**
 * The conditions on `sv`'s columns that select qualifying visits: visit
 * dimensions compare the visit's column; `page` and `event` filters are a
 * semi-join (or anti-join, negated) on the visit's events.
 */
function visitFilters(p: Params, scope: ReportScope, events: () => string): string[] {
  const conditions: string[] = [];
  for (const f of scope.filters) {
    let positive: string;
    if (f.dimension === 'page' || f.dimension === 'event') {
      const event =
        f.dimension === 'page'
          ? `type = 'page' and ${matchesAny(p, "coalesce(path, '')", f)}`
          : `${CUSTOM_EVENT} and ${matchesAny(p, 'name', f)}`;
      positive = `exists (select 1 from events e where ${events()} and e.session_id = sv.session_id and ${event})`;
    } else {
      // Visit columns are named after their dimension (first-event ones, entry_page, exit_page).
      positive = matchesAny(p, `coalesce(${f.dimension}, '')`, f);
    }
    conditions.push(negates(f) ? `not (${positive})` : positive);
  }
  return conditions;
}

/**
 * The common table expressions every report starts from, as a `with` list:
 * - `sv`: one row per visit started in the period, from the visits table
 *   (every visit, filters not applied): session_id, visitor, identity,
 *   started, started_ms, duration_ms, pageviews, events (custom),
 *   engaged_ms, and what `needs` asks;
 * - `qv`: the visits that match every filter;
 * - `ev` (if asked): the site's events from `from` to `end` (the scope's
 *   visits' last event, see visitsEnd), to join to `qv` on session_id;
 * - `prior` (if asked): visitors with a visit started before the period.
 */
export function scopeCtes(
  dialect: Dialect,
  p: Params,
  scope: ReportScope,
  needs: ScopeNeeds = {},
  end?: number,
): string {
  const dims = new Set<FirstEventDimension>(needs.dimensions);
  let pages = needs.pages === true;
  for (const f of scope.filters) {
    if (isFirstEventDimension(f.dimension)) dims.add(f.dimension);
    if (f.dimension === 'entry_page' || f.dimension === 'exit_page') pages = true;
  }
  const site = `workspace_id = ${p.text(scope.workspaceId)} and site_id = ${p.text(scope.siteId)}`;
  const from = p.time(scope.from);
  const to = p.time(scope.to);
  // No visit started in the period: an empty range of events.
  const until = end === undefined ? from : p.time(end);
  let window: string | undefined;
  const events = () => {
    window ??= `${population(dialect, p, scope.workspaceId, scope.siteId)}
    and occurred_at >= ${from} and occurred_at <= ${until}`;
    return window;
  };
  const conditions = visitFilters(p, scope, events);
  const columns = [
    'session_id',
    'visitor',
    'identity',
    'started_at as started',
    `${dialect.epochMs('started_at')} as started_ms`,
    `${dialect.epochMs('ended_at')} - ${dialect.epochMs('started_at')} as duration_ms`,
    'pageviews',
    'events',
    'engaged_ms',
    ...(pages ? ['entry_path as entry_page', 'exit_path as exit_page'] : []),
    ...[...dims].map((d) => `${FIRST_EVENT_COLUMN[d]} as ${d}`),
  ];
  const ctes = [
    `sv as (select ${columns.join(', ')} from visits
  where ${site} and started_at >= ${from} and started_at < ${to})`,
    `qv as (select * from sv${conditions.length > 0 ? ` where ${conditions.join(' and ')}` : ''})`,
  ];
  if (needs.events || needs.properties) {
    const evColumns = ['session_id', 'occurred_at', 'id', 'type', 'name', 'path', 'engaged_ms'];
    if (needs.properties) evColumns.push('properties');
    ctes.push(`ev as (select ${evColumns.join(', ')} from events where ${events()})`);
  }
  if (needs.prior) {
    ctes.push(`prior as (select distinct visitor from visits where ${site} and started_at < ${from})`);
  }
  return ctes.join(',\n');
}
