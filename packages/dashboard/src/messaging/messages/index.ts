import type { Locale } from '../../i18n/locales.ts';
import { selectPlural } from '../../i18n/plural.ts';
import { interpolate, type Params } from '../../i18n/translate.ts';
import { ar } from './ar.ts';
import type { MessagingPluralKey, MessagingTextKey } from './catalogue.ts';
import { en } from './en.ts';

export const messagingCatalogues = { ar, en } as const;

/** A messaging message with `{name}` filled (numbers in the locale's digits). */
export const messagingText = (locale: Locale, key: MessagingTextKey, params?: Params) =>
  interpolate(locale, messagingCatalogues[locale][key], params);

/** The plural form for `count` in the locale's own categories, `{count}` localised. */
export const messagingPlural = (locale: Locale, key: MessagingPluralKey, count: number, params?: Params) =>
  interpolate(locale, selectPlural(locale, messagingCatalogues[locale][key], count), { ...params, count });
