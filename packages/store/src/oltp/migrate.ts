import { type Kysely, sql } from 'kysely';
import type { OltpDialect } from './connect.ts';
import type { Database } from './schema.ts';

export interface Migration {
  /** Sortable and unique, e.g. '0001_foundation'. */
  version: string;
  up(db: Kysely<unknown>): Promise<void>;
}

export interface MigrationReport {
  applied: string[];
  current: string[];
}

/** An arbitrary constant: the advisory-lock key that serialises migrators on PostgreSQL. */
const PG_LOCK_KEY = 7_243_391_077;

/**
 * Applies every pending migration in one transaction, under a lock, so two
 * processes starting together do not race, and a failing migration leaves
 * the schema exactly as it was (both engines have transactional DDL).
 *
 * SQLite: BEGIN IMMEDIATE takes the database's write lock; a second process
 * waits (busy_timeout) and then finds nothing pending.
 * PostgreSQL: pg_advisory_xact_lock, released when the transaction ends.
 */
export async function migrate(
  db: Kysely<Database>,
  dialect: OltpDialect,
  migrations: readonly Migration[],
): Promise<MigrationReport> {
  return db.connection().execute(async (conn) => {
    await sql`begin${sql.raw(dialect === 'sqlite' ? ' immediate' : '')}`.execute(conn);
    try {
      if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${PG_LOCK_KEY})`.execute(conn);
      await conn.schema
        .createTable('schema_migrations')
        .ifNotExists()
        .addColumn('version', 'text', (c) => c.primaryKey())
        .addColumn('applied_at', 'bigint', (c) => c.notNull())
        .execute();
      const done = new Set(
        (await conn.selectFrom('schema_migrations').select('version').execute()).map((r) => r.version),
      );
      const unknown = [...done].filter((v) => !migrations.some((m) => m.version === v));
      if (unknown.length > 0) {
        throw new Error(
          `the database has migrations this version of Wasl does not know (${unknown.join(', ')}): it was created by a newer Wasl`,
        );
      }
      const applied: string[] = [];
      for (const m of [...migrations].sort((a, b) => a.version.localeCompare(b.version))) {
        if (done.has(m.version)) continue;
        try {
          await m.up(conn as unknown as Kysely<unknown>);
        } catch (cause) {
          throw new Error(`migration ${m.version} failed: ${(cause as Error).message}`, { cause });
        }
        await conn
          .insertInto('schema_migrations')
          .values({ version: m.version, applied_at: Date.now() })
          .execute();
        applied.push(m.version);
      }
      await sql`commit`.execute(conn);
      return { applied, current: [...done, ...applied].sort() };
    } catch (error) {
      await sql`rollback`.execute(conn);
      throw error;
    }
  });
}

/** Versions known to this build but not applied yet; empty when the schema is current. */
export async function pendingMigrations(
  db: Kysely<Database>,
  migrations: readonly Migration[],
): Promise<string[]> {
  let done: Set<string>;
  try {
    done = new Set(
      (await db.selectFrom('schema_migrations').select('version').execute()).map((r) => r.version),
    );
  } catch {
    return migrations.map((m) => m.version);
  }
  return migrations.map((m) => m.version).filter((v) => !done.has(v));
}
