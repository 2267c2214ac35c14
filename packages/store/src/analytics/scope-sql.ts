import type { Dimension, Filter, ReportScope } from '@wasl/core';
import type { Dialect } from './dialect.ts';
import type { Params } from './params.ts';

/**
 * How far outside the period a report reads events to find where its visits
 * start and end. A visit belongs to the period it started in and brings all
 * its events, so a visit started before `from` must be seen (and left out)
 * and one started before `to` keeps its later events. Ingestion ends a visit
 * after 30 minutes without an event, so a day either side is plenty; a
 * visit longer than that (only automated traffic) is cut at this margin.
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
  /** Keep `properties` in `ev` (goals, CTR, funnels). */
  properties?: boolean;
  /** Add `prior`: visitors with an event before the period, i.e. not new. */
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

/**
 * The filters as SQL: per-visit flags (aggregates: "has a pageview or custom
 * event that matches", for `page` and `event` filters) and the conditions on
 * the visits' columns that select qualifying visits.
 */
function visitFilters(p: Params, filters: readonly Filter[]): { flags: string[]; conditions: string[] } {
  const flags: string[] = [];
  const conditions: string[] = [];
  for (const f of filters) {
    let positive: string;
    if (f.dimension === 'page' || f.dimension === 'event') {
      positive = `f${flags.length}`;
      const event =
        f.dimension === 'page'
          ? `type = 'page' and ${matchesAny(p, "coalesce(path, '')", f)}`
          : `${CUSTOM_EVENT} and ${matchesAny(p, 'name', f)}`;
      flags.push(`coalesce(bool_or(${event}), false) as ${positive}`);
    } else {
      // Visit columns are named after their dimension (first-event ones, entry_page, exit_page).
      positive = matchesAny(p, `coalesce(${f.dimension}, '')`, f);
    }
    conditions.push(negates(f) ? `not (${positive})` : positive);
  }
  return { flags, conditions };
}

/**
 * The common table expressions every report starts from, as a `with` list:
 * - `ev`: the scope's events, from a day before the period to a day after;
 * - `visits`: one row per visit started in the period (every visit, filters
 *   not applied): session_id, visitor, identity, started, started_ms,
 *   duration_ms, pageviews, events (custom), engaged_ms, and what `needs` asks;
 * - `qv`: the visits that match every filter;
 * - `prior` (if asked): anonymous ids with an event before the period.
 */
export function scopeCtes(dialect: Dialect, p: Params, scope: ReportScope, needs: ScopeNeeds = {}): string {
  const dims = new Set<FirstEventDimension>(needs.dimensions);
  let pages = needs.pages === true;
  for (const f of scope.filters) {
    if (isFirstEventDimension(f.dimension)) dims.add(f.dimension);
    if (f.dimension === 'entry_page' || f.dimension === 'exit_page') pages = true;
  }
  const { flags, conditions } = visitFilters(p, scope.filters);

  const base = population(dialect, p, scope.workspaceId, scope.siteId);
  const columns = [
    'session_id',
    'anonymous_id',
    'occurred_at',
    'id',
    'type',
    'name',
    'path',
    'engaged_ms',
    'identity',
    ...[...dims].map((d) => FIRST_EVENT_COLUMN[d]),
    ...(needs.properties ? ['properties'] : []),
  ];
  const first: Record<string, string> = { visitor: 'anonymous_id', identity: 'identity' };
  for (const d of dims) first[d] = FIRST_EVENT_COLUMN[d];

  const from = p.time(scope.from);
  const to = p.time(scope.to);
  const visits = dialect.visits({
    aggregates: [
      'min(occurred_at) as started',
      `${dialect.epochMs('min(occurred_at)')} as started_ms`,
      `${dialect.epochMs('max(occurred_at)')} - ${dialect.epochMs('min(occurred_at)')} as duration_ms`,
      `count(*) filter (where type = 'page') as pageviews`,
      `count(*) filter (where ${CUSTOM_EVENT}) as events`,
      `coalesce(sum(engaged_ms) filter (where ${ENGAGEMENT}), 0) as engaged_ms`,
      ...flags,
    ],
    first,
    pages,
    having: `min(occurred_at) >= ${from} and min(occurred_at) < ${to}`,
  });

  const ctes = [
    `ev as (select ${[...new Set(columns)].join(', ')} from events
  where ${base}
    and occurred_at >= ${p.time(scope.from.getTime() - VISIT_MARGIN_MS)}
    and occurred_at < ${p.time(scope.to.getTime() + VISIT_MARGIN_MS)})`,
    `visits as (${visits})`,
    `qv as (select * from visits${conditions.length > 0 ? ` where ${conditions.join(' and ')}` : ''})`,
  ];
  if (needs.prior) {
    ctes.push(
      `prior as (select distinct anonymous_id from events where ${population(dialect, p, scope.workspaceId, scope.siteId)} and occurred_at < ${from})`,
    );
  }
  return ctes.join(',\n');
}
