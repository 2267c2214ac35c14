import { err, newId, ok, type Problem, problem, type Result } from '@wasl/core';
import type { Database, JobSchedule, OltpDialect } from '@wasl/store';
import { type Kysely, sql } from 'kysely';
import { type CronSchedule, nextRunAfter, parseCron } from './cron.ts';
import { newJobRow } from './enqueue.ts';
import type { ScheduleInput } from './types.ts';
import { inWriteTransaction } from './write-transaction.ts';

/** Bounds one tick's work; a schedule further behind catches up over the next ticks. */
const MAX_RUNS_PER_TICK = 100;
const MAX_SCHEDULES_PER_TICK = 100;

/**
 * Creates the schedule, or replaces the one with the same name in the same
 * workspace (system schedules included: see the coalesced unique index). When
 * the cron and time zone are unchanged the next run is kept, so re-declaring
 * system schedules at every start does not skip a run that is already due.
 */
export async function upsertSchedule(
  db: Kysely<Database>,
  input: ScheduleInput,
  now: number,
): Promise<Result<JobSchedule, Problem>> {
  if (input.name.trim() === '') return err(problem('invalid', 'name: must not be empty', 'name'));
  if (input.jobName.trim() === '') return err(problem('invalid', 'jobName: must not be empty', 'jobName'));
  const cron = parseCron(input.cron, input.timezone);
  if (!cron.ok) return cron;
  const nextRunAt = nextRunAfter(cron.value, now);
  if (nextRunAt === undefined) {
    return err(problem('invalid', `cron: "${input.cron}" never matches a future date`, 'cron'));
  }
  const payload = JSON.stringify(input.payload ?? {});
  if (payload === undefined) return err(problem('invalid', 'payload: must be JSON', 'payload'));
  const saved = await db
    .insertInto('job_schedules')
    .values({
      id: newId(now),
      workspace_id: input.workspaceId ?? null,
      name: input.name,
      job_name: input.jobName,
      cron: input.cron,
      timezone: input.timezone,
      payload,
      next_run_at: nextRunAt,
      created_at: now,
      disabled_at: null,
    })
    .onConflict((oc) =>
      oc.expression(sql`coalesce(workspace_id, ''), name`).doUpdateSet({
        job_name: (eb) => eb.ref('excluded.job_name'),
        cron: (eb) => eb.ref('excluded.cron'),
        timezone: (eb) => eb.ref('excluded.timezone'),
        payload: (eb) => eb.ref('excluded.payload'),
        next_run_at: sql`case when job_schedules.cron = excluded.cron
          and job_schedules.timezone = excluded.timezone
          then job_schedules.next_run_at else excluded.next_run_at end`,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
  return ok(saved);
}

/**
 * Enqueues every due run of every due schedule; returns how many jobs it
 * enqueued. Safe to call from many workers at once: see fireSchedule.
 */
export async function tickSchedules(db: Kysely<Database>, dialect: OltpDialect, now: number) {
  const due = await db
    .selectFrom('job_schedules')
    .selectAll()
    .where('next_run_at', '<=', now)
    .where('disabled_at', 'is', null)
    .orderBy('next_run_at')
    .limit(MAX_SCHEDULES_PER_TICK)
    .execute();
  let enqueued = 0;
  const failures: unknown[] = [];
  // One broken schedule must not hold back the others.
  for (const schedule of due) {
    try {
      enqueued += await fireSchedule(db, dialect, schedule, now);
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} schedule(s) failed to run`);
  return enqueued;
}

/**
 * Moves next_run_at past the due runs with an UPDATE guarded by the old
 * next_run_at, and enqueues the runs in the same transaction. Of several
 * tickers that read the same schedule, only the first passes the guard; the
 * others update nothing and enqueue nothing. The idempotency key
 * schedule:<id>:<runAt> would stop a duplicate anyway.
 */
async function fireSchedule(db: Kysely<Database>, dialect: OltpDialect, schedule: JobSchedule, now: number) {
  const cron = parseCron(schedule.cron, schedule.timezone);
  if (!cron.ok) throw new Error(`schedule ${schedule.id} (${schedule.name}): ${cron.error.message}`);
  const { runs, next } = dueRuns(cron.value, schedule.next_run_at, now);
  const rows = runs.map((runAt) => ({
    ...newJobRow(
      {
        name: schedule.job_name,
        workspaceId: schedule.workspace_id,
        runAt,
        idempotencyKey: `schedule:${schedule.id}:${runAt}`,
      },
      now,
    ),
    payload: schedule.payload,
  }));
  return inWriteTransaction(db, dialect, async (tx) => {
    const moved = await tx
      .updateTable('job_schedules')
      // A pattern with no future run (rare: a date that has passed) switches itself off.
      .set(next === undefined ? { disabled_at: now } : { next_run_at: next })
      .where('id', '=', schedule.id)
      .where('next_run_at', '=', schedule.next_run_at)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    if (moved.numUpdatedRows === 0n || rows.length === 0) return 0;
    const inserted = await tx
      .insertInto('jobs')
      .values(rows)
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .execute();
    return inserted.length;
  });
}

/** The run times from `from` up to `now` (at most MAX_RUNS_PER_TICK) and the run after them. */
function dueRuns(cron: CronSchedule, from: number, now: number) {
  const runs: number[] = [];
  let next: number | undefined = from;
  while (next !== undefined && next <= now && runs.length < MAX_RUNS_PER_TICK) {
    runs.push(next);
    next = nextRunAfter(cron, next);
  }
  return { runs, next };
}
