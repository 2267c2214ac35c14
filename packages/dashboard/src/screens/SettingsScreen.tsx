import type { ReactNode } from 'react';
import { PageTitle } from '../components/PageTitle.tsx';
import type { TextKey } from '../i18n/catalogue.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { canManageWorkspace } from '../lib/permissions.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session/SessionProvider.tsx';
import { HomeScreen } from './HomeScreen.tsx';
import { NotFoundScreen } from './NotFoundScreen.tsx';
import { ApiKeysTab } from './settings/ApiKeysTab.tsx';
import { AuditLogTab } from './settings/AuditLogTab.tsx';
import { MembersTab } from './settings/MembersTab.tsx';
import { SitesTab } from './settings/SitesTab.tsx';
import { WorkspaceTab } from './settings/WorkspaceTab.tsx';

interface Tab {
  slug: string;
  label: TextKey;
  /** Owners and admins only (members, keys, audit). */
  restricted: boolean;
  render: (ws: string) => ReactNode;
}

const TABS: Tab[] = [
  {
    slug: 'workspace',
    label: 'settings.tab.workspace',
    restricted: false,
    render: (ws) => <WorkspaceTab ws={ws} />,
  },
  {
    // Every role reads sites (analysts too); owners, admins and marketers change them.
    slug: 'sites',
    label: 'settings.tab.sites',
    restricted: false,
    render: (ws) => <SitesTab ws={ws} />,
  },
  {
    slug: 'members',
    label: 'settings.tab.members',
    restricted: true,
    render: (ws) => <MembersTab ws={ws} />,
  },
  {
    slug: 'api-keys',
    label: 'settings.tab.apiKeys',
    restricted: true,
    render: (ws) => <ApiKeysTab ws={ws} />,
  },
  {
    slug: 'audit-log',
    label: 'settings.tab.auditLog',
    restricted: true,
    render: (ws) => <AuditLogTab ws={ws} />,
  },
];

/** `/settings/:tab`: each tab is its own address, so a tab can be linked and reloaded. */
export function SettingsScreen({ tab }: { tab: string }) {
  const { t } = useI18n();
  const { workspace } = useSession();
  const current = TABS.find((candidate) => candidate.slug === tab);
  if (!current) return <NotFoundScreen />;
  if (!workspace) return <HomeScreen />;
  const allowed = canManageWorkspace(workspace.role);
  const visible = TABS.filter((candidate) => allowed || !candidate.restricted);
  return (
    <div className="space-y-6">
      <PageTitle title={`${t(current.label)} · ${t('settings.title')}`}>{t('settings.title')}</PageTitle>
      <nav
        aria-label={t('settings.sections')}
        className="relative -mx-4 overflow-x-auto px-4 sm:mx-0 sm:px-0"
      >
        <ul className="flex min-w-max gap-1 border-b border-zinc-200">
          {visible.map((candidate) => {
            const active = candidate === current;
            return (
              <li key={candidate.slug}>
                <Link
                  to={`/settings/${candidate.slug}`}
                  aria-current={active ? 'page' : undefined}
                  data-testid={`settings-tab-${candidate.slug}`}
                  className={`-mb-px inline-block border-b-2 px-3 py-2.5 text-sm font-medium ${active ? 'border-teal-700 text-zinc-900' : 'border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900'}`}
                >
                  {t(candidate.label)}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      {current.restricted && !allowed ? (
        <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 p-4 text-sm text-amber-900">
          {t('settings.forbidden')}
        </p>
      ) : (
        // Keyed by workspace: switching workspaces starts every form and list afresh.
        <div key={workspace.id}>{current.render(workspace.id)}</div>
      )}
    </div>
  );
}
