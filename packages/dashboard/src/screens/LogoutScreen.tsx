import { useEffect } from 'react';
import { hasCsrfToken, setCsrfToken } from '../api/client.ts';
import { getMe, logout } from '../api/session.ts';
import { FullPageMessage } from '../components/FullPageMessage.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { navigate } from '../router.tsx';
import { queryClient } from '../session/queryClient.ts';

/** Ends the session on the server, forgets everything cached, and lands on login. */
export function LogoutScreen() {
  const { t } = useI18n();
  useEffect(() => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      setCsrfToken(null);
      queryClient.clear();
      navigate('/login', { replace: true });
    };
    // Even if the request fails (already logged out, server away) the person leaves.
    endSession().then(finish, finish);
  }, []);
  return <FullPageMessage busy>{t('logout.title')}</FullPageMessage>;
}

/** After a reload the CSRF token is gone from memory; /api/me hands it out again. */
async function endSession() {
  if (!hasCsrfToken()) setCsrfToken((await getMe()).csrfToken);
  await logout();
}
