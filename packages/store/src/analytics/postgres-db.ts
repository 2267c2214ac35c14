import pg from 'pg';
import type { AnalyticsDb } from './db.ts';
import { postgresDialect } from './postgres-dialect.ts';

export interface PostgresAnalyticsOptions {
  poolSize?: number;
}

/** Reports on the PostgreSQL events store, through their own pool. */
export function openPostgresAnalytics(url: string, options: PostgresAnalyticsOptions = {}): AnalyticsDb {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 4,
    connectionTimeoutMillis: 5000,
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  // Set when reports grouped raw events into visits: the planner could not
  // estimate how many visits a HAVING on min(occurred_at) kept (it guessed 1)
  // and then nested loops over hundreds of thousands of rows, minutes instead
  // of seconds on 1 million events. Reports now read the visits table, but
  // still join large sets (visits to events, visitors to earlier visits),
  // which hash joins do well, so this pool's sessions still never nest loops
  // (not re-measured without). Nor do they JIT-compile, which cost more than
  // it saved. Their sorts and hashes get 64 MB each before spilling to disk.
  const tuned = new WeakSet<pg.PoolClient>();
  async function client(): Promise<pg.PoolClient> {
    const c = await pool.connect();
    if (tuned.has(c)) return c;
    try {
      await c.query("set enable_nestloop = off; set jit = off; set work_mem = '64MB'");
    } catch (error) {
      c.release(true);
      throw error;
    }
    tuned.add(c);
    return c;
  }
  let closed = false;
  return {
    dialect: postgresDialect,
    async query(sql, params) {
      if (closed) throw new Error('analytics reader is closed');
      const c = await client();
      try {
        return (await c.query(sql, [...params])).rows;
      } finally {
        c.release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
