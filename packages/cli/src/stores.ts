import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, redactUrl } from '@wasl/core';
import { type EventStore, type Oltp, openEventStore, openOltp } from '@wasl/store';
import { sql } from 'kysely';
import { CliError } from './errors.ts';

export interface Stores {
  oltp: Oltp;
  events: EventStore;
  /** Where each store lives, passwords hidden, for the start banner and logs. */
  describe: { oltp: string; events: string };
  close(): Promise<void>;
}

/** The embedded default keeps both stores in the data directory. */
export const embeddedPaths = (dataDir: string) => ({
  oltp: join(dataDir, 'wasl.sqlite'),
  events: join(dataDir, 'events.duckdb'),
});

function ensureWritableDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CliError(`data directory ${dir} is not writable (${code}); set WASL_DATA_DIR to a writable directory`);
  }
}

/**
 * Opens and checks both stores. Unreachable databases and unwritable data
 * directories become one clear line instead of a stack trace.
 */
export async function openStores(config: Config): Promise<Stores> {
  const embedded = embeddedPaths(config.dataDir);
  if (!config.databaseUrl || !config.eventsUrl) ensureWritableDir(config.dataDir);

  const oltp = config.databaseUrl
    ? openOltp({ kind: 'postgres', url: config.databaseUrl })
    : openOltp({ kind: 'sqlite', file: embedded.oltp });
  const oltpWhere = config.databaseUrl ? `PostgreSQL ${redactUrl(config.databaseUrl)}` : `SQLite ${embedded.oltp}`;
  try {
    await sql`select 1`.execute(oltp.db);
  } catch (error) {
    await oltp.close().catch(() => {});
    throw new CliError(`cannot reach the OLTP store (${oltpWhere}): ${describeError(error)}`);
  }

  const eventsWhere = config.eventsUrl ? `PostgreSQL ${redactUrl(config.eventsUrl)}` : `DuckDB ${embedded.events}`;
  let events: EventStore;
  try {
    events = config.eventsUrl
      ? await openEventStore({ kind: 'postgres', url: config.eventsUrl })
      : await openEventStore({ kind: 'duckdb', file: embedded.events });
    await events.ping();
  } catch (error) {
    await oltp.close().catch(() => {});
    throw new CliError(`cannot open the events store (${eventsWhere}): ${describeError(error)}`);
  }

  return {
    oltp,
    events,
    describe: { oltp: oltpWhere, events: eventsWhere },
    async close() {
      await Promise.allSettled([events.close(), oltp.close()]);
    },
  };
}

export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describeError(error.errors[0]);
  const e = error as NodeJS.ErrnoException;
  const message = e?.message || String(error);
  return e?.code && !message.includes(e.code) ? `${e.code} ${message}` : message;
}
