/**
 * The `visits` table: one row per visit (workspace, site, session_id) holding
 * mergeable aggregates of its people's pageviews and track events, kept up to
 * date by every append from the rows it newly inserted (see
 * docs/decisions/0007-visits-table.md). Every column merges associatively and
 * commutatively, so appending a visit's events in any batches, in any order,
 * gives the row one aggregate of all of them would:
 * - sums: pageviews, events (custom), engaged_ms;
 * - min/max: started_at, ended_at;
 * - the side whose first event is earlier by (occurred_at, id) gives the
 *   first-event columns (visitor, identity, source … locale, first_id);
 * - the side whose first pageview is earlier gives entry_*, whose last
 *   pageview is later gives exit_*.
 * Definitions (which events count, what a visit's visitor is) are those of
 * packages/core/src/analytics.ts.
 */

/** Columns copied from a visit's first event, by their events column name. */
export const FIRST_EVENT_FIELDS = [
  'identity',
  'source',
  'medium',
  'referrer_host',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
  'country',
  'region',
  'device_type',
  'browser',
  'os',
  'locale',
] as const;

const KEY = ['workspace_id', 'site_id', 'session_id'] as const;
const PAGE_FIELDS = ['path', 'at', 'id'] as const;

/** Every column of the table in order: key, visitor, first event, totals, entry, exit. */
export const VISIT_COLUMNS = [
  ...KEY,
  'visitor',
  'started_at',
  'first_id',
  'ended_at',
  'pageviews',
  'events',
  'engaged_ms',
  ...PAGE_FIELDS.map((f) => `entry_${f}`),
  ...PAGE_FIELDS.map((f) => `exit_${f}`),
  ...FIRST_EVENT_FIELDS,
] as const;

/** `create table visits`, with the engine's text and time types. */
export function createVisitsTable(text: string, time: string, keyText = text): string {
  const col = (name: string, type: string, notNull = false) => `${name} ${type}${notNull ? ' not null' : ''}`;
  return `create table visits (
  ${[
    ...KEY.map((k) => col(k, keyText, true)),
    col('visitor', text, true),
    col('started_at', time, true),
    col('first_id', keyText, true),
    col('ended_at', time, true),
    col('pageviews', 'bigint', true),
    col('events', 'bigint', true),
    col('engaged_ms', 'bigint', true),
    col('entry_path', text),
    col('entry_at', time),
    col('entry_id', keyText),
    col('exit_path', text),
    col('exit_at', time),
    col('exit_id', keyText),
    ...FIRST_EVENT_FIELDS.map((f) => col(f, text)),
  ].join(',\n  ')},
  primary key (${KEY.join(', ')})
)`;
}

/** The events that make visits: people's pageviews and track events with a site, a visit and a visitor. */
export const VISIT_EVENT = `site_id is not null and session_id is not null and anonymous_id is not null
  and type in ('page', 'track') and bot is not true`;
const CUSTOM = `type = 'track' and name <> '$engagement'`;
const ENGAGEMENT = `type = 'track' and name = '$engagement'`;

const TOTALS = [
  'min(occurred_at) as started_at',
  'max(occurred_at) as ended_at',
  `count(*) filter (where type = 'page') as pageviews`,
  `count(*) filter (where ${CUSTOM}) as events`,
  `coalesce(sum(engaged_ms) filter (where ${ENGAGEMENT}), 0) as engaged_ms`,
];

/** `value as column` for each of VISIT_COLUMNS, in order. */
function named(values: readonly string[]): string {
  if (values.length !== VISIT_COLUMNS.length) throw new Error('visits-sql: one value per visits column');
  return values.map((v, i) => (v === VISIT_COLUMNS[i] ? v : `${v} as ${VISIT_COLUMNS[i]}`)).join(',\n  ');
}

/**
 * DuckDB: one row per visit of the events in `source` (a table or subquery
 * with the events columns), in VISIT_COLUMNS order. The first event's
 * columns come from one arg_min over a struct: one comparison per row for
 * all of them.
 */
export function duckDbVisitsOf(source: string): string {
  const first = ['anonymous_id', 'id', ...FIRST_EVENT_FIELDS].map((c) => `'${c}': ${c}`).join(', ');
  const page = `{'path': path, 'at': occurred_at, 'id': id}`;
  const inner = `select ${KEY.join(', ')},
    arg_min({${first}}, (occurred_at, id)) as f,
    ${TOTALS.join(',\n    ')},
    arg_min(${page}, (occurred_at, id)) filter (where type = 'page') as entry,
    arg_max(${page}, (occurred_at, id)) filter (where type = 'page') as exit
  from ${source} where ${VISIT_EVENT}
  group by ${KEY.join(', ')}`;
  const values = [
    ...KEY,
    'f.anonymous_id',
    'started_at',
    'f.id',
    'ended_at',
    'pageviews',
    'events',
    'engaged_ms',
    ...PAGE_FIELDS.map((p) => `entry.${p}`),
    ...PAGE_FIELDS.map((p) => `exit.${p}`),
    ...FIRST_EVENT_FIELDS.map((c) => `f.${c}`),
  ];
  return `select ${named(values)}\nfrom (${inner}) v`;
}

/**
 * PostgreSQL: the same rows. It has no arg_min over a row, so the events are
 * numbered within their visit (and within its pageviews, both ways) once,
 * and each first-event column is the value on row 1. Ids sort as bytes
 * ("C"), like DuckDB's.
 */
export function postgresVisitsOf(source: string): string {
  const part = `partition by ${KEY.join(', ')}`;
  const pagePart = `${part}, type = 'page'`;
  const numbered = `select ${KEY.join(', ')}, id, type, name, anonymous_id, occurred_at, path, engaged_ms,
    ${FIRST_EVENT_FIELDS.join(', ')},
    row_number() over (${part} order by occurred_at, id collate "C") as n,
    row_number() over (${pagePart} order by occurred_at, id collate "C") as pn,
    row_number() over (${pagePart} order by occurred_at desc, id collate "C" desc) as pd
  from ${source} where ${VISIT_EVENT}`;
  const at = (column: string, row: string) => `max(${column}) filter (where ${row})`;
  const entry = `type = 'page' and pn = 1`;
  const exit = `type = 'page' and pd = 1`;
  const values = [
    ...KEY,
    at('anonymous_id', 'n = 1'),
    'min(occurred_at)',
    at('id', 'n = 1'),
    ...TOTALS.slice(1).map((t) => t.replace(/ as \w+$/, '')),
    at('path', entry),
    at('occurred_at', entry),
    at('id', entry),
    at('path', exit),
    at('occurred_at', exit),
    at('id', exit),
    ...FIRST_EVENT_FIELDS.map((c) => at(c, 'n = 1')),
  ];
  return `select ${named(values)}\nfrom (${numbered}) e\ngroup by ${KEY.join(', ')}`;
}

/** `excluded`'s side is first when its (time, id) comes before the stored row's. */
const before = (time: string, id: string) =>
  `(excluded.${time} < visits.${time} or (excluded.${time} = visits.${time} and excluded.${id} < visits.${id}))`;
const after = (time: string, id: string) =>
  `(excluded.${time} > visits.${time} or (excluded.${time} = visits.${time} and excluded.${id} > visits.${id}))`;

const FIRST_SIDE = ['visitor', 'first_id', ...FIRST_EVENT_FIELDS].map(
  (c) => `${c} = case when ${before('started_at', 'first_id')} then excluded.${c} else visits.${c} end`,
);
const ENTRY_EARLIER = `excluded.entry_at is not null and (visits.entry_at is null or ${before('entry_at', 'entry_id')})`;
const ENTRY_SIDE = PAGE_FIELDS.map(
  (f) => `entry_${f} = case when ${ENTRY_EARLIER} then excluded.entry_${f} else visits.entry_${f} end`,
);
const TOTALS_SIDE = [
  'ended_at = greatest(visits.ended_at, excluded.ended_at)',
  'pageviews = visits.pageviews + excluded.pageviews',
  'events = visits.events + excluded.events',
  'engaged_ms = visits.engaged_ms + excluded.engaged_ms',
  ...PAGE_FIELDS.map(
    (f) =>
      `exit_${f} = case when excluded.exit_at is not null and (visits.exit_at is null or ${after('exit_at', 'exit_id')}) then excluded.exit_${f} else visits.exit_${f} end`,
  ),
];
const CONFLICT = `on conflict (${KEY.join(', ')}) do update set`;

/**
 * Merges a batch's rows (`excluded`) into the stored ones (`visits.`), all
 * columns in one statement; every expression reads the stored row as it
 * was, as both engines do for ON CONFLICT DO UPDATE.
 */
export const MERGE_VISITS = `${CONFLICT}
  ${[...FIRST_SIDE, 'started_at = least(visits.started_at, excluded.started_at)', ...TOTALS_SIDE, ...ENTRY_SIDE].join(',\n  ')}`;

/** Upserts the visits of the events in `source` into the table, in one statement. */
export const upsertVisits = (visitsOf: string): string =>
  `insert into visits (${VISIT_COLUMNS.join(', ')})
${visitsOf}
${MERGE_VISITS}`;

/** Builds the table from every stored event (the migration's backfill). */
export const backfillVisits = (visitsOf: string): string =>
  `insert into visits (${VISIT_COLUMNS.join(', ')})
${visitsOf}`;
