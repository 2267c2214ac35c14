import type { CtrDefinition, CtrResult, ReportScope } from '@wasl/core';
import { type AnalyticsDb, num, ratio } from './db.ts';
import { eventMatch } from './match-sql.ts';
import { Params } from './params.ts';
import { scopeCtes, visitsEnd } from './scope-sql.ts';

/** Impressions and clicks of a call to action (two custom events) in the scope's visits. */
export async function ctr(
  db: AnalyticsDb,
  scope: ReportScope,
  definition: CtrDefinition,
): Promise<CtrResult> {
  const { dialect } = db;
  const needs = { events: true, properties: true };
  const end = await visitsEnd(db, scope, needs);
  const p = new Params();
  const ctes = scopeCtes(dialect, p, scope, needs, end);
  const { impression, click } = definition;
  const sql = `with ${ctes},
m as (select qv.visitor,
    coalesce((${eventMatch(dialect, p, impression.event, impression.properties)}), false) as impression,
    coalesce((${eventMatch(dialect, p, click.event, click.properties)}), false) as click
  from ev join qv on qv.session_id = ev.session_id where ev.type = 'track')
select count(*) filter (where impression) as impressions,
  count(*) filter (where click) as clicks,
  count(distinct case when impression then visitor end) as unique_impressions,
  count(distinct case when click then visitor end) as unique_clicks
from m`;
  const [row] = await db.query(sql, p.values);
  if (row === undefined) throw new Error('ctr query returned no row');
  const impressions = num(row.impressions);
  const clicks = num(row.clicks);
  return {
    impressions,
    clicks,
    ctr: ratio(clicks, impressions),
    uniqueImpressions: num(row.unique_impressions),
    uniqueClicks: num(row.unique_clicks),
  };
}
