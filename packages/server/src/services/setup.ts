import { err, newId, ok, problem, type Result } from '@wasl/core';
import type { Database, User, Workspace } from '@wasl/store';
import type { Kysely } from 'kysely';
import type { Locale } from '../locales.ts';
import { randomToken, sha256Hex } from './crypto.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { inTransaction } from './transaction.ts';
import { countUsers, normaliseEmail } from './users.ts';
import { DEFAULT_TIMEZONE, insertOwnedWorkspace } from './workspaces.ts';

/** settings key holding the SHA-256 of the current setup token. */
const SETUP_TOKEN_KEY = 'setup.token_sha256';

/** Setup is open while nobody has an account. */
export const needsSetup = async (db: Kysely<Database>): Promise<boolean> => (await countUsers(db)) === 0;

/**
 * A fresh one-time setup token, or undefined once someone has an account.
 * Each call replaces the previous token (each `wasl start` prints a new URL),
 * and only its hash is stored: reading the database does not let anyone in.
 */
export async function issueSetupToken(
  db: Kysely<Database>,
  now: number = Date.now(),
): Promise<string | undefined> {
  if (!(await needsSetup(db))) return undefined;
  const token = randomToken();
  const row = { key: SETUP_TOKEN_KEY, value: sha256Hex(token), updated_at: now };
  await db
    .insertInto('settings')
    .values(row)
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: now }))
    .execute();
  return token;
}

/** The URL the CLI prints: the dashboard's setup page with the token. */
export const setupUrl = (publicUrl: string, token: string): string =>
  `${publicUrl.replace(/\/+$/, '')}/setup?token=${encodeURIComponent(token)}`;

export interface SetupInput {
  token: string;
  name: string;
  email: string;
  password: string;
  workspaceName: string;
  locale: Locale;
  now?: number;
}

/**
 * Creates the first person and their workspace. `conflict` once setup is
 * done, `forbidden` for a wrong or used token. The token row is deleted in the
 * same transaction that creates the owner, so it works exactly once even when
 * two requests race.
 */
export async function completeSetup(
  db: Kysely<Database>,
  input: SetupInput,
): Promise<Result<{ user: User; workspace: Workspace }>> {
  const weak = passwordProblem(input.password);
  if (weak) return err(weak);
  if (!(await needsSetup(db))) return err(problem('conflict', 'setup is already done; sign in instead'));
  const passwordHash = await hashPassword(input.password);
  const now = input.now ?? Date.now();
  return inTransaction(db, async (trx) => {
    if (!(await needsSetup(trx))) return err(problem('conflict', 'setup is already done; sign in instead'));
    const consumed = await trx
      .deleteFrom('settings')
      .where('key', '=', SETUP_TOKEN_KEY)
      .where('value', '=', sha256Hex(input.token))
      .executeTakeFirst();
    if (consumed.numDeletedRows === 0n) {
      return err(
        problem(
          'forbidden',
          'the setup token is wrong or was replaced; use the URL `wasl start` printed last',
          'token',
        ),
      );
    }
    const user: User = {
      id: newId(now),
      email: normaliseEmail(input.email),
      name: input.name.trim(),
      password_hash: passwordHash,
      locale: input.locale,
      created_at: now,
    };
    const workspace: Workspace = {
      id: newId(now),
      name: input.workspaceName.trim(),
      locale: input.locale,
      timezone: DEFAULT_TIMEZONE,
      created_at: now,
    };
    await trx.insertInto('users').values(user).execute();
    await insertOwnedWorkspace(trx, workspace, user.id, { setup: true });
    return ok({ user, workspace });
  });
}
