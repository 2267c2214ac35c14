import { useMemo } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { INTL_TAG } from '../i18n/locales.ts';
import type { Params } from '../i18n/translate.ts';
import type { AudiencePluralKey, AudienceTextKey } from './messages/catalogue.ts';
import { audiencePlural, audienceText } from './messages/index.ts';

/** The audience screens' texts in the active language, next to the app's own `t`, `tp`, `number`, `date`. */
export function useAudienceI18n() {
  const i18n = useI18n();
  const { locale } = i18n;
  return useMemo(
    () => ({
      ...i18n,
      tag: INTL_TAG[locale],
      at: (key: AudienceTextKey, params?: Params) => audienceText(locale, key, params),
      ap: (key: AudiencePluralKey, count: number, params?: Params) =>
        audiencePlural(locale, key, count, params),
    }),
    [i18n, locale],
  );
}

export type AudienceI18n = ReturnType<typeof useAudienceI18n>;
