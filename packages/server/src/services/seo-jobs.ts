import { runAudit } from '@wasl/seo';
import type { Job } from '@wasl/store';
import { describeError, type JobHandler } from '@wasl/worker';
import { SEO_AUDIT_JOB, SEO_SCHEDULED_AUDIT_JOB, type Store, startAudit } from './seo.ts';

const field = (payload: unknown, name: string): string | undefined => {
  const value = (payload as Record<string, unknown> | null)?.[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * The worker's SEO jobs. `seo.audit` runs one audit; a stop (shutdown, lost
 * lease) leaves the audit running and the job is released, so the next
 * worker continues the crawl where it was. `seo.scheduled-audit` starts a
 * site's weekly audit, compared with the site's previous finished one.
 */
export function seoJobHandlers(store: Store): Record<string, JobHandler> {
  return {
    [SEO_AUDIT_JOB]: async (job, ctx) => {
      const auditId = field(ctx.payload, 'auditId');
      if (auditId === undefined) throw new Error('seo.audit: payload has no auditId');
      const ran = await runAudit(store.db, auditId, { signal: ctx.signal }).catch(async (error: unknown) => {
        // The last attempt failing leaves the job dead: the audit must not look running forever.
        if (ctx.attempt >= job.max_attempts) {
          await store.db
            .updateTable('seo_audits')
            .set({ status: 'failed', error: describeError(error), finished_at: Date.now() })
            .where('id', '=', auditId)
            .execute();
        }
        throw error;
      });
      // A deleted audit has nothing left to do.
      if (!ran.ok) return;
      if (ran.value.status === 'running')
        throw new Error(`seo.audit ${auditId} stopped; the next run continues it`);
    },
    [SEO_SCHEDULED_AUDIT_JOB]: async (job: Job, ctx) => {
      const siteId = field(ctx.payload, 'siteId');
      if (siteId === undefined || job.workspace_id === null) throw new Error('seo.scheduled-audit: no site');
      const site = await store.db
        .selectFrom('sites')
        .select(['id', 'domain'])
        .where('workspace_id', '=', job.workspace_id)
        .where('id', '=', siteId)
        .executeTakeFirst();
      if (!site) return;
      const previous = await store.db
        .selectFrom('seo_audits')
        .select('id')
        .where('site_id', '=', site.id)
        .where('status', '=', 'done')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      const started = await startAudit(store, {
        id: job.id,
        workspaceId: job.workspace_id,
        url: `https://${site.domain}/`,
        settings: { alertOnNewCritical: true },
        siteId: site.id,
        ...(previous ? { compareTo: previous.id } : {}),
        allowPrivateTargets: false,
        actor: { type: 'system' },
        now: Date.now(),
      });
      // A retry reuses the audit (its id is the job's) and the audit job (keyed by the audit id).
      if (!started.ok) throw new Error(started.error.message);
    },
  };
}
