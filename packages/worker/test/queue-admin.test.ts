import { describe, expect, it } from 'vitest';
import { BACKENDS, createWorkspace } from './backends.ts';
import { useQueue } from './use-queue.ts';

const LEASE = 60_000;

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`job queue, inspection and tenancy: ${backend.name}`, () => {
    const t = useQueue(backend);

    /** A job that has used its only attempt and failed. */
    const deadJob = async (workspaceId: string | null) => {
      const job = await t.queue.enqueue({ name: 'a', workspaceId, maxAttempts: 1 });
      const [claimed] = await t.queue.claim('w1', { limit: 1, leaseMs: LEASE });
      expect(claimed?.id).toBe(job.id);
      await t.queue.fail(job.id, 'w1', new Error('smtp 554'));
      return job;
    };

    it('lists a workspace’s jobs newest first, filtered by state, up to the limit', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push((await t.queue.enqueue({ name: 'a', workspaceId: t.ws })).id);
        t.clock.advance(1);
      }
      await t.queue.claim('w1', { limit: 1, leaseMs: LEASE }); // the oldest
      expect((await t.queue.list(t.ws)).map((j) => j.id)).toEqual([...ids].reverse());
      expect((await t.queue.list(t.ws, { limit: 2 })).map((j) => j.id)).toEqual([ids[2], ids[1]]);
      expect((await t.queue.list(t.ws, { state: 'running' })).map((j) => j.id)).toEqual([ids[0]]);
      expect(await t.queue.list(t.ws, { state: 'dead' })).toEqual([]);
    });

    it('retries a dead job with a fresh set of attempts', async () => {
      const { id } = await deadJob(t.ws);
      t.clock.advance(5_000);
      const retried = await t.queue.retryDead(t.ws, id);
      expect(retried).toEqual({
        ok: true,
        value: expect.objectContaining({
          id,
          state: 'queued',
          attempts: 0,
          run_at: t.clock.now,
          finished_at: null,
        }),
      });
      // last_error stays, so people can still see why it had died.
      expect(await t.queue.get(t.ws, id)).toMatchObject({ last_error: 'smtp 554' });
      expect((await t.queue.claim('w2', { limit: 1, leaseMs: LEASE }))[0]?.id).toBe(id);
    });

    it('refuses to retry a job that is not dead, or does not exist', async () => {
      const { id } = await t.queue.enqueue({ name: 'a', workspaceId: t.ws });
      expect(await t.queue.retryDead(t.ws, id)).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'conflict' }),
      });
      expect(await t.queue.retryDead(t.ws, 'no-such-job')).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'not_found' }),
      });
    });

    it('hides a workspace’s jobs from every other workspace', async () => {
      const other = await createWorkspace(t.db.oltp, t.clock.now);
      const dead = await deadJob(t.ws);
      expect(await t.queue.get(other, dead.id)).toBeUndefined();
      expect(await t.queue.list(other)).toEqual([]);
      expect(await t.queue.retryDead(other, dead.id)).toEqual({
        ok: false,
        error: expect.objectContaining({ code: 'not_found' }),
      });
      expect(await t.queue.get(t.ws, dead.id)).toMatchObject({ state: 'dead' });
    });

    it('keeps system jobs apart from workspaces', async () => {
      const system = await deadJob(null);
      const mine = await t.queue.enqueue({ name: 'a', workspaceId: t.ws });
      expect(await t.queue.get(t.ws, system.id)).toBeUndefined();
      expect((await t.queue.list(t.ws)).map((j) => j.id)).toEqual([mine.id]);
      expect((await t.queue.list(null)).map((j) => j.id)).toEqual([system.id]);
      expect(await t.queue.get(null, mine.id)).toBeUndefined();
      expect((await t.queue.retryDead(null, system.id)).ok).toBe(true);
    });

    it('counts jobs per state across workspaces', async () => {
      expect(await t.queue.depth()).toEqual({ queued: 0, running: 0, done: 0, dead: 0 });
      await deadJob(t.ws);
      const other = await createWorkspace(t.db.oltp, t.clock.now);
      for (const workspaceId of [t.ws, other, null, t.ws]) await t.queue.enqueue({ name: 'a', workspaceId });
      const [first, second] = await t.queue.claim('w1', { limit: 2, leaseMs: LEASE });
      await t.queue.complete(first!.id, 'w1');
      expect(second).toBeDefined();
      expect(await t.queue.depth()).toEqual({ queued: 2, running: 1, done: 1, dead: 1 });
    });
  });
}
