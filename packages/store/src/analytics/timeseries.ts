import { type Interval, periodBuckets, type ReportScope, type TimeseriesPoint } from '@wasl/core';
import { type AnalyticsDb, num, str } from './db.ts';
import { Params } from './params.ts';
import { scopeCtes, visitsEnd } from './scope-sql.ts';

/** Visits, visitors and pageviews per local bucket of the visits' start; every bucket, zeros included. */
export async function timeseries(
  db: AnalyticsDb,
  scope: ReportScope,
  interval: Interval,
): Promise<TimeseriesPoint[]> {
  const labels = periodBuckets(scope.from, scope.to, scope.timeZone, interval);
  const end = await visitsEnd(db, scope, {});
  const p = new Params();
  const ctes = scopeCtes(db.dialect, p, scope, {}, end);
  const bucket = db.dialect.bucket(p, { ts: 'started', ms: 'started_ms' }, interval, scope);
  const sql = `with ${ctes}
select ${bucket.label('k')} as bucket, visits, visitors, pageviews from (
  select ${bucket.key} as k, count(*) as visits, count(distinct visitor) as visitors, sum(pageviews) as pageviews
  from qv group by 1
) t`;
  const points = new Map<string, TimeseriesPoint>(
    labels.map((bucket) => [bucket, { bucket, visits: 0, visitors: 0, pageviews: 0 }]),
  );
  for (const row of await db.query(sql, p.values)) {
    const point = points.get(str(row.bucket));
    if (point === undefined) {
      throw new Error(`timeseries: the engine put visits in bucket '${str(row.bucket)}', outside the period`);
    }
    point.visits = num(row.visits);
    point.visitors = num(row.visitors);
    point.pageviews = num(row.pageviews);
  }
  return [...points.values()];
}
