import { err, ok, problem, type Result } from '@wasl/core';
import { type AuditSettings, createAudit } from '@wasl/seo';
import type { Database, JobSchedule, OltpDialect, SeoAudit } from '@wasl/store';
import { JobQueue } from '@wasl/worker';
import type { Kysely } from 'kysely';
import { type Actor, recordAudit } from './audit.ts';
import { inTransaction } from './transaction.ts';

export const SEO_AUDIT_JOB = 'seo.audit';
export const SEO_SCHEDULED_AUDIT_JOB = 'seo.scheduled-audit';
export const seoScheduleName = (siteId: string): string => `seo.audit:${siteId}`;

export interface Store {
  db: Kysely<Database>;
  dialect: OltpDialect;
}

export interface StartAudit {
  workspaceId: string;
  url: string;
  settings: AuditSettings;
  siteId?: string;
  compareTo?: string;
  /** Set by the composition root, never from a request: private and loopback targets. */
  allowPrivateTargets: boolean;
  actor: Actor;
  now: number;
  /** An id chosen by the caller (a scheduled run uses its job's id, so a retry makes no second audit). */
  id?: string;
}

/** Records an audit and queues the job that runs it, in one transaction. */
export async function startAudit(store: Store, input: StartAudit): Promise<Result<SeoAudit>> {
  return inTransaction(store.db, async (trx) => {
    if (input.siteId !== undefined) {
      const site = await trx
        .selectFrom('sites')
        .select('id')
        .where('workspace_id', '=', input.workspaceId)
        .where('id', '=', input.siteId)
        .executeTakeFirst();
      if (!site)
        return err(problem('invalid', `siteId: no site ${input.siteId} in this workspace`, 'siteId'));
    }
    const created = await createAudit(trx, {
      ...(input.id !== undefined ? { id: input.id } : {}),
      workspaceId: input.workspaceId,
      siteId: input.siteId ?? null,
      startUrl: input.url,
      settings: { ...input.settings, allowPrivateTargets: input.allowPrivateTargets },
      createdBy: input.actor.type === 'user' ? input.actor.id : null,
      compareTo: input.compareTo ?? null,
      now: input.now,
    });
    if (!created.ok) return created;
    const audit = created.value;
    await new JobQueue({ db: trx, dialect: store.dialect, clock: () => input.now }).enqueue({
      name: SEO_AUDIT_JOB,
      workspaceId: input.workspaceId,
      payload: { auditId: audit.id },
      idempotencyKey: audit.id,
    });
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'seo_audit.started',
      target: `seo_audit:${audit.id}`,
      details: { url: audit.start_url },
      now: input.now,
    });
    return ok(audit);
  });
}

export interface SeoSchedule {
  siteId: string;
  /** 0 = Sunday … 6 = Saturday, in the site's time zone. */
  day: number;
  hour: number;
  timezone: string;
  nextRunAt: number;
}

const scheduleOf = (siteId: string, row: JobSchedule): SeoSchedule => {
  const [, hour, , , day] = row.cron.split(' ');
  return { siteId, day: Number(day), hour: Number(hour), timezone: row.timezone, nextRunAt: row.next_run_at };
};

/** A weekly audit of the site's home page, at the hour given in the site's time zone. */
export async function setSeoSchedule(
  store: Store,
  input: { workspaceId: string; siteId: string; day: number; hour: number; actor: Actor; now: number },
): Promise<Result<SeoSchedule>> {
  const site = await store.db
    .selectFrom('sites')
    .select(['id', 'timezone'])
    .where('workspace_id', '=', input.workspaceId)
    .where('id', '=', input.siteId)
    .executeTakeFirst();
  if (!site) return err(problem('not_found', 'site not found'));
  const saved = await new JobQueue({
    db: store.db,
    dialect: store.dialect,
    clock: () => input.now,
  }).upsertSchedule({
    workspaceId: input.workspaceId,
    name: seoScheduleName(site.id),
    jobName: SEO_SCHEDULED_AUDIT_JOB,
    cron: `0 ${input.hour} * * ${input.day}`,
    timezone: site.timezone,
    payload: { siteId: site.id },
  });
  if (!saved.ok) return saved;
  await recordAudit(store.db, {
    workspaceId: input.workspaceId,
    actor: input.actor,
    action: 'seo_schedule.set',
    target: `site:${site.id}`,
    details: { day: input.day, hour: input.hour },
    now: input.now,
  });
  return ok(scheduleOf(site.id, saved.value));
}

export async function deleteSeoSchedule(
  store: Store,
  input: { workspaceId: string; siteId: string; actor: Actor; now: number },
): Promise<Result<true>> {
  const deleted = await store.db
    .deleteFrom('job_schedules')
    .where('workspace_id', '=', input.workspaceId)
    .where('name', '=', seoScheduleName(input.siteId))
    .executeTakeFirst();
  if (Number(deleted.numDeletedRows) === 0)
    return err(problem('not_found', 'this site has no SEO audit schedule'));
  await recordAudit(store.db, {
    workspaceId: input.workspaceId,
    actor: input.actor,
    action: 'seo_schedule.deleted',
    target: `site:${input.siteId}`,
    now: input.now,
  });
  return ok(true);
}
