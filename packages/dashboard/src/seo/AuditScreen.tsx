import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '../api/client.ts';
import { buttonClass } from '../components/Button.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { Section } from '../components/Section.tsx';
import { SelectField } from '../components/SelectField.tsx';
import { Link } from '../router.tsx';
import { HomeScreen } from '../screens/HomeScreen.tsx';
import { useSession } from '../session/SessionProvider.tsx';
import { findingsCsvUrl, getAudit, type SeoAudit } from './api.ts';
import { FindingsPanel } from './FindingsPanel.tsx';
import { type SeoI18n, useSeoI18n } from './i18n.ts';
import { auditKey } from './keys.ts';
import { comparable, groupByCheck, isActive, isolate, severityCounts } from './logic.ts';
import { PagesPanel } from './PagesPanel.tsx';
import { PerformancePanel } from './PerformancePanel.tsx';
import { AuditProgress, ScoreChange, ScoreGauge, SeverityBars, Stat, StatusPill } from './parts.tsx';
import { useAudit, useAuditList, useFindings } from './queries.ts';
import { Tabs } from './Tabs.tsx';

type Tab = 'findings' | 'pages' | 'performance';

/** `/seo/audits/:id`: progress while it runs; then score, findings, pages and timings. */
export function AuditScreen({ id }: { id: string }) {
  const { workspace } = useSession();
  const i18n = useSeoI18n();
  if (!workspace) return <HomeScreen />;
  return <AuditView ws={workspace.id} id={id} i18n={i18n} />;
}

export function BackLink({ i18n }: { i18n: SeoI18n }) {
  return (
    <Link to="/seo" className="text-sm text-teal-800 hover:underline print:hidden" data-testid="seo-back">
      <span aria-hidden="true" className="inline-block rtl:-scale-x-100">
        ←
      </span>{' '}
      {i18n.st('back')}
    </Link>
  );
}

function AuditView({ ws, id, i18n }: { ws: string; id: string; i18n: SeoI18n }) {
  const { st } = i18n;
  const audit = useAudit(ws, id);
  if (audit.isPending) return <Loading />;
  if (audit.isError) {
    if (audit.error instanceof ApiError && audit.error.status === 404) {
      return (
        <div className="space-y-4">
          <BackLink i18n={i18n} />
          <p role="alert" className="text-sm text-zinc-700">
            {st('audit.notFound')}
          </p>
        </div>
      );
    }
    return <LoadError error={audit.error} onRetry={() => audit.refetch()} />;
  }
  const a = audit.data;
  return (
    <div className="space-y-6">
      <BackLink i18n={i18n} />
      <div className="flex flex-wrap items-center gap-3">
        <PageTitle title={st('audit.title', { url: isolate(a.startUrl) })}>
          {st('audit.title', { url: '' })}
          <bdi dir="ltr" className="break-all">
            {a.startUrl}
          </bdi>
        </PageTitle>
        <StatusPill status={a.status} i18n={i18n} />
      </div>
      <p className="text-sm text-zinc-600">{i18n.date(a.createdAt)}</p>
      {isActive(a.status) && (
        <Section title={st('audit.running')} testId="seo-running">
          <AuditProgress audit={a} i18n={i18n} />
        </Section>
      )}
      {a.status === 'failed' && a.error && (
        <p role="alert" className="text-sm text-red-700">
          <bdi>{st('audit.failed', { error: a.error })}</bdi>
        </p>
      )}
      {!isActive(a.status) && <Finished ws={ws} audit={a} i18n={i18n} />}
    </div>
  );
}

function Finished({ ws, audit, i18n }: { ws: string; audit: SeoAudit; i18n: SeoI18n }) {
  const { st, sp, number, dir } = i18n;
  const [tab, setTab] = useState<Tab>('findings');
  const findings = useFindings(ws, audit.id, true);
  const previous = useQuery({
    queryKey: auditKey(ws, audit.compareTo ?? ''),
    queryFn: () => getAudit(ws, audit.compareTo ?? '').then((r) => r.audit),
    enabled: audit.compareTo !== null,
  });
  const summary = audit.summary;
  const counts = summary?.findings ?? severityCounts(findings.data?.findings ?? []);
  return (
    <>
      <div className="grid gap-4 lg:grid-cols-[auto_1fr]">
        <section
          aria-label={st('audit.score')}
          className="flex flex-col items-center gap-2 rounded-xl border border-zinc-200 bg-white p-5"
        >
          {audit.score !== null ? (
            <ScoreGauge score={audit.score} i18n={i18n} />
          ) : (
            <p className="text-4xl font-bold text-zinc-400">{st('none')}</p>
          )}
          <ScoreChange score={audit.score} previous={previous.data?.score ?? null} i18n={i18n} />
        </section>
        <div className="space-y-4 rounded-xl border border-zinc-200 bg-white p-5">
          <SeverityBars counts={counts} i18n={i18n} />
          {summary && (
            <div className="grid grid-cols-2 gap-3 sm:grid-cols-3">
              <Stat label={st('col.pages')} testId="stat-pages">
                {number(summary.pages)}
              </Stat>
              <Stat label={st('audit.criticalUrls')}>{sp('count.urls', summary.urls.critical)}</Stat>
              <Stat label={`${st('timings.ttfb')} (P75)`}>
                {summary.timings?.ttfbMs
                  ? st('ms', { value: Math.round(summary.timings.ttfbMs.p75) })
                  : st('none')}
              </Stat>
            </div>
          )}
          {summary?.crawl === 'page_limit' && (
            <p className="text-sm text-amber-900">{st('audit.pageLimit')}</p>
          )}
        </div>
      </div>
      <Actions ws={ws} audit={audit} i18n={i18n} />
      <Tabs<Tab>
        label={st('audit.tabs')}
        tabs={[
          { id: 'findings', label: st('tab.findings') },
          { id: 'pages', label: st('tab.pages') },
          { id: 'performance', label: st('tab.performance') },
        ]}
        current={tab}
        onChange={setTab}
        rtl={dir === 'rtl'}
      >
        {tab === 'findings' &&
          (findings.isPending ? (
            <Loading />
          ) : findings.isError ? (
            <LoadError error={findings.error} onRetry={() => findings.refetch()} />
          ) : (
            <FindingsPanel groups={groupByCheck(findings.data.findings)} i18n={i18n} />
          ))}
        {tab === 'pages' && <PagesPanel ws={ws} id={audit.id} i18n={i18n} />}
        {tab === 'performance' &&
          (summary ? <PerformancePanel summary={summary} i18n={i18n} /> : <p>{st('timings.none')}</p>)}
      </Tabs>
    </>
  );
}

/** CSV export, the printable report, and a comparison with another finished audit. */
function Actions({ ws, audit, i18n }: { ws: string; audit: SeoAudit; i18n: SeoI18n }) {
  const { st } = i18n;
  const audits = useAuditList(ws);
  const others = comparable(audits.data?.audits ?? [], audit.id);
  const [other, setOther] = useState('');
  const chosen = other || audit.compareTo || others[0]?.id || '';
  return (
    <div className="flex flex-wrap items-end gap-3">
      <a
        href={findingsCsvUrl(ws, audit.id)}
        download
        aria-label={st('audit.csvLabel')}
        className={buttonClass('secondary')}
        data-testid="seo-csv"
      >
        {st('audit.csv')}
      </a>
      <Link
        to={`/seo/audits/${audit.id}/print`}
        className={buttonClass('secondary')}
        data-testid="seo-print-link"
      >
        {st('audit.print')}
      </Link>
      {others.length > 0 && (
        <div className="flex flex-wrap items-end gap-2">
          <div className="w-80">
            <SelectField
              label={st('audit.compareWith')}
              value={chosen}
              options={others.map((o) => ({
                value: o.id,
                label: `${isolate(o.startUrl)} · ${i18n.date(o.createdAt, 'date')}`,
              }))}
              onChange={setOther}
              testId="seo-compare-select"
            />
          </div>
          <Link
            to={`/seo/audits/${audit.id}/compare/${chosen}`}
            className={buttonClass('secondary')}
            data-testid="seo-compare-link"
          >
            {st('audit.compareGo')}
          </Link>
        </div>
      )}
    </div>
  );
}
