import type { Interval } from './api.ts';

/*
 * Numbers, durations, dates and names for reports, all through Intl with the locale's BCP 47 tag
 * (INTL_TAG: Arabic-Indic digits in Arabic). The API sends raw numbers; rounding happens here.
 */

const numberFormats = new Map<string, Intl.NumberFormat>();
function nf(tag: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${tag}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(tag, options);
    numberFormats.set(key, format);
  }
  return format;
}

export const formatInteger = (tag: string, n: number) => nf(tag, { maximumFractionDigits: 0 }).format(n);
export const formatDecimal = (tag: string, n: number) =>
  nf(tag, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n);
/** A fraction in [0, 1] as a percentage with at most one decimal. */
export const formatPercent = (tag: string, fraction: number) =>
  nf(tag, { style: 'percent', maximumFractionDigits: 1 }).format(fraction);
/** Axis labels: 1.2K, ١٫٢ ألف. */
export const formatCompact = (tag: string, n: number) =>
  nf(tag, { notation: 'compact', maximumFractionDigits: 1 }).format(n);

export function formatCurrency(tag: string, amount: number, currency: string): string {
  try {
    return nf(tag, { style: 'currency', currency }).format(amount);
  } catch {
    return `${formatDecimal(tag, amount)} ${currency}`;
  }
}

const unit = (tag: string, name: 'hour' | 'minute' | 'second', n: number) =>
  nf(tag, { style: 'unit', unit: name, unitDisplay: 'narrow', maximumFractionDigits: 0 }).format(n);

/** 45s, 2m 30s, 1h 5m (٤٥ ث، ٢ د ٣٠ ث in Arabic): two units at most, as people say durations. */
export function formatDuration(tag: string, ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return unit(tag, 'second', seconds);
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    const rest = seconds % 60;
    return rest
      ? `${unit(tag, 'minute', minutes)} ${unit(tag, 'second', rest)}`
      : unit(tag, 'minute', minutes);
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${unit(tag, 'hour', hours)} ${unit(tag, 'minute', rest)}` : unit(tag, 'hour', hours);
}

export type Change =
  | { kind: 'up' | 'down'; fraction: number }
  | { kind: 'same' }
  | { kind: 'new' }
  | { kind: 'none' };

/** How `current` moved from `previous`: by what fraction, or that there was nothing to compare with. */
export function changeOf(current: number, previous: number | undefined): Change {
  if (previous === undefined) return { kind: 'none' };
  if (previous === 0) return current === 0 ? { kind: 'same' } : { kind: 'new' };
  const fraction = (current - previous) / previous;
  if (Math.abs(fraction) < 0.0005) return { kind: 'same' };
  return { kind: fraction > 0 ? 'up' : 'down', fraction: Math.abs(fraction) };
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function df(tag: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${tag}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(tag, { ...options, timeZone: 'UTC' });
    dateFormats.set(key, format);
  }
  return format;
}

/** A local calendar date or bucket label ('YYYY-MM-DD' or 'YYYY-MM-DDTHH') as a Date at that wall time in UTC. */
const wall = (label: string) =>
  new Date(
    Date.UTC(+label.slice(0, 4), +label.slice(5, 7) - 1, +label.slice(8, 10), +(label.slice(11, 13) || 0)),
  );

/** A day as people write it: 10 Jan 2026 / ١٠ يناير ٢٠٢٦. */
export const formatDay = (tag: string, day: string) =>
  df(tag, { day: 'numeric', month: 'short', year: 'numeric' }).format(wall(day));

/** A time-series bucket, short enough for an axis: 10 Jan, 14:00, Jan 2026. */
export function formatBucket(tag: string, bucket: string, interval: Interval, long = false): string {
  const date = wall(bucket);
  if (interval === 'hour') {
    return df(tag, long ? { day: 'numeric', month: 'short', hour: 'numeric' } : { hour: 'numeric' }).format(
      date,
    );
  }
  if (interval === 'month') return df(tag, { month: long ? 'long' : 'short', year: 'numeric' }).format(date);
  return df(
    tag,
    long ? { day: 'numeric', month: 'long', year: 'numeric' } : { day: 'numeric', month: 'short' },
  ).format(date);
}

const displayNames = new Map<string, Intl.DisplayNames | null>();
function displayName(tag: string, type: 'region' | 'language', code: string): string | undefined {
  const key = `${tag}|${type}`;
  if (!displayNames.has(key)) {
    try {
      displayNames.set(key, new Intl.DisplayNames([tag], { type }));
    } catch {
      displayNames.set(key, null);
    }
  }
  try {
    const name = displayNames.get(key)?.of(code);
    return name && name !== code ? name : undefined;
  } catch {
    return undefined;
  }
}

/** SA → Saudi Arabia / المملكة العربية السعودية; the code itself when Intl does not know it. */
export const countryName = (tag: string, code: string) =>
  displayName(tag, 'region', code.toUpperCase()) ?? code;
export const languageName = (tag: string, code: string) => displayName(tag, 'language', code) ?? code;
