import { err, newId, ok, problem, type Result } from '@wasl/core';
import type { Database, User } from '@wasl/store';
import type { Kysely } from 'kysely';
import { DEFAULT_LOCALE, type Locale } from '../locales.ts';
import { isUniqueViolation } from './db-errors.ts';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';
import { deleteUserSessions } from './sessions.ts';

/** Emails are stored and compared lower-cased and trimmed: `Sara@X.com` and `sara@x.com` are one person. */
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

export interface NewUser {
  email: string;
  name: string;
  /** Omit for a person who will set it through a set-password link. */
  password?: string;
  locale?: Locale;
  now?: number;
}

/** Creates a person. `conflict` when the email is taken, `invalid` when the password is too short. */
export async function createUser(db: Kysely<Database>, input: NewUser): Promise<Result<User>> {
  if (input.password !== undefined) {
    const weak = passwordProblem(input.password);
    if (weak) return err(weak);
  }
  const now = input.now ?? Date.now();
  const user: User = {
    id: newId(now),
    email: normaliseEmail(input.email),
    name: input.name.trim(),
    password_hash: input.password === undefined ? null : await hashPassword(input.password),
    locale: input.locale ?? DEFAULT_LOCALE,
    created_at: now,
  };
  try {
    await db.insertInto('users').values(user).execute();
  } catch (error) {
    if (isUniqueViolation(error))
      return err(problem('conflict', `${user.email} already has an account`, 'email'));
    throw error;
  }
  return ok(user);
}

/**
 * Sets a person's password and signs them out everywhere, so a session that
 * leaked before the change does not outlive it.
 */
export async function setPassword(
  db: Kysely<Database>,
  userId: string,
  password: string,
): Promise<Result<void>> {
  const weak = passwordProblem(password);
  if (weak) return err(weak);
  const passwordHash = await hashPassword(password);
  const result = await db
    .updateTable('users')
    .set({ password_hash: passwordHash })
    .where('id', '=', userId)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return err(problem('not_found', 'user not found'));
  await deleteUserSessions(db, userId);
  return ok(undefined);
}

export const getUser = (db: Kysely<Database>, userId: string): Promise<User | undefined> =>
  db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();

export const findUserByEmail = (db: Kysely<Database>, email: string): Promise<User | undefined> =>
  db.selectFrom('users').selectAll().where('email', '=', normaliseEmail(email)).executeTakeFirst();

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Email and password check for sign-in. The same `unauthorized` answer for an
 * unknown email, a wrong password and a person without a password yet, so the
 * answer never tells which emails have accounts.
 */
export async function verifyLogin(
  db: Kysely<Database>,
  email: string,
  password: string,
): Promise<Result<User>> {
  const user = await findUserByEmail(db, email);
  const valid = await verifyPassword(user?.password_hash, password);
  if (!user || !valid) return err(problem('unauthorized', 'wrong email or password'));
  return ok(user);
}

export interface UserChanges {
  name?: string;
  locale?: Locale;
}

export async function updateUser(
  db: Kysely<Database>,
  userId: string,
  changes: UserChanges,
): Promise<Result<User>> {
  const set: { name?: string; locale?: string } = {};
  if (changes.name !== undefined) set.name = changes.name.trim();
  if (changes.locale !== undefined) set.locale = changes.locale;
  if (Object.keys(set).length > 0) await db.updateTable('users').set(set).where('id', '=', userId).execute();
  const user = await getUser(db, userId);
  return user ? ok(user) : err(problem('not_found', 'user not found'));
}
