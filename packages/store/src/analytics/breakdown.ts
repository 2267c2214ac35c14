import type { Breakdown, BreakdownPage, BreakdownRow, ReportScope } from '@wasl/core';
import { type AnalyticsDb, num, ratio, str } from './db.ts';
import type { Dialect } from './dialect.ts';
import { Params } from './params.ts';
import {
  BOUNCE,
  CUSTOM_EVENT,
  ENGAGEMENT,
  isFirstEventDimension,
  type ScopeNeeds,
  scopeCtes,
  visitsEnd,
} from './scope-sql.ts';

/** What the breakdown reads besides the visits: events for page and event rows. */
function needsOf(by: Breakdown): ScopeNeeds {
  if (by === 'page' || by === 'event') return { events: true };
  if (by === 'first_visit_page') return { pages: true, prior: true };
  return isFirstEventDimension(by) ? { dimensions: [by] } : { pages: true };
}

/** Each grouped row's columns: value, visitors, visits, pageviews, bounces, engaged_ms, events. */
function rowsSql(
  dialect: Dialect,
  p: Params,
  scope: ReportScope,
  by: Breakdown,
  end: number | undefined,
): string {
  const ctes = scopeCtes(dialect, p, scope, needsOf(by), end);
  if (by === 'page') {
    // Pageviews per (visit, path), and apart from them (half the rows to
    // group) the engaged time of beacons per path: a row counts the visits
    // that viewed the path; beacons count on their path.
    return `with ${ctes},
vp as (select session_id, coalesce(path, '') as value, count(*) as pv from ev where type = 'page' group by 1, 2),
engaged as (select coalesce(ev.path, '') as value, sum(ev.engaged_ms) as ms
  from ev join qv on qv.session_id = ev.session_id where ${ENGAGEMENT} group by 1),
pages as (select vp.value,
    count(distinct qv.visitor) as visitors,
    count(*) as visits,
    sum(vp.pv) as pageviews,
    count(*) filter (where ${BOUNCE}) as bounces,
    sum(qv.events) as events
  from vp join qv on qv.session_id = vp.session_id group by vp.value)
select pages.*, coalesce(engaged.ms, 0) as engaged_ms from pages left join engaged on engaged.value = pages.value`;
  }
  if (by === 'event') {
    return `with ${ctes},
ve as (select session_id, name as value, count(*) as n from ev where ${CUSTOM_EVENT} group by 1, 2)
select ve.value,
  count(distinct qv.visitor) as visitors,
  count(*) as visits,
  sum(qv.pageviews) as pageviews,
  count(*) filter (where ${BOUNCE}) as bounces,
  sum(qv.engaged_ms) as engaged_ms,
  sum(ve.n) as events
from ve join qv on qv.session_id = ve.session_id
group by ve.value`;
  }
  const visitAggregates = `count(distinct qv.visitor) as visitors,
  count(*) as visits,
  sum(qv.pageviews) as pageviews,
  count(*) filter (where ${BOUNCE}) as bounces,
  sum(qv.engaged_ms) as engaged_ms,
  sum(qv.events) as events`;
  if (by === 'first_visit_page') {
    // A first visit: its visitor's earliest visit, for visitors with nothing before the period.
    const firstVisit = dialect.firstBy('sv.session_id', ['sv.started', 'sv.session_id']);
    return `with ${ctes},
firsts as (select ${firstVisit} as session_id
  from sv left join prior on prior.visitor = sv.visitor
  where prior.visitor is null group by sv.visitor)
select coalesce(qv.entry_page, '') as value, ${visitAggregates}
from qv join firsts on firsts.session_id = qv.session_id
group by 1`;
  }
  return `with ${ctes}
select coalesce(qv.${by}, '') as value, ${visitAggregates}
from qv group by 1`;
}

/**
 * The scope broken down by one dimension, sorted by visitors (most first)
 * then value (code-point order), one page of rows plus the number of values.
 */
export async function breakdown(
  db: AnalyticsDb,
  scope: ReportScope,
  by: Breakdown,
  page: { limit: number; offset: number },
): Promise<BreakdownPage> {
  const end = await visitsEnd(db, scope, needsOf(by));
  const p = new Params();
  const grouped = rowsSql(db.dialect, p, scope, by, end);
  const sql = `select r.*, count(*) over () as total from (${grouped}) r
order by r.visitors desc, ${db.dialect.byteOrder('r.value')}
limit ${p.int(page.limit)} offset ${p.int(page.offset)}`;
  const found = await db.query(sql, p.values);
  const rows: BreakdownRow[] = found.map((r) => {
    const visits = num(r.visits);
    const pageviews = num(r.pageviews);
    return {
      value: str(r.value),
      visitors: num(r.visitors),
      visits,
      pageviews,
      bounceRate: ratio(num(r.bounces), visits),
      avgEngagedMs: ratio(num(r.engaged_ms), pageviews),
      events: num(r.events),
    };
  });
  if (found.length > 0 || page.offset === 0) return { rows, total: num(found[0]?.total) };
  // A page past the end has no row to carry the total: count the values alone.
  const c = new Params();
  const [counted] = await db.query(
    `select count(*) as total from (${rowsSql(db.dialect, c, scope, by, end)}) r`,
    c.values,
  );
  return { rows, total: num(counted?.total) };
}
