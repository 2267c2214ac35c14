import { err, newId, ok, problem, type Result, type Role } from '@wasl/core';
import type { Database, Workspace } from '@wasl/store';
import type { Kysely } from 'kysely';
import { isTimeZone, type Locale } from '../locales.ts';
import { type Actor, recordAudit } from './audit.ts';
import { inTransaction } from './transaction.ts';
import { getUser } from './users.ts';

export const DEFAULT_TIMEZONE = 'UTC';

export interface NewWorkspace {
  name: string;
  /** Becomes the workspace's first owner. */
  ownerUserId: string;
  /** Defaults to the owner's own language. */
  locale?: Locale;
  timezone?: string;
  now?: number;
}

/** Creates a workspace whose creator is its owner, and records it in the audit log. */
export async function createWorkspace(db: Kysely<Database>, input: NewWorkspace): Promise<Result<Workspace>> {
  const timezone = input.timezone ?? DEFAULT_TIMEZONE;
  if (!isTimeZone(timezone)) return err(problem('invalid', `unknown time zone "${timezone}"`, 'timezone'));
  const now = input.now ?? Date.now();
  return inTransaction(db, async (trx) => {
    const owner = await getUser(trx, input.ownerUserId);
    if (!owner) return err(problem('not_found', 'user not found'));
    const workspace: Workspace = {
      id: newId(now),
      name: input.name.trim(),
      locale: input.locale ?? (owner.locale as Locale),
      timezone,
      created_at: now,
    };
    await insertOwnedWorkspace(trx, workspace, owner.id);
    return ok(workspace);
  });
}

/**
 * Writes a new workspace, its first owner's membership and the audit entry, inside the
 * caller's transaction. Shared by `createWorkspace` and first-run setup.
 */
export async function insertOwnedWorkspace(
  trx: Kysely<Database>,
  workspace: Workspace,
  ownerUserId: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  const now = workspace.created_at;
  await trx.insertInto('workspaces').values(workspace).execute();
  await trx
    .insertInto('memberships')
    .values({ workspace_id: workspace.id, user_id: ownerUserId, role: 'owner', created_at: now })
    .execute();
  await recordAudit(trx, {
    workspaceId: workspace.id,
    actor: { type: 'user', id: ownerUserId },
    action: 'workspace.created',
    target: `workspace:${workspace.id}`,
    details: { name: workspace.name, ...details },
    now,
  });
}

export const getWorkspace = (db: Kysely<Database>, workspaceId: string): Promise<Workspace | undefined> =>
  db.selectFrom('workspaces').selectAll().where('id', '=', workspaceId).executeTakeFirst();

export interface WorkspaceChanges {
  name?: string;
  locale?: Locale;
  timezone?: string;
}

export async function updateWorkspace(
  db: Kysely<Database>,
  input: { workspaceId: string; changes: WorkspaceChanges; actor: Actor; now?: number },
): Promise<Result<Workspace>> {
  const { changes } = input;
  if (changes.timezone !== undefined && !isTimeZone(changes.timezone)) {
    return err(problem('invalid', `unknown time zone "${changes.timezone}"`, 'timezone'));
  }
  const set: WorkspaceChanges = {};
  if (changes.name !== undefined) set.name = changes.name.trim();
  if (changes.locale !== undefined) set.locale = changes.locale;
  if (changes.timezone !== undefined) set.timezone = changes.timezone;
  return inTransaction(db, async (trx) => {
    if (Object.keys(set).length > 0) {
      await trx.updateTable('workspaces').set(set).where('id', '=', input.workspaceId).execute();
      await recordAudit(trx, {
        workspaceId: input.workspaceId,
        actor: input.actor,
        action: 'workspace.updated',
        target: `workspace:${input.workspaceId}`,
        details: { changes: set },
        now: input.now,
      });
    }
    const workspace = await getWorkspace(trx, input.workspaceId);
    return workspace ? ok(workspace) : err(problem('not_found', 'workspace not found'));
  });
}

export interface UserWorkspace {
  id: string;
  name: string;
  role: Role;
}

/** The workspaces a person belongs to, oldest membership first. */
export async function listUserWorkspaces(db: Kysely<Database>, userId: string): Promise<UserWorkspace[]> {
  const rows = await db
    .selectFrom('memberships as m')
    .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
    .select(['w.id', 'w.name', 'm.role'])
    .where('m.user_id', '=', userId)
    .orderBy('m.created_at')
    .orderBy('w.id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, role: r.role as Role }));
}
