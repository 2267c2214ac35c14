/**
 * Quiet hours: a daily window (e.g. 21:00–08:00) in a person's own time zone
 * during which messages wait. Pure time-zone arithmetic on the IANA database
 * that Intl carries, so daylight-saving changes are handled: the window is
 * wall-clock time wherever the person is.
 */
import { err, ok, type Result } from '../result.ts';

/** A daily window in local wall-clock time; `start` after `end` spans midnight. */
export interface QuietHours {
  /** "HH:MM", 24-hour. */
  start: string;
  /** "HH:MM", 24-hour. */
  end: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of an "HH:MM" time, or an error naming the value. */
export function parseClockTime(value: string, field: string): Result<number> {
  const m = HHMM.exec(value);
  if (!m)
    return err({
      code: 'invalid',
      message: `${field} must be a time as HH:MM (00:00–23:59), not "${value}"`,
      field,
    });
  return ok(Number(m[1]) * 60 + Number(m[2]));
}

interface Wall {
  year: number;
  month: number;
  day: number;
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(at: number, zone: string): Wall {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(zone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    minutes: (parts.hour ?? 0) * 60 + (parts.minute ?? 0),
  };
}

/** The zone's offset from UTC at an instant, in ms (local = UTC + offset). */
function offsetAt(at: number, zone: string): number {
  const w = wallClock(at, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, 0, w.minutes);
  return asUtc - (at - (((at % 60_000) + 60_000) % 60_000));
}

/**
 * The instant a local wall-clock time happens in a zone. A time skipped by a
 * daylight-saving jump (02:30 on a spring-forward night) becomes the first
 * instant after the jump at the same distance from midnight.
 */
export function zonedInstant(
  year: number,
  month: number,
  day: number,
  minutes: number,
  zone: string,
): number {
  const naive = Date.UTC(year, month - 1, day, 0, minutes);
  let at = naive - offsetAt(naive, zone);
  const second = naive - offsetAt(at, zone);
  if (second !== at) {
    // Near a change: one of the two offsets gives the wall time asked for, unless it was skipped.
    const w = wallClock(second, zone);
    at = w.minutes === minutes ? second : Math.max(at, second);
  }
  return at;
}

/**
 * When the quiet window that `now` falls in ends (epoch ms), or undefined when
 * `now` is outside it. An empty window (start equal to end) is never quiet.
 */
export function quietHoursEnd(
  now: number,
  zone: string,
  quiet: { start: number; end: number },
): number | undefined {
  if (quiet.start === quiet.end) return undefined;
  const w = wallClock(now, zone);
  const spansMidnight = quiet.start > quiet.end;
  const inside = spansMidnight
    ? w.minutes >= quiet.start || w.minutes < quiet.end
    : w.minutes >= quiet.start && w.minutes < quiet.end;
  if (!inside) return undefined;
  // Ends tomorrow when the window spans midnight and we are before midnight.
  const tomorrow = spansMidnight && w.minutes >= quiet.start;
  const date = new Date(Date.UTC(w.year, w.month - 1, w.day + (tomorrow ? 1 : 0)));
  return zonedInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), quiet.end, zone);
}
