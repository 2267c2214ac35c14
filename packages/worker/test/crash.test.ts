import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { JobQueue } from '../src/index.ts';
import { BACKENDS, type TestDb } from './backends.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./fixtures/crash-worker.ts', import.meta.url));
const JOBS = 1_000;
const LEASE_MS = 1_000;
// About 10 s per engine on an idle 2-core machine; the margins are for a loaded one
// (each child spends seconds compiling TypeScript before its first job).
const SLOW_MACHINE_MS = 40_000;

/**
 * kill -9 a worker process in the middle of 1,000 jobs, start another, and
 * check that nothing was lost (every job done, every effect written) and
 * nothing duplicated (one effect per job), although some handlers ran twice:
 * delivery is at least once, effects keyed by job id make it exactly once.
 */
for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`crash recovery: ${backend.name}`, () => {
    let db: TestDb;
    let dir: string;
    const children: ChildProcess[] = [];

    beforeEach(async () => {
      db = await backend.open();
      dir = mkdtempSync(join(tmpdir(), 'wasl-crash-'));
      writeFileSync(join(dir, 'invocations.log'), '');
    });
    afterEach(async () => {
      for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const startWorker = (workerId: string) => {
      const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          CRASH_TARGET: JSON.stringify(db.target),
          CRASH_LOG: join(dir, 'invocations.log'),
          CRASH_WORKER_ID: workerId,
          CRASH_LEASE_MS: String(LEASE_MS),
        },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      children.push(child);
      return child;
    };
    const exited = (child: ChildProcess) =>
      new Promise<void>((resolve) =>
        child.exitCode !== null ? resolve() : child.once('exit', () => resolve()),
      );
    const count = async (query: ReturnType<typeof sql<{ n: number | string }>>) =>
      Number((await query.execute(db.oltp.db)).rows[0]?.n);
    const effects = () => count(sql`select count(*) as n from crash_effects`);
    const unfinished = () => count(sql`select count(*) as n from jobs where state in ('queued', 'running')`);
    const poll = (check: () => Promise<void>, timeout: number) =>
      vi.waitFor(check, { timeout, interval: 25 });

    it('loses and duplicates nothing when a worker is killed mid-work', {
      timeout: 3 * SLOW_MACHINE_MS,
    }, async () => {
      await sql`create table crash_effects (job_id text primary key, written_at bigint not null)`.execute(
        db.oltp.db,
      );
      // One transaction: 1,000 commits would each wait for PostgreSQL's fsync.
      await db.oltp.db.transaction().execute(async (tx) => {
        const queue = new JobQueue({ db: tx, dialect: db.oltp.dialect });
        for (let i = 0; i < JOBS; i++) await queue.enqueue({ name: 'crash.effect', payload: { i } });
      });

      const first = startWorker('crash-1');
      await poll(async () => expect(await effects()).toBeGreaterThanOrEqual(JOBS / 2), SLOW_MACHINE_MS);
      first.kill('SIGKILL');
      await exited(first);
      const orphaned = await count(
        sql`select count(*) as n from jobs where state = 'running' and locked_by = 'crash-1'`,
      );
      expect(orphaned).toBeGreaterThan(0); // the next worker must reclaim these once their lease expires
      expect(await effects()).toBeLessThan(JOBS);

      const second = startWorker('crash-2');
      await poll(async () => expect(await unfinished()).toBe(0), SLOW_MACHINE_MS);
      second.kill('SIGTERM');
      await exited(second);
      expect(second.exitCode).toBe(0);

      const jobs = await db.oltp.db.selectFrom('jobs').select(['id', 'state', 'attempts']).execute();
      expect(jobs).toHaveLength(JOBS);
      expect(jobs.filter((j) => j.state === 'done')).toHaveLength(JOBS);
      expect(await effects()).toBe(JOBS);
      expect(await count(sql`select count(*) as n from crash_effects e join jobs j on j.id = e.job_id`)).toBe(
        JOBS,
      );

      const invocations = readFileSync(join(dir, 'invocations.log'), 'utf8').split('\n').filter(Boolean);
      const perJob = new Map<string, number>();
      for (const id of invocations) perJob.set(id, (perJob.get(id) ?? 0) + 1);
      expect(invocations.length).toBeGreaterThanOrEqual(JOBS); // at least once…
      expect(perJob.size).toBe(JOBS);
      // …and every extra run came from a claim: no job ran more often than it was claimed.
      expect(jobs.every((j) => (perJob.get(j.id) ?? 0) <= j.attempts)).toBe(true);
      console.info(
        `crash test (${backend.name}): ${orphaned} jobs orphaned by the kill, ` +
          `${invocations.length - JOBS} handler runs repeated`,
      );
    });
  });
}
