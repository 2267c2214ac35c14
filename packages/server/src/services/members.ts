import { can, canAssignRole, err, isRole, ok, problem, type Result, type Role } from '@wasl/core';
import type { Database, User } from '@wasl/store';
import type { Kysely } from 'kysely';
import type { Locale } from '../locales.ts';
import { type Actor, recordAudit } from './audit.ts';
import { inTransaction } from './transaction.ts';
import { createUser, findUserByEmail, normaliseEmail } from './users.ts';

export interface MemberView {
  userId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: number;
}

export async function getMembership(
  db: Kysely<Database>,
  workspaceId: string,
  userId: string,
): Promise<{ role: Role } | undefined> {
  const row = await db
    .selectFrom('memberships')
    .select('role')
    .where('workspace_id', '=', workspaceId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row && isRole(row.role) ? { role: row.role } : undefined;
}

const memberQuery = (db: Kysely<Database>, workspaceId: string) =>
  db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['u.id as userId', 'u.email', 'u.name', 'm.role', 'm.created_at as createdAt'])
    .where('m.workspace_id', '=', workspaceId);

export async function listMembers(db: Kysely<Database>, workspaceId: string): Promise<MemberView[]> {
  const rows = await memberQuery(db, workspaceId).orderBy('m.created_at').orderBy('u.id').execute();
  return rows.map((r) => ({ ...r, role: r.role as Role }));
}

async function getMember(db: Kysely<Database>, workspaceId: string, userId: string) {
  const row = await memberQuery(db, workspaceId).where('m.user_id', '=', userId).executeTakeFirst();
  return row ? { ...row, role: row.role as Role } : undefined;
}

/**
 * Takes the workspace row's write lock for the rest of the transaction. Every
 * change to memberships goes through it, so two owners demoting each other at
 * the same moment are serialised and the second one sees there is one owner
 * left. A no-op UPDATE locks the row on both engines, unlike SELECT … FOR
 * UPDATE, which SQLite does not have.
 */
async function lockWorkspace(trx: Kysely<Database>, workspaceId: string): Promise<boolean> {
  const result = await trx
    .updateTable('workspaces')
    .set((eb) => ({ name: eb.ref('name') }))
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Locks the workspace (so concurrent role changes are serialised) and loads the member;
 * `not_found` names which of the two is missing.
 */
async function lockedMember(
  trx: Kysely<Database>,
  workspaceId: string,
  userId: string,
): Promise<Result<MemberView>> {
  if (!(await lockWorkspace(trx, workspaceId))) return err(problem('not_found', 'workspace not found'));
  const member = await getMember(trx, workspaceId, userId);
  return member ? ok(member) : err(problem('not_found', 'member not found'));
}

/** Taking this member's owner role away would leave the workspace without an owner. */
async function isLastOwner(trx: Kysely<Database>, workspaceId: string, member: MemberView): Promise<boolean> {
  return member.role === 'owner' && (await countOwners(trx, workspaceId)) <= 1;
}

async function countOwners(trx: Kysely<Database>, workspaceId: string): Promise<number> {
  const row = await trx
    .selectFrom('memberships')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .where('role', '=', 'owner')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Who may change roles, decided from fresh data under the workspace lock: the
 * system actor (the CLI, with the machine operator's authority) always; a
 * person by the role they hold now, not the one checked when their request
 * arrived (an owner demoted a moment ago must not still act as one); an API
 * key never. Beyond the permissions table, only an owner may grant the owner
 * role or take it away.
 */
async function mayAssign(
  trx: Kysely<Database>,
  input: { workspaceId: string; actor: Actor },
  ...roles: Role[]
): Promise<boolean> {
  if (input.actor.type === 'system') return true;
  if (input.actor.type === 'apikey') return false;
  const role = (await getMembership(trx, input.workspaceId, input.actor.id))?.role;
  if (role === undefined || !can({ kind: 'user', userId: input.actor.id, role }, 'members.manage'))
    return false;
  return roles.every((r) => canAssignRole(role, r));
}

export interface NewMember {
  workspaceId: string;
  email: string;
  /** For a person new to Wasl; defaults to the part of the email before @. */
  name?: string;
  role: Role;
  actor: Actor;
  locale?: Locale;
  now?: number;
}

export interface AddedMember {
  member: MemberView;
  user: User;
  /** The person had no account: they need a set-password link. */
  newUser: boolean;
}

/** Adds a person to a workspace by email, creating their account (without a password) when needed. */
export async function addMember(db: Kysely<Database>, input: NewMember): Promise<Result<AddedMember>> {
  const now = input.now ?? Date.now();
  const email = normaliseEmail(input.email);
  return inTransaction(db, async (trx) => {
    if (!(await lockWorkspace(trx, input.workspaceId)))
      return err(problem('not_found', 'workspace not found'));
    if (!(await mayAssign(trx, input, input.role))) {
      return err(problem('forbidden', `only an owner can grant the ${input.role} role`, 'role'));
    }
    let user = await findUserByEmail(trx, email);
    const newUser = user === undefined;
    if (!user) {
      const created = await createUser(trx, {
        email,
        name: input.name ?? email.split('@')[0] ?? email,
        locale: input.locale,
        now,
      });
      if (!created.ok) return created;
      user = created.value;
    }
    if (await getMembership(trx, input.workspaceId, user.id)) {
      return err(problem('conflict', `${email} is already a member of this workspace`, 'email'));
    }
    await trx
      .insertInto('memberships')
      .values({ workspace_id: input.workspaceId, user_id: user.id, role: input.role, created_at: now })
      .execute();
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'member.added',
      target: `user:${user.id}`,
      details: { email, role: input.role, newUser },
      now,
    });
    const member: MemberView = { userId: user.id, email, name: user.name, role: input.role, createdAt: now };
    return ok({ member, user, newUser });
  });
}

export interface RoleChange {
  workspaceId: string;
  userId: string;
  role: Role;
  actor: Actor;
  now?: number;
}

/** Changes a member's role. `conflict` when it would leave the workspace without an owner. */
export async function changeMemberRole(db: Kysely<Database>, input: RoleChange): Promise<Result<MemberView>> {
  return inTransaction(db, async (trx) => {
    const found = await lockedMember(trx, input.workspaceId, input.userId);
    if (!found.ok) return found;
    const current = found.value;
    if (!(await mayAssign(trx, input, current.role, input.role))) {
      return err(problem('forbidden', 'only an owner can grant or take away the owner role', 'role'));
    }
    if (current.role === input.role) return ok(current);
    if (await isLastOwner(trx, input.workspaceId, current)) {
      return err(
        problem('conflict', 'the last owner cannot be demoted; make someone else owner first', 'role'),
      );
    }
    await trx
      .updateTable('memberships')
      .set({ role: input.role })
      .where('workspace_id', '=', input.workspaceId)
      .where('user_id', '=', input.userId)
      .execute();
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'member.role_changed',
      target: `user:${input.userId}`,
      details: { email: current.email, from: current.role, to: input.role },
      now: input.now,
    });
    return ok({ ...current, role: input.role });
  });
}

export interface MemberRemoval {
  workspaceId: string;
  userId: string;
  actor: Actor;
  now?: number;
}

/** Removes a member (their account stays). `conflict` for the last owner. */
export async function removeMember(db: Kysely<Database>, input: MemberRemoval): Promise<Result<void>> {
  return inTransaction(db, async (trx) => {
    const found = await lockedMember(trx, input.workspaceId, input.userId);
    if (!found.ok) return found;
    const current = found.value;
    if (!(await mayAssign(trx, input, current.role))) {
      return err(problem('forbidden', 'only an owner can remove an owner'));
    }
    if (await isLastOwner(trx, input.workspaceId, current)) {
      return err(problem('conflict', 'the last owner cannot be removed; make someone else owner first'));
    }
    await trx
      .deleteFrom('memberships')
      .where('workspace_id', '=', input.workspaceId)
      .where('user_id', '=', input.userId)
      .execute();
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'member.removed',
      target: `user:${input.userId}`,
      details: { email: current.email, role: current.role },
      now: input.now,
    });
    return ok(undefined);
  });
}
