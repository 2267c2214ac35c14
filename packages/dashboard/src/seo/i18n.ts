import { useMemo } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { INTL_TAG } from '../i18n/locales.ts';
import type { Params } from '../i18n/translate.ts';
import type { SeoPluralKey, SeoTextKey } from './messages/catalogue.ts';
import { seoPlural, seoText } from './messages/index.ts';

/** The SEO screens' texts in the active language, next to the app's own `t`, `number`, `date`. */
export function useSeoI18n() {
  const i18n = useI18n();
  const { locale } = i18n;
  return useMemo(
    () => ({
      ...i18n,
      tag: INTL_TAG[locale],
      st: (key: SeoTextKey, params?: Params) => seoText(locale, key, params),
      sp: (key: SeoPluralKey, count: number, params?: Params) => seoPlural(locale, key, count, params),
    }),
    [i18n, locale],
  );
}

export type SeoI18n = ReturnType<typeof useSeoI18n>;
