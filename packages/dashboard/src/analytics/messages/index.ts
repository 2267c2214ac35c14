import type { Locale } from '../../i18n/locales.ts';
import { selectPlural } from '../../i18n/plural.ts';
import { interpolate, type Params } from '../../i18n/translate.ts';
import { ar } from './ar.ts';
import type { ReportPluralKey, ReportTextKey } from './catalogue.ts';
import { en } from './en.ts';

export const reportCatalogues = { ar, en } as const;

/** A reports message with `{name}` filled (numbers in the locale's digits). */
export const reportText = (locale: Locale, key: ReportTextKey, params?: Params) =>
  interpolate(locale, reportCatalogues[locale][key], params);

/** The plural form for `count` in the locale's own categories, `{count}` localised. */
export const reportPlural = (locale: Locale, key: ReportPluralKey, count: number, params?: Params) =>
  interpolate(locale, selectPlural(locale, reportCatalogues[locale][key], count), { ...params, count });
