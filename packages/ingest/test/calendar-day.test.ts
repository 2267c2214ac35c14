import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, calendarDay, startOfDay } from '../src/index.ts';

describe('calendarDay and startOfDay', () => {
  it('puts 21:30 UTC on the next day in Riyadh (UTC+3)', () => {
    expect(calendarDay(Date.UTC(2026, 0, 1, 21, 30), 'Asia/Riyadh')).toBe('2026-01-02');
    expect(calendarDay(Date.UTC(2026, 0, 1, 20, 59, 59, 999), 'Asia/Riyadh')).toBe('2026-01-01');
    expect(startOfDay('2026-01-02', 'Asia/Riyadh')).toBe(Date.UTC(2026, 0, 1, 21));
  });

  it('starts a day at the clock change where midnight does not exist (Cairo, DST from 00:00)', () => {
    // 26 April 2024: Egyptian clocks jumped from 00:00 to 01:00 (UTC+2 → UTC+3).
    expect(startOfDay('2024-04-26', 'Africa/Cairo')).toBe(Date.UTC(2024, 3, 25, 22));
    // 1 November 2024 begins after 31 October's 23:00-24:00 hour repeated (UTC+3 → UTC+2).
    expect(startOfDay('2024-11-01', 'Africa/Cairo')).toBe(Date.UTC(2024, 9, 31, 22));
  });

  it('adds days across months and leap years', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it.each(['UTC', 'Asia/Riyadh', 'Africa/Cairo', 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham'])(
    'in %s, a day starts at its first instant',
    (timeZone) => {
      fc.assert(
        fc.property(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), (instant) => {
          const day = calendarDay(instant, timeZone);
          const start = startOfDay(day, timeZone);
          expect(start).toBeLessThanOrEqual(instant);
          expect(calendarDay(start, timeZone)).toBe(day);
          expect(calendarDay(start - 1, timeZone)).toBe(addDays(day, -1));
        }),
      );
    },
  );
});
