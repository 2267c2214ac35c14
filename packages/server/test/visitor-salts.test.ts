import { newSalt } from '@wasl/ingest';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { rotateVisitorSalts } from '../src/index.ts';
import { VisitorSalts } from '../src/services/visitor-salts.ts';
import { describeEachEngine, type OpenedStore } from './helpers/engines.ts';

const DAY = 86_400_000;
const T = Date.UTC(2026, 0, 15, 9);

describeEachEngine('visitor salts', (engine) => {
  let store: OpenedStore;
  beforeEach(async () => {
    store = await engine.open();
  });
  afterEach(() => store.dispose());

  const rows = async () =>
    (await store.oltp.db.selectFrom('visitor_salts').selectAll().orderBy('day').execute()).map((r) => [
      r.day,
      r.salt,
    ]);

  it('processes rotating at once agree on one salt for the day', async () => {
    const plans = await Promise.all(Array.from({ length: 6 }, () => rotateVisitorSalts(store.oltp.db, T)));
    expect(new Set(plans.map((p) => p.use.salt)).size).toBe(1);
    expect(await rows()).toEqual([['2026-01-15', plans[0]?.use.salt]]);
  });

  it('keeps today and yesterday, deletes older days, and leaves a later day alone', async () => {
    const db = store.oltp.db;
    for (const day of ['2026-01-12', '2026-01-13', '2026-01-14', '2026-01-16']) {
      await db.insertInto('visitor_salts').values({ day, salt: newSalt(), created_at: 0 }).execute();
    }
    const plan = await rotateVisitorSalts(db, T);
    expect((await rows()).map(([day]) => day)).toEqual(['2026-01-14', '2026-01-15', '2026-01-16']);
    expect(plan.previous?.day).toBe('2026-01-14');
    expect(plan.rotatesAt).toBe(Date.UTC(2026, 0, 16));
  });

  it('VisitorSalts: a request past midnight gets the new day at once; the store then holds that same salt', async () => {
    const clock = { now: T };
    const errors: unknown[] = [];
    const salts = new VisitorSalts(store.oltp.db, { clock: () => clock.now, onError: (e) => errors.push(e) });
    await salts.start();
    const first = salts.window(clock.now);
    clock.now = Date.UTC(2026, 0, 16, 0, 0, 1);
    const next = salts.window(clock.now);
    expect(next.previous).toBe(first.use);
    expect(next.use).not.toBe(first.use);
    // Stored in the background: the store then holds the salt this process already hashes with.
    await expect.poll(async () => (await rows()).find(([day]) => day === '2026-01-16')?.[1]).toBe(next.use);
    expect((await rotateVisitorSalts(store.oltp.db, clock.now)).use.salt).toBe(next.use);
    clock.now += 2 * DAY;
    const later = salts.window(clock.now);
    expect(later.previous).toBeUndefined();
    await expect.poll(async () => (await rows()).map(([day]) => day)).toEqual(['2026-01-18']);
    salts.close();
    expect(errors).toEqual([]);
  });
});
