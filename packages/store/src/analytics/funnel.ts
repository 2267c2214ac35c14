import type { FunnelDefinition, FunnelStepResult, ReportScope } from '@wasl/core';
import { type AnalyticsDb, num, ratio } from './db.ts';
import { goalMatch } from './match-sql.ts';
import { Params } from './params.ts';
import { scopeCtes, visitsEnd } from './scope-sql.ts';

/**
 * Visitors reaching each step of a funnel, in order, within the window of
 * their first step, over the events of the scope's visits (a visitor may
 * take the steps across several visits).
 *
 * Each visitor's matching events are numbered in time order (ties by id),
 * so "after" is `seq >` and one event never serves two steps. From every
 * step-1 event, each next step takes the earliest later match inside the
 * window: the earliest is never worse, since it leaves the most room for the
 * steps after it. Chains that reach the same event keep only the latest
 * start, whose window ends last, so no step holds more rows than there are
 * matching events.
 */
export async function funnel(
  db: AnalyticsDb,
  scope: ReportScope,
  definition: FunnelDefinition,
): Promise<FunnelStepResult[]> {
  const { dialect } = db;
  const needs = { events: true, properties: definition.steps.some((s) => s.kind === 'event') };
  const end = await visitsEnd(db, scope, needs);
  const p = new Params();
  const ctes = scopeCtes(dialect, p, scope, needs, end);
  const flags = definition.steps.map((step, i) => `${goalMatch(dialect, p, step)} as m${i}`);
  const window = p.int(definition.windowMs);
  const steps = definition.steps.map((_, i) => {
    if (i === 0) return `s0 as (select visitor, seq, tms as start from fs where m0)`;
    return `n${i} as (select prev.visitor, prev.start, min(fs.seq) as seq
  from s${i - 1} prev join fs on fs.visitor = prev.visitor and fs.m${i} and fs.seq > prev.seq
    and fs.tms <= prev.start + ${window}
  group by prev.visitor, prev.seq, prev.start),
s${i} as (select visitor, seq, max(start) as start from n${i} group by visitor, seq)`;
  });
  const sql = `with ${ctes},
fe as (select qv.visitor, ev.occurred_at, ev.id, ${dialect.epochMs('ev.occurred_at')} as tms, ${flags.join(', ')}
  from ev join qv on qv.session_id = ev.session_id),
fs as (select visitor, tms, ${definition.steps.map((_, i) => `m${i}`).join(', ')},
    row_number() over (partition by visitor order by occurred_at, id) as seq
  from fe where ${definition.steps.map((_, i) => `m${i}`).join(' or ')}),
${steps.join(',\n')}
${definition.steps.map((_, i) => `select ${i} as step, count(distinct visitor) as visitors from s${i}`).join('\nunion all\n')}`;
  const reached = new Map<number, number>();
  for (const row of await db.query(sql, p.values)) reached.set(num(row.step), num(row.visitors));
  const first = reached.get(0) ?? 0;
  return definition.steps.map((_, i) => {
    const visitors = reached.get(i) ?? 0;
    return {
      visitors,
      dropOff: i === 0 ? 0 : (reached.get(i - 1) ?? 0) - visitors,
      conversionRate: ratio(visitors, first),
    };
  });
}
