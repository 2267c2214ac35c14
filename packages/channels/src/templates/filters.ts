/**
 * Liquid filters for Arabic-first messages, built on Intl:
 *
 * - `plural`: `{{ n | plural: zero: "لا رسائل", one: "رسالة واحدة", two: "رسالتان", few: "# رسائل", many: "# رسالة", other: "# رسالة" }}`
 *   picks the text for Intl.PluralRules' category; `#` becomes the formatted number. A category
 *   that is not given falls back to `other`; without `other` the formatted number is output.
 * - `number`: `{{ n | number }}`, with optional `decimals: 2`, `style: "currency", currency: "SAR"`,
 *   `style: "percent"`, `locale: "ar-EG"`, `digits: "arab" | "latn"`.
 * - `date`: `{{ d | date: "long" }}` (full, long, medium, short; optional `time: "short"`) in the
 *   template's locale and time zone, Gregorian calendar. Any other format (e.g. "%Y-%m-%d") is
 *   handed to liquidjs' own strftime `date` filter, so standard Liquid keeps working.
 * - `hijri`: `{{ d | hijri }}` or `{{ d | hijri: "full" }}`, the Umm al-Qura calendar (`islamic-umalqura`).
 * - `digits`: `{{ s | digits: "arab" }}` turns 0–9 into ٠–٩; `digits: "latn"` turns ٠–٩ and ۰–۹ into 0–9.
 * - `bidi`: wraps a value in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE (U+2068 … U+2069)
 *   so a Latin name or a number keeps its order inside Arabic text (and the reverse).
 *
 * Dates are Date objects, ISO 8601 strings, epoch milliseconds, or "now"/"today". Values the
 * filters cannot read (not a number, not a date) and arguments Intl refuses (an unknown
 * currency, locale or time zone) leave the value unchanged, never an exception.
 */
import type { FilterImplOptions, Liquid } from 'liquidjs';

type FilterHandler = Extract<FilterImplOptions, (...args: never[]) => unknown>;
type FilterThis = ThisParameterType<FilterHandler>;

/** Per-template settings the filters read. */
export interface LocaleSettings {
  /** BCP 47 tag, e.g. 'ar-SA', 'en'. */
  locale: string;
  /** Force Arabic-Indic ('arab') or Latin ('latn') digits; the locale's own default when absent. */
  digits?: Digits;
  /** IANA time zone for dates, e.g. 'Asia/Riyadh'. */
  timeZone: string;
}

export const DIGITS = ['arab', 'latn'] as const;
export type Digits = (typeof DIGITS)[number];

const FSI = '\u2068';
const PDI = '\u2069';
const DATE_STYLES = ['full', 'long', 'medium', 'short'] as const;
type DateStyle = (typeof DATE_STYLES)[number];

/** Named filter arguments arrive from liquidjs as [name, value] pairs. */
type Arg = unknown;
const named = (args: Arg[]): Map<string, unknown> => {
  const out = new Map<string, unknown>();
  for (const arg of args) {
    if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string') out.set(arg[0], arg[1]);
  }
  return out;
};
const positional = (args: Arg[]): unknown[] => args.filter((arg) => !Array.isArray(arg));

/** Formatters by settings, each with a small memo of recent results (the same date or price recurs for every recipient). */
interface Formatter {
  format(value: number): string;
}
const MEMO_LIMIT = 256;
const formatters = new Map<string, { formatter: Formatter; memo: Map<number, string> }>();
const formatWith = (key: string, make: () => Formatter, value: number): string => {
  let entry = formatters.get(key);
  if (entry === undefined) {
    entry = { formatter: make(), memo: new Map() };
    formatters.set(key, entry);
  }
  let text = entry.memo.get(value);
  if (text === undefined) {
    text = entry.formatter.format(value);
    if (entry.memo.size >= MEMO_LIMIT) entry.memo.clear();
    entry.memo.set(value, text);
  }
  return text;
};
const pluralRules = new Map<string, Intl.PluralRules>();
const pluralCategory = (locale: string, n: number): string => {
  let rules = pluralRules.get(locale);
  if (rules === undefined) {
    rules = new Intl.PluralRules(locale);
    pluralRules.set(locale, rules);
  }
  return rules.select(n);
};

const withExtensions = (locale: string, digits: unknown, calendar?: string): string => {
  const options: Intl.LocaleOptions = {};
  if (digits === 'arab' || digits === 'latn') options.numberingSystem = digits;
  if (calendar !== undefined) options.calendar = calendar;
  return new Intl.Locale(locale, options).toString();
};

const toNumber = (value: unknown): number | undefined => {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(digitsToLatin(value.trim()));
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
};

const toDate = (value: unknown): Date | undefined => {
  if (value === 'now' || value === 'today') return new Date();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value;
  if (typeof value === 'number' || (typeof value === 'string' && value.trim() !== '')) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
};

const str = (value: unknown, fallback: string): string =>
  typeof value === 'string' && value !== '' ? value : fallback;

/** Formats a number in a locale; `digits` overrides the locale's numbering system. */
export const formatNumber = (
  n: number,
  settings: LocaleSettings,
  options: Intl.NumberFormatOptions = {},
  overrides: { locale?: unknown; digits?: unknown } = {},
): string => {
  const locale = str(overrides.locale, settings.locale);
  const digits = overrides.digits ?? settings.digits;
  const key = `n|${locale}|${String(digits)}|${options.style}|${options.currency}|${options.minimumFractionDigits}`;
  return formatWith(key, () => new Intl.NumberFormat(withExtensions(locale, digits), options), n);
};

/** Formats a date in the Gregorian or the Umm al-Qura calendar. */
export const formatDate = (
  date: Date,
  calendar: 'gregory' | 'islamic-umalqura',
  settings: LocaleSettings,
  style: DateStyle,
  overrides: { locale?: unknown; digits?: unknown; time?: unknown; timeZone?: unknown } = {},
): string => {
  const locale = str(overrides.locale, settings.locale);
  const digits = overrides.digits ?? settings.digits;
  const timeZone = str(overrides.timeZone, settings.timeZone);
  const timeStyle = DATE_STYLES.find((s) => s === overrides.time);
  const key = `d|${locale}|${String(digits)}|${calendar}|${style}|${timeStyle}|${timeZone}`;
  return formatWith(
    key,
    () =>
      new Intl.DateTimeFormat(withExtensions(locale, digits, calendar), {
        dateStyle: style,
        timeStyle,
        timeZone,
        calendar,
      }),
    date.getTime(),
  );
};

const ARABIC_INDIC_ZERO = 0x0660;
const EXTENDED_ARABIC_INDIC_ZERO = 0x06f0;

/** 0–9 → ٠–٩. */
export const digitsToArabic = (text: string): string =>
  text.replace(/[0-9]/g, (d) => String.fromCharCode(ARABIC_INDIC_ZERO + d.charCodeAt(0) - 48));

/** ٠–٩ and ۰–۹ → 0–9. */
export const digitsToLatin = (text: string): string =>
  text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => {
    const code = d.charCodeAt(0);
    const base = code >= EXTENDED_ARABIC_INDIC_ZERO ? EXTENDED_ARABIC_INDIC_ZERO : ARABIC_INDIC_ZERO;
    return String(code - base);
  });

/** Wraps text in a first-strong isolate; empty text stays empty. */
export const isolate = (text: string): string => (text === '' ? '' : `${FSI}${text}${PDI}`);

/** How liquidjs turns an output value into text (nil → '', arrays joined). */
export const stringify = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(stringify).join('');
  return String(value);
};

/** Intl throws RangeError for arguments it refuses; the value is then output as it is. */
const safely = (filter: FilterHandler): FilterHandler =>
  function (this: FilterThis, value: unknown, ...args: Arg[]) {
    try {
      return filter.call(this, value, ...args);
    } catch (error) {
      if (error instanceof RangeError) return value;
      throw error;
    }
  };

/** Registers the filters on an engine, bound to one template's locale settings. */
export const registerFilters = (engine: Liquid, settings: LocaleSettings): void => {
  const strftime = engine.filters.date;
  const strftimeHandler = typeof strftime === 'function' ? strftime : strftime?.handler;

  const plural: FilterHandler = (value: unknown, ...args: Arg[]) => {
    const n = toNumber(value);
    if (n === undefined) return value;
    const opts = named(args);
    const locale = str(opts.get('locale'), settings.locale);
    const category = pluralCategory(locale, n);
    const text = opts.get(category) ?? opts.get('other');
    const formatted = formatNumber(
      n,
      settings,
      {},
      { locale: opts.get('locale'), digits: opts.get('digits') },
    );
    return typeof text === 'string' ? text.replaceAll('#', formatted) : formatted;
  };

  const number: FilterHandler = (value: unknown, ...args: Arg[]) => {
    const n = toNumber(value);
    if (n === undefined) return value;
    const opts = named(args);
    const options: Intl.NumberFormatOptions = {};
    const style = opts.get('style');
    if (style === 'currency' || style === 'percent' || style === 'decimal') options.style = style;
    const currency = opts.get('currency');
    if (typeof currency === 'string') options.currency = currency;
    const decimals = opts.get('decimals');
    if (typeof decimals === 'number' && Number.isInteger(decimals) && decimals >= 0 && decimals <= 20) {
      options.minimumFractionDigits = decimals;
      options.maximumFractionDigits = decimals;
    }
    if (options.style === 'currency' && options.currency === undefined) return value;
    return formatNumber(n, settings, options, { locale: opts.get('locale'), digits: opts.get('digits') });
  };

  const dateFilter = (calendar: 'gregory' | 'islamic-umalqura'): FilterHandler =>
    function (this: FilterThis, value: unknown, ...args: Arg[]) {
      const [format] = positional(args);
      const style = format === undefined ? 'long' : DATE_STYLES.find((s) => s === format);
      if (style === undefined) {
        return calendar === 'gregory' && strftimeHandler ? strftimeHandler.call(this, value, ...args) : value;
      }
      const date = toDate(value);
      if (date === undefined) return value;
      const opts = named(args);
      return formatDate(date, calendar, settings, style, {
        locale: opts.get('locale'),
        digits: opts.get('digits'),
        time: opts.get('time'),
        timeZone: opts.get('time_zone'),
      });
    };

  engine.registerFilter('plural', safely(plural));
  engine.registerFilter('number', safely(number));
  engine.registerFilter('date', safely(dateFilter('gregory')));
  engine.registerFilter('hijri', safely(dateFilter('islamic-umalqura')));
  engine.registerFilter('digits', (value: unknown, system: unknown) => {
    const text = stringify(value);
    if (system === 'arab') return digitsToArabic(text);
    if (system === 'latn') return digitsToLatin(text);
    return text;
  });
  engine.registerFilter('bidi', (value: unknown) => isolate(stringify(value)));
};
