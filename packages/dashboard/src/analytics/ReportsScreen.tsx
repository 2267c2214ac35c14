import { useQuery } from '@tanstack/react-query';
import { listSites } from '../api/sites.ts';
import { buttonClass } from '../components/Button.tsx';
import { fieldClass } from '../components/FieldShell.tsx';
import { ChartIcon, PlusIcon } from '../components/Icons.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { canManageSites } from '../lib/permissions.ts';
import { domainToUnicode } from '../lib/punycode.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { HomeScreen } from '../screens/HomeScreen.tsx';
import { useSession } from '../session/SessionProvider.tsx';
import { useReportI18n } from './i18n.ts';
import { ReportBody } from './ReportBody.tsx';
import { type ReportState, readState, writeState } from './state.ts';

/** `/reports`: one site's reports, the site, period and filters kept in the address. */
export function ReportsScreen() {
  const { rt } = useReportI18n();
  const { workspace } = useSession();
  const location = useLocation();
  const ws = workspace?.id ?? '';
  const sites = useQuery({ queryKey: ['sites', ws], queryFn: () => listSites(ws), enabled: ws !== '' });
  if (!workspace) return <HomeScreen />;
  const state = readState(location.search);
  const list = sites.data?.sites ?? [];
  const site = list.find((s) => s.id === state.site) ?? list[0];
  const update = (next: Partial<ReportState>) =>
    navigate(`/reports${writeState({ ...state, ...next, site: next.site ?? site?.id ?? null })}`);

  return (
    <div className="space-y-6" data-testid="reports">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <PageTitle title={site ? `${rt('title')} · ${site.name}` : rt('title')}>{rt('title')}</PageTitle>
        {list.length > 0 && site && (
          <label className="space-y-1 text-xs font-medium text-zinc-700">
            <span className="block">{rt('site')}</span>
            <select
              value={site.id}
              onChange={(e) => update({ site: e.target.value, filters: [] })}
              data-testid="reports-site"
              className={`${fieldClass} w-64 max-w-full border-zinc-300`}
            >
              {list.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} ({domainToUnicode(s.domain)})
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {sites.isPending && <Loading />}
      {sites.isError && <LoadError error={sites.error} onRetry={() => sites.refetch()} />}
      {sites.data && !site && <NoSites manage={canManageSites(workspace.role)} />}
      {site && (
        // Keyed by site: a new site starts its panels' tabs and pages afresh.
        <ReportBody
          key={site.id}
          source={{ kind: 'site', ws, siteId: site.id }}
          timeZone={site.timezone}
          state={state}
          onChange={update}
          manage={canManageSites(workspace.role)}
        />
      )}
    </div>
  );
}

function NoSites({ manage }: { manage: boolean }) {
  const { rt } = useReportI18n();
  return (
    <section
      data-testid="reports-empty"
      className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 text-center"
    >
      <ChartIcon className="mx-auto size-8 text-teal-700" />
      <h2 className="mt-4 text-lg font-semibold text-zinc-900">{rt('noSites.title')}</h2>
      <p className="mx-auto mt-2 max-w-lg text-sm text-zinc-600">{rt('noSites.body')}</p>
      {manage && (
        <Link to="/settings/sites" className={buttonClass('primary', 'mt-6')}>
          <PlusIcon className="size-4" />
          {rt('noSites.action')}
        </Link>
      )}
    </section>
  );
}
