import { createContext, type ReactNode, useContext, useEffect } from 'react';
import type { Me, WorkspaceMembership } from '../api/types.ts';
import { FullPageMessage } from '../components/FullPageMessage.tsx';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { errorMessage } from '../lib/apiErrors.ts';
import { useMe } from './useMe.ts';
import { chooseWorkspace, resolveWorkspace, useChosenWorkspaceId } from './workspaceSelection.ts';

export interface Session {
  me: Me;
  /** null only when the person belongs to no workspace yet. */
  workspace: WorkspaceMembership | null;
  chooseWorkspace: (id: string) => void;
}

const SessionContext = createContext<Session | null>(null);

/** Gate for the logged-in part: loads /api/me (a 401 there sends the person to login). */
export function SessionProvider({ children }: { children: ReactNode }) {
  const { t, locale, setLocale } = useI18n();
  const me = useMe();
  const chosenId = useChosenWorkspaceId();
  const userLocale = me.data?.user.locale;

  // The account's language wins once per change on the server, not on every render.
  // biome-ignore lint/correctness/useExhaustiveDependencies: react to the account's value only
  useEffect(() => {
    if (userLocale && userLocale !== locale) setLocale(userLocale);
  }, [userLocale]);

  if (me.isPending) return <FullPageMessage busy>{t('common.loading')}</FullPageMessage>;
  if (me.isError) {
    return <FullPageMessage onRetry={() => me.refetch()}>{errorMessage(me.error, t)}</FullPageMessage>;
  }
  const session: Session = {
    me: me.data,
    workspace: resolveWorkspace(me.data.workspaces, chosenId),
    chooseWorkspace,
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession must be used inside <SessionProvider>');
  return session;
}
