import { type Action, can, err, ok, type Principal, problem, type Result, type Role } from '@wasl/core';
import type { Database } from '@wasl/store';
import type { Kysely } from 'kysely';
import type { Actor } from '../services/audit.ts';
import { getMembership } from '../services/members.ts';
import type { Auth } from './auth.ts';

export interface WorkspaceAccess {
  principal: Principal;
  /** For the audit log. */
  actor: Actor;
  /** The person's role; null for an API key. */
  role: Role | null;
}

/** Deliberately the same answer as for a workspace that does not exist: nobody learns which ids are real. */
const NOT_FOUND = problem('not_found', 'workspace not found');

/**
 * The one authorisation step of every workspace route: is the caller in this
 * workspace (else 404), and may they do `action` there (else 403)?
 */
export async function authoriseWorkspace(
  db: Kysely<Database>,
  auth: Auth | null,
  workspaceId: string,
  action: Action,
): Promise<Result<WorkspaceAccess>> {
  let access: WorkspaceAccess;
  if (auth === null) return err(problem('unauthorized', 'sign in first'));
  if (auth.kind === 'apikey') {
    if (auth.key.workspace_id !== workspaceId) return err(NOT_FOUND);
    access = {
      principal: {
        kind: 'apikey',
        apiKeyId: auth.key.id,
        scope: auth.key.scope === 'write' ? 'write' : 'read',
      },
      actor: { type: 'apikey', id: auth.key.id },
      role: null,
    };
  } else {
    const membership = await getMembership(db, workspaceId, auth.user.id);
    if (!membership) return err(NOT_FOUND);
    access = {
      principal: { kind: 'user', userId: auth.user.id, role: membership.role },
      actor: { type: 'user', id: auth.user.id },
      role: membership.role,
    };
  }
  if (!can(access.principal, action)) {
    const who = auth.kind === 'apikey' ? `a ${auth.key.scope}-scoped API key` : `the ${access.role} role`;
    return err(problem('forbidden', `${who} cannot do ${action} in this workspace`));
  }
  return ok(access);
}
