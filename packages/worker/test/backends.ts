import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '@wasl/core';
import { migrate, OLTP_MIGRATIONS, type Oltp, type OltpTarget, openOltp } from '@wasl/store';
import { freshPgSchema, TEST_PG_URL } from '@wasl/store/testing';

/** A migrated, empty OLTP database that belongs to one test. */
export interface TestDb {
  oltp: Oltp;
  target: OltpTarget;
  /**
   * A second handle on the same database, to race against the first. PostgreSQL:
   * another pool. SQLite: the same handle, because embedded Wasl is one process
   * with one connection (Kysely serialises its users); a second better-sqlite3
   * connection in the same thread would block the event loop in its busy handler.
   */
  peer(): Oltp;
  close(): Promise<void>;
}

export interface Backend {
  /** Names the reason when skipped, so a skipped suite says how to run it. */
  name: string;
  skip: boolean;
  open(): Promise<TestDb>;
}

async function openSqlite(): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), 'wasl-worker-'));
  const target: OltpTarget = { kind: 'sqlite', file: join(dir, 'oltp.sqlite') };
  const oltp = openOltp(target);
  await migrate(oltp.db, oltp.dialect, OLTP_MIGRATIONS);
  return {
    oltp,
    target,
    peer: () => oltp,
    async close() {
      await oltp.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(): Promise<TestDb> {
  if (TEST_PG_URL === undefined) throw new Error('WASL_TEST_PG_URL is not set');
  const schema = await freshPgSchema(TEST_PG_URL);
  const target: OltpTarget = { kind: 'postgres', url: schema.url, poolSize: 6 };
  const oltp = openOltp(target);
  await migrate(oltp.db, oltp.dialect, OLTP_MIGRATIONS);
  let second: Oltp | undefined;
  return {
    oltp,
    target,
    peer: () => {
      second ??= openOltp(target);
      return second;
    },
    async close() {
      await oltp.close();
      await second?.close();
      await schema.drop();
    },
  };
}

export const BACKENDS: Backend[] = [
  { name: 'sqlite', skip: false, open: openSqlite },
  {
    name: TEST_PG_URL ? 'postgres' : 'postgres (set WASL_TEST_PG_URL to run)',
    skip: !TEST_PG_URL,
    open: openPostgres,
  },
];

/** Each test makes its own workspace (tenancy is part of what is tested). */
export async function createWorkspace(oltp: Oltp, now = Date.now()): Promise<string> {
  const id = newId(now);
  await oltp.db
    .insertInto('workspaces')
    .values({ id, name: `ws ${id.slice(-6)}`, locale: 'ar', timezone: 'Asia/Riyadh', created_at: now })
    .execute();
  return id;
}

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public now = Date.UTC(2026, 0, 1, 6, 0, 0)) {}
  readonly read = (): number => this.now;
  advance(ms: number): number {
    this.now += ms;
    return this.now;
  }
}
