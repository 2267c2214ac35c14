import {
  addDays,
  DIMENSIONS,
  type Dimension,
  err,
  type Filter,
  type Interval,
  isTimeZone,
  localDay,
  ok,
  type Period,
  problem,
  type Result,
} from '@wasl/core';

/**
 * What a report's query string says, checked into the core's terms (a Period,
 * Filters, an Interval). Every failure names the parameter and the part of the
 * value at fault, so a marketer editing a pasted URL can fix it.
 */

export const FILTER_OPERATORS = ['is', 'is_not', 'contains', 'not_contains'] as const;
type Operator = (typeof FILTER_OPERATORS)[number];
/** Reports run over at most about three years; longer scans are a job for exports, not a page. */
export const MAX_PERIOD_DAYS = 1100;
/** An hourly chart is readable over a month at most (744 points). */
export const MAX_HOURLY_DAYS = 31;
const MAX_FILTERS = 20;
const MAX_FILTER_VALUES = 50;
const MAX_VALUE_LENGTH = 2048;
const DEFAULT_DAYS = 30;

const badFilter = (text: string, why: string) =>
  problem(
    'invalid',
    `filter "${text}": ${why}; write dimension:operator:value, e.g. country:is:SA`,
    'filter',
  );

/**
 * `dimension:operator:value`, split at the first two colons only, so the value
 * may hold colons (`page:is:/ar/عروض:رمضان`) and any script. Filters on the
 * same dimension with the same operator are alternatives (their values are
 * merged: `country:is:SA` and `country:is:AE` is "SA or AE"); different ones
 * must all hold.
 */
export function parseFilters(raw: string | readonly string[] | undefined): Result<Filter[]> {
  const texts = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;
  if (texts.length > MAX_FILTERS * MAX_FILTER_VALUES) {
    return err(problem('invalid', `too many filters (${texts.length})`, 'filter'));
  }
  const merged = new Map<string, Filter>();
  for (const text of texts) {
    const first = text.indexOf(':');
    const second = first < 0 ? -1 : text.indexOf(':', first + 1);
    if (second < 0) return err(badFilter(text, 'it has fewer than three parts'));
    const dimension = text.slice(0, first);
    const op = text.slice(first + 1, second);
    const value = text.slice(second + 1);
    if (!(DIMENSIONS as readonly string[]).includes(dimension)) {
      return err(badFilter(text, `unknown dimension "${dimension}" (known: ${DIMENSIONS.join(', ')})`));
    }
    if (!(FILTER_OPERATORS as readonly string[]).includes(op)) {
      return err(badFilter(text, `unknown operator "${op}" (known: ${FILTER_OPERATORS.join(', ')})`));
    }
    if (value === '' && (op === 'contains' || op === 'not_contains')) {
      return err(badFilter(text, `the value is empty; ${op} needs some text to look for`));
    }
    if (value.length > MAX_VALUE_LENGTH) {
      return err(badFilter(text.slice(0, 60), `the value is longer than ${MAX_VALUE_LENGTH} characters`));
    }
    const key = `${dimension}:${op}`;
    const existing = merged.get(key);
    if (existing) {
      if (!existing.values.includes(value)) existing.values.push(value);
      if (existing.values.length > MAX_FILTER_VALUES) {
        return err(badFilter(text, `more than ${MAX_FILTER_VALUES} values for ${key}`));
      }
    } else {
      merged.set(key, { dimension: dimension as Dimension, op: op as Operator, values: [value] });
    }
  }
  if (merged.size > MAX_FILTERS) {
    return err(problem('invalid', `at most ${MAX_FILTERS} different filters can be combined`, 'filter'));
  }
  return ok([...merged.values()]);
}

/** The query-string form of a filter, one string per value (what `parseFilters` reads back). */
export const filterStrings = (filter: Filter): string[] =>
  filter.values.map((value) => `${filter.dimension}:${filter.op}:${value}`);

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 for a real calendar date, else undefined (2026-02-30 is not one). */
function dayNumber(date: string): number | undefined {
  const m = DATE.exec(date);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d)
    return undefined;
  return ms / 86_400_000;
}

export interface PeriodQuery {
  from?: string | undefined;
  to?: string | undefined;
  timeZone?: string | undefined;
  compare?: 'previous' | undefined;
}

export interface ChosenPeriods {
  current: Period;
  /** The same number of days just before `current`, when `compare=previous`. */
  previous: Period | undefined;
  days: number;
}

/**
 * The period a report covers: `from`..`to` (both days included) in
 * `timeZone`, which defaults to the site's. `to` defaults to today there and
 * `from` to 29 days before `to` (30 days in all).
 */
export function choosePeriod(query: PeriodQuery, siteTimeZone: string, now: number): Result<ChosenPeriods> {
  const timeZone = query.timeZone ?? siteTimeZone;
  if (!isTimeZone(timeZone)) {
    return err(
      problem(
        'invalid',
        `timeZone: unknown time zone "${timeZone}"; use an IANA name such as Asia/Riyadh`,
        'timeZone',
      ),
    );
  }
  const to = query.to ?? localDay(new Date(now), timeZone);
  const toDay = dayNumber(to);
  if (toDay === undefined)
    return err(problem('invalid', `to: "${to}" is not a date; expected YYYY-MM-DD`, 'to'));
  const from = query.from ?? addDays(to, -(DEFAULT_DAYS - 1));
  const fromDay = dayNumber(from);
  if (fromDay === undefined) {
    return err(problem('invalid', `from: "${from}" is not a date; expected YYYY-MM-DD`, 'from'));
  }
  if (fromDay > toDay) return err(problem('invalid', `from (${from}) is after to (${to})`, 'from'));
  const days = toDay - fromDay + 1;
  if (days > MAX_PERIOD_DAYS) {
    return err(
      problem(
        'invalid',
        `the period from ${from} to ${to} has ${days} days; at most ${MAX_PERIOD_DAYS} are allowed`,
        'from',
      ),
    );
  }
  const previous =
    query.compare === 'previous'
      ? { from: addDays(from, -days), to: addDays(from, -1), timeZone }
      : undefined;
  return ok({ current: { from, to, timeZone }, previous, days });
}

/** Hours for a day, days up to a quarter, weeks up to a year, months beyond, unless asked otherwise. */
export function chooseInterval(requested: Interval | undefined, days: number): Result<Interval> {
  if (requested === 'hour' && days > MAX_HOURLY_DAYS) {
    return err(
      problem(
        'invalid',
        `interval: hour covers at most ${MAX_HOURLY_DAYS} days and this period has ${days}; use day, week or month`,
        'interval',
      ),
    );
  }
  if (requested) return ok(requested);
  if (days === 1) return ok('hour');
  if (days <= 92) return ok('day');
  if (days <= 366) return ok('week');
  return ok('month');
}
