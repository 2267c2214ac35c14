import { describe, expect, it } from 'vitest';
import { BACKENDS, createWorkspace } from './backends.ts';
import { useQueue } from './use-queue.ts';

const LEASE = 60_000;

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`job queue, enqueue and claim: ${backend.name}`, () => {
    const t = useQueue(backend);

    it('enqueues a job with defaults', async () => {
      const job = await t.queue.enqueue({ name: 'email.send', workspaceId: t.ws, payload: { to: 'سارة' } });
      expect(job).toMatchObject({
        workspace_id: t.ws,
        name: 'email.send',
        payload: JSON.stringify({ to: 'سارة' }),
        state: 'queued',
        priority: 0,
        run_at: t.clock.now,
        attempts: 0,
        max_attempts: 5,
        locked_by: null,
      });
    });

    it('returns the existing job for a used idempotency key and inserts nothing', async () => {
      const first = await t.queue.enqueue({ name: 'a', workspaceId: t.ws, idempotencyKey: 'k' });
      const again = await t.queue.enqueue({ name: 'a', workspaceId: t.ws, idempotencyKey: 'k', priority: 9 });
      expect(again).toEqual(first);
      // The key is per job name and per workspace: these are other jobs.
      const otherName = await t.queue.enqueue({ name: 'b', workspaceId: t.ws, idempotencyKey: 'k' });
      const otherWs = await t.queue.enqueue({
        name: 'a',
        workspaceId: await createWorkspace(t.db.oltp),
        idempotencyKey: 'k',
      });
      expect(new Set([first.id, otherName.id, otherWs.id]).size).toBe(3);
      expect((await t.queue.depth()).queued).toBe(3);
    });

    it('deduplicates system jobs (no workspace) by key too', async () => {
      const a = await t.queue.enqueue({ name: 'salt.rotate', idempotencyKey: '2026-01-01' });
      const b = await t.queue.enqueue({ name: 'salt.rotate', idempotencyKey: '2026-01-01' });
      expect(b.id).toBe(a.id);
      expect((await t.queue.depth()).queued).toBe(1);
    });

    it('enqueues once when 20 callers use the same key at the same moment', async () => {
      const queues = [t.queue, t.peerQueue()];
      const jobs = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          queues[i % 2]!.enqueue({ name: 'a', workspaceId: t.ws, idempotencyKey: 'same' }),
        ),
      );
      expect(new Set(jobs.map((j) => j.id)).size).toBe(1);
      expect((await t.queue.depth()).queued).toBe(1);
    });

    it('claims the highest priority first, then the oldest run_at', async () => {
      const now = t.clock.now;
      const low = await t.queue.enqueue({ name: 'a', workspaceId: t.ws, priority: 0, runAt: now - 3000 });
      const highNew = await t.queue.enqueue({ name: 'a', workspaceId: t.ws, priority: 5, runAt: now - 1000 });
      const highOld = await t.queue.enqueue({ name: 'a', workspaceId: t.ws, priority: 5, runAt: now - 2000 });
      const claimed = await t.queue.claim('w1', { limit: 10, leaseMs: LEASE });
      expect(claimed.map((j) => j.id)).toEqual([highOld.id, highNew.id, low.id]);
      expect(claimed.every((j) => j.state === 'running' && j.locked_by === 'w1' && j.attempts === 1)).toBe(
        true,
      );
      expect(claimed[0]?.locked_until).toBe(now + LEASE);
    });

    it('respects the limit and takes the best jobs within it', async () => {
      for (const priority of [1, 3, 2]) await t.queue.enqueue({ name: 'a', workspaceId: t.ws, priority });
      const claimed = await t.queue.claim('w1', { limit: 2, leaseMs: LEASE });
      expect(claimed.map((j) => j.priority)).toEqual([3, 2]);
    });

    it('does not claim a job whose run_at is in the future until that time comes', async () => {
      await t.queue.enqueue({ name: 'a', workspaceId: t.ws, runAt: t.clock.now + 10_000 });
      expect(await t.queue.claim('w1', { limit: 1, leaseMs: LEASE })).toEqual([]);
      t.clock.advance(9_999);
      expect(await t.queue.claim('w1', { limit: 1, leaseMs: LEASE })).toEqual([]);
      t.clock.advance(1);
      expect(await t.queue.claim('w1', { limit: 1, leaseMs: LEASE })).toHaveLength(1);
    });

    it('claims only the names asked for', async () => {
      await t.queue.enqueue({ name: 'sms.send', workspaceId: t.ws });
      const email = await t.queue.enqueue({ name: 'email.send', workspaceId: t.ws });
      const claimed = await t.queue.claim('w1', { limit: 5, leaseMs: LEASE, names: ['email.send'] });
      expect(claimed.map((j) => j.id)).toEqual([email.id]);
      expect(await t.queue.claim('w1', { limit: 5, leaseMs: LEASE, names: [] })).toEqual([]);
    });

    it('never gives the same job to two claimers (500 jobs, 8 claimers on two connections)', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 500; i++) ids.push((await t.queue.enqueue({ name: 'a', workspaceId: t.ws })).id);
      const queues = [t.queue, t.peerQueue()];
      const claimers = Array.from({ length: 8 }, (_, i) => ({ queue: queues[i % 2]!, workerId: `w${i}` }));
      const got = await Promise.all(
        claimers.map(async ({ queue, workerId }) => {
          const mine: string[] = [];
          for (;;) {
            const jobs = await queue.claim(workerId, { limit: 7, leaseMs: LEASE });
            if (jobs.length === 0) return mine;
            mine.push(...jobs.map((j) => j.id));
          }
        }),
      );
      const all = got.flat();
      expect(all).toHaveLength(500);
      expect(new Set(all)).toEqual(new Set(ids));
      // Each job is locked by the claimer that received it.
      const rows = await t.db.oltp.db.selectFrom('jobs').select(['id', 'locked_by', 'attempts']).execute();
      const owner = new Map(got.flatMap((mine, i) => mine.map((id) => [id, `w${i}`] as const)));
      expect(rows.every((r) => r.locked_by === owner.get(r.id) && r.attempts === 1)).toBe(true);
    });
  });
}
