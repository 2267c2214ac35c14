import { buttonClass } from '../components/Button.tsx';
import { ArrowEndIcon, ChartIcon, PlusIcon } from '../components/Icons.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import type { TextKey } from '../i18n/catalogue.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { canManageSites, canManageWorkspace } from '../lib/permissions.ts';
import { Link } from '../router.tsx';
import { useSession } from '../session/SessionProvider.tsx';

const COMING: TextKey[] = ['home.item.traffic', 'home.item.campaigns', 'home.item.conversions'];

/** Empty until reports exist: says what will appear here and offers the useful next steps. */
export function HomeScreen() {
  const { t } = useI18n();
  const { me, workspace } = useSession();
  if (!workspace) return <NoWorkspace />;
  const firstName = me.user.name.split(' ')[0] || me.user.name;
  return (
    <div className="space-y-8">
      <div>
        <p className="text-sm text-zinc-600">{t('home.title')}</p>
        <PageTitle title={t('home.title')}>{t('home.welcome', { name: firstName })}</PageTitle>
      </div>
      <section
        aria-labelledby="home-empty-title"
        data-testid="home-empty"
        className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-10 sm:px-10"
      >
        <div className="grid size-12 place-items-center rounded-full bg-teal-50 text-teal-800">
          <ChartIcon className="size-6" />
        </div>
        <h2 id="home-empty-title" className="mt-5 text-lg font-semibold text-zinc-900">
          {t('home.emptyTitle')}
        </h2>
        <p className="mt-2 text-zinc-700">{t('home.emptyBody', { workspace: workspace.name })}</p>
        <ul className="mt-4 space-y-2">
          {COMING.map((key) => (
            <li key={key} className="flex items-start gap-2.5 text-sm text-zinc-700">
              <span aria-hidden="true" className="mt-2 size-1.5 shrink-0 rounded-full bg-teal-600" />
              {t(key)}
            </li>
          ))}
        </ul>
        <FirstStep manageSites={canManageSites(workspace.role)} />
        {canManageWorkspace(workspace.role) && (
          <div className="mt-8 border-t border-zinc-200 pt-6">
            <p className="text-sm font-medium text-zinc-800">{t('home.meanwhile')}</p>
            <div className="mt-3 flex flex-wrap gap-3">
              <Link to="/settings/members" className={buttonClass('secondary')}>
                {t('home.inviteTeam')}
                <ArrowEndIcon className="size-4 rtl:-scale-x-100" />
              </Link>
              <Link to="/settings/api-keys" className={buttonClass('secondary')}>
                {t('home.createKey')}
                <ArrowEndIcon className="size-4 rtl:-scale-x-100" />
              </Link>
            </div>
          </div>
        )}
      </section>
    </div>
  );
}

/** Nothing is measured until a site carries the tracking snippet: that is the first thing to do. */
function FirstStep({ manageSites }: { manageSites: boolean }) {
  const { t } = useI18n();
  return (
    <div className="mt-8 rounded-lg border border-teal-200 bg-teal-50/60 p-5" data-testid="home-first-step">
      <h3 className="text-base font-semibold text-zinc-900">{t('home.firstStepTitle')}</h3>
      <p className="mt-1.5 text-sm text-zinc-700">
        {manageSites ? t('home.firstStepBody') : t('home.firstStepReadOnly')}
      </p>
      <Link
        to="/settings/sites"
        className={buttonClass(manageSites ? 'primary' : 'secondary', 'mt-4')}
        data-testid="home-add-site"
      >
        {manageSites ? t('home.addSite') : t('home.viewSites')}
        <ArrowEndIcon className="size-4 rtl:-scale-x-100" />
      </Link>
    </div>
  );
}

function NoWorkspace() {
  const { t } = useI18n();
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <PageTitle title={t('home.noWorkspaceTitle')}>{t('home.noWorkspaceTitle')}</PageTitle>
      <p className="mt-3 text-zinc-600">{t('home.noWorkspaceBody')}</p>
      <Link to="/workspaces/new" className={buttonClass('primary', 'mt-6')}>
        <PlusIcon className="size-4" />
        {t('workspace.create')}
      </Link>
    </div>
  );
}
