import { useQueryClient } from '@tanstack/react-query';
import { updateMe } from '../api/session.ts';
import type { Me } from '../api/types.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import type { Locale } from '../i18n/locales.ts';
import { ME_KEY } from './useMe.ts';

/**
 * Switches the interface language at once; when logged in, also remembers it on the account
 * (PATCH /api/me) so it follows the person to other browsers.
 */
export function useChangeLocale() {
  const queryClient = useQueryClient();
  const { setLocale } = useI18n();
  return (locale: Locale) => {
    setLocale(locale);
    const me = queryClient.getQueryData<Me>(ME_KEY);
    if (!me || me.user.locale === locale) return;
    queryClient.setQueryData<Me>(ME_KEY, { ...me, user: { ...me.user, locale } });
    updateMe({ locale }).catch(() => {
      // The choice still holds in this browser; the account keeps its previous language.
    });
  };
}
