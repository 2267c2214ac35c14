import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import {
  type AnalyticsReader,
  type Filter,
  type FunnelDefinition,
  type GoalDefinition,
  type ReportScope,
  resolvePeriod,
} from '../packages/core/src/index.ts';
import { EVENT_COLUMNS } from '../packages/store/src/events/row.ts';
import { backfillVisits, duckDbVisitsOf, postgresVisitsOf } from '../packages/store/src/events/visits-sql.ts';
import {
  openAnalyticsReader,
  openDuckDbEventStore,
  openPostgresEventStore,
} from '../packages/store/src/index.ts';
import { freshPgSchema } from '../packages/store/src/testing/index.ts';

// Web-analytics reports (openAnalyticsReader) over a generated site:
// BENCH_EVENTS events (default 10,000,000) over 30 days, 3 sites (50/30/20 %
// of the traffic), BENCH_VISITORS visitors (default 500,000, scaled down with
// the events). The reports read the largest site over a 30-day period in
// Asia/Riyadh, with no filter and with one (source is Google), each timed
// BENCH_RUNS times (default 7) after one warm-up run; p50 and p95 in ms.
//
// Loading: the events table comes from the store's own migrations, and the
// rows from one INSERT … SELECT generated in DuckDB SQL (hash-based, so every
// run builds the same data), ordered by time as appends would leave them.
// That is not the ingestion path (events-append measures that), so the
// visits table the appends keep is then built from the events by the
// migration's own backfill statement (timed: build_visits_s).
//
// Limits, measured in the same run on the same table: reading the site's
// rows (count(*) under the reports' population filter), and grouping them
// into visits (count of per-session min(occurred_at)), what every report
// did before the visits table; and reading the site's rows of the visits
// table in the period (count(*)), the least any visit-level report now does.
//
// PostgreSQL (when WASL_BENCH_PG_URL is set): the same generator at
// BENCH_PG_EVENTS events (default 1,000,000: a report over 10 million takes
// tens of seconds there), exported from DuckDB as CSV and loaded with a
// server-side COPY into a fresh schema migrated by the store, then the same
// reports (BENCH_PG_RUNS runs, default 3).
//
//   npm run bench -- reports
//   BENCH_EVENTS=1000000 npm run bench -- reports
//   WASL_BENCH_PG_URL=postgres://postgres@127.0.0.1:5432/test npm run bench -- reports
//   BENCH_KEEP=1 … keeps the generated files (their directory is logged)

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000_000);
/** 500,000 visitors for 10 million events, in proportion for other sizes. */
const visitorsFor = (events: number) => Math.max(1000, Math.round((events / 10_000_000) * 500_000));
const VISITORS = Number(process.env.BENCH_VISITORS ?? visitorsFor(EVENTS));
const PG_EVENTS = Number(process.env.BENCH_PG_EVENTS ?? Math.min(EVENTS, 1_000_000));
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const PG_RUNS = Number(process.env.BENCH_PG_RUNS ?? 3);
const PG_URL = process.env.WASL_BENCH_PG_URL;
const WORKSPACE = 'bench';
const SITE = 'site-0';
const DAYS = 30;
const DATA_START = '2026-03-01 00:00:00+00';
/** Average events per visit the generator makes (pageviews, beacons, custom events); sizes the visits. */
const EVENTS_PER_VISIT = 6.44;

const log = (message: string) => console.error(`[reports] ${message}`);
const ms = (t0: number) => Math.round(performance.now() - t0);

/**
 * One visit per row of `visits`, unnested into its events. Per visit: 30 % are
 * one pageview; the rest 2–6 pageviews, each followed by an engagement beacon;
 * a third see a CTA, a third of those click it, a tenth buy (SAR or USD).
 * 2 % of visits are bots, 70 % cookieless (a visitor id per day).
 */
const GENERATE = (visits: number, visitors: number) => `
create temp table gen_visits as
with v as (
  select i, hash(i, 1) as h1, hash(i, 2) as h2, hash(i, 3) as h3, hash(i, 4) as h4, hash(i, 5) as h5
  from range(${visits}) t(i)
)
select i as visit,
  (h1 % ${visitors})::bigint as visitor,
  timestamptz '${DATA_START}' + to_milliseconds((h2 % ${DAYS * 86_400_000}::ubigint)::bigint) as start,
  case when h3 % 10 < 3 then 1 else 2 + (h3 >> 4) % 5 end::int as pv,
  (h3 >> 8) % 3 = 0 as cta,
  (h3 >> 12) % 3 = 0 as click,
  (h3 >> 16) % 10 = 0 as buy,
  (h4 % 100) < 2 as bot,
  ((h4 >> 8) % 10) < 7 as cookieless,
  (h4 >> 16) % 100 as traffic,
  ((h4 >> 24) % 20)::int as country,
  ((h4 >> 32) % 3)::int as device,
  ((h4 >> 40) % 5)::int as browser,
  ((h4 >> 48) % 4)::int as locale,
  (h5 % 10) as entry_kind,
  ((h5 >> 8) % 300)::int as entry_page,
  ((h5 >> 20) % 3) = 0 as sar
from v;
create temp table gen_events as
select *,
  -- the pageview an event belongs to: its own index, or the one a beacon reports on
  case when j < pv then j when j < pv + beacons then j - pv end as k
from (
  select g.*, j, case when g.pv = 1 and not g.cta and not g.buy then 0 else g.pv end as beacons
  from gen_visits g, range(0, 2 * g.pv + 3) r(j)
);
insert into events (${EVENT_COLUMNS.map((c) => c.name).join(', ')})
select '${WORKSPACE}', 'e' || visit || '-' || j, kind, name, anonymous_id, null, occurred_at, occurred_at,
  path, null, utm_source, utm_medium, utm_campaign, source, medium,
  country, device_type, session_id, site_id, region, browser, os, locale, null, null,
  referrer_host, identity, engaged_ms, bot, properties, '{}'
from (
  select visit, j,
    case when j < pv then 'page' else 'track' end as kind,
    case when j < pv then ''
      when j < pv + beacons then '$engagement'
      when j = 2 * pv then 'cta_impression'
      when j = 2 * pv + 1 then 'cta_click'
      else 'purchase' end as name,
    case when cookieless
      then 'h' || visitor || '-' || strftime(start, '%Y%m%d')
      else 'v' || visitor end as anonymous_id,
    start + to_milliseconds(case when j < pv then j * 30000
      when j < pv + beacons then (j - pv) * 30000 + 15000
      else pv * 30000 + j end) as occurred_at,
    case when k = 0 then case when entry_kind < 3 then '/' when entry_kind = 3 then '/ar/عروض' else '/p/' || entry_page end
      when k = 1 and entry_kind < 5 then '/pricing'
      when k = 2 and entry_kind < 4 then '/checkout'
      when k is not null then '/p/' || (hash(visit, k) % 300)
      else '/' end as path,
    case when j > 0 then '(internal)'
      when traffic < 35 then 'Google' when traffic < 55 then '(direct)' when traffic < 65 then 'WhatsApp'
      when traffic < 72 then 'Snapchat' when traffic < 78 then 'Instagram' when traffic < 83 then 'X'
      when traffic < 87 then 'Bing' when traffic < 91 then 'newsletter' when traffic < 94 then 'Facebook'
      when traffic < 96 then 'TikTok' when traffic < 98 then 'LinkedIn' else 'YouTube' end as source,
    case when j > 0 then 'internal' when traffic < 35 or (traffic >= 83 and traffic < 87) then 'organic'
      when traffic < 55 then '(none)' when traffic >= 87 and traffic < 91 then 'email' else 'social' end as medium,
    case when j > 0 then 'example.com' when traffic < 35 then 'google.com' when traffic < 55 then null
      else 'ref' || (traffic % 13) || '.com' end as referrer_host,
    case when j = 0 and traffic >= 87 and traffic < 91 then 'newsletter' end as utm_source,
    case when j = 0 and traffic >= 87 and traffic < 91 then 'email' end as utm_medium,
    case when j = 0 and traffic >= 87 and traffic < 91 then 'رمضان' end as utm_campaign,
    ['SA','AE','EG','KW','QA','BH','OM','JO','MA','DZ','TN','IQ','LB','US','GB','DE','FR','IN','PK','TR'][country + 1] as country,
    'R' || country as region,
    ['desktop','mobile','tablet'][device + 1] as device_type,
    ['Chrome','Safari','Firefox','Edge','Samsung Internet'][browser + 1] as browser,
    ['Windows','iOS','Android','macOS'][(browser + device) % 4 + 1] as os,
    ['ar-SA','en-US','ar-EG','fr-FR'][locale + 1] as locale,
    's' || visit as session_id,
    'site-' || case when visitor % 10 < 5 then 0 when visitor % 10 < 8 then 1 else 2 end as site_id,
    case when cookieless then 'cookieless' else 'consent' end as identity,
    case when j >= pv and j < pv + beacons then 2000 + hash(visit, j) % 90000 end as engaged_ms,
    bot,
    case when j < pv + beacons then '{}'
      when j < 2 * pv + 2 then '{"cta":"hero"}'
      else '{"amount":' || (10 + hash(visit) % 50000) / 100 || ',"currency":"' || case when sar then 'SAR' else 'USD' end || '"}'
    end as properties,
    j < pv + beacons
      or (j = 2 * pv and cta) or (j = 2 * pv + 1 and cta and click) or (j = 2 * pv + 2 and buy) as kept
  from gen_events
) e
where kept
order by occurred_at`;

async function loadDuckDb(
  file: string,
  events: number,
  visitors: number,
): Promise<{ events: number; seconds: number; visitsSeconds: number }> {
  const store = await openDuckDbEventStore(file);
  await store.migrate();
  await store.close();
  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  try {
    const t0 = performance.now();
    for (const statement of GENERATE(Math.round(events / EVENTS_PER_VISIT), visitors).split(';')) {
      if (statement.trim()) await conn.run(statement);
    }
    await conn.run('checkpoint');
    const seconds = ms(t0) / 1000;
    const t1 = performance.now();
    await conn.run(backfillVisits(duckDbVisitsOf('events')));
    await conn.run('checkpoint');
    const visitsSeconds = ms(t1) / 1000;
    const counted = await conn.runAndReadAll('select count(*) from events');
    return { events: Number(counted.getRows()[0]?.[0]), seconds, visitsSeconds };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

// --- the reports -----------------------------------------------------------------

const PERIOD = { from: '2026-03-01', to: '2026-03-30', timeZone: 'Asia/Riyadh' };
/** The last week, after 23 days of history: the new-visitor lookup has something to read. */
const LAST_WEEK = { from: '2026-03-24', to: '2026-03-30', timeZone: 'Asia/Riyadh' };
const NOW = new Date('2026-03-20T12:00:00Z');
const FILTER: Filter[] = [{ dimension: 'source', op: 'is', values: ['Google'] }];
const GOAL: GoalDefinition = {
  kind: 'event',
  event: 'purchase',
  properties: {},
  revenueProperty: 'amount',
  currencyProperty: 'currency',
};
const FUNNEL: FunnelDefinition = {
  steps: [
    { kind: 'page', pattern: '/' },
    { kind: 'page', pattern: '/pricing' },
    { kind: 'event', event: 'purchase', properties: {} },
  ],
  windowMs: 3_600_000,
};
const PAGE = { limit: 10, offset: 0 };

const scopeOf = (period: typeof PERIOD, filters: Filter[]): ReportScope => ({
  workspaceId: WORKSPACE,
  siteId: SITE,
  ...resolvePeriod(period),
  timeZone: period.timeZone,
  filters,
});

function reports(): [string, (r: AnalyticsReader) => Promise<unknown>][] {
  const list: [string, (r: AnalyticsReader) => Promise<unknown>][] = [];
  for (const [suffix, filters] of [
    ['', []],
    ['_filtered', FILTER],
  ] as const) {
    const scope = scopeOf(PERIOD, [...filters]);
    list.push(
      [`summary${suffix}`, (r) => r.summary(scope)],
      [`timeseries_day${suffix}`, (r) => r.timeseries(scope, 'day')],
      [`breakdown_page${suffix}`, (r) => r.breakdown(scope, 'page', PAGE)],
      [`breakdown_source${suffix}`, (r) => r.breakdown(scope, 'source', PAGE)],
      [`breakdown_country${suffix}`, (r) => r.breakdown(scope, 'country', PAGE)],
      [`goal_revenue${suffix}`, (r) => r.goal(scope, GOAL)],
      [`funnel_3_steps${suffix}`, (r) => r.funnel(scope, FUNNEL)],
      [`retention${suffix}`, (r) => r.retention(scope)],
    );
  }
  list.push(
    ['summary_last_week_after_23_days', (r) => r.summary(scopeOf(LAST_WEEK, []))],
    ['realtime', (r) => r.realtime(WORKSPACE, SITE, NOW)],
  );
  return list;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

async function time(runs: number, work: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await work();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: Math.round(percentile(times, 50)), p95: Math.round(percentile(times, 95)) };
}

async function measureReports(reader: AnalyticsReader, runs: number, engine: string) {
  const figures: Record<string, { p50: number; p95: number }> = {};
  for (const [name, run] of reports()) {
    figures[name] = await time(runs, () => run(reader));
    log(`${engine} ${name}: p50 ${figures[name]?.p50} ms, p95 ${figures[name]?.p95} ms`);
  }
  return figures;
}

// --- limits ----------------------------------------------------------------------

const { from, to } = resolvePeriod(PERIOD);
const POPULATION = `workspace_id = '${WORKSPACE}' and site_id = '${SITE}' and bot is not true
  and session_id is not null and anonymous_id is not null`;
const LIMITS = {
  scan_site_rows: (types: string) => `select count(*) from events where ${POPULATION} and ${types}
    and occurred_at >= '${from.toISOString()}' and occurred_at < '${to.toISOString()}'`,
  group_into_visits: (types: string) => `select count(*) from (select session_id, min(occurred_at)
    from events where ${POPULATION} and ${types}
      and occurred_at >= '${from.toISOString()}' and occurred_at < '${to.toISOString()}'
    group by session_id) v`,
};

const SCAN_VISITS = `select count(*) from visits where workspace_id = '${WORKSPACE}' and site_id = '${SITE}'
  and started_at >= '${from.toISOString()}' and started_at < '${to.toISOString()}'`;

async function duckDbLimits(file: string) {
  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  try {
    const types = `type >= 'page' and type <= 'track'`;
    const out: Record<string, { p50: number; p95: number }> = {
      count_star: await time(RUNS, () => conn.run('select count(*) from events')),
    };
    for (const [name, sql] of Object.entries(LIMITS))
      out[name] = await time(RUNS, () => conn.run(sql(types)));
    out.scan_site_visits = await time(RUNS, () => conn.run(SCAN_VISITS));
    const rows = await conn.runAndReadAll(LIMITS.scan_site_rows(types));
    const visits = await conn.runAndReadAll(LIMITS.group_into_visits(types));
    return {
      ...out,
      site_rows: Number(rows.getRows()[0]?.[0]),
      site_visits: Number(visits.getRows()[0]?.[0]),
    };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** The same generator at PG_EVENTS, into PostgreSQL by a server-side COPY of DuckDB's CSV export. */
async function postgres(url: string, dir: string, sameAsDuckDb: string) {
  let duckFile = sameAsDuckDb;
  if (PG_EVENTS !== EVENTS) {
    duckFile = join(dir, 'pg-source.duckdb');
    log(`generating ${PG_EVENTS.toLocaleString('en')} events for PostgreSQL …`);
    await loadDuckDb(duckFile, PG_EVENTS, visitorsFor(PG_EVENTS));
  }
  const schema = await freshPgSchema(url);
  try {
    const store = openPostgresEventStore(schema.url);
    await store.migrate();
    await store.close();
    const csv = join(dir, 'events.csv');
    const instance = await DuckDBInstance.create(duckFile);
    const conn = await instance.connect();
    const columns = EVENT_COLUMNS.map((c) => c.name).join(', ');
    await conn.run(`copy (select ${columns} from events) to '${csv}' (format csv, header)`);
    conn.closeSync();
    instance.closeSync();
    chmodSync(dir, 0o755);
    chmodSync(csv, 0o644);
    const client = new pg.Client({ connectionString: schema.url });
    await client.connect();
    try {
      const t0 = performance.now();
      await client.query(`copy events (${columns}) from '${csv}' with (format csv, header)`);
      const loadSeconds = ms(t0) / 1000;
      await client.query('vacuum analyze events');
      const t1 = performance.now();
      await client.query(backfillVisits(postgresVisitsOf('events')));
      const visitsSeconds = ms(t1) / 1000;
      await client.query('vacuum analyze visits');
      log(
        `postgres: loaded in ${loadSeconds} s (server-side COPY, primary key and indexes in place), visits built in ${visitsSeconds} s`,
      );
      const types = `type in ('page', 'track')`;
      const limits: Record<string, { p50: number; p95: number }> = {};
      for (const [name, sql] of Object.entries(LIMITS))
        limits[name] = await time(PG_RUNS, () => client.query(sql(types)));
      limits.scan_site_visits = await time(PG_RUNS, () => client.query(SCAN_VISITS));
      const reader = await openAnalyticsReader({ kind: 'postgres', url: schema.url });
      try {
        const figures = await measureReports(reader, PG_RUNS, 'postgres');
        const { rows } = await client.query<{ n: string }>('select count(*) as n from events');
        return {
          events: Number(rows[0]?.n),
          load_s: loadSeconds,
          build_visits_s: visitsSeconds,
          runs: PG_RUNS,
          limits,
          reports: figures,
        };
      } finally {
        await reader.close();
      }
    } finally {
      await client.end();
    }
  } finally {
    await schema.drop();
  }
}

// --- run -------------------------------------------------------------------------

const result: Record<string, unknown> = {
  bench: 'reports',
  events_requested: EVENTS,
  visitors: VISITORS,
  days: DAYS,
  sites: 3,
  site_share: '50/30/20 %, the largest measured',
  runs: RUNS,
  cpus: availableParallelism(),
  cpu: cpus()[0]?.model,
  memory_gb: Math.round(totalmem() / 2 ** 30),
  load_1m_before: Number(loadavg()[0]?.toFixed(2)),
};
const dir = mkdtempSync(join(tmpdir(), 'wasl-bench-reports-'));
try {
  const file = join(dir, 'events.duckdb');
  log(`generating ${EVENTS.toLocaleString('en')} events into DuckDB …`);
  const loaded = await loadDuckDb(file, EVENTS, VISITORS);
  log(
    `loaded ${loaded.events.toLocaleString('en')} events in ${loaded.seconds} s, visits in ${loaded.visitsSeconds} s`,
  );
  result.events = loaded.events;
  result.load = {
    seconds: loaded.seconds,
    build_visits_s: loaded.visitsSeconds,
    method: 'one INSERT … SELECT generated in DuckDB SQL, ordered by time, into the migrated events table',
  };
  const limits = await duckDbLimits(file);
  log(`duckdb limits: ${JSON.stringify(limits)}`);
  const reader = await openAnalyticsReader({ kind: 'duckdb', file });
  try {
    result.duckdb = { limits, reports: await measureReports(reader, RUNS, 'duckdb') };
  } finally {
    await reader.close();
  }
  result.postgres = PG_URL ? await postgres(PG_URL, dir, file) : 'skipped: set WASL_BENCH_PG_URL';
} finally {
  // BENCH_KEEP=1 keeps the generated DuckDB file for looking into a report by hand.
  if (process.env.BENCH_KEEP === '1') log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
result.load_1m_after = Number(loadavg()[0]?.toFixed(2));
console.log(JSON.stringify(result));
