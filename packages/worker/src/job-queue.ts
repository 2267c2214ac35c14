import { err, ok, type Problem, problem, type Result } from '@wasl/core';
import type { Database, Job, JobSchedule, OltpDialect } from '@wasl/store';
import type { Kysely } from 'kysely';
import { type BackoffPolicy, DEFAULT_BACKOFF } from './backoff.ts';
import { claimJobs } from './claim.ts';
import { findByIdempotencyKey, insertJob, newJobRow } from './enqueue.ts';
import { completeJob, extendLease, failJob, releaseJob } from './lease.ts';
import { tickSchedules, upsertSchedule } from './schedules.ts';
import { inWorkspace } from './scope.ts';
import {
  type ClaimOptions,
  type EnqueueInput,
  JOB_STATES,
  type JobDepth,
  type ListOptions,
  type ScheduleInput,
  type WorkspaceScope,
} from './types.ts';

export interface JobQueueOptions {
  db: Kysely<Database>;
  dialect: OltpDialect;
  /** Epoch ms. Tests pass their own to travel in time. */
  clock?: () => number;
  /** [0, 1); the jitter of retry delays. */
  random?: () => number;
  backoff?: BackoffPolicy;
}

/**
 * The durable job queue on the OLTP store: at-least-once delivery, leases
 * (a job whose worker died is taken again once its lease expires), retries
 * with backoff, dead jobs kept for people to inspect and retry, and
 * recurring schedules. Workers coordinate only through the database.
 *
 * A queue over a transaction (`new JobQueue({ db: trx, … })`) enqueues
 * atomically with the caller's own writes; claim and tickSchedules open their
 * own transactions, so they need the root Kysely instance.
 *
 * @example
 * const queue = new JobQueue({ db: oltp.db, dialect: oltp.dialect });
 * await queue.enqueue({ name: 'email.send', workspaceId, payload: { messageId }, idempotencyKey: messageId });
 */
export class JobQueue {
  readonly clock: () => number;
  readonly #db: Kysely<Database>;
  readonly #dialect: OltpDialect;
  readonly #random: () => number;
  readonly #backoff: BackoffPolicy;

  constructor(options: JobQueueOptions) {
    this.#db = options.db;
    this.#dialect = options.dialect;
    this.clock = options.clock ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  /** The new job, or the existing one when the idempotency key was already used. */
  async enqueue(input: EnqueueInput): Promise<Job> {
    const row = newJobRow(input, this.clock());
    // Loops only if the key's holder is deleted between the two statements.
    for (let tries = 0; tries < 3; tries++) {
      const job = (await insertJob(this.#db, row)) ?? (await findByIdempotencyKey(this.#db, row));
      if (job !== undefined) return job;
    }
    throw new Error(`could not enqueue "${input.name}": its insert kept conflicting with a vanishing row`);
  }

  /** Jobs now leased to `workerId`, highest priority first. */
  claim(workerId: string, options: ClaimOptions): Promise<Job[]> {
    return claimJobs(this.#db, this.#dialect, workerId, options, this.clock());
  }

  /** False when the job is no longer this worker's (its lease passed to another). */
  complete(jobId: string, workerId: string): Promise<boolean> {
    return completeJob(this.#db, jobId, workerId, this.clock());
  }

  /** Retry later with backoff, or dead after the last attempt. False when not this worker's job. */
  fail(jobId: string, workerId: string, error: unknown): Promise<boolean> {
    return failJob(this.#db, jobId, workerId, error, this.clock(), this.#random, this.#backoff);
  }

  extendLease(jobId: string, workerId: string, leaseMs: number): Promise<boolean> {
    return extendLease(this.#db, jobId, workerId, leaseMs, this.clock());
  }

  /** Back to the queue without counting the attempt (graceful shutdown). */
  release(jobId: string, workerId: string): Promise<boolean> {
    return releaseJob(this.#db, jobId, workerId, this.clock());
  }

  /** A workspace's jobs (null: system jobs), newest first. */
  list(workspaceId: WorkspaceScope, options: ListOptions = {}): Promise<Job[]> {
    const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 1), 500);
    return this.#db
      .selectFrom('jobs')
      .selectAll()
      .where(inWorkspace(workspaceId))
      .$if(options.state !== undefined, (qb) => qb.where('state', '=', options.state ?? ''))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  get(workspaceId: WorkspaceScope, jobId: string): Promise<Job | undefined> {
    return this.#db
      .selectFrom('jobs')
      .selectAll()
      .where(inWorkspace(workspaceId))
      .where('id', '=', jobId)
      .executeTakeFirst();
  }

  /** Queues a dead job again with a fresh set of attempts; not_found or conflict otherwise. */
  async retryDead(workspaceId: WorkspaceScope, jobId: string): Promise<Result<Job, Problem>> {
    const now = this.clock();
    const job = await this.#db
      .updateTable('jobs')
      .set({ state: 'queued', attempts: 0, run_at: now, finished_at: null, updated_at: now })
      .where(inWorkspace(workspaceId))
      .where('id', '=', jobId)
      .where('state', '=', 'dead')
      .returningAll()
      .executeTakeFirst();
    if (job !== undefined) return ok(job);
    const current = await this.get(workspaceId, jobId);
    return current === undefined
      ? err(problem('not_found', `job ${jobId} does not exist`))
      : err(problem('conflict', `job ${jobId} is ${current.state}: only dead jobs can be retried`));
  }

  /** How many jobs are in each state, across workspaces (for metrics). */
  async depth(): Promise<JobDepth> {
    const rows = await this.#db
      .selectFrom('jobs')
      .select((eb) => ['state', eb.fn.countAll<number>().as('count')])
      .groupBy('state')
      .execute();
    const depth: JobDepth = { queued: 0, running: 0, done: 0, dead: 0 };
    for (const { state, count } of rows) {
      const known = JOB_STATES.find((s) => s === state);
      if (known !== undefined) depth[known] = Number(count);
    }
    return depth;
  }

  upsertSchedule(input: ScheduleInput): Promise<Result<JobSchedule, Problem>> {
    return upsertSchedule(this.#db, input, this.clock());
  }

  /** Enqueues the runs that have come due; returns how many jobs it enqueued. */
  tickSchedules(): Promise<number> {
    return tickSchedules(this.#db, this.#dialect, this.clock());
  }
}
