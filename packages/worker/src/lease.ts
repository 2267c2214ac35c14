import type { Database } from '@wasl/store';
import type { ExpressionBuilder, Kysely, UpdateResult } from 'kysely';
import { type BackoffPolicy, retryDelayMs } from './backoff.ts';

/**
 * The job is still running under this worker's lease. Every write a worker
 * makes about its job carries this guard: once a lease has passed to another
 * worker, the first one's late result must not overwrite the second's work.
 */
const ownedBy = (jobId: string, workerId: string) => (eb: ExpressionBuilder<Database, 'jobs'>) =>
  eb.and([eb('id', '=', jobId), eb('locked_by', '=', workerId), eb('state', '=', 'running')]);

const applied = (result: UpdateResult) => result.numUpdatedRows > 0n;

export async function completeJob(db: Kysely<Database>, jobId: string, workerId: string, now: number) {
  const result = await db
    .updateTable('jobs')
    .set({ state: 'done', locked_by: null, locked_until: null, finished_at: now, updated_at: now })
    .where(ownedBy(jobId, workerId))
    .executeTakeFirst();
  return applied(result);
}

/** Back to the queue after a backoff while attempts remain, else dead. */
export async function failJob(
  db: Kysely<Database>,
  jobId: string,
  workerId: string,
  error: unknown,
  now: number,
  random: () => number,
  backoff: BackoffPolicy,
) {
  const job = await db
    .selectFrom('jobs')
    .select(['attempts', 'max_attempts'])
    .where(ownedBy(jobId, workerId))
    .executeTakeFirst();
  if (job === undefined) return false;
  const last_error = describeError(error);
  const outcome =
    job.attempts < job.max_attempts
      ? { state: 'queued', run_at: now + retryDelayMs(job.attempts, random, backoff) }
      : { state: 'dead', finished_at: now };
  // Guarded by attempts too: had the lease been lost and the job re-claimed in
  // between (even by this same worker id), attempts would differ.
  const result = await db
    .updateTable('jobs')
    .set({ ...outcome, last_error, locked_by: null, locked_until: null, updated_at: now })
    .where(ownedBy(jobId, workerId))
    .where('attempts', '=', job.attempts)
    .executeTakeFirst();
  return applied(result);
}

/** The heartbeat of a long job: push the lease forward. */
export async function extendLease(
  db: Kysely<Database>,
  jobId: string,
  workerId: string,
  leaseMs: number,
  now: number,
) {
  const result = await db
    .updateTable('jobs')
    .set({ locked_until: now + leaseMs, updated_at: now })
    .where(ownedBy(jobId, workerId))
    .executeTakeFirst();
  return applied(result);
}

/** Gives the job back untried (graceful shutdown): the claim's attempt does not count. */
export async function releaseJob(db: Kysely<Database>, jobId: string, workerId: string, now: number) {
  const result = await db
    .updateTable('jobs')
    .set((eb) => ({
      state: 'queued',
      attempts: eb('attempts', '-', 1),
      locked_by: null,
      locked_until: null,
      updated_at: now,
    }))
    .where(ownedBy(jobId, workerId))
    .executeTakeFirst();
  return applied(result);
}

const MAX_ERROR_LENGTH = 2_000;

/** What people see in the jobs list: the error's message, not a stack with server paths. */
export function describeError(error: unknown): string {
  const text =
    error instanceof Error
      ? error.name === 'Error'
        ? error.message
        : `${error.name}: ${error.message}`
      : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}
