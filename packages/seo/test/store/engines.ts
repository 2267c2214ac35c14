// The OLTP engines the SQL stores run on: a temp SQLite file, and PostgreSQL when WASL_TEST_PG_URL is set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '@wasl/core';
import { migrate, OLTP_MIGRATIONS, type Oltp, openOltp } from '@wasl/store';
import { freshPgSchema, TEST_PG_URL } from '@wasl/store/testing';
import { describe } from 'vitest';
import { createAudit } from '../../src/store/audits.ts';

export interface TestDb {
  oltp: Oltp;
  workspaceId: string;
  /** A fresh queued audit of `url` in the test workspace. */
  audit(url?: string, settings?: Parameters<typeof createAudit>[1]['settings']): Promise<string>;
  dispose(): Promise<void>;
}

export type EngineName = 'sqlite' | 'postgres';

async function open(engine: EngineName): Promise<{ oltp: Oltp; dispose: () => Promise<void> }> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'wasl-seo-test-'));
    const oltp = openOltp({ kind: 'sqlite', file: join(dir, 'oltp.sqlite') });
    return {
      oltp,
      dispose: async () => {
        await oltp.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (!TEST_PG_URL) throw new Error('WASL_TEST_PG_URL is not set');
  const schema = await freshPgSchema(TEST_PG_URL);
  const oltp = openOltp({ kind: 'postgres', url: schema.url, poolSize: 4 });
  return {
    oltp,
    dispose: async () => {
      await oltp.close();
      await schema.drop();
    },
  };
}

export async function openTestDb(engine: EngineName): Promise<TestDb> {
  const { oltp, dispose } = await open(engine);
  await migrate(oltp.db, oltp.dialect, OLTP_MIGRATIONS);
  const workspaceId = newId();
  await oltp.db
    .insertInto('workspaces')
    .values({ id: workspaceId, name: 'SEO', locale: 'ar', timezone: 'Asia/Riyadh', created_at: Date.now() })
    .execute();
  return {
    oltp,
    workspaceId,
    async audit(url = 'https://example.com/', settings = {}) {
      const created = await createAudit(oltp.db, { workspaceId, startUrl: url, settings, now: Date.now() });
      if (!created.ok) throw new Error(created.error.message);
      return created.value.id;
    },
    dispose,
  };
}

/** Declares the suite per engine; without WASL_TEST_PG_URL the PostgreSQL copy shows as skipped. */
export function describeEachEngine(title: string, body: (engine: EngineName) => void): void {
  describe(`${title} [sqlite]`, () => body('sqlite'));
  if (TEST_PG_URL) describe(`${title} [postgres]`, () => body('postgres'));
  else describe.skip(`${title} [postgres: skipped, WASL_TEST_PG_URL is not set]`, () => body('postgres'));
}
