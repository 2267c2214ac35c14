import { useMemo } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { INTL_TAG } from '../i18n/locales.ts';
import type { Params } from '../i18n/translate.ts';
import type { ReportPluralKey, ReportTextKey } from './messages/catalogue.ts';
import { reportPlural, reportText } from './messages/index.ts';

/** The reports' texts and number formats in the active language (Arabic-Indic digits in Arabic). */
export function useReportI18n() {
  const i18n = useI18n();
  const { locale } = i18n;
  return useMemo(() => {
    const tag = INTL_TAG[locale];
    return {
      ...i18n,
      tag,
      rt: (key: ReportTextKey, params?: Params) => reportText(locale, key, params),
      rp: (key: ReportPluralKey, count: number, params?: Params) => reportPlural(locale, key, count, params),
    };
  }, [i18n, locale]);
}

export type ReportI18n = ReturnType<typeof useReportI18n>;
