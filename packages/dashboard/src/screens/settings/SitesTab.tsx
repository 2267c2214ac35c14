import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { listSites } from '../../api/sites.ts';
import type { Site } from '../../api/types.ts';
import { StatusMessage } from '../../components/Form.tsx';
import { LoadError, Loading } from '../../components/LoadError.tsx';
import { Section } from '../../components/Section.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { canManageSites } from '../../lib/permissions.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { AddSiteForm } from './AddSiteForm.tsx';
import { DeleteSiteDialog } from './DeleteSiteDialog.tsx';
import { SiteRow } from './SiteRow.tsx';

export const sitesKey = (ws: string) => ['sites', ws] as const;

/** The websites this workspace tracks, each with the snippet to paste; analysts only read. */
export function SitesTab({ ws }: { ws: string }) {
  const { t, tp } = useI18n();
  const manage = canManageSites(useSession().workspace?.role ?? 'analyst');
  const query = useQuery({ queryKey: sitesKey(ws), queryFn: () => listSites(ws) });
  const [notice, setNotice] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Site | null>(null);
  const sites = query.data?.sites ?? [];
  return (
    <div className="space-y-6">
      <StatusMessage message={notice} testId="sites-notice" />
      <Section
        title={t('settings.tab.sites')}
        description={t('sites.intro')}
        aside={query.data && <span data-testid="sites-count">{tp('sites.count', sites.length)}</span>}
        testId="sites"
      >
        {!manage && (
          <p className="mb-4 text-sm text-zinc-600" data-testid="sites-readonly">
            {t('sites.readOnly')}
          </p>
        )}
        {query.isPending && <Loading />}
        {query.isError && <LoadError error={query.error} onRetry={() => query.refetch()} />}
        {query.data && sites.length === 0 && (
          <p className="text-sm text-zinc-600">{manage ? t('sites.empty') : tp('sites.count', 0)}</p>
        )}
        {sites.length > 0 && (
          <ul className="-mx-5 -my-5 divide-y divide-zinc-200">
            {sites.map((site) => (
              <SiteRow
                key={site.id}
                ws={ws}
                site={site}
                manage={manage}
                onNotice={setNotice}
                onDelete={setDeleting}
              />
            ))}
          </ul>
        )}
      </Section>
      {manage && <AddSiteForm ws={ws} />}
      <DeleteSiteDialog ws={ws} site={deleting} onClose={() => setDeleting(null)} onNotice={setNotice} />
    </div>
  );
}
