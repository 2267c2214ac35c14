import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { FullPageMessage } from '../components/FullPageMessage.tsx';
import { LanguageSwitch } from '../components/LanguageSwitch.tsx';
import { Logo } from '../components/Logo.tsx';
import { errorMessage } from '../lib/apiErrors.ts';
import { domainToUnicode } from '../lib/punycode.ts';
import { navigate, useLocation } from '../router.tsx';
import { getSharedSite } from './api.ts';
import { useReportI18n } from './i18n.ts';
import { ReportBody } from './ReportBody.tsx';
import { type ReportState, readState, writeState } from './state.ts';

/** `/share/:token`: a site's reports for anyone holding the link, without signing in. */
export function ShareScreen({ token }: { token: string }) {
  const i18n = useReportI18n();
  const { rt } = i18n;
  const location = useLocation();
  const shared = useQuery({ queryKey: ['share', token], queryFn: () => getSharedSite(token), retry: false });
  const site = shared.data?.site;
  useEffect(() => {
    if (site) document.title = `${rt('share.title', { site: site.name })} · ${i18n.t('app.name')}`;
  }, [site, rt, i18n]);
  if (shared.isPending) return <FullPageMessage busy>{i18n.t('common.loading')}</FullPageMessage>;
  if (!site) {
    return (
      <FullPageMessage>
        <span data-testid="share-not-found">
          {shared.error ? errorMessage(shared.error, i18n.t) : rt('share.notFound')}
        </span>
      </FullPageMessage>
    );
  }
  const state = readState(location.search);
  const update = (next: Partial<ReportState>) =>
    navigate(`${location.pathname}${writeState({ ...state, ...next, site: null })}`);
  return (
    <div className="min-h-dvh" data-testid="share-page">
      <header className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-200 bg-white px-4 py-3 sm:px-8">
        <Logo />
        <LanguageSwitch />
      </header>
      <main id="main" className="mx-auto w-full max-w-6xl space-y-6 px-4 py-6 sm:px-8 sm:py-8">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight text-zinc-900" data-testid="share-site-name">
            {rt('share.title', { site: site.name })}
          </h1>
          <p className="mt-1 text-sm text-zinc-600">
            <bdi>{domainToUnicode(site.domain)}</bdi> · {rt('share.readOnly')}
          </p>
        </div>
        <ReportBody
          source={{ kind: 'share', token }}
          timeZone={site.timezone}
          state={state}
          onChange={update}
          manage={false}
        />
      </main>
    </div>
  );
}
