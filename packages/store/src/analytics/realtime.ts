import type { Realtime } from '@wasl/core';
import { type AnalyticsDb, num, str } from './db.ts';
import { Params } from './params.ts';
import { population, VISIT_MARGIN_MS } from './scope-sql.ts';

const MINUTE = 60_000;
const WINDOW_MINUTES = 30;
const NOW_MINUTES = 5;
/** Rows in topPages and topSources. */
export const REALTIME_TOP = 10;

/**
 * The last 30 minutes before `now`, filters ignored: visitors of the last 5
 * minutes, pageviews per minute, and the pages and sources with the most
 * visitors. A visit's source is its first event's, looked up to a day back.
 */
export async function realtime(
  db: AnalyticsDb,
  workspaceId: string,
  siteId: string,
  now: Date,
): Promise<Realtime> {
  const { dialect } = db;
  const top = (grouped: string) =>
    `select * from (${grouped}) t order by t.visitors desc, ${dialect.byteOrder('t.value')} limit ${REALTIME_TOP}`;
  const start = now.getTime() - WINDOW_MINUTES * MINUTE;

  const a = new Params();
  const recent = `${population(dialect, a, workspaceId, siteId)}
    and occurred_at >= ${a.time(start)} and occurred_at < ${a.time(now)}`;
  const minutes = `select 'minute' as kind, cast(floor((${dialect.epochMs('occurred_at')} - ${a.int(start)}) / 60000.0) as bigint) as value,
  count(*) as n from events where ${recent} and type = 'page' group by 2`;
  const now5 = a.time(now.getTime() - NOW_MINUTES * MINUTE);
  const counts = `select 'now' as kind, 0 as value, count(distinct anonymous_id) as n
  from events where ${recent} and occurred_at >= ${now5}`;

  const b = new Params();
  const pages = top(`select coalesce(path, '') as value, count(distinct anonymous_id) as visitors
  from events where ${population(dialect, b, workspaceId, siteId)} and type = 'page'
    and occurred_at >= ${b.time(start)} and occurred_at < ${b.time(now)}
  group by 1`);

  const c = new Params();
  const order = ['occurred_at', 'id'];
  const sources = `with w as (select session_id, anonymous_id, occurred_at, id, source from events
  where ${population(dialect, c, workspaceId, siteId)}
    and occurred_at >= ${c.time(now.getTime() - VISIT_MARGIN_MS)} and occurred_at < ${c.time(now)}),
visits as (select ${dialect.firstBy('anonymous_id', order)} as visitor, ${dialect.firstBy('source', order)} as source
  from w group by session_id having max(occurred_at) >= ${c.time(start)})
${top("select coalesce(source, '') as value, count(distinct visitor) as visitors from visits group by 1")}`;

  const [tally, topPages, topSources] = await Promise.all([
    db.query(`${counts}\nunion all\n${minutes}`, a.values),
    db.query(pages, b.values),
    db.query(sources, c.values),
  ]);
  const pageviewsPerMinute = new Array<number>(WINDOW_MINUTES).fill(0);
  let visitorsNow = 0;
  for (const row of tally) {
    if (row.kind === 'now') visitorsNow = num(row.n);
    else pageviewsPerMinute[num(row.value)] = num(row.n);
  }
  const rows = (found: typeof topPages) =>
    found.map((r) => ({ value: str(r.value), visitors: num(r.visitors) }));
  return { visitorsNow, pageviewsPerMinute, topPages: rows(topPages), topSources: rows(topSources) };
}
