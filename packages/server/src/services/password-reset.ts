import { err, ok, problem, type Result } from '@wasl/core';
import type { Database, User } from '@wasl/store';
import type { Kysely } from 'kysely';
import { recordAudit } from './audit.ts';
import { hmacBase64Url, sameSecret } from './crypto.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { deleteUserSessions } from './sessions.ts';
import { inTransaction } from './transaction.ts';
import { findUserByEmail, getUser } from './users.ts';

export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;
/** A person added to a workspace may not read their messages within the hour; their first link lasts a week. */
export const SET_PASSWORD_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** The dashboard page that reads `token` and posts it to /api/auth/password-reset/confirm. */
export const PASSWORD_RESET_PATH = '/reset-password';

export interface LinkOptions {
  publicUrl: string;
  secret: string;
  now?: number;
  ttlMs?: number;
}

/**
 * The signature covers the person's current password hash, so the link stops
 * working the moment the password changes, which makes it single-use without
 * storing anything.
 */
const signature = (secret: string, userId: string, expiresAt: number, passwordHash: string | null) =>
  hmacBase64Url(secret, `wasl:password-reset:${userId}:${expiresAt}:${passwordHash ?? ''}`);

/** A set-password link for a person already loaded. */
export function passwordLinkFor(user: Pick<User, 'id' | 'password_hash'>, options: LinkOptions): string {
  const expiresAt = (options.now ?? Date.now()) + (options.ttlMs ?? PASSWORD_RESET_TTL_MS);
  const token = `${user.id}.${expiresAt}.${signature(options.secret, user.id, expiresAt, user.password_hash)}`;
  return `${options.publicUrl.replace(/\/+$/, '')}${PASSWORD_RESET_PATH}?token=${encodeURIComponent(token)}`;
}

/** A password reset link for the account with this email, or undefined when there is none. */
export async function createPasswordResetLink(
  db: Kysely<Database>,
  input: LinkOptions & { email: string },
): Promise<string | undefined> {
  const user = await findUserByEmail(db, input.email);
  return user ? passwordLinkFor(user, input) : undefined;
}

const INVALID_LINK = problem('invalid', 'the password reset link is invalid, used or expired', 'token');

export interface PasswordResetCompletion {
  token: string;
  password: string;
  secret: string;
  now?: number;
}

/**
 * Sets the new password if the token is genuine, unexpired and unused; signs
 * the person out everywhere and records it in each of their workspaces.
 */
export async function completePasswordReset(
  db: Kysely<Database>,
  input: PasswordResetCompletion,
): Promise<Result<User>> {
  const weak = passwordProblem(input.password);
  if (weak) return err(weak);
  const now = input.now ?? Date.now();
  const [userId, expiresText, sig, ...rest] = input.token.split('.');
  if (!userId || !expiresText || !sig || rest.length > 0 || !/^\d{1,15}$/.test(expiresText)) {
    return err(INVALID_LINK);
  }
  const expiresAt = Number(expiresText);
  if (expiresAt <= now) return err(INVALID_LINK);
  const before = await getUser(db, userId);
  if (!before || !sameSecret(sig, signature(input.secret, userId, expiresAt, before.password_hash))) {
    return err(INVALID_LINK);
  }
  const passwordHash = await hashPassword(input.password);
  return inTransaction(db, async (trx) => {
    // Only if the hash is still the one the link was signed over: two
    // concurrent uses of one link cannot both succeed.
    const changed = await trx
      .updateTable('users')
      .set({ password_hash: passwordHash })
      .where('id', '=', userId)
      .where((eb) =>
        before.password_hash === null
          ? eb('password_hash', 'is', null)
          : eb('password_hash', '=', before.password_hash),
      )
      .executeTakeFirst();
    if (changed.numUpdatedRows === 0n) return err(INVALID_LINK);
    await deleteUserSessions(trx, userId);
    const workspaces = await trx
      .selectFrom('memberships')
      .select('workspace_id')
      .where('user_id', '=', userId)
      .execute();
    for (const { workspace_id } of workspaces) {
      await recordAudit(trx, {
        workspaceId: workspace_id,
        actor: { type: 'user', id: userId },
        action: 'user.password_reset',
        target: `user:${userId}`,
        details: { email: before.email, firstPassword: before.password_hash === null },
        now,
      });
    }
    return ok({ ...before, password_hash: passwordHash });
  });
}
