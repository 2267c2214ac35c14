import { ar } from './ar.ts';
import type { PluralKey, TextKey } from './catalogue.ts';
import { en } from './en.ts';
import { formatNumber } from './format.ts';
import type { Locale } from './locales.ts';
import { selectPlural } from './plural.ts';

export const catalogues = { ar, en } as const;

export type Params = Record<string, string | number>;

/** Replaces `{name}` with params.name; numbers are formatted for the locale. */
export function interpolate(locale: Locale, template: string, params: Params = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(locale, value) : value;
  });
}

export function translate(locale: Locale, key: TextKey, params?: Params): string {
  return interpolate(locale, catalogues[locale][key], params);
}

/** The plural form for `count` in the locale's own categories, with `{count}` localised. */
export function translatePlural(locale: Locale, key: PluralKey, count: number, params?: Params): string {
  const form = selectPlural(locale, catalogues[locale][key], count);
  return interpolate(locale, form, { ...params, count });
}
