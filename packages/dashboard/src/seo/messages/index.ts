import type { Locale } from '../../i18n/locales.ts';
import { selectPlural } from '../../i18n/plural.ts';
import { interpolate, type Params } from '../../i18n/translate.ts';
import { ar } from './ar.ts';
import type { SeoPluralKey, SeoTextKey } from './catalogue.ts';
import { en } from './en.ts';

export const seoCatalogues = { ar, en } as const;

/** An SEO message with `{name}` filled (numbers in the locale's digits). */
export const seoText = (locale: Locale, key: SeoTextKey, params?: Params) =>
  interpolate(locale, seoCatalogues[locale][key], params);

/** The plural form for `count` in the locale's own categories, `{count}` localised. */
export const seoPlural = (locale: Locale, key: SeoPluralKey, count: number, params?: Params) =>
  interpolate(locale, selectPlural(locale, seoCatalogues[locale][key], count), { ...params, count });
