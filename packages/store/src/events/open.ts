import type { DuckDbEventStoreOptions } from './duckdb.ts';
import type { EventStore } from './port.ts';
import { openPostgresEventStore } from './postgres.ts';
import type { EventStoreTarget } from './target.ts';

/**
 * Opens the events store the configuration names. Call `migrate()` before use.
 *
 * @example
 * const events = await openEventStore({ kind: 'duckdb', file: 'data/events.duckdb' });
 */
export async function openEventStore(target: EventStoreTarget): Promise<EventStore> {
  return target.kind === 'duckdb' ? openDuckDbEventStore(target.file) : openPostgresEventStore(target.url);
}

/**
 * DuckDB's native library is large: it is loaded only when a DuckDB store is
 * opened, so commands and processes that never touch it (admin commands,
 * PostgreSQL deployments) start faster.
 */
export async function openDuckDbEventStore(
  file: string,
  options?: DuckDbEventStoreOptions,
): Promise<EventStore> {
  const duckdb = await import('./duckdb.ts');
  return duckdb.openDuckDbEventStore(file, options);
}
