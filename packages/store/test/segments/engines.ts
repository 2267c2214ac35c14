import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalyticsDb } from '../../src/analytics/db.ts';
import { openPostgresAnalytics } from '../../src/analytics/postgres-db.ts';
import type { EventStoreTarget } from '../../src/index.ts';
import { freshPgSchema, TEST_PG_URL } from '../../src/testing/index.ts';

/** An events store per engine for the segment suites: a fresh DuckDB file, or a fresh PostgreSQL schema. */
export interface Engine {
  name: string;
  skip: boolean;
  setup(): Promise<{ target: EventStoreTarget; db(): Promise<AnalyticsDb>; cleanup(): Promise<void> }>;
}

export const ENGINES: Engine[] = [
  {
    name: 'duckdb',
    skip: false,
    async setup() {
      const dir = mkdtempSync(join(tmpdir(), 'wasl-segments-'));
      const file = join(dir, 'events.duckdb');
      return {
        target: { kind: 'duckdb', file },
        db: async () => (await import('../../src/analytics/duckdb-db.ts')).openDuckDbAnalytics(file),
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'postgres (set WASL_TEST_PG_URL to run)',
    skip: !TEST_PG_URL,
    async setup() {
      const schema = await freshPgSchema(TEST_PG_URL as string);
      return {
        target: { kind: 'postgres', url: schema.url },
        db: async () => openPostgresAnalytics(schema.url),
        cleanup: () => schema.drop(),
      };
    },
  },
];
