import { acquireDuckDb, releaseDuckDb } from '../events/duckdb-engine.ts';
import type { AnalyticsDb } from './db.ts';
import { duckDbDialect } from './duckdb-dialect.ts';

/**
 * Reports on the embedded events store. The DuckDB instance is the one the
 * process's events store uses (shared per file, see duckdb-engine.ts); each
 * query takes its own connection, so reports run alongside writes.
 */
export async function openDuckDbAnalytics(file: string): Promise<AnalyticsDb> {
  const engine = await acquireDuckDb(file);
  let closed = false;
  return {
    dialect: duckDbDialect,
    async query(sql, params) {
      if (closed) throw new Error(`analytics reader on ${file} is closed`);
      const conn = await engine.instance.connect();
      try {
        return (await conn.runAndReadAll(sql, [...params])).getRowObjectsJS();
      } finally {
        conn.closeSync();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await releaseDuckDb(file, engine);
    },
  };
}
