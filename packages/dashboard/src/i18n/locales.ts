/** The languages Wasl speaks, Arabic first: it is the fallback when nothing else is known. */
export const LOCALES = ['ar', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'ar';

export const isLocale = (value: unknown): value is Locale =>
  typeof value === 'string' && (LOCALES as readonly string[]).includes(value);

export type Direction = 'rtl' | 'ltr';

export const direction = (locale: Locale): Direction => (locale === 'ar' ? 'rtl' : 'ltr');

/**
 * The BCP 47 tag handed to every Intl API. Arabic pins Arabic-Indic digits (nu-arab) and
 * the Gregorian calendar on purpose: ICU's default for plain `ar` moved to Latin digits in
 * recent CLDR releases, so leaving it implicit would make Node, Chrome and Safari disagree.
 * One constant, so a future per-user digits preference changes one line.
 */
export const INTL_TAG: Record<Locale, string> = {
  ar: 'ar-u-nu-arab-ca-gregory',
  en: 'en-u-nu-latn-ca-gregory',
};

/** The first of the browser's preferred languages that Wasl speaks, else Arabic. */
export function pickLocale(preferred: readonly string[]): Locale {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return DEFAULT_LOCALE;
}
