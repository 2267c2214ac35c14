import type { Database, Job, OltpDialect } from '@wasl/store';
import { type Kysely, sql } from 'kysely';
import type { ClaimOptions } from './types.ts';
import { inWriteTransaction } from './write-transaction.ts';

export const LEASE_LOST_ERROR =
  'the lease expired on its last attempt: the worker running it stopped answering (crashed or stalled)';

/**
 * Takes up to `limit` runnable jobs for `workerId` in one UPDATE … RETURNING:
 * queued jobs whose run_at has come, and running jobs whose lease has expired
 * (their worker died: this is the visibility timeout). Each claim counts an
 * attempt. An expired job that had used its last attempt goes to 'dead' in the
 * same statement instead of being run again, so a job that kills its worker
 * (out of memory, say) cannot loop forever.
 *
 * PostgreSQL: FOR UPDATE SKIP LOCKED in the subqueries, so concurrent claimers
 * each lock different rows and never wait on each other.
 * SQLite: no row locks, but one writer at a time: the statement runs inside
 * BEGIN IMMEDIATE, so claimers (connections or processes) queue for the write
 * lock and each sees the previous one's claims.
 */
export async function claimJobs(
  db: Kysely<Database>,
  dialect: OltpDialect,
  workerId: string,
  options: ClaimOptions,
  now: number,
): Promise<Job[]> {
  if (!Number.isSafeInteger(options.limit) || options.limit < 1) return [];
  if (options.names !== undefined && options.names.length === 0) return [];
  const rows = await inWriteTransaction(db, dialect, (tx) =>
    claimStatement(tx, dialect, workerId, options, now).execute(),
  );
  return rows.filter((job) => job.state === 'running').sort(byClaimOrder);
}

function claimStatement(
  db: Kysely<Database>,
  dialect: OltpDialect,
  workerId: string,
  { limit, leaseMs, names }: ClaimOptions,
  now: number,
) {
  // Two sources, each read in jobs_claim index order and cut at `limit`, then
  // merged. One query with `queued OR expired` would have to sort every
  // queued job on each claim: fine for a thousand, not for a million.
  const source = (state: 'queued' | 'running') =>
    db
      .selectFrom('jobs')
      .select(['id', 'priority', 'run_at'])
      .where('state', '=', state)
      .where(state === 'queued' ? 'run_at' : 'locked_until', '<=', now)
      .$if(names !== undefined, (qb) => qb.where('name', 'in', names ?? []))
      .orderBy('priority', 'desc')
      .orderBy('run_at', 'asc')
      .orderBy('id', 'asc')
      .limit(limit)
      .$if(dialect === 'postgres', (qb) => qb.forUpdate().skipLocked());
  const merged = db
    .selectFrom(source('queued').as('due'))
    .selectAll()
    .unionAll(db.selectFrom(source('running').as('expired')).selectAll());
  const chosen = db
    .selectFrom(merged.as('candidates'))
    .select('id')
    .orderBy('priority', 'desc')
    .orderBy('run_at', 'asc')
    .orderBy('id', 'asc')
    .limit(limit);
  // SET expressions all read the row as it was before the update.
  const spent = sql<boolean>`state = 'running' and attempts >= max_attempts`;
  return db
    .updateTable('jobs')
    .set({
      state: sql`case when ${spent} then 'dead' else 'running' end`,
      attempts: sql`case when ${spent} then attempts else attempts + 1 end`,
      locked_by: sql`case when ${spent} then null else ${workerId} end`,
      // cast: with only NULL and a parameter, PostgreSQL would type the CASE as text.
      locked_until: sql`case when ${spent} then null else cast(${now + leaseMs} as bigint) end`,
      last_error: sql`case when ${spent} then ${LEASE_LOST_ERROR} else last_error end`,
      finished_at: sql`case when ${spent} then ${now} else finished_at end`,
      updated_at: now,
    })
    .where('id', 'in', chosen)
    .returningAll();
}

/** RETURNING has no order: highest priority first, then the longest waiting. */
function byClaimOrder(a: Job, b: Job): number {
  return b.priority - a.priority || a.run_at - b.run_at || (a.id < b.id ? -1 : 1);
}
