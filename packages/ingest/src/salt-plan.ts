import { randomBytes } from 'node:crypto';
import { addDays, calendarDay, startOfDay } from './calendar-day.ts';

/** One day's salt as the store keeps it. */
export interface DailySalt {
  /** 'YYYY-MM-DD' in the installation's time zone. */
  day: string;
  salt: string;
}

export interface SaltPlan {
  /** Today, 'YYYY-MM-DD' in the time zone. */
  today: string;
  /** The salt to hash today's events with. */
  use: DailySalt;
  /** Set when today has no salt yet: store it (it is `use`). */
  create?: DailySalt;
  /** Yesterday's salt, when stored: hash with it too to continue a visit across midnight and to recognise yesterday's visitors. */
  previous?: DailySalt;
  /** Stored salts that stay: today's and yesterday's. */
  keep: DailySalt[];
  /** Stored salts to delete now: older than yesterday, from a future day, or a duplicate of a day. */
  delete: DailySalt[];
  /** When yesterday began: the earliest moment a cookieless visitor can be recognised from. */
  windowStart: number;
  /** When today ends: the plan holds until then, so plan once a day, not once an event (a plan costs about 0.1 ms). */
  rotatesAt: number;
}

/** 32 random bytes, base64url: the HMAC key of one day. */
export function newSalt(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Daily salt rotation, as a plan the caller applies to its store: use today's
 * salt (create it if missing), keep today's and yesterday's, delete the rest.
 * So at most two salts exist at any time, and a salt is deleted when the second
 * day after its own begins, after which its hashes cannot be linked to anyone.
 *
 * When two processes raced and stored two salts for one day, the plan picks the
 * smallest deterministically and deletes the other (a unique key on `day` in the
 * store avoids the race altogether).
 *
 * @example
 * saltPlan([{ day: '2026-03-01', salt: 'a' }, { day: '2026-02-27', salt: 'b' }], Date.UTC(2026, 2, 2, 9))
 * // { today: '2026-03-02', use: <new>, create: <new>, previous: { day: '2026-03-01', … },
 * //   keep: [{ day: '2026-03-01', … }], delete: [{ day: '2026-02-27', … }],
 * //   windowStart: Date.UTC(2026, 2, 1), rotatesAt: Date.UTC(2026, 2, 3) }
 */
export function saltPlan(
  stored: readonly DailySalt[],
  now: number | Date,
  timeZone = 'UTC',
  generate: () => string = newSalt,
): SaltPlan {
  const instant = typeof now === 'number' ? now : now.getTime();
  const today = calendarDay(instant, timeZone);
  const yesterday = addDays(today, -1);
  const sorted = [...stored].sort((a, b) => (a.salt < b.salt ? -1 : a.salt > b.salt ? 1 : 0));
  const current = sorted.find((s) => s.day === today);
  const previous = sorted.find((s) => s.day === yesterday);
  const keep = [current, previous].filter((s) => s !== undefined);
  const plan: SaltPlan = {
    today,
    use: current ?? { day: today, salt: generate() },
    keep,
    delete: stored.filter((s) => !keep.includes(s)),
    windowStart: startOfDay(yesterday, timeZone),
    rotatesAt: startOfDay(addDays(today, 1), timeZone),
  };
  if (current === undefined) plan.create = plan.use;
  if (previous !== undefined) plan.previous = previous;
  return plan;
}
