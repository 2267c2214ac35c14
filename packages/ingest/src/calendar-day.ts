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

function wallClock(instant: number, timeZone: string): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return parts;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * The calendar day ('YYYY-MM-DD') of an instant in a time zone.
 *
 * @example calendarDay(Date.UTC(2026, 0, 1, 21, 30), 'Asia/Riyadh') // '2026-01-02'
 */
export function calendarDay(instant: number, timeZone = 'UTC'): string {
  const p = wallClock(instant, timeZone);
  return `${pad(p.year ?? 0, 4)}-${pad(p.month ?? 0)}-${pad(p.day ?? 0)}`;
}

/** The day `offset` days after `day` (negative: before). Pure date arithmetic, no time zone. */
export function addDays(day: string, offset: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, (d ?? 1) + offset));
  return date.toISOString().slice(0, 10);
}

/**
 * The instant a calendar day starts in a time zone (its first moment, which is
 * not always 00:00 where daylight saving time starts at midnight).
 *
 * @example startOfDay('2026-01-02', 'Asia/Riyadh') // Date.UTC(2026, 0, 1, 21)
 */
export function startOfDay(day: string, timeZone = 'UTC'): number {
  const [y, m, d] = day.split('-').map(Number);
  const utcMidnight = Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1);
  // Two passes settle the offset even when it changes near midnight.
  let guess = utcMidnight;
  for (let i = 0; i < 2; i++) guess = utcMidnight - offsetAt(guess, timeZone);
  // Where midnight does not exist (a DST jump at 00:00), the day starts at the jump.
  while (calendarDay(guess, timeZone) < day) guess += 15 * 60_000;
  while (calendarDay(guess - 1, timeZone) === day) guess -= 15 * 60_000;
  return guess;
}

function offsetAt(instant: number, timeZone: string): number {
  const p = wallClock(instant, timeZone);
  const asUtc = Date.UTC(
    p.year ?? 0,
    (p.month ?? 1) - 1,
    p.day ?? 1,
    p.hour ?? 0,
    p.minute ?? 0,
    p.second ?? 0,
  );
  return asUtc - Math.floor(instant / 1000) * 1000;
}
