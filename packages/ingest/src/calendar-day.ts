import { addDays as addLocalDays, localDay, startOfLocalDay } from '@wasl/core';

/**
 * Calendar days for salt rotation, as instants in epoch milliseconds. The
 * arithmetic is core's (packages/core/src/period.ts), which reports use too,
 * so a salt day and a report day begin at the same instant.
 */

/**
 * The calendar day ('YYYY-MM-DD') of an instant in a time zone.
 *
 * @example calendarDay(Date.UTC(2026, 0, 1, 21, 30), 'Asia/Riyadh') // '2026-01-02'
 */
export function calendarDay(instant: number, timeZone = 'UTC'): string {
  return localDay(new Date(instant), timeZone);
}

/** The day `offset` days after `day` (negative: before). Pure date arithmetic, no time zone. */
export const addDays = (day: string, offset: number): string => addLocalDays(day, offset);

/**
 * The instant a calendar day starts in a time zone (its first moment, which is
 * not always 00:00 where daylight saving time starts at midnight).
 *
 * @example startOfDay('2026-01-02', 'Asia/Riyadh') // Date.UTC(2026, 0, 1, 21)
 */
export function startOfDay(day: string, timeZone = 'UTC'): number {
  return startOfLocalDay(day, timeZone).getTime();
}
