import type { Locale } from '../../i18n/locales.ts';
import { selectPlural } from '../../i18n/plural.ts';
import { interpolate, type Params } from '../../i18n/translate.ts';
import { ar } from './ar.ts';
import type { SegmentsPluralKey, SegmentsTextKey } from './catalogue.ts';
import { en } from './en.ts';

export const segmentsCatalogues = { ar, en } as const;

export const segmentsText = (locale: Locale, key: SegmentsTextKey, params?: Params) =>
  interpolate(locale, segmentsCatalogues[locale][key], params);

export const segmentsPlural = (locale: Locale, key: SegmentsPluralKey, count: number, params?: Params) =>
  interpolate(locale, selectPlural(locale, segmentsCatalogues[locale][key], count), { ...params, count });
