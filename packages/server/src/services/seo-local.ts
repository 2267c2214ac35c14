import { err, newId, ok, type Problem, problem, type Result } from '@wasl/core';
import {
  type AuditSettings,
  type CrawlProgress,
  createAudit,
  type Finding,
  listFindings,
  runAudit,
} from '@wasl/seo';
import type { Database, SeoAudit } from '@wasl/store';
import type { Kysely } from 'kysely';

export interface LocalAudit {
  workspaceId: string;
  url: string;
  settings: AuditSettings;
  signal?: AbortSignal;
  onProgress?: (progress: CrawlProgress) => void;
}

/** Creates an audit and runs it in this process (the CLI), without the job queue. */
export async function runAuditHere(
  db: Kysely<Database>,
  input: LocalAudit,
): Promise<Result<SeoAudit, Problem>> {
  const created = await createAudit(db, {
    workspaceId: input.workspaceId,
    startUrl: input.url,
    settings: input.settings,
    now: Date.now(),
  });
  if (!created.ok) return created;
  return runAudit(db, created.value.id, {
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onProgress ? { onProgress: input.onProgress } : {}),
  });
}

/** Any workspace's audit, for the operator's CLI. */
export const findAudit = (db: Kysely<Database>, id: string): Promise<SeoAudit | undefined> =>
  db.selectFrom('seo_audits').selectAll().where('id', '=', id).executeTakeFirst();

export async function auditFindings(db: Kysely<Database>, auditId: string): Promise<Finding[]> {
  return (await listFindings(db, auditId)).findings;
}

/** Name of the workspace the CLI keeps its audits in when the installation has none. */
export const CLI_AUDIT_WORKSPACE = 'SEO audits (command line)';

/**
 * Where a CLI audit is stored: the workspace asked for, else the only one,
 * else (an installation with none yet) a workspace of its own without members,
 * which only the CLI reads.
 */
export async function auditWorkspace(
  db: Kysely<Database>,
  requested: string | undefined,
): Promise<Result<string, Problem>> {
  const workspaces = await db.selectFrom('workspaces').select(['id', 'name']).execute();
  if (requested !== undefined) {
    return workspaces.some((w) => w.id === requested)
      ? ok(requested)
      : err(problem('not_found', `no workspace has the id ${requested}`, 'workspace'));
  }
  const own = workspaces.find((w) => w.name === CLI_AUDIT_WORKSPACE);
  if (workspaces.length === 1 || own) return ok((own ?? workspaces[0])?.id ?? '');
  if (workspaces.length > 1) {
    return err(
      problem(
        'invalid',
        `${workspaces.length} workspaces exist: choose one (see wasl workspace list)`,
        'workspace',
      ),
    );
  }
  const now = Date.now();
  const id = newId(now);
  await db
    .insertInto('workspaces')
    .values({ id, name: CLI_AUDIT_WORKSPACE, locale: 'ar', timezone: 'UTC', created_at: now })
    .execute();
  return ok(id);
}
