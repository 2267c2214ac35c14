import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, OLTP_MIGRATIONS, type Oltp, openOltp } from '@wasl/store';
import { freshPgSchema, TEST_PG_URL } from '@wasl/store/testing';
import { describe } from 'vitest';

export interface OpenedStore {
  oltp: Oltp;
  dispose(): Promise<void>;
}

export interface Engine {
  name: 'sqlite' | 'postgres';
  /** Opens a fresh, empty store: a temp file, or a new PostgreSQL schema. Migrated unless told otherwise. */
  open(options?: { migrated?: boolean }): Promise<OpenedStore>;
}

const sqlite: Engine = {
  name: 'sqlite',
  async open(options) {
    const dir = mkdtempSync(join(tmpdir(), 'wasl-server-test-'));
    const oltp = openOltp({ kind: 'sqlite', file: join(dir, 'oltp.sqlite') });
    if (options?.migrated !== false) await migrate(oltp.db, oltp.dialect, OLTP_MIGRATIONS);
    return {
      oltp,
      async dispose() {
        await oltp.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

const postgres: Engine = {
  name: 'postgres',
  async open(options) {
    if (!TEST_PG_URL) throw new Error('WASL_TEST_PG_URL is not set');
    const schema = await freshPgSchema(TEST_PG_URL);
    const oltp = openOltp({ kind: 'postgres', url: schema.url, poolSize: 4 });
    if (options?.migrated !== false) await migrate(oltp.db, oltp.dialect, OLTP_MIGRATIONS);
    return {
      oltp,
      async dispose() {
        await oltp.close();
        await schema.drop();
      },
    };
  },
};

/**
 * Declares the suite once per engine. Without WASL_TEST_PG_URL the
 * PostgreSQL copy is still listed, as skipped, with the reason in its name.
 */
export function describeEachEngine(title: string, body: (engine: Engine) => void): void {
  describe(`${title} [sqlite]`, () => body(sqlite));
  if (TEST_PG_URL) describe(`${title} [postgres]`, () => body(postgres));
  else describe.skip(`${title} [postgres: skipped, WASL_TEST_PG_URL is not set]`, () => body(postgres));
}

export const SQLITE = sqlite;
