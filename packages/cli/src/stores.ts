import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type AnalyticsReader, type Config, redactUrl } from '@wasl/core';
import {
  type EventStore,
  type EventStoreTarget,
  type Oltp,
  openAnalyticsReader,
  openEventStore,
  openOltp,
} from '@wasl/store';
import { sql } from 'kysely';
import { CliError } from './errors.ts';

export interface Stores {
  oltp: Oltp;
  events: EventStore;
  /** Where the events store is, for readers that open it on their own (the reports). */
  eventsTarget: EventStoreTarget;
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
    throw new CliError(
      `data directory ${dir} is not writable (${code}); set WASL_DATA_DIR to a writable directory`,
    );
  }
}

/**
 * The OLTP store alone: what admin commands (`wasl user create`, …) need.
 * SQLite in WAL mode is shared safely with a running `wasl start`, whereas
 * the DuckDB events file is not, so these commands never open it.
 */
export async function openOltpStore(config: Config): Promise<{ oltp: Oltp; where: string }> {
  if (!config.databaseUrl) ensureWritableDir(config.dataDir);
  const file = embeddedPaths(config.dataDir).oltp;
  const where = config.databaseUrl ? `PostgreSQL ${redactUrl(config.databaseUrl)}` : `SQLite ${file}`;
  let oltp: Oltp | undefined;
  try {
    oltp = config.databaseUrl
      ? openOltp({ kind: 'postgres', url: config.databaseUrl })
      : openOltp({ kind: 'sqlite', file });
    await sql`select 1`.execute(oltp.db);
  } catch (error) {
    await oltp?.close().catch(() => {});
    throw new CliError(`cannot reach the OLTP store (${where}): ${describeError(error)}`);
  }
  return { oltp, where };
}

/** Opens and checks both stores; failures become one clear line instead of a stack trace. */
export async function openStores(config: Config): Promise<Stores> {
  const { oltp, where: oltpWhere } = await openOltpStore(config);
  const file = embeddedPaths(config.dataDir).events;
  const eventsWhere = config.eventsUrl ? `PostgreSQL ${redactUrl(config.eventsUrl)}` : `DuckDB ${file}`;
  let events: EventStore;
  const eventsTarget: EventStoreTarget = config.eventsUrl
    ? { kind: 'postgres', url: config.eventsUrl }
    : { kind: 'duckdb', file };
  try {
    if (!config.eventsUrl) ensureWritableDir(config.dataDir);
    events = await openEventStore(eventsTarget);
    await events.ping();
  } catch (error) {
    await oltp.close().catch(() => {});
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot open the events store (${eventsWhere}): ${describeError(error)}`);
  }
  return {
    oltp,
    events,
    eventsTarget,
    describe: { oltp: oltpWhere, events: eventsWhere },
    async close() {
      await Promise.allSettled([events.close(), oltp.close()]);
    },
  };
}

/**
 * The reports port over the (migrated) events store. On DuckDB it shares the
 * store's engine, since the file belongs to one instance per process. A
 * failure closes the stores and becomes one clear line.
 */
export async function openReports(stores: Stores): Promise<AnalyticsReader & { close(): Promise<void> }> {
  try {
    return await openAnalyticsReader(stores.eventsTarget);
  } catch (error) {
    await stores.close();
    throw new CliError(
      `cannot open the reports over the events store (${stores.describe.events}): ${describeError(error)}`,
    );
  }
}

export function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describeError(error.errors[0]);
  const e = error as NodeJS.ErrnoException;
  const message = e?.message || String(error);
  return e?.code && !message.includes(e.code) ? `${e.code} ${message}` : message;
}
