import {
  type AnalyticsReader,
  BREAKDOWNS,
  type Breakdown,
  type CtrDefinition,
  FilterSchema,
  type FunnelDefinition,
  GoalDefinitionSchema,
  isTimeZone,
  type ReportScope,
} from '@wasl/core';
import { MAX_TIME, MIN_TIME } from '../events/row.ts';
import { breakdown } from './breakdown.ts';
import { ctr } from './ctr.ts';
import type { AnalyticsDb } from './db.ts';
import { funnel } from './funnel.ts';
import { goal } from './goal.ts';
import { realtime } from './realtime.ts';
import { retention } from './retention.ts';
import { summary } from './summary.ts';
import { timeseries } from './timeseries.ts';

const INTERVALS = ['hour', 'day', 'week', 'month'] as const;
/** Steps a funnel may have: each is one more self-join of the visitors' matching events. */
export const MAX_FUNNEL_STEPS = 20;
export const MAX_BREAKDOWN_LIMIT = 1000;

function checkInstant(date: Date, name: string): void {
  const ms = date.getTime();
  if (!(ms >= MIN_TIME && ms <= MAX_TIME)) throw new RangeError(`${name} must be a date in years 1 to 9999`);
}

function checkIds(workspaceId: string, siteId: string): void {
  if (workspaceId === '') throw new RangeError('report scope: workspaceId is empty');
  if (siteId === '') throw new RangeError('report scope: siteId is empty');
}

/** Refuses a scope the SQL could not answer, naming what is wrong (the API validates first; this guards other callers). */
function checkScope(scope: ReportScope): void {
  checkIds(scope.workspaceId, scope.siteId);
  checkInstant(scope.from, 'report scope: from');
  checkInstant(scope.to, 'report scope: to');
  if (!(scope.from.getTime() < scope.to.getTime()))
    throw new RangeError('report scope: `to` must be after `from`');
  if (!isTimeZone(scope.timeZone))
    throw new RangeError(`report scope: unknown time zone '${scope.timeZone}'`);
  for (const filter of scope.filters) {
    const parsed = FilterSchema.safeParse(filter);
    if (!parsed.success) {
      throw new RangeError(`report scope: invalid filter ${JSON.stringify(filter)}: ${parsed.error.message}`);
    }
  }
}

function checkGoal(definition: unknown, what: string): void {
  const parsed = GoalDefinitionSchema.safeParse(definition);
  if (!parsed.success) throw new RangeError(`${what}: ${parsed.error.message}`);
}

function checkCtr(definition: CtrDefinition): void {
  for (const side of ['impression', 'click'] as const) {
    checkGoal({ kind: 'event', ...definition[side] }, `ctr ${side}`);
  }
}

function checkFunnel(definition: FunnelDefinition): void {
  const { steps, windowMs } = definition;
  if (steps.length < 1 || steps.length > MAX_FUNNEL_STEPS) {
    throw new RangeError(`funnel: needs 1 to ${MAX_FUNNEL_STEPS} steps, got ${steps.length}`);
  }
  for (const [i, step] of steps.entries()) checkGoal(step, `funnel step ${i + 1}`);
  if (!Number.isSafeInteger(windowMs) || windowMs <= 0) {
    throw new RangeError(`funnel: windowMs must be a positive whole number of milliseconds, got ${windowMs}`);
  }
}

function checkPage(page: { limit: number; offset: number }): void {
  if (!Number.isSafeInteger(page.limit) || page.limit < 1 || page.limit > MAX_BREAKDOWN_LIMIT) {
    throw new RangeError(`breakdown: limit must be a whole number from 1 to ${MAX_BREAKDOWN_LIMIT}`);
  }
  if (!Number.isSafeInteger(page.offset) || page.offset < 0) {
    throw new RangeError('breakdown: offset must be a whole number ≥ 0');
  }
}

/** The reports port over one engine: checks its arguments, then runs the report's query. */
export function createAnalyticsReader(db: AnalyticsDb): AnalyticsReader & { close(): Promise<void> } {
  return {
    async summary(scope) {
      checkScope(scope);
      return summary(db, scope);
    },
    async timeseries(scope, interval) {
      checkScope(scope);
      if (!INTERVALS.includes(interval)) throw new RangeError(`timeseries: unknown interval '${interval}'`);
      return timeseries(db, scope, interval);
    },
    async breakdown(scope, by: Breakdown, page) {
      checkScope(scope);
      if (!BREAKDOWNS.includes(by)) throw new RangeError(`breakdown: unknown dimension '${by}'`);
      checkPage(page);
      return breakdown(db, scope, by, page);
    },
    async goal(scope, definition) {
      checkScope(scope);
      checkGoal(definition, 'goal');
      return goal(db, scope, definition);
    },
    async ctr(scope, definition) {
      checkScope(scope);
      checkCtr(definition);
      return ctr(db, scope, definition);
    },
    async funnel(scope, definition) {
      checkScope(scope);
      checkFunnel(definition);
      return funnel(db, scope, definition);
    },
    async retention(scope) {
      checkScope(scope);
      return retention(db, scope);
    },
    async realtime(workspaceId, siteId, now) {
      checkIds(workspaceId, siteId);
      checkInstant(now, 'realtime: now');
      return realtime(db, workspaceId, siteId, now);
    },
    close: () => db.close(),
  };
}
