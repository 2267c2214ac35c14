import { freshPgSchema, TEST_PG_URL } from '@wasl/store/testing';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, spawnWasl, tempDataDir, wasl } from './wasl-process.ts';

const SLOW = { timeout: 180_000 };

describe('wasl start on embedded storage', SLOW, () => {
  it('serves, prints a one-time setup link, refuses a second process, and stops cleanly on SIGTERM', async () => {
    const dir = tempDataDir();
    const port = await freePort();
    const env = { WASL_DATA_DIR: dir, WASL_PORT: String(port), WASL_LOG_LEVEL: 'info' };
    const server = spawnWasl(['start'], env);
    try {
      const [, url] = await server.waitFor(/(http:\/\/localhost:\d+\/setup\?token=[\w-]+)/, 90_000);
      expect(url).toContain(`http://localhost:${port}/setup?token=`);
      expect(server.output()).toContain(`SQLite ${dir}/wasl.sqlite`);
      expect(server.output()).toContain(`DuckDB ${dir}/events.duckdb`);

      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      const ready = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { status: string };
      expect(ready.status).toBe('ready');
      const page = await fetch(`http://127.0.0.1:${port}/setup`);
      expect(await page.text()).toContain('<div id="root">');

      // DuckDB's file belongs to one process: a second start says so and exits.
      const second = wasl(['start'], { ...env, WASL_PORT: String(await freePort()) });
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(/events store .* in use by another process/);

      // Admin commands share the SQLite store with the running server.
      expect(wasl(['user', 'create', '--email', 'admin@example.com', '--name', 'مدير'], env).code).toBe(0);
      const ws = wasl(['workspace', 'create', '--name', 'ورشة', '--owner-email', 'admin@example.com'], env);
      const wsId = ws.stdout.match(/\(([0-9a-f-]{36})\)/)?.[1];
      const created = wasl(
        ['apikey', 'create', '--workspace', wsId!, '--name', 'ci', '--scope', 'read'],
        env,
      );
      const key = created.stdout.match(/^(wasl_\w+)$/m)?.[1];
      const keyId = created.stdout.match(/key ([0-9a-f-]{36})/)?.[1];
      const asKey = () =>
        fetch(`http://127.0.0.1:${port}/api/workspaces/${wsId}`, {
          headers: { authorization: `Bearer ${key}` },
        });
      const before = await asKey();
      expect(before.status).toBe(200);
      expect(((await before.json()) as { workspace: { name: string } }).workspace.name).toBe('ورشة');
      expect(wasl(['apikey', 'revoke', '--workspace', wsId!, '--id', keyId!], env).code).toBe(0);
      expect((await asKey()).status).toBe(401);
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited()).toBe(0);
    expect(server.output()).toContain('"msg":"stopped"');
  });

  it('does not serve a database migrated by a newer Wasl', async () => {
    const dir = tempDataDir();
    expect(wasl(['migrate'], { WASL_DATA_DIR: dir }).code).toBe(0);
    const db = new Database(`${dir}/wasl.sqlite`);
    db.prepare('insert into schema_migrations (version, applied_at) values (?, ?)').run(
      '9999_from_the_future',
      1,
    );
    db.close();
    const r = wasl(['start'], { WASL_DATA_DIR: dir, WASL_PORT: String(await freePort()) });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('database migration failed and was rolled back');
    expect(r.stderr).toContain('9999_from_the_future');
  });
});

describe.skipIf(!TEST_PG_URL)(
  'wasl start in scale mode: postgres (set WASL_TEST_PG_URL to run)',
  SLOW,
  () => {
    const drops: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const d of drops) await d();
    });

    it('runs api and worker roles as separate processes that start together on one database', async () => {
      const pg = await freshPgSchema(TEST_PG_URL!);
      drops.push(pg.drop);
      const env = { DATABASE_URL: pg.url };
      const apiPort = await freePort();
      const ingestPort = await freePort();
      // Started at the same moment: migrations must run once, under the lock.
      const api = spawnWasl(['start', '--role', 'api', '--port', String(apiPort)], env);
      const ingest = spawnWasl(['start', '--role', 'ingest', '--port', String(ingestPort)], env);
      const worker = spawnWasl(['worker'], env);
      try {
        await api.waitFor(/setup\?token=/, 90_000);
        await ingest.waitFor(/roles: ingest/, 90_000);
        await worker.waitFor(/roles: worker/, 90_000);
        for (const port of [apiPort, ingestPort]) {
          const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
          expect(ready.status).toBe(200);
        }
        expect(worker.output()).not.toContain('setup?token=');
        // An ingest process does not expose the management API or the dashboard.
        expect((await fetch(`http://127.0.0.1:${ingestPort}/api/setup`)).status).toBe(404);
        expect((await fetch(`http://127.0.0.1:${apiPort}/api/setup`)).status).toBe(200);
        // The worker registered the system schedules in the shared database.
        const list = wasl(['workspace', 'list'], env);
        expect(list.code).toBe(0);
      } finally {
        for (const p of [api, ingest, worker]) p.child.kill('SIGTERM');
      }
      for (const p of [api, ingest, worker]) expect(await p.exited()).toBe(0);
    });
  },
);
