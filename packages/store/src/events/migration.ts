/**
 * An events-store schema change: plain SQL for one engine, since DuckDB and
 * PostgreSQL differ in types (json/jsonb) and indexes. Append new versions;
 * never edit one that has shipped.
 */
export interface EventMigration {
  /** Sortable and unique, e.g. '0001_events'. */
  version: string;
  statements: readonly string[];
}

/** What the runner needs from an open transaction on either engine. */
export interface MigrationSession {
  exec(sql: string): Promise<void>;
  appliedVersions(): Promise<string[]>;
  record(version: string, appliedAt: number): Promise<void>;
}

/**
 * Its own name, not `schema_migrations`: in scale mode the events store may
 * share one PostgreSQL schema with the OLTP store, whose versions differ.
 */
export const EVENT_MIGRATIONS_TABLE = 'events_schema_migrations';

/**
 * Applies the pending migrations inside the caller's transaction, which also
 * holds whatever lock keeps two migrators apart. Returns the versions applied.
 */
export async function applyEventMigrations(
  session: MigrationSession,
  migrations: readonly EventMigration[],
): Promise<string[]> {
  await session.exec(
    `create table if not exists ${EVENT_MIGRATIONS_TABLE} (version text primary key, applied_at bigint not null)`,
  );
  const done = new Set(await session.appliedVersions());
  const unknown = [...done].filter((v) => !migrations.some((m) => m.version === v));
  if (unknown.length > 0) {
    throw new Error(
      `the events store has migrations this version of Wasl does not know (${unknown.join(', ')}): it was created by a newer Wasl`,
    );
  }
  const applied: string[] = [];
  for (const m of [...migrations].sort((a, b) => a.version.localeCompare(b.version))) {
    if (done.has(m.version)) continue;
    try {
      for (const statement of m.statements) await session.exec(statement);
    } catch (cause) {
      throw new Error(`events migration ${m.version} failed: ${(cause as Error).message}`, { cause });
    }
    await session.record(m.version, Date.now());
    applied.push(m.version);
  }
  return applied;
}
