import type { Result } from '@wasl/core';
import type { Database, Job, OltpDialect } from '@wasl/store';
import { JobQueue, type JobState } from '@wasl/worker';
import type { Kysely } from 'kysely';
import { type Actor, recordAudit } from './audit.ts';
import { inTransaction } from './transaction.ts';

export { JOB_STATES, type JobState } from '@wasl/worker';

export interface JobQuery {
  workspaceId: string;
  state?: JobState;
  limit: number;
}

/**
 * The queue's own queries serve the API: one definition of what a job list
 * and a retry mean. Workspace-scoped, so system jobs are never listed here.
 */
export const listJobs = (db: Kysely<Database>, dialect: OltpDialect, query: JobQuery): Promise<Job[]> =>
  new JobQueue({ db, dialect }).list(query.workspaceId, { state: query.state, limit: query.limit });

export interface JobRetry {
  workspaceId: string;
  jobId: string;
  actor: Actor;
  now?: number;
}

/**
 * Puts a dead job back in the queue with a fresh attempt budget, to run now,
 * and records who did it in the same transaction. Only dead jobs: the state
 * check is part of the queue's UPDATE, so two people clicking retry together
 * queue it once.
 */
export async function retryJob(
  db: Kysely<Database>,
  dialect: OltpDialect,
  input: JobRetry,
): Promise<Result<Job>> {
  const now = input.now ?? Date.now();
  return inTransaction(db, async (trx) => {
    const retried = await new JobQueue({ db: trx, dialect, clock: () => now }).retryDead(
      input.workspaceId,
      input.jobId,
    );
    if (!retried.ok) return retried;
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'job.retried',
      target: `job:${input.jobId}`,
      details: { name: retried.value.name, lastError: retried.value.last_error },
      now,
    });
    return retried;
  });
}
