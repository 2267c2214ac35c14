import type { Locale } from '../../i18n/locales.ts';
import { selectPlural } from '../../i18n/plural.ts';
import { interpolate, type Params } from '../../i18n/translate.ts';
import { ar } from './ar.ts';
import type { AudiencePluralKey, AudienceTextKey } from './catalogue.ts';
import { en } from './en.ts';

export const audienceCatalogues = { ar, en } as const;

/** An audience message with `{name}` filled (numbers in the locale's digits). */
export const audienceText = (locale: Locale, key: AudienceTextKey, params?: Params) =>
  interpolate(locale, audienceCatalogues[locale][key], params);

/** The plural form for `count` in the locale's own categories, `{count}` localised. */
export const audiencePlural = (locale: Locale, key: AudiencePluralKey, count: number, params?: Params) =>
  interpolate(locale, selectPlural(locale, audienceCatalogues[locale][key], count), { ...params, count });
