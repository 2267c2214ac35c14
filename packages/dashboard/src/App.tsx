import { QueryClientProvider } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { ReportsScreen } from './analytics/ReportsScreen.tsx';
import { ShareScreen } from './analytics/ShareScreen.tsx';
import { setRequestLocale, setUnauthorizedHandler } from './api/client.ts';
import { AttributesScreen } from './audience/AttributesScreen.tsx';
import { ContactScreen } from './audience/ContactScreen.tsx';
import { ContactsScreen } from './audience/ContactsScreen.tsx';
import { ImportProgressScreen } from './audience/ImportProgressScreen.tsx';
import { ImportScreen } from './audience/ImportScreen.tsx';
import { AppShell } from './components/AppShell.tsx';
import { I18nProvider, useI18n } from './i18n/I18nProvider.tsx';
import { SendersScreen } from './messaging/SendersScreen.tsx';
import { TemplateScreen } from './messaging/TemplateScreen.tsx';
import { TemplatesScreen } from './messaging/TemplatesScreen.tsx';
import { navigate, type Route, Router } from './router.tsx';
import { HomeScreen } from './screens/HomeScreen.tsx';
import { LoginScreen } from './screens/LoginScreen.tsx';
import { LogoutScreen } from './screens/LogoutScreen.tsx';
import { NewWorkspaceScreen } from './screens/NewWorkspaceScreen.tsx';
import { NotFoundScreen } from './screens/NotFoundScreen.tsx';
import { ResetPasswordScreen } from './screens/ResetPasswordScreen.tsx';
import { ResetRequestScreen } from './screens/ResetRequestScreen.tsx';
import { SettingsScreen } from './screens/SettingsScreen.tsx';
import { SetupScreen } from './screens/SetupScreen.tsx';
import { NewSegmentScreen } from './segments/NewSegmentScreen.tsx';
import { SegmentScreen } from './segments/SegmentScreen.tsx';
import { SegmentsScreen } from './segments/SegmentsScreen.tsx';
import { AuditScreen } from './seo/AuditScreen.tsx';
import { AuditsScreen } from './seo/AuditsScreen.tsx';
import { CompareScreen } from './seo/CompareScreen.tsx';
import { PrintScreen } from './seo/PrintScreen.tsx';
import { isPublicPath, loginPath } from './session/publicPaths.ts';
import { queryClient } from './session/queryClient.ts';
import { SessionProvider } from './session/SessionProvider.tsx';

// A 401 outside the public pages means the session ended: go to login, then come back here.
setUnauthorizedHandler(() => {
  const { pathname, search } = window.location;
  if (!isPublicPath(pathname)) navigate(loginPath(pathname + search), { replace: true });
});

/** Pages behind login share the session gate and the shell (side navigation and top bar). */
const inApp = (page: ReactNode) => (
  <SessionProvider>
    <AppShell>{page}</AppShell>
  </SessionProvider>
);

const ROUTES: Route[] = [
  { path: '/setup', render: () => <SetupScreen /> },
  { path: '/login', render: () => <LoginScreen /> },
  { path: '/logout', render: () => <LogoutScreen /> },
  { path: '/forgot-password', render: () => <ResetRequestScreen /> },
  { path: '/reset-password', render: () => <ResetPasswordScreen /> },
  // Public and read-only: a site's reports for whoever holds the link, no session.
  { path: '/share/:token', render: ({ token }) => <ShareScreen token={token ?? ''} /> },
  { path: '/', render: () => inApp(<HomeScreen />) },
  { path: '/workspaces/new', render: () => inApp(<NewWorkspaceScreen />) },
  { path: '/reports', render: () => inApp(<ReportsScreen />) },
  { path: '/contacts', render: () => inApp(<ContactsScreen />) },
  { path: '/contacts/attributes', render: () => inApp(<AttributesScreen />) },
  { path: '/contacts/import', render: () => inApp(<ImportScreen />) },
  { path: '/contacts/imports/:id', render: ({ id }) => inApp(<ImportProgressScreen id={id ?? ''} />) },
  // Before /contacts/:id, which would take 'segments' for a contact id.
  { path: '/contacts/segments', render: () => inApp(<SegmentsScreen />) },
  { path: '/contacts/segments/new', render: () => inApp(<NewSegmentScreen />) },
  { path: '/contacts/segments/:id', render: ({ id }) => inApp(<SegmentScreen id={id ?? ''} />) },
  { path: '/contacts/:id', render: ({ id }) => inApp(<ContactScreen id={id ?? ''} />) },
  { path: '/seo', render: () => inApp(<AuditsScreen />) },
  { path: '/seo/audits/:id', render: ({ id }) => inApp(<AuditScreen id={id ?? ''} />) },
  {
    path: '/seo/audits/:id/compare/:other',
    render: ({ id, other }) => inApp(<CompareScreen id={id ?? ''} other={other ?? ''} />),
  },
  // Paper, not a screen: the session without the shell's navigation.
  {
    path: '/seo/audits/:id/print',
    render: ({ id }) => (
      <SessionProvider>
        <PrintScreen id={id ?? ''} />
      </SessionProvider>
    ),
  },
  { path: '/messaging', render: () => inApp(<TemplatesScreen />) },
  { path: '/messaging/senders', render: () => inApp(<SendersScreen />) },
  // One screen for new and saved templates: the first save moves to the saved address in place.
  {
    path: '/messaging/templates/new/:channel',
    render: ({ channel }) => inApp(<TemplateScreen channel={channel ?? ''} />),
  },
  { path: '/messaging/templates/:id', render: ({ id }) => inApp(<TemplateScreen id={id ?? ''} />) },
  { path: '/settings', render: () => inApp(<SettingsScreen tab="workspace" />) },
  { path: '/settings/:tab', render: ({ tab }) => inApp(<SettingsScreen tab={tab ?? ''} />) },
];

function LocaleToApi() {
  const { locale } = useI18n();
  useEffect(() => setRequestLocale(locale), [locale]);
  return null;
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <LocaleToApi />
        <Router routes={ROUTES} fallback={<NotFoundScreen />} />
      </I18nProvider>
    </QueryClientProvider>
  );
}
