import { newId } from '@wasl/core';
import type { Database, Job, NewJob } from '@wasl/store';
import type { Kysely } from 'kysely';
import { inWorkspace } from './scope.ts';
import type { EnqueueInput } from './types.ts';

export const DEFAULT_MAX_ATTEMPTS = 5;

/** The row for a new job. Wrong arguments are programming errors, so they throw. */
export function newJobRow(input: EnqueueInput, now: number): NewJob {
  const { name, priority = 0, runAt = now, maxAttempts = DEFAULT_MAX_ATTEMPTS } = input;
  if (name.trim() === '' || name.length > 200) throw new RangeError(`job name must be 1–200 characters`);
  if (!Number.isSafeInteger(priority)) throw new RangeError(`priority must be an integer, got ${priority}`);
  if (!Number.isFinite(runAt)) throw new RangeError(`runAt must be epoch milliseconds, got ${runAt}`);
  if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be an integer ≥ 1, got ${maxAttempts}`);
  }
  const payload = JSON.stringify(input.payload ?? {});
  if (payload === undefined) throw new TypeError(`the payload of job "${name}" is not JSON`);
  return {
    id: newId(now),
    workspace_id: input.workspaceId ?? null,
    name,
    payload,
    state: 'queued',
    priority,
    run_at: Math.floor(runAt),
    attempts: 0,
    max_attempts: maxAttempts,
    idempotency_key: input.idempotencyKey ?? null,
    locked_by: null,
    locked_until: null,
    last_error: null,
    created_at: now,
    updated_at: now,
    finished_at: null,
  };
}

/**
 * Inserts the job, or nothing when its idempotency key is taken. The unique
 * index decides (no read-then-write), so concurrent enqueuers cannot both
 * insert. The ids are fresh UUIDv7s, so the key is the only possible conflict.
 */
export async function insertJob(db: Kysely<Database>, row: NewJob): Promise<Job | undefined> {
  return db
    .insertInto('jobs')
    .values(row)
    .onConflict((oc) => oc.doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** The job that holds this idempotency key, if any. */
export async function findByIdempotencyKey(db: Kysely<Database>, row: NewJob): Promise<Job | undefined> {
  if (row.idempotency_key == null) return undefined;
  return db
    .selectFrom('jobs')
    .selectAll()
    .where(inWorkspace(row.workspace_id ?? null))
    .where('name', '=', row.name)
    .where('idempotency_key', '=', row.idempotency_key)
    .executeTakeFirst();
}
