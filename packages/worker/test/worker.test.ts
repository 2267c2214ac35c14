import type { Job } from '@wasl/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type JobContext, type JobHandler, Worker, type WorkerOptions } from '../src/index.ts';
import { BACKENDS } from './backends.ts';
import { useQueue } from './use-queue.ts';

const HOUR = 3_600_000;
const waitFor = <T>(check: () => Promise<T> | T) => vi.waitFor(check, { timeout: 5_000, interval: 10 });

/** A promise the test settles by hand. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`worker: ${backend.name}`, () => {
    const t = useQueue(backend);
    const workers: Worker[] = [];
    let errors: unknown[] = [];
    const start = (handlers: Record<string, JobHandler>, options: Partial<WorkerOptions> = {}) => {
      // Bound to this test's array: a late report from an earlier test's worker must not land here.
      const sink = errors;
      const worker = new Worker({
        queue: t.queue,
        handlers,
        concurrency: 2,
        pollMs: 10,
        leaseMs: 60_000,
        tickEveryMs: 1,
        workerId: `test-worker-${workers.length}`,
        onError: (error) => sink.push(error),
        ...options,
      });
      workers.push(worker);
      worker.start();
      return worker;
    };
    const job = (id: string) => t.queue.get(t.ws, id);
    // Registered after useQueue's hook, so it runs before the database closes.
    afterEach(async () => {
      await Promise.all(workers.splice(0).map((w) => w.stop({ timeoutMs: 100 })));
      errors = [];
    });

    it('runs every job to done, never more at once than its concurrency', async () => {
      let running = 0;
      let most = 0;
      const seen: JobContext[] = [];
      start(
        {
          'report.build': async (_job, ctx) => {
            seen.push(ctx);
            most = Math.max(most, ++running);
            await new Promise((resolve) => setTimeout(resolve, 5));
            running--;
          },
        },
        { concurrency: 3 },
      );
      for (let i = 0; i < 12; i++)
        await t.queue.enqueue({ name: 'report.build', workspaceId: t.ws, payload: { i } });
      await waitFor(async () => expect((await t.queue.depth()).done).toBe(12));
      expect(most).toBeLessThanOrEqual(3);
      expect(most).toBeGreaterThan(1);
      expect(seen.map((c) => (c.payload as { i: number }).i).sort((a, b) => a - b)).toEqual([
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
      ]);
      expect(seen.every((c) => c.attempt === 1 && c.workerId === 'test-worker-0' && !c.signal.aborted)).toBe(
        true,
      );
      expect(errors).toEqual([]);
    });

    it('retries a handler that throws, telling it which attempt this is', async () => {
      const attempts: number[] = [];
      start({
        flaky: async (_job, { attempt }) => {
          attempts.push(attempt);
          if (attempt === 1) throw new Error('provider timeout');
        },
      });
      const { id } = await t.queue.enqueue({ name: 'flaky', workspaceId: t.ws });
      await waitFor(async () => expect(await job(id)).toMatchObject({ state: 'queued', attempts: 1 }));
      expect((await job(id))?.last_error).toBe('provider timeout');
      t.clock.advance(500); // the backoff of the first retry, jitter fixed at 0.5
      await waitFor(async () => expect(await job(id)).toMatchObject({ state: 'done', attempts: 2 }));
      expect(attempts).toEqual([1, 2]);
    });

    it('fails a job nobody handles until it is dead, saying why', async () => {
      start({ known: async () => {} });
      const { id } = await t.queue.enqueue({ name: 'unknown.job', workspaceId: t.ws, maxAttempts: 2 });
      await waitFor(async () => expect(await job(id)).toMatchObject({ state: 'queued', attempts: 1 }));
      t.clock.advance(HOUR);
      await waitFor(async () => expect(await job(id)).toMatchObject({ state: 'dead', attempts: 2 }));
      expect((await job(id))?.last_error).toBe(
        'no handler for job name "unknown.job" in this worker (it handles: known)',
      );
    });

    it('renews the lease of a long job, so no other worker takes it', async () => {
      const slow = gate();
      const started = gate();
      start(
        {
          slow: () => {
            started.open();
            return slow.opened;
          },
        },
        { leaseMs: 1_000 },
      );
      const { id } = await t.queue.enqueue({ name: 'slow', workspaceId: t.ws });
      const claimedAt = t.clock.now;
      await started.opened;
      expect((await job(id))?.locked_until).toBe(claimedAt + 1_000);
      t.clock.advance(600); // past half the lease: the next heartbeat renews it
      await waitFor(async () => expect((await job(id))?.locked_until).toBe(claimedAt + 1_600));
      t.clock.advance(500); // the first lease would have expired by now
      expect(await t.queue.claim('intruder', { limit: 1, leaseMs: 1_000 })).toEqual([]);
      slow.open();
      await waitFor(async () => expect((await job(id))?.state).toBe('done'));
      expect(errors).toEqual([]);
    });

    it('stops by letting running handlers finish within the timeout', async () => {
      const slow = gate();
      const started = gate();
      const worker = start({
        slow: () => {
          started.open();
          return slow.opened;
        },
      });
      const { id } = await t.queue.enqueue({ name: 'slow', workspaceId: t.ws });
      await started.opened;
      const stopped = worker.stop({ timeoutMs: 5_000 });
      setTimeout(slow.open, 20);
      expect(await stopped).toEqual({ released: 0 });
      expect(await job(id)).toMatchObject({ state: 'done', attempts: 1 });
    });

    it('releases, without counting the attempt, the jobs still running at the timeout', async () => {
      const slow = gate();
      const started = gate();
      const signals: AbortSignal[] = [];
      const worker = start({
        slow: async (_job, { signal }) => {
          signals.push(signal);
          started.open();
          await slow.opened; // ignores the signal
        },
      });
      const { id } = await t.queue.enqueue({ name: 'slow', workspaceId: t.ws });
      await t.queue.enqueue({ name: 'slow', workspaceId: t.ws, runAt: t.clock.now + HOUR });
      await started.opened;
      expect(await worker.stop({ timeoutMs: 30 })).toEqual({ released: 1 });
      expect(signals.map((s) => s.aborted)).toEqual([true]);
      expect(await job(id)).toMatchObject({
        state: 'queued',
        attempts: 0,
        locked_by: null,
        last_error: null,
      });
      // The handler finishing late changes nothing: the job is no longer this worker's.
      slow.open();
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(await job(id)).toMatchObject({ state: 'queued', attempts: 0 });
      t.clock.advance(HOUR);
      expect(await t.queue.claim('next', { limit: 5, leaseMs: 1_000 })).toHaveLength(2);
    });

    it('releases a job whose handler gives up when the stop signal fires', async () => {
      const started = gate();
      const worker = start({
        cooperative: (_job, { signal }) =>
          new Promise<void>((_resolve, reject) => {
            signal.addEventListener('abort', () => reject(signal.reason));
            started.open();
          }),
      });
      const { id } = await t.queue.enqueue({ name: 'cooperative', workspaceId: t.ws });
      await started.opened;
      expect(await worker.stop({ timeoutMs: 5_000 })).toEqual({ released: 1 });
      expect(await job(id)).toMatchObject({ state: 'queued', attempts: 0, last_error: null });
      expect(errors).toEqual([]);
    });

    it('enqueues and runs the runs of due schedules', async () => {
      const ran: Job[] = [];
      const saved = await t.queue.upsertSchedule({
        workspaceId: t.ws,
        name: 'hourly',
        jobName: 'report.hourly',
        cron: '0 * * * *',
        timezone: 'Asia/Riyadh',
        payload: { kind: 'hourly' },
      });
      if (!saved.ok) throw new Error(saved.error.message);
      start({ 'report.hourly': async (job) => void ran.push(job) });
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(ran).toEqual([]);
      t.clock.now = saved.value.next_run_at;
      await waitFor(() => expect(ran).toHaveLength(1));
      expect(ran[0]).toMatchObject({ payload: '{"kind":"hourly"}', run_at: saved.value.next_run_at });
    });
  });
}
