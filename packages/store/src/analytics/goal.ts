import type { GoalDefinition, GoalResult, ReportScope } from '@wasl/core';
import { type AnalyticsDb, num, ratio, str } from './db.ts';
import { goalMatch } from './match-sql.ts';
import { Params } from './params.ts';
import { scopeCtes, visitsEnd } from './scope-sql.ts';

/** Currency of revenue that names none: ISO 4217's code for "no currency". */
export const NO_CURRENCY = 'XXX';

/** Conversions of one goal in the scope's visits, with revenue per currency for event goals. */
export async function goal(
  db: AnalyticsDb,
  scope: ReportScope,
  definition: GoalDefinition,
): Promise<GoalResult> {
  const { dialect } = db;
  const needs = { events: true, properties: definition.kind === 'event' };
  const end = await visitsEnd(db, scope, needs);
  const p = new Params();
  const ctes = scopeCtes(dialect, p, scope, needs, end);
  let amount = 'cast(null as decimal(38, 9))';
  let currency = 'cast(null as varchar)';
  if (definition.kind === 'event' && definition.revenueProperty !== undefined) {
    amount = dialect.exact(dialect.number(dialect.property(p, definition.revenueProperty)));
    const fallback = p.text(definition.currency ?? NO_CURRENCY);
    if (definition.currencyProperty !== undefined) {
      const code = dialect.property(p, definition.currencyProperty);
      currency = `case when ${dialect.isCurrencyCode(code)} then upper(${code}) else ${fallback} end`;
    } else {
      currency = fallback;
    }
  }
  const sql = `with ${ctes},
m as (select qv.visitor, ${amount} as amount, ${currency} as currency
  from ev join qv on qv.session_id = ev.session_id where ${goalMatch(dialect, p, definition)})
select 'total' as kind, count(*) as conversions, count(distinct visitor) as visitors,
  (select count(distinct visitor) from qv) as scope_visitors, null as currency, null as revenue
from m
union all
select 'revenue', null, null, null, currency, cast(sum(amount) as varchar)
from m where amount is not null group by currency`;
  const rows = await db.query(sql, p.values);
  const total = rows.find((r) => r.kind === 'total');
  if (total === undefined) throw new Error('goal query returned no total row');
  const visitors = num(total.visitors);
  const revenue: Record<string, number> = {};
  for (const r of rows) if (r.kind === 'revenue') revenue[str(r.currency)] = num(r.revenue);
  return {
    visitors,
    conversions: num(total.conversions),
    conversionRate: ratio(visitors, num(total.scope_visitors)),
    revenue,
  };
}
