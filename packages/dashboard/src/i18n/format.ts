import { INTL_TAG, type Locale } from './locales.ts';

const numberFormats = new Map<Locale, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

export function formatNumber(locale: Locale, value: number): string {
  let format = numberFormats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(INTL_TAG[locale]);
    numberFormats.set(locale, format);
  }
  return format.format(value);
}

export type DateStyle = 'date' | 'dateTime';

const DATE_OPTIONS: Record<DateStyle, Intl.DateTimeFormatOptions> = {
  date: { year: 'numeric', month: 'short', day: 'numeric' },
  dateTime: { year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' },
};

/** An ISO timestamp in the active locale; `timeZone` defaults to the browser's. */
export function formatDate(
  locale: Locale,
  iso: string,
  style: DateStyle = 'dateTime',
  timeZone?: string,
): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const key = `${locale}|${style}|${timeZone ?? ''}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = safeDateFormat(INTL_TAG[locale], { ...DATE_OPTIONS[style], timeZone });
    dateFormats.set(key, format);
  }
  return format.format(date);
}

// An unknown time zone name from the server must not take the page down.
function safeDateFormat(tag: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(tag, options);
  } catch {
    return new Intl.DateTimeFormat(tag, { ...options, timeZone: undefined });
  }
}
