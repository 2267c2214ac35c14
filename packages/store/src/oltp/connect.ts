import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

export type OltpDialect = 'sqlite' | 'postgres';

export interface Oltp {
  db: Kysely<Database>;
  dialect: OltpDialect;
  close(): Promise<void>;
}

export type OltpTarget =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; poolSize?: number };

/** int8 (bigint) comes back as a JS number: our bigints are epoch milliseconds, far below 2^53. */
const pgTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** Opens the OLTP store. SQLite: WAL, a busy timeout, foreign keys on. */
export function openOltp(target: OltpTarget): Oltp {
  if (target.kind === 'sqlite') {
    if (target.file !== ':memory:') mkdirSync(dirname(target.file), { recursive: true });
    const sqlite = new SQLite(target.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    // Checkpoint after 20,000 pages (80 MB) of WAL instead of 1,000: each checkpoint
    // syncs the database file, and a bulk import otherwise spent a third of its time there.
    sqlite.pragma('wal_autocheckpoint = 20000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    return { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize ?? 10,
    types: pgTypes,
    connectionTimeoutMillis: 5000,
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}

/** Prepared statements kept per connection; the least recently used go past this many. */
const STATEMENT_CACHE_SIZE = 200;

/**
 * better-sqlite3 with prepared statements reused by SQL text. Kysely prepares
 * every query afresh, which for a 500-row insert costs as much as running it.
 * Reuse is safe: Kysely runs one query at a time per connection and Wasl never
 * streams (a streamed statement stays busy until read to the end).
 */
function withStatementCache(sqlite: SQLite.Database): {
  prepare(sql: string): SQLite.Statement;
  close(): void;
} {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sql) {
      let statement = cache.get(sql);
      if (statement) cache.delete(sql);
      else statement = sqlite.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      return statement;
    },
    close: () => sqlite.close(),
  };
}
