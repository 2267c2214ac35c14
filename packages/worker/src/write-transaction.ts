import type { Database, OltpDialect } from '@wasl/store';
import { type Kysely, sql } from 'kysely';

/**
 * Runs `work` in one transaction on one connection.
 *
 * SQLite has a single writer per database file: BEGIN IMMEDIATE takes the
 * write lock up front, so a second process waits here (busy_timeout) instead
 * of failing later with SQLITE_BUSY when a read transaction tries to upgrade.
 * Within a process, Kysely's SQLite driver hands its one connection to one
 * caller at a time, so claims and ticks are serialised there too.
 * PostgreSQL: a plain transaction; row locks do the coordinating.
 */
export async function inWriteTransaction<T>(
  db: Kysely<Database>,
  dialect: OltpDialect,
  work: (tx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin${sql.raw(dialect === 'sqlite' ? ' immediate' : '')}`.execute(conn);
    try {
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      // A failed rollback (connection gone) must not hide the error that caused it.
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}
