import { describe, expect, it } from 'vitest';
import { BACKENDS, createWorkspace } from './backends.ts';
import { useQueue } from './use-queue.ts';

const MINUTE = 60_000;
const at = (iso: string) => Date.parse(iso);

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`job schedules: ${backend.name}`, () => {
    const t = useQueue(backend);
    const everyMinute = (over: { workspaceId?: string | null; name?: string; cron?: string } = {}) =>
      t.queue.upsertSchedule({
        workspaceId: t.ws,
        name: 'digest',
        jobName: 'report.digest',
        cron: '* * * * *',
        timezone: 'UTC',
        payload: { format: 'pdf' },
        ...over,
      });
    const schedules = () => t.db.oltp.db.selectFrom('job_schedules').selectAll().execute();
    const jobs = () => t.db.oltp.db.selectFrom('jobs').selectAll().orderBy('run_at').execute();

    it('rejects a wrong cron expression or time zone, naming the field', async () => {
      const base = { workspaceId: t.ws, name: 's', jobName: 'j', cron: '0 9 * * *', timezone: 'Asia/Riyadh' };
      for (const [over, field] of [
        [{ cron: '61 * * * *' }, 'cron'],
        [{ cron: 'every day' }, 'cron'],
        [{ cron: '0 0 30 2 *' }, 'cron'], // 30 February: never
        [{ timezone: 'Asia/Atlantis' }, 'timezone'],
        [{ timezone: '' }, 'timezone'],
        [{ name: ' ' }, 'name'],
        [{ jobName: '' }, 'jobName'],
      ] as const) {
        const result = await t.queue.upsertSchedule({ ...base, ...over });
        expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'invalid', field }) });
      }
      expect(await schedules()).toEqual([]);
    });

    it('computes the next run in the schedule’s time zone', async () => {
      t.clock.now = at('2026-01-01T05:00:00Z'); // 08:00 in Riyadh (UTC+3)
      const result = await t.queue.upsertSchedule({
        workspaceId: t.ws,
        name: 'morning',
        jobName: 'j',
        cron: '0 9 * * *',
        timezone: 'Asia/Riyadh',
      });
      expect(result.ok && result.value.next_run_at).toBe(at('2026-01-01T06:00:00Z'));
    });

    it('replaces a schedule by name, keeping its next run while cron and time zone are unchanged', async () => {
      const first = await everyMinute();
      t.clock.advance(10 * MINUTE);
      const same = await t.queue.upsertSchedule({
        workspaceId: t.ws,
        name: 'digest',
        jobName: 'report.weekly',
        cron: '* * * * *',
        timezone: 'UTC',
        payload: { format: 'csv' },
      });
      expect(same.ok && first.ok).toBe(true);
      if (!same.ok || !first.ok) return;
      expect(same.value).toMatchObject({
        id: first.value.id,
        job_name: 'report.weekly',
        payload: '{"format":"csv"}',
        next_run_at: first.value.next_run_at, // still due: a restart must not skip it
      });
      const changed = await everyMinute({ cron: '0 * * * *' });
      expect(changed.ok && changed.value.next_run_at).toBe(at('2026-01-01T07:00:00Z'));
      expect(await schedules()).toHaveLength(1);
    });

    it('keeps one system schedule per name, and one per workspace per name', async () => {
      await everyMinute({ workspaceId: null });
      await everyMinute({ workspaceId: null });
      await everyMinute({ workspaceId: t.ws });
      await everyMinute({ workspaceId: await createWorkspace(t.db.oltp) });
      const rows = await schedules();
      expect(rows).toHaveLength(3);
      expect(rows.filter((s) => s.workspace_id === null)).toHaveLength(1);
    });

    it('enqueues each due run once, with the schedule’s workspace and payload', async () => {
      const saved = await everyMinute();
      if (!saved.ok) throw new Error('schedule rejected');
      const firstRun = saved.value.next_run_at;
      expect(await t.queue.tickSchedules()).toBe(0);
      t.clock.now = firstRun + 2 * MINUTE + 30_000; // three runs are due
      expect(await t.queue.tickSchedules()).toBe(3);
      expect(await t.queue.tickSchedules()).toBe(0);
      const runs = [firstRun, firstRun + MINUTE, firstRun + 2 * MINUTE];
      expect(
        (await jobs()).map((j) => [j.name, j.workspace_id, j.payload, j.run_at, j.idempotency_key]),
      ).toEqual(
        runs.map((run) => [
          'report.digest',
          t.ws,
          '{"format":"pdf"}',
          run,
          `schedule:${saved.value.id}:${run}`,
        ]),
      );
      expect((await schedules())[0]?.next_run_at).toBe(firstRun + 3 * MINUTE);
    });

    it('catches up a long outage over several ticks, 100 runs at a time', async () => {
      const saved = await everyMinute({ workspaceId: null });
      if (!saved.ok) throw new Error('schedule rejected');
      t.clock.now = saved.value.next_run_at + 149 * MINUTE;
      expect(await t.queue.tickSchedules()).toBe(100);
      expect(await t.queue.tickSchedules()).toBe(50);
      expect(await t.queue.tickSchedules()).toBe(0);
      expect(new Set((await jobs()).map((j) => j.run_at)).size).toBe(150);
    });

    it('enqueues each run exactly once when two workers tick at the same moment', async () => {
      await everyMinute();
      await everyMinute({ workspaceId: null, name: 'system-digest' });
      const tickers = [t.queue, t.peerQueue(), t.queue, t.peerQueue()];
      let enqueued = 0;
      for (let round = 0; round < 10; round++) {
        t.clock.advance(MINUTE);
        const counts = await Promise.all(tickers.map((q) => q.tickSchedules()));
        enqueued += counts.reduce((a, b) => a + b, 0);
      }
      const all = await jobs();
      expect(all).toHaveLength(20);
      expect(enqueued).toBe(20);
      expect(new Set(all.map((j) => j.idempotency_key)).size).toBe(20);
    });
  });
}
