import { useQuery } from '@tanstack/react-query';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { Section } from '../components/Section.tsx';
import { HomeScreen } from '../screens/HomeScreen.tsx';
import { useSession } from '../session/SessionProvider.tsx';
import { AuditsTable } from './AuditsTable.tsx';
import { listAudits } from './api.ts';
import { useSeoI18n } from './i18n.ts';
import { auditsKey, canRunAudits, POLL_MS } from './keys.ts';
import { isActive } from './logic.ts';
import { NewAuditForm } from './NewAuditForm.tsx';
import { ScheduleSection } from './ScheduleSection.tsx';

/** `/seo`: the workspace's audits (running ones polled for progress), a new audit, the weekly schedule. */
export function AuditsScreen() {
  const { workspace } = useSession();
  const i18n = useSeoI18n();
  const { st, sp } = i18n;
  const ws = workspace?.id ?? '';
  const audits = useQuery({
    queryKey: auditsKey(ws),
    queryFn: () => listAudits(ws),
    enabled: workspace !== null,
    refetchInterval: (q) => (q.state.data?.audits.some((a) => isActive(a.status)) ? POLL_MS : false),
  });
  if (!workspace) return <HomeScreen />;
  const write = canRunAudits(workspace.role);
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <PageTitle title={st('title')}>{st('title')}</PageTitle>
        <p className="text-sm text-zinc-600">{st('intro')}</p>
      </div>
      {write ? (
        <Section title={st('new.title')} testId="seo-new">
          <NewAuditForm ws={ws} audits={audits.data?.audits ?? []} i18n={i18n} />
        </Section>
      ) : (
        <p className="text-sm text-zinc-600">{st('readOnly')}</p>
      )}
      <Section
        title={st('list.title')}
        aside={audits.data && <span data-testid="audits-count">{sp('count.audits', audits.data.total)}</span>}
        testId="seo-audits"
      >
        {audits.isPending ? (
          <Loading />
        ) : audits.isError ? (
          <LoadError error={audits.error} onRetry={() => audits.refetch()} />
        ) : (
          <AuditsTable ws={ws} audits={audits.data.audits} write={write} i18n={i18n} />
        )}
      </Section>
      {write && <ScheduleSection ws={ws} i18n={i18n} />}
    </div>
  );
}
