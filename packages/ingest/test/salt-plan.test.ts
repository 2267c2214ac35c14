import { describe, expect, it } from 'vitest';
import { addDays, calendarDay, type DailySalt, saltPlan } from '../src/index.ts';

const HOUR = 3_600_000;

/** Applies plans to a store the way the caller would, every few hours for a month. */
function simulate(timeZone: string, start: number, hours: number, stepHours: number) {
  let store: DailySalt[] = [];
  let counter = 0;
  const generate = () => `salt-${++counter}`;
  const saltOfDay = new Map<string, string>();
  const deletedOn = new Map<string, string>();
  let last = '';
  for (let t = start; t <= start + hours * HOUR; t += stepHours * HOUR) {
    const plan = saltPlan(store, t, timeZone, generate);
    expect(plan.today).toBe(calendarDay(t, timeZone));
    expect(plan.use.day).toBe(plan.today);
    expect(plan.rotatesAt).toBeGreaterThan(t);
    expect(calendarDay(plan.rotatesAt, timeZone)).toBe(addDays(plan.today, 1));
    expect(calendarDay(plan.rotatesAt - 1, timeZone)).toBe(plan.today);
    if (plan.create) expect(plan.create).toBe(plan.use);
    for (const s of plan.delete) deletedOn.set(s.salt, plan.today);
    store = [...plan.keep, ...(plan.create ? [plan.create] : [])];
    // Never more than today's and yesterday's.
    expect(store.length).toBeLessThanOrEqual(2);
    for (const s of store) expect([plan.today, addDays(plan.today, -1)]).toContain(s.day);
    // One salt per day, the same all day.
    expect(saltOfDay.get(plan.today) ?? plan.use.salt).toBe(plan.use.salt);
    saltOfDay.set(plan.today, plan.use.salt);
    last = plan.today;
  }
  return { saltOfDay, deletedOn, last };
}

describe('saltPlan', () => {
  it('creates a salt on the first call and keeps using it all day', () => {
    const first = saltPlan([], Date.UTC(2026, 2, 1, 0, 0), 'UTC', () => 'a');
    expect(first).toMatchObject({
      today: '2026-03-01',
      use: { day: '2026-03-01', salt: 'a' },
      keep: [],
      delete: [],
    });
    expect(first.create).toEqual({ day: '2026-03-01', salt: 'a' });
    const later = saltPlan([first.use], Date.UTC(2026, 2, 1, 23, 59), 'UTC', () => 'b');
    expect(later.use.salt).toBe('a');
    expect(later.create).toBeUndefined();
  });

  it('keeps yesterday, deletes older, and says when the window starts', () => {
    const stored = [
      { day: '2026-03-02', salt: 'today' },
      { day: '2026-03-01', salt: 'yesterday' },
      { day: '2026-02-28', salt: 'old' },
      { day: '2026-03-05', salt: 'future' },
    ];
    const plan = saltPlan(stored, Date.UTC(2026, 2, 2, 12), 'UTC');
    expect(plan.use.salt).toBe('today');
    expect(plan.previous?.salt).toBe('yesterday');
    expect(plan.keep.map((s) => s.salt)).toEqual(['today', 'yesterday']);
    expect(plan.delete.map((s) => s.salt).sort()).toEqual(['future', 'old']);
    expect(plan.windowStart).toBe(Date.UTC(2026, 2, 1));
  });

  it('settles a race that stored two salts for one day', () => {
    const stored = [
      { day: '2026-03-02', salt: 'zeta' },
      { day: '2026-03-02', salt: 'alpha' },
    ];
    const plan = saltPlan(stored, Date.UTC(2026, 2, 2, 12), 'UTC');
    expect(plan.use.salt).toBe('alpha');
    expect(plan.delete.map((s) => s.salt)).toEqual(['zeta']);
  });

  it.each([
    ['UTC', 1],
    ['Asia/Riyadh', 1],
    ['Asia/Riyadh', 5],
    ['Africa/Cairo', 2], // DST starts at midnight on 26 April 2024
    ['America/New_York', 3],
    ['Asia/Kolkata', 4],
  ])(
    'over a month in %s, checked every %i h: a new salt each day, at most two kept, deleted on the second day after',
    (timeZone, step) => {
      const { saltOfDay, deletedOn, last } = simulate(timeZone, Date.UTC(2024, 3, 10), 24 * 31, step);
      expect(saltOfDay.size).toBeGreaterThanOrEqual(31);
      expect(new Set(saltOfDay.values()).size).toBe(saltOfDay.size);
      for (const [day, salt] of saltOfDay) {
        if (day >= addDays(last, -1)) expect(deletedOn.has(salt)).toBe(false);
        else expect(deletedOn.get(salt)).toBe(addDays(day, 2));
      }
    },
  );

  it('turns the day at local midnight, not UTC midnight', () => {
    // 20:59 UTC is 23:59 in Riyadh; 21:00 UTC is 00:00 the next day.
    const before = saltPlan([], Date.UTC(2026, 5, 30, 20, 59), 'Asia/Riyadh', () => 'x');
    const after = saltPlan([before.use], Date.UTC(2026, 5, 30, 21, 0), 'Asia/Riyadh', () => 'y');
    expect(before.today).toBe('2026-06-30');
    expect(after.today).toBe('2026-07-01');
    expect(after.create?.salt).toBe('y');
    expect(after.previous?.salt).toBe('x');
    expect(after.windowStart).toBe(Date.UTC(2026, 5, 29, 21));
    expect(before.rotatesAt).toBe(Date.UTC(2026, 5, 30, 21));
  });
});
