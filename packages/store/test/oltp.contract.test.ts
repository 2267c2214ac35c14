import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Kysely, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type Migration,
  type MigrationReport,
  migrate,
  OLTP_MIGRATIONS,
  type Oltp,
  type OltpDialect,
  openOltp,
  pendingMigrations,
} from '../src/index.ts';
import { freshPgSchema, TEST_PG_URL } from '../src/testing/index.ts';
import { nextLine, runFixture } from './fixtures/child.ts';
import { SLOW_MIGRATIONS } from './fixtures/slow-migrations.ts';

/** A fresh, empty database per test, and stores opened on it. */
interface Harness {
  dialect: OltpDialect;
  open(): Oltp;
  /**
   * Runs a second migrator on the same database at the same moment as `first`.
   * SQLite: in another process, which is how two Wasl processes meet (in one
   * process, better-sqlite3's busy wait would block the only thread that could
   * release the lock). PostgreSQL: a second pool in this process.
   */
  migrateAlongside(
    first: () => Promise<MigrationReport>,
    migrations: readonly Migration[],
  ): Promise<MigrationReport[]>;
  cleanup(): Promise<void>;
}

const probe = (version: string, table: string): Migration => ({
  version,
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .execute();
  },
});
const failing: Migration = {
  version: '0002_fail',
  async up(db: Kysely<unknown>) {
    await sql`select * from no_such_table`.execute(db);
  },
};

/** Tables of this test's database only: on PostgreSQL, introspection lists every schema's. */
async function tableNames(oltp: Oltp): Promise<string[]> {
  const tables = await oltp.db.introspection.getTables();
  if (oltp.dialect === 'sqlite') return tables.map((t) => t.name).sort();
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(oltp.db);
  return tables
    .filter((t) => t.schema === rows[0]?.schema)
    .map((t) => t.name)
    .sort();
}

async function appliedVersions(oltp: Oltp): Promise<string[]> {
  return (await oltp.db.selectFrom('schema_migrations').select('version').orderBy('version').execute()).map(
    (r) => r.version,
  );
}

/** The OLTP port's contract: migrator and the schema's guarantees, on each engine. */
function oltpContract(name: string, setup: () => Promise<Harness>, skip = false): void {
  describe.skipIf(skip)(name, () => {
    const withDatabase = async (test: (h: Harness, oltp: Oltp) => Promise<void>) => {
      const harness = await setup();
      const oltp = harness.open();
      try {
        await test(harness, oltp);
      } finally {
        await oltp.close();
        await harness.cleanup();
      }
    };

    it('applies every migration, then nothing on the second run; nothing is pending after', () =>
      withDatabase(async (h, oltp) => {
        const all = OLTP_MIGRATIONS.map((m) => m.version);
        expect(await pendingMigrations(oltp.db, OLTP_MIGRATIONS)).toEqual(all);
        expect(await migrate(oltp.db, h.dialect, OLTP_MIGRATIONS)).toEqual({ applied: all, current: all });
        expect(await migrate(oltp.db, h.dialect, OLTP_MIGRATIONS)).toEqual({ applied: [], current: all });
        expect(await pendingMigrations(oltp.db, OLTP_MIGRATIONS)).toEqual([]);
        expect(await appliedVersions(oltp)).toEqual(all);
        expect(await tableNames(oltp)).toEqual(
          expect.arrayContaining(['workspaces', 'users', 'memberships', 'sessions', 'api_keys', 'jobs']),
        );
      }));

    it('a failing second migration rolls back the first: no table, no version row', () =>
      withDatabase(async (h, oltp) => {
        const list = [probe('0001_probe', 'probe_one'), failing];
        await expect(migrate(oltp.db, h.dialect, list)).rejects.toThrow(/migration 0002_fail failed/);
        const tables = await tableNames(oltp);
        expect(tables).not.toContain('probe_one');
        // schema_migrations was created in the same transaction, so it is gone too.
        expect(tables).not.toContain('schema_migrations');
        expect(await pendingMigrations(oltp.db, list)).toEqual(['0001_probe', '0002_fail']);
      }));

    it('a failing upgrade keeps the schema at the version it had', () =>
      withDatabase(async (h, oltp) => {
        await migrate(oltp.db, h.dialect, OLTP_MIGRATIONS);
        const list = [
          ...OLTP_MIGRATIONS,
          probe('0002_probe', 'probe_two'),
          { ...failing, version: '0003_fail' },
        ];
        await expect(migrate(oltp.db, h.dialect, list)).rejects.toThrow(/migration 0003_fail failed/);
        expect(await tableNames(oltp)).not.toContain('probe_two');
        expect(await appliedVersions(oltp)).toEqual(OLTP_MIGRATIONS.map((m) => m.version));
        expect(await pendingMigrations(oltp.db, list)).toEqual(['0002_probe', '0003_fail']);
      }));

    it('two migrators started together end with one set of migrations and no error', () =>
      withDatabase(async (h, oltp) => {
        const reports = await h.migrateAlongside(
          () => migrate(oltp.db, h.dialect, SLOW_MIGRATIONS),
          SLOW_MIGRATIONS,
        );
        const all = SLOW_MIGRATIONS.map((m) => m.version);
        // Exactly one of them applied each migration; both end at the same version.
        expect(reports.flatMap((r) => r.applied).sort()).toEqual(all);
        expect(reports.map((r) => r.current)).toEqual([all, all]);
        expect(await appliedVersions(oltp)).toEqual(all);
        expect(await pendingMigrations(oltp.db, SLOW_MIGRATIONS)).toEqual([]);
      }));

    it('an epoch-millisecond bigint comes back as the same JavaScript number', () =>
      withDatabase(async (h, oltp) => {
        await migrate(oltp.db, h.dialect, OLTP_MIGRATIONS);
        const createdAt = 1_741_987_654_321; // > 2^32: would not fit a 32-bit integer
        await oltp.db
          .insertInto('workspaces')
          .values({
            id: 'w1',
            name: 'متجر وصل',
            locale: 'ar',
            timezone: 'Asia/Riyadh',
            created_at: createdAt,
          })
          .execute();
        const row = await oltp.db
          .selectFrom('workspaces')
          .selectAll()
          .where('id', '=', 'w1')
          .executeTakeFirstOrThrow();
        expect(typeof row.created_at).toBe('number');
        expect(row).toEqual({
          id: 'w1',
          name: 'متجر وصل',
          locale: 'ar',
          timezone: 'Asia/Riyadh',
          created_at: createdAt,
        });
      }));

    it('the unique index on users.email refuses a second account with the same address', () =>
      withDatabase(async (h, oltp) => {
        await migrate(oltp.db, h.dialect, OLTP_MIGRATIONS);
        const user = { name: 'سارة', password_hash: null, locale: 'ar', created_at: Date.now() };
        await oltp.db
          .insertInto('users')
          .values({ ...user, id: 'u1', email: 'sara@example.sa' })
          .execute();
        await expect(
          oltp.db
            .insertInto('users')
            .values({ ...user, id: 'u2', email: 'sara@example.sa' })
            .execute(),
        ).rejects.toThrow(/unique|duplicate/i);
        const rows = await oltp.db.selectFrom('users').select('id').execute();
        expect(rows).toEqual([{ id: 'u1' }]);
      }));
  });
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

oltpContract('oltp contract: sqlite file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasl-oltp-'));
  tempDirs.push(dir);
  const file = join(dir, 'wasl.sqlite');
  return {
    dialect: 'sqlite',
    open: () => openOltp({ kind: 'sqlite', file }),
    async migrateAlongside(first, migrations) {
      if (migrations !== SLOW_MIGRATIONS)
        throw new Error('the SQLite helper process migrates SLOW_MIGRATIONS');
      const other = runFixture('migrate-sqlite.ts', [file]);
      expect(await nextLine(other.child, other.lines)).toBe('ready');
      other.child.stdin.write('go\n');
      const [mine, theirs] = await Promise.all([
        first(),
        nextLine(other.child, other.lines).then((line) => JSON.parse(line) as MigrationReport),
      ]);
      other.child.stdin.end();
      return [mine, theirs];
    },
    cleanup: async () => undefined,
  };
});

oltpContract(
  'oltp contract: postgres (set WASL_TEST_PG_URL to run)',
  async () => {
    const schema = await freshPgSchema(TEST_PG_URL!);
    return {
      dialect: 'postgres',
      open: () => openOltp({ kind: 'postgres', url: schema.url }),
      async migrateAlongside(first, migrations) {
        const second = openOltp({ kind: 'postgres', url: schema.url });
        try {
          return await Promise.all([first(), migrate(second.db, 'postgres', migrations)]);
        } finally {
          await second.close();
        }
      },
      cleanup: () => schema.drop(),
    };
  },
  !TEST_PG_URL,
);
