import { useMemo } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';
import type { Params } from '../i18n/translate.ts';
import type { MessagingPluralKey, MessagingTextKey } from './messages/catalogue.ts';
import { messagingPlural, messagingText } from './messages/index.ts';

/** The messaging screens' texts in the active language, next to the app's own `t`, `number`, `date`. */
export function useMessagingI18n() {
  const i18n = useI18n();
  const { locale } = i18n;
  return useMemo(
    () => ({
      ...i18n,
      mt: (key: MessagingTextKey, params?: Params) => messagingText(locale, key, params),
      mp: (key: MessagingPluralKey, count: number, params?: Params) =>
        messagingPlural(locale, key, count, params),
    }),
    [i18n, locale],
  );
}

export type MessagingI18n = ReturnType<typeof useMessagingI18n>;
