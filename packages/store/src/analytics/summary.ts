import type { ReportScope, Summary } from '@wasl/core';
import { type AnalyticsDb, num, ratio } from './db.ts';
import { Params } from './params.ts';
import { BOUNCE, scopeCtes, visitsEnd } from './scope-sql.ts';

/** The headline numbers of a scope (definitions in packages/core/src/analytics.ts). */
export async function summary(db: AnalyticsDb, scope: ReportScope): Promise<Summary> {
  const needs = { prior: true };
  const end = await visitsEnd(db, scope, needs);
  const p = new Params();
  const ctes = scopeCtes(db.dialect, p, scope, needs, end);
  // Bots: the site's bot events in the period, filters not applied.
  const bots = `select count(*) from events
    where workspace_id = ${p.text(scope.workspaceId)} and site_id = ${p.text(scope.siteId)}
      and ${db.dialect.isPageOrTrack('type')} and bot
      and occurred_at >= ${p.time(scope.from)} and occurred_at < ${p.time(scope.to)}`;
  const sql = `with ${ctes}
select count(*) as visits,
  count(distinct qv.visitor) as visitors,
  count(distinct case when prior.visitor is null then qv.visitor end) as new_visitors,
  sum(pageviews) as pageviews,
  count(*) filter (where ${BOUNCE}) as bounces,
  sum(duration_ms) as duration_ms,
  sum(engaged_ms) as engaged_ms,
  count(*) filter (where identity = 'cookieless') as cookieless,
  count(*) filter (where identity = 'consent') as consent,
  (${bots}) as bots
from qv left join prior on prior.visitor = qv.visitor`;
  const [row] = await db.query(sql, p.values);
  if (row === undefined) throw new Error('summary query returned no row');
  const visits = num(row.visits);
  const visitors = num(row.visitors);
  const pageviews = num(row.pageviews);
  const newVisitors = num(row.new_visitors);
  return {
    visits,
    visitors,
    pageviews,
    newVisitors,
    returningVisitors: visitors - newVisitors,
    viewsPerVisit: ratio(pageviews, visits),
    bounceRate: ratio(num(row.bounces), visits),
    avgVisitDurationMs: ratio(num(row.duration_ms), visits),
    avgEngagedMs: ratio(num(row.engaged_ms), pageviews),
    bots: num(row.bots),
    identity: { cookieless: num(row.cookieless), consent: num(row.consent) },
  };
}
