import type { Job } from '@wasl/store';

export const JOB_STATES = ['queued', 'running', 'done', 'dead'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** A workspace's id, or null for system jobs and schedules (salt rotation, clean-up). */
export type WorkspaceScope = string | null;

export interface EnqueueInput {
  /** The handler that runs it, e.g. 'email.send'. */
  name: string;
  /** Any JSON value; stored as text. Defaults to {}. */
  payload?: unknown;
  workspaceId?: WorkspaceScope;
  /** Epoch ms; defaults to now. */
  runAt?: number;
  /** Higher runs first; defaults to 0. */
  priority?: number;
  /** Enqueueing again with the same key (same workspace and name) returns the first job. */
  idempotencyKey?: string;
  /** Claims allowed before the job is dead; defaults to 5. */
  maxAttempts?: number;
}

export interface ClaimOptions {
  limit: number;
  /** How long the claim lasts without a heartbeat before another worker may take the job. */
  leaseMs: number;
  /** Only these job names; all when absent. */
  names?: readonly string[];
}

export interface ListOptions {
  state?: JobState;
  /** 1 to 500; defaults to 50. */
  limit?: number;
}

export interface ScheduleInput {
  workspaceId?: WorkspaceScope;
  /** Unique per workspace: upserting the same name replaces the schedule. */
  name: string;
  /** The job enqueued at each run. */
  jobName: string;
  /** 5 fields (minute first) or 6 (second first). */
  cron: string;
  /** IANA name, e.g. 'Asia/Riyadh': "every day at 09:00" means 09:00 there. */
  timezone: string;
  payload?: unknown;
}

export type JobDepth = Record<JobState, number>;

export interface JobContext {
  /** 1 on the first run, 2 on the first retry, … */
  attempt: number;
  /** The job's payload, parsed from JSON. */
  payload: unknown;
  /**
   * Fires when the worker stops (or loses the job's lease). A handler that can
   * stop safely should; if it then rejects, the job is released, not failed.
   */
  signal: AbortSignal;
  workerId: string;
}

export type JobHandler = (job: Job, ctx: JobContext) => Promise<void>;
