import { Button } from '../components/Button.tsx';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { Logo } from '../components/Logo.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { Link } from '../router.tsx';
import { useSession } from '../session/SessionProvider.tsx';
import type { SeoAudit } from './api.ts';
import { type SeoI18n, useSeoI18n } from './i18n.ts';
import { groupByCheck, severityCounts } from './logic.ts';
import { ScoreGauge, SeverityBadge, SeverityBars, Url } from './parts.tsx';
import { useAudit, useFindings } from './queries.ts';

/** Checks in the report; the CSV has them all. */
const TOP = 10;
/** URLs under each check in print; a page of URLs helps nobody on paper. */
const URLS_PER_CHECK = 3;

// The A4 page box; print: variants hide the screen-only controls.
const PAGE_CSS = '@page { size: A4; margin: 16mm 14mm; }';

/** `/seo/audits/:id/print`: the audit on A4 in the interface's language and direction, no app chrome. */
export function PrintScreen({ id }: { id: string }) {
  const { workspace } = useSession();
  const i18n = useSeoI18n();
  const ws = workspace?.id ?? '';
  const audit = useAudit(ws, id);
  const findings = useFindings(ws, id, audit.data !== undefined && audit.data.status === 'done');
  const body = () => {
    if (audit.isPending || (audit.data?.status === 'done' && findings.isPending)) return <Loading />;
    if (audit.isError) return <LoadError error={audit.error} onRetry={() => audit.refetch()} />;
    if (findings.isError) return <LoadError error={findings.error} onRetry={() => findings.refetch()} />;
    return <Report audit={audit.data} findings={findings.data?.findings ?? []} i18n={i18n} />;
  };
  return (
    <main
      className="mx-auto max-w-[210mm] bg-white p-8 text-zinc-900 print:max-w-none print:p-0"
      data-testid="seo-print"
    >
      <style>{PAGE_CSS}</style>
      <div className="mb-6 flex items-center justify-between gap-3 print:hidden">
        <Link to={`/seo/audits/${id}`} className="text-sm text-teal-800 hover:underline">
          {i18n.st('print.backToAudit')}
        </Link>
        <Button variant="primary" onClick={() => window.print()} testId="seo-print-button">
          {i18n.st('print.button')}
        </Button>
      </div>
      {body()}
    </main>
  );
}

function Report({
  audit,
  findings,
  i18n,
}: {
  audit: SeoAudit;
  findings: Parameters<typeof groupByCheck>[0];
  i18n: SeoI18n;
}) {
  const { st, sp, number, locale } = i18n;
  const groups = groupByCheck(findings);
  const counts = audit.summary?.findings ?? severityCounts(findings);
  return (
    <article className="space-y-6">
      <header className="flex items-start justify-between gap-4 border-b border-zinc-300 pb-4">
        <div className="space-y-1">
          <PageTitle title={st('print.title')}>{st('print.title')}</PageTitle>
          <p className="text-sm">
            <Url>{audit.startUrl}</Url>
          </p>
          <p className="text-sm text-zinc-600">
            {st('print.date', { date: i18n.date(audit.finishedAt ?? audit.createdAt) })}
          </p>
        </div>
        <Logo />
      </header>
      <div className="grid grid-cols-[auto_1fr] items-center gap-6 break-inside-avoid">
        {audit.score !== null && <ScoreGauge score={audit.score} i18n={i18n} size={160} />}
        <div className="space-y-2">
          <SeverityBars counts={counts} i18n={i18n} />
          {audit.summary && <p className="text-sm text-zinc-700">{sp('count.pages', audit.summary.pages)}</p>}
        </div>
      </div>
      <section className="space-y-3">
        <h2 className="text-lg font-semibold">{st('print.top')}</h2>
        <ol className="space-y-3">
          {groups.slice(0, TOP).map((g, i) => (
            <li
              key={g.check}
              className="break-inside-avoid rounded-lg border border-zinc-200 p-3"
              data-testid="print-finding"
            >
              <div className="flex flex-wrap items-center gap-2">
                <span className="tabular-nums text-zinc-500">{number(i + 1)}.</span>
                <SeverityBadge severity={g.severity} i18n={i18n} />
                <span className="font-medium">{g.message[locale]}</span>
                <span className="text-xs text-zinc-500">({sp('count.urls', g.urls.length)})</span>
              </div>
              <p className="mt-1 text-sm text-zinc-700">
                <span className="font-medium">{st('findings.howToFix')}: </span>
                {g.howToFix[locale]}
              </p>
              {g.urls.length > 0 && (
                <ul className="mt-1 space-y-0.5 text-xs text-zinc-600">
                  {g.urls.slice(0, URLS_PER_CHECK).map((u) => (
                    <li key={u}>
                      <Url>{u}</Url>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
        {groups.length > TOP && (
          <p className="text-sm text-zinc-600">{sp('print.more', groups.length - TOP)}</p>
        )}
      </section>
    </article>
  );
}
