import { describe, expect, it } from 'vitest';
import { LEASE_LOST_ERROR } from '../src/index.ts';
import { BACKENDS } from './backends.ts';
import { useQueue } from './use-queue.ts';

const LEASE = 1_000;
const HOUR = 3_600_000;

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`job queue, leases and retries: ${backend.name}`, () => {
    const t = useQueue(backend);
    const claimOne = async (workerId: string) => {
      const [job, ...rest] = await t.queue.claim(workerId, { limit: 1, leaseMs: LEASE });
      expect(rest).toEqual([]);
      return job;
    };

    it('completes a job for the worker that holds it', async () => {
      const { id } = await t.queue.enqueue({ name: 'a', workspaceId: t.ws });
      await claimOne('w1');
      t.clock.advance(10);
      expect(await t.queue.complete(id, 'w2')).toBe(false);
      expect(await t.queue.complete(id, 'w1')).toBe(true);
      expect(await t.queue.get(t.ws, id)).toMatchObject({
        state: 'done',
        locked_by: null,
        locked_until: null,
        finished_at: t.clock.now,
      });
      expect(await t.queue.complete(id, 'w1')).toBe(false);
    });

    it('lets another worker take a job whose lease expired, and refuses the old worker', async () => {
      const { id } = await t.queue.enqueue({ name: 'a', workspaceId: t.ws });
      await claimOne('w1');
      t.clock.advance(LEASE - 1);
      expect(await claimOne('w2')).toBeUndefined();
      t.clock.advance(1);
      const retaken = await claimOne('w2');
      expect(retaken).toMatchObject({ id, locked_by: 'w2', attempts: 2, locked_until: t.clock.now + LEASE });
      // The first worker comes back to life: none of its writes may land.
      expect(await t.queue.complete(id, 'w1')).toBe(false);
      expect(await t.queue.fail(id, 'w1', new Error('late'))).toBe(false);
      expect(await t.queue.extendLease(id, 'w1', LEASE)).toBe(false);
      expect(await t.queue.release(id, 'w1')).toBe(false);
      expect(await t.queue.get(t.ws, id)).toMatchObject({ state: 'running', locked_by: 'w2', attempts: 2 });
      expect(await t.queue.complete(id, 'w2')).toBe(true);
    });

    it('keeps a job whose lease is renewed by heartbeats', async () => {
      const { id } = await t.queue.enqueue({ name: 'a', workspaceId: t.ws });
      await claimOne('w1');
      t.clock.advance(800);
      expect(await t.queue.extendLease(id, 'w1', LEASE)).toBe(true);
      t.clock.advance(999); // 1.8 s after the claim, 0.999 s after the heartbeat
      expect(await claimOne('w2')).toBeUndefined();
      t.clock.advance(1);
      expect(await claimOne('w2')).toMatchObject({ id });
    });

    it('retries with exponential backoff, then marks the job dead with the last error', async () => {
      const { id } = await t.queue.enqueue({ name: 'a', workspaceId: t.ws, maxAttempts: 3 });
      for (const [attempt, delay] of [
        [1, 500],
        [2, 1_000],
      ] as const) {
        const job = await claimOne('w1');
        expect(job?.attempts).toBe(attempt);
        expect(await t.queue.fail(id, 'w1', new TypeError(`boom ${attempt}`))).toBe(true);
        expect(await t.queue.get(t.ws, id)).toMatchObject({
          state: 'queued',
          run_at: t.clock.now + delay, // jitter fixed at 0.5 of 1 s · 2^(attempt−1)
          last_error: `TypeError: boom ${attempt}`,
          locked_by: null,
        });
        t.clock.advance(delay - 1);
        expect(await claimOne('w1')).toBeUndefined();
        t.clock.advance(1);
      }
      await claimOne('w1');
      expect(await t.queue.fail(id, 'w1', 'the provider said no')).toBe(true);
      expect(await t.queue.get(t.ws, id)).toMatchObject({
        state: 'dead',
        attempts: 3,
        last_error: 'the provider said no',
        finished_at: t.clock.now,
      });
      t.clock.advance(HOUR);
      expect(await claimOne('w1')).toBeUndefined();
    });

    it('marks a job dead, not runnable, when its worker dies on the last attempt', async () => {
      const { id } = await t.queue.enqueue({ name: 'a', workspaceId: t.ws, maxAttempts: 2 });
      await claimOne('w1');
      t.clock.advance(LEASE);
      await claimOne('w2');
      t.clock.advance(LEASE);
      expect(await claimOne('w3')).toBeUndefined();
      expect(await t.queue.get(t.ws, id)).toMatchObject({
        state: 'dead',
        attempts: 2,
        locked_by: null,
        last_error: LEASE_LOST_ERROR,
      });
    });

    it('releases a job without counting the attempt', async () => {
      const { id } = await t.queue.enqueue({ name: 'a', workspaceId: t.ws });
      await claimOne('w1');
      expect(await t.queue.release(id, 'w2')).toBe(false);
      expect(await t.queue.release(id, 'w1')).toBe(true);
      expect(await t.queue.get(t.ws, id)).toMatchObject({
        state: 'queued',
        attempts: 0,
        locked_by: null,
        locked_until: null,
      });
      expect(await claimOne('w2')).toMatchObject({ id, attempts: 1 });
    });
  });
}
