import { useQuery } from '@tanstack/react-query';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { PageTitle } from '../components/PageTitle.tsx';
import { Section, tableClass, tdClass, thClass } from '../components/Section.tsx';
import { Link } from '../router.tsx';
import { HomeScreen } from '../screens/HomeScreen.tsx';
import { useSession } from '../session/SessionProvider.tsx';
import { BackLink } from './AuditScreen.tsx';
import { type ComparedSide, compareAudits, type FindingChange, SEVERITIES } from './api.ts';
import { type SeoI18n, useSeoI18n } from './i18n.ts';
import { comparisonKey } from './keys.ts';
import { ScoreChange, SeverityBadge, Url } from './parts.tsx';

/** `/seo/audits/:id/compare/:other`: two audits side by side and the findings only one has. */
export function CompareScreen({ id, other }: { id: string; other: string }) {
  const { workspace } = useSession();
  const i18n = useSeoI18n();
  const { st } = i18n;
  const ws = workspace?.id ?? '';
  const comparison = useQuery({
    queryKey: comparisonKey(ws, id, other),
    queryFn: () => compareAudits(ws, id, other),
    enabled: workspace !== null,
  });
  if (!workspace) return <HomeScreen />;
  const body = () => {
    if (comparison.isPending) return <Loading />;
    if (comparison.isError)
      return <LoadError error={comparison.error} onRetry={() => comparison.refetch()} />;
    const c = comparison.data;
    return (
      <>
        <div className="grid gap-4 md:grid-cols-2" data-testid="compare-sides">
          <SideCard side={c.audit} label={st('compare.this')} i18n={i18n} testId="compare-this" />
          <SideCard side={c.other} label={st('compare.other')} i18n={i18n} testId="compare-other" />
        </div>
        <ScoreChange score={c.audit.score} previous={c.other.score} i18n={i18n} />
        <p className="text-sm text-zinc-700" data-testid="compare-in-both">
          {st('compare.inBoth', { count: c.inBoth })}
        </p>
        <ChangeSection
          title={st('compare.new')}
          empty={st('compare.noneNew')}
          list={c.onlyInAudit}
          i18n={i18n}
          testId="compare-new"
        />
        <ChangeSection
          title={st('compare.fixed')}
          empty={st('compare.noneFixed')}
          list={c.onlyInOther}
          i18n={i18n}
          testId="compare-fixed"
        />
      </>
    );
  };
  return (
    <div className="space-y-6">
      <BackLink i18n={i18n} />
      <PageTitle title={st('compare.title')}>{st('compare.title')}</PageTitle>
      {body()}
    </div>
  );
}

function SideCard({
  side,
  label,
  i18n,
  testId,
}: {
  side: ComparedSide;
  label: string;
  i18n: SeoI18n;
  testId: string;
}) {
  const { st, number } = i18n;
  return (
    <section
      className="space-y-3 rounded-xl border border-zinc-200 bg-white p-5"
      data-testid={testId}
      aria-label={label}
    >
      <p className="text-xs font-medium text-zinc-600">{label}</p>
      <Link to={`/seo/audits/${side.id}`} className="block text-sm text-teal-800 hover:underline">
        <Url>{side.startUrl}</Url>
      </Link>
      <p
        className="text-4xl font-bold tabular-nums text-zinc-900"
        data-testid="side-score"
        data-score={side.score ?? ''}
      >
        {side.score === null ? st('none') : number(side.score)}
      </p>
      <dl className="grid grid-cols-3 gap-2 text-sm">
        {SEVERITIES.map((s) => (
          <div key={s}>
            <dt className="text-zinc-600">{st(`severity.${s}`)}</dt>
            <dd className="font-semibold tabular-nums" data-testid={`side-${s}`}>
              {number(side.findings[s])}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function ChangeSection({
  title,
  empty,
  list,
  i18n,
  testId,
}: {
  title: string;
  empty: string;
  list: { total: number; items: FindingChange[] };
  i18n: SeoI18n;
  testId: string;
}) {
  const { st, sp, locale } = i18n;
  return (
    <Section title={title} aside={sp('count.findings', list.total)} testId={testId}>
      {list.total === 0 ? (
        <p className="text-sm text-zinc-600">{empty}</p>
      ) : (
        <div className="space-y-2">
          {list.items.length < list.total && (
            <p className="text-xs text-zinc-600">
              {st('compare.shown', { shown: list.items.length, total: list.total })}
            </p>
          )}
          <div className="overflow-x-auto">
            <table className={tableClass}>
              <thead className="border-b border-zinc-200">
                <tr>
                  <th className={thClass}>{st('findings.filterSeverity')}</th>
                  <th className={thClass}>{st('findings.check')}</th>
                  <th className={thClass}>{st('pages.url')}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {list.items.map((item) => (
                  <tr key={`${item.check}|${item.url}|${item.target ?? ''}`} data-testid="change-row">
                    <td className={tdClass}>
                      <SeverityBadge severity={item.severity} i18n={i18n} />
                    </td>
                    <td className={`${tdClass} whitespace-normal`}>{item.message[locale]}</td>
                    <td className={`${tdClass} max-w-72 whitespace-normal`}>
                      <Url href={item.url}>{item.url}</Url>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </Section>
  );
}
