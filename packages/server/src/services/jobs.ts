import { err, ok, problem, type Result } from '@wasl/core';
import type { Database, Job } from '@wasl/store';
import type { Kysely } from 'kysely';
import { type Actor, recordAudit } from './audit.ts';
import { inTransaction } from './transaction.ts';

export const JOB_STATES = ['queued', 'running', 'done', 'dead'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobQuery {
  workspaceId: string;
  state?: JobState;
  limit: number;
}

/** A workspace's jobs, newest first. System jobs (no workspace) are never listed. */
export const listJobs = (db: Kysely<Database>, query: JobQuery): Promise<Job[]> =>
  db
    .selectFrom('jobs')
    .selectAll()
    .where('workspace_id', '=', query.workspaceId)
    .$if(query.state !== undefined, (qb) => qb.where('state', '=', query.state ?? 'queued'))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit)
    .execute();

export interface JobRetry {
  workspaceId: string;
  jobId: string;
  actor: Actor;
  now?: number;
}

/**
 * Puts a dead job back in the queue with a fresh attempt budget, to run now.
 * Only dead jobs: retrying a queued or running one would run it twice. The
 * state check is part of the UPDATE, so two people clicking retry together
 * queue it once.
 */
export async function retryJob(db: Kysely<Database>, input: JobRetry): Promise<Result<Job>> {
  const now = input.now ?? Date.now();
  return inTransaction(db, async (trx) => {
    const job = await trx
      .selectFrom('jobs')
      .selectAll()
      .where('workspace_id', '=', input.workspaceId)
      .where('id', '=', input.jobId)
      .executeTakeFirst();
    if (!job) return err(problem('not_found', 'job not found'));
    const retried = await trx
      .updateTable('jobs')
      .set({
        state: 'queued',
        attempts: 0,
        run_at: now,
        locked_by: null,
        locked_until: null,
        finished_at: null,
        updated_at: now,
      })
      .where('id', '=', job.id)
      .where('state', '=', 'dead')
      .executeTakeFirst();
    if (retried.numUpdatedRows === 0n) {
      return err(problem('conflict', `only dead jobs can be retried; this one is ${job.state}`));
    }
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'job.retried',
      target: `job:${job.id}`,
      details: { name: job.name, attempts: job.attempts },
      now,
    });
    return ok({
      ...job,
      state: 'queued',
      attempts: 0,
      run_at: now,
      locked_by: null,
      locked_until: null,
      finished_at: null,
      updated_at: now,
    });
  });
}
