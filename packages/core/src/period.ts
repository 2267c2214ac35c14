import type { Interval, Period } from './analytics.ts';

/**
 * Local calendar arithmetic for reports: a Period names local dates in a time
 * zone; reports read the half-open instant range those dates cover, and label
 * buckets with local dates. Pure (Intl only), so the store, the API and the
 * dashboard resolve periods identically.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows (e.g. 'Asia/Riyadh'). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function assertTimeZone(timeZone: string): void {
  if (!isTimeZone(timeZone)) throw new RangeError(`unknown time zone '${timeZone}' (expected an IANA name)`);
}

/** The wall clock of an instant in a zone, as if it were UTC (epoch ms, whole seconds). */
function wallClock(instant: number, timeZone: string): number {
  const p: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const utc = new Date(0);
  utc.setUTCFullYear(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1);
  return utc.setUTCHours(p.hour ?? 0, p.minute ?? 0, p.second ?? 0, 0);
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const isoDay = (wall: number) => {
  const d = new Date(wall);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
};

/** Epoch ms of 'YYYY-MM-DD' at 00:00 UTC, or NaN when it is not a calendar date. */
function dayMs(day: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return Number.NaN;
  const date = new Date(0);
  date.setUTCFullYear(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return isoDay(date.getTime()) === day ? date.getTime() : Number.NaN;
}

function assertDay(day: string, name: string): number {
  const ms = dayMs(day);
  if (Number.isNaN(ms)) throw new RangeError(`${name} '${day}' is not a calendar date (YYYY-MM-DD)`);
  return ms;
}

/** The local calendar day ('YYYY-MM-DD') of an instant. */
export function localDay(instant: Date, timeZone: string): string {
  return isoDay(wallClock(instant.getTime(), timeZone));
}

/** The day `offset` days after `day` (negative: before); no time zone involved. */
export function addDays(day: string, offset: number): string {
  return isoDay(assertDay(day, 'day') + offset * 86_400_000);
}

/** The Monday on or before `day`: weeks start on Monday. */
export function mondayOf(day: string): string {
  const ms = assertDay(day, 'day');
  return isoDay(ms - ((new Date(ms).getUTCDay() + 6) % 7) * 86_400_000);
}

const MAX_OFFSET_MS = 15 * 3_600_000;

/**
 * The first instant of a local day: its midnight, or the moment the clocks
 * jump to where midnight does not exist (DST starting at 00:00). Found by
 * bisection over the wall clock, so it is exact to the millisecond whatever
 * the zone's rules.
 */
export function startOfLocalDay(day: string, timeZone: string): Date {
  assertTimeZone(timeZone);
  const target = assertDay(day, 'day');
  let lo = target - MAX_OFFSET_MS; // wall clock surely before the day
  let hi = target + MAX_OFFSET_MS; // surely inside it or after
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallClock(mid, timeZone) >= target) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/**
 * The half-open instant range [from, to) a period covers: from the start of
 * its first local day to the start of the day after its last, so a day is 23
 * or 25 hours long where DST changes.
 *
 * @example resolvePeriod({ from: '2026-03-01', to: '2026-03-01', timeZone: 'Asia/Riyadh' })
 * // { from: 2026-02-28T21:00:00.000Z, to: 2026-03-01T21:00:00.000Z }
 */
export function resolvePeriod(period: Period): { from: Date; to: Date } {
  assertTimeZone(period.timeZone);
  const first = assertDay(period.from, 'period start');
  const last = assertDay(period.to, 'period end');
  if (last < first) throw new RangeError(`period ends (${period.to}) before it starts (${period.from})`);
  return {
    from: startOfLocalDay(period.from, period.timeZone),
    to: startOfLocalDay(addDays(period.to, 1), period.timeZone),
  };
}

const hourLabel = (wall: number) => `${isoDay(wall)}T${pad(new Date(wall).getUTCHours())}`;

/** The label of the bucket holding an instant: local 'YYYY-MM-DD' (day, week's Monday, month's 1st) or 'YYYY-MM-DDTHH'. */
export function bucketOf(instant: Date, timeZone: string, interval: Interval): string {
  const wall = wallClock(instant.getTime(), timeZone);
  if (interval === 'hour') return hourLabel(wall);
  const day = isoDay(wall);
  if (interval === 'week') return mondayOf(day);
  if (interval === 'month') return `${day.slice(0, 8)}01`;
  return day;
}

const HOUR = 3_600_000;

/**
 * Every bucket an instant range touches, in order, once each: hours that DST
 * skips do not appear, an hour it repeats appears once (its two halves are
 * one bucket, as in the SQL that groups by the same labels).
 */
export function periodBuckets(from: Date, to: Date, timeZone: string, interval: Interval): string[] {
  assertTimeZone(timeZone);
  if (!(from.getTime() < to.getTime())) throw new RangeError('a period must end after it starts');
  const labels = new Set<string>();
  if (interval === 'hour') {
    // From one wall-clock hour to the next: a clock change inside the step
    // lands in the following hour (skipping only hours that do not exist) or
    // back in the same one (repeating a label the set already holds).
    for (let t = from.getTime(); t < to.getTime(); ) {
      const wall = wallClock(t, timeZone);
      labels.add(hourLabel(wall));
      t += HOUR - ((((wall + (t % 1000)) % HOUR) + HOUR) % HOUR);
    }
    return [...labels];
  }
  const last = localDay(new Date(to.getTime() - 1), timeZone);
  for (let day = localDay(from, timeZone); day <= last; day = addDays(day, 1)) {
    labels.add(interval === 'week' ? mondayOf(day) : interval === 'month' ? `${day.slice(0, 8)}01` : day);
  }
  return [...labels];
}

/** The zone's UTC offset at an instant, in ms (local wall clock = instant + offset). */
export function utcOffsetAt(instant: number, timeZone: string): number {
  return wallClock(instant, timeZone) - (instant - (((instant % 1000) + 1000) % 1000));
}

const DAY = 86_400_000;

/**
 * The zone's UTC offsets over [from, to): spans in order, each holding until
 * the next one starts (`until` undefined for the last). Lets an engine turn
 * instants into wall-clock time with arithmetic instead of a per-row time
 * zone lookup. Offset changes are found by sampling every 6 hours and
 * bisecting to the millisecond; zones never change twice within 6 hours.
 */
export function utcOffsetSpans(
  from: Date,
  to: Date,
  timeZone: string,
): { until?: number; offsetMs: number }[] {
  assertTimeZone(timeZone);
  const spans: { until?: number; offsetMs: number }[] = [];
  let offset = utcOffsetAt(from.getTime(), timeZone);
  const step = DAY / 4;
  for (let t = from.getTime(); t < to.getTime(); ) {
    const next = Math.min(t + step, to.getTime());
    const nextOffset = utcOffsetAt(next, timeZone);
    if (nextOffset !== offset) {
      let lo = t;
      let hi = next;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (utcOffsetAt(mid, timeZone) === offset) lo = mid;
        else hi = mid;
      }
      spans.push({ until: hi, offsetMs: offset });
      offset = nextOffset;
    }
    t = next;
  }
  spans.push({ offsetMs: offset });
  return spans;
}
