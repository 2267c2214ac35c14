import { rotateVisitorSalts, seoJobHandlers } from '@wasl/server';
import type { JobHandler, JobQueue } from '@wasl/worker';
import type { Stores } from './stores.ts';

const DAY_MS = 86_400_000;
/** Finished jobs are kept this long for people to inspect, then pruned. */
export const DONE_JOB_RETENTION_MS = 7 * DAY_MS;

/**
 * Housekeeping every installation runs: expired sessions and old finished
 * jobs are deleted, so the OLTP tables do not grow without bound.
 */
export function systemJobHandlers(stores: Pick<Stores, 'oltp'>): Record<string, JobHandler> {
  const { db } = stores.oltp;
  return {
    'system.sessions.prune': async () => {
      await db.deleteFrom('sessions').where('expires_at', '<', Date.now()).execute();
    },
    // Salts older than yesterday's are deleted on time even when no ingest process runs to rotate them.
    'system.salts.rotate': async () => {
      await rotateVisitorSalts(db, Date.now());
    },
    'system.jobs.prune': async () => {
      await db
        .deleteFrom('jobs')
        .where('state', '=', 'done')
        .where('finished_at', '<', Date.now() - DONE_JOB_RETENTION_MS)
        .execute();
    },
    // SEO audits queued from the API, and sites' weekly audits.
    ...seoJobHandlers({ db, dialect: stores.oltp.dialect }),
  };
}

/** Upserting is idempotent, so every worker process may do it at start. */
export async function scheduleSystemJobs(queue: JobQueue): Promise<void> {
  for (const [name, cron] of [
    ['system.sessions.prune', '17 * * * *'],
    ['system.jobs.prune', '43 3 * * *'],
    ['system.salts.rotate', '1 * * * *'],
  ] as const) {
    const r = await queue.upsertSchedule({ name, jobName: name, cron, timezone: 'UTC' });
    if (!r.ok) throw new Error(`system schedule ${name}: ${r.error.message}`);
  }
}
