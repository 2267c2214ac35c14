import { err, ok, type Problem, problem, type Result } from '@wasl/core';
import { Cron } from 'croner';

/** A parsed, validated cron expression in a time zone; only computes times, never runs timers. */
export type CronSchedule = Cron;

/**
 * Checks a cron expression (5 fields, or 6 with seconds first) and an IANA time
 * zone. Wrong input is a value naming the field, because it comes from people.
 */
export function parseCron(expression: string, timezone: string): Result<CronSchedule, Problem> {
  if (!isTimeZone(timezone)) {
    return err(problem('invalid', `timezone: "${timezone}" is not an IANA time zone`, 'timezone'));
  }
  let cron: Cron;
  try {
    cron = new Cron(expression, { timezone, paused: true });
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause);
    return err(problem('invalid', `cron: "${expression}" is not a cron expression (${why})`, 'cron'));
  }
  return ok(cron);
}

/** The first run strictly after `afterMs`, or undefined when the expression has no more runs. */
export function nextRunAfter(cron: CronSchedule, afterMs: number): number | undefined {
  return cron.nextRun(new Date(afterMs))?.getTime();
}

function isTimeZone(timezone: string): boolean {
  if (timezone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}
