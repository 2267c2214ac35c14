import { asciiDigits } from './text.ts';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * A calendar date as YYYY-MM-DD, from ISO 8601 (2024-02-29) or from
 * DD/MM/YYYY (29/02/2024). Slashes mean day first, as written in the Arab
 * world, never the US month-first order. Impossible dates (2023-02-29) and
 * years outside 1000–9999 give undefined.
 */
export function parseDate(raw: string): string | undefined {
  const text = asciiDigits(raw).trim();
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  let year: number;
  let month: number;
  let day: number;
  if (m !== null) {
    year = Number(m[1]);
    month = Number(m[2]);
    day = Number(m[3]);
  } else {
    m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(text);
    if (m === null) return undefined;
    day = Number(m[1]);
    month = Number(m[2]);
    year = Number(m[3]);
  }
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The calendar date (year, month, day) that the instant `on` has in `timeZone` (UTC when absent). */
function dateIn(on: Date, timeZone = 'UTC'): [number, number, number] {
  if (timeZone === 'UTC') return [on.getUTCFullYear(), on.getUTCMonth() + 1, on.getUTCDate()];
  const parts = new Intl.DateTimeFormat('en', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(on);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return [part('year'), part('month'), part('day')];
}

/**
 * Age in whole years on the date `on` has in `timeZone`. Someone born on
 * 29 February turns a year older on 1 March in common years.
 */
export function ageOn(birthDate: string, on: Date, timeZone?: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = dateIn(on, timeZone);
  const hadBirthday = m > bm || (m === bm && d >= bd);
  return y - by - (hadBirthday ? 0 : 1);
}
