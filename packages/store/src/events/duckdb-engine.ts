import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { type Serial, serial } from './serial.ts';

/**
 * One DuckDB database opened by this process: the instance, the one
 * connection that writes (it owns the staging table, which is per
 * connection) and the queue that serialises writes.
 */
export interface DuckDbEngine {
  instance: DuckDBInstance;
  writer: DuckDBConnection;
  write: Serial;
  /** Set once the writer's temporary staging table exists. */
  staging: boolean;
}

interface Shared {
  engine: Promise<DuckDbEngine>;
  refs: number;
}

// DuckDB's file lock is per process, so a second instance on the same file in
// this process would be allowed and the two would corrupt each other's
// writes. Every store on one file therefore shares one engine.
const shared = new Map<string, Shared>();

const LOCKED = /Could not set lock on file/i;

async function create(file: string): Promise<DuckDbEngine> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.create(file);
  } catch (cause) {
    if (LOCKED.test((cause as Error).message)) {
      throw new Error(
        `events store ${file} is in use by another process; embedded mode runs one process — use PostgreSQL for several`,
        { cause },
      );
    }
    throw cause;
  }
  return { instance, writer: await instance.connect(), write: serial(), staging: false };
}

/** The process's engine for `file` (a new one for ':memory:', which is private to its opener). */
export async function acquireDuckDb(file: string): Promise<DuckDbEngine> {
  if (file === ':memory:') return create(file);
  const key = resolve(file);
  let entry = shared.get(key);
  if (!entry) {
    const fresh: Shared = { engine: create(file), refs: 0 };
    fresh.engine.catch(() => shared.delete(key));
    shared.set(key, fresh);
    entry = fresh;
  }
  entry.refs += 1;
  try {
    return await entry.engine;
  } catch (error) {
    entry.refs -= 1;
    throw error;
  }
}

/** Closes the engine once its last store lets go, after the writes already queued. */
export async function releaseDuckDb(file: string, engine: DuckDbEngine): Promise<void> {
  if (file !== ':memory:') {
    const key = resolve(file);
    const entry = shared.get(key);
    if (entry) {
      entry.refs -= 1;
      if (entry.refs > 0) return;
      shared.delete(key);
    }
  }
  await engine.write(async () => undefined);
  engine.writer.closeSync();
  engine.instance.closeSync();
}
