import { useMemo } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { INTL_TAG } from '../i18n/locales.ts';
import type { Params } from '../i18n/translate.ts';
import type { SegmentsPluralKey, SegmentsTextKey } from './messages/catalogue.ts';
import { segmentsCatalogues, segmentsPlural, segmentsText } from './messages/index.ts';

/** The segment screens' texts in the active language, next to the app's own helpers. */
export function useSegmentsI18n() {
  const i18n = useI18n();
  const { locale } = i18n;
  return useMemo(
    () => ({
      ...i18n,
      tag: INTL_TAG[locale],
      st: (key: SegmentsTextKey, params?: Params) => segmentsText(locale, key, params),
      sp: (key: SegmentsPluralKey, count: number, params?: Params) =>
        segmentsPlural(locale, key, count, params),
      /** A key built from data (an operator, a field): the raw value when the catalogue lacks it. */
      label: (key: string, fallback: string, params?: Params) =>
        key in segmentsCatalogues[locale] ? segmentsText(locale, key as SegmentsTextKey, params) : fallback,
    }),
    [i18n, locale],
  );
}

export type SegmentsI18n = ReturnType<typeof useSegmentsI18n>;
