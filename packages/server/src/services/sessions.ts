import type { Database, Session, User } from '@wasl/store';
import type { Kysely } from 'kysely';
import { randomToken, sha256Hex } from './crypto.ts';

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/**
 * A session's expiry slides forward with use, but at most once per interval:
 * writing on every request would turn each page load into a database write.
 */
const TOUCH_INTERVAL_MS = 10 * 60 * 1000;

export interface NewSession {
  /** Goes into the cookie; only its SHA-256 is stored. */
  token: string;
  csrfToken: string;
  expiresAt: number;
}

export async function createSession(db: Kysely<Database>, userId: string, now: number): Promise<NewSession> {
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = now + SESSION_TTL_MS;
  // Signing in is a good moment to forget this person's sessions that already ran out.
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('expires_at', '<=', now).execute();
  await db
    .insertInto('sessions')
    .values({
      id: sha256Hex(token),
      user_id: userId,
      csrf_token: csrfToken,
      created_at: now,
      expires_at: expiresAt,
      last_seen_at: now,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

export interface ActiveSession {
  session: Session;
  user: User;
  /** True when the expiry moved forward: the cookie must be sent again with the new lifetime. */
  renewed: boolean;
}

/** The live session a cookie token belongs to, renewing its expiry when due. */
export async function resolveSession(
  db: Kysely<Database>,
  token: string,
  now: number,
): Promise<ActiveSession | undefined> {
  const id = sha256Hex(token);
  const session = await db
    .selectFrom('sessions')
    .selectAll()
    .where('id', '=', id)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  if (!session) return undefined;
  const user = await db.selectFrom('users').selectAll().where('id', '=', session.user_id).executeTakeFirst();
  if (!user) return undefined;
  if (now - session.last_seen_at < TOUCH_INTERVAL_MS) return { session, user, renewed: false };
  const renewed = { ...session, last_seen_at: now, expires_at: now + SESSION_TTL_MS };
  await db
    .updateTable('sessions')
    .set({ last_seen_at: renewed.last_seen_at, expires_at: renewed.expires_at })
    .where('id', '=', id)
    .execute();
  return { session: renewed, user, renewed: true };
}

export async function deleteSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function deleteUserSessions(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}
