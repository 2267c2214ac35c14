import { addDays, periodBuckets, type ReportScope, type RetentionCohort } from '@wasl/core';
import { type AnalyticsDb, num, str } from './db.ts';
import { Params } from './params.ts';
import { scopeCtes, visitsEnd } from './scope-sql.ts';

/**
 * Weekly cohorts of new visitors: those whose first visit ever started in
 * the period and matches the filters, by the week it started; then, per
 * later week of the period, how many of them came back (any visit, filters
 * not applied: a cohort picked by its first visit's source returns however
 * it likes).
 */
export async function retention(db: AnalyticsDb, scope: ReportScope): Promise<RetentionCohort[]> {
  const { dialect } = db;
  const weeks = periodBuckets(scope.from, scope.to, scope.timeZone, 'week');
  const needs = { prior: true };
  const end = await visitsEnd(db, scope, needs);
  const p = new Params();
  const ctes = scopeCtes(dialect, p, scope, needs, end);
  const cohortWeek = dialect.bucket(p, { ts: 'qv.started', ms: 'qv.started_ms' }, 'week', scope);
  const visitWeek = dialect.bucket(p, { ts: 'sv.started', ms: 'sv.started_ms' }, 'week', scope);
  const firstVisit = dialect.firstBy('sv.session_id', ['sv.started', 'sv.session_id']);
  const sql = `with ${ctes},
firsts as (select ${firstVisit} as session_id
  from sv left join prior on prior.visitor = sv.visitor
  where prior.visitor is null group by sv.visitor),
cohort as (select qv.visitor, ${cohortWeek.key} as w from qv join firsts on firsts.session_id = qv.session_id),
active as (select distinct sv.visitor, ${visitWeek.key} as w from sv),
counts as (select cohort.w as cw, active.w as aw, count(*) as visitors
  from cohort join active on active.visitor = cohort.visitor group by 1, 2)
select ${cohortWeek.label('cw')} as cohort, ${cohortWeek.label('aw')} as week, visitors from counts`;
  const counts = new Map<string, number>();
  for (const row of await db.query(sql, p.values)) {
    counts.set(`${str(row.cohort)} ${str(row.week)}`, num(row.visitors));
  }
  return weeks.map((week, i) => ({
    week,
    visitors: counts.get(`${week} ${week}`) ?? 0,
    retained: weeks.slice(i).map((_, k) => counts.get(`${week} ${addDays(week, 7 * k)}`) ?? 0),
  }));
}
