import { LoadError, Loading } from '../components/LoadError.tsx';
import { Section } from '../components/Section.tsx';
import type { RetentionCohort } from './api.ts';
import { CsvLink } from './CsvLink.tsx';
import { formatDay, formatInteger, formatPercent } from './format.ts';
import { useReportI18n } from './i18n.ts';
import { useReport } from './scope.tsx';

/** Cohorts of first-time visitors by week (rows) and the share back in each later week (a heat map). */
export function RetentionPanel() {
  const { rt, tag } = useReportI18n();
  const query = useReport<{ cohorts: RetentionCohort[] }>('retention');
  const cohorts = (query.data?.cohorts ?? []).filter((c) => c.visitors > 0);
  const weeks = Math.max(0, ...cohorts.map((c) => c.retained.length));
  const offsets = Array.from({ length: weeks }, (_, k) => k);
  return (
    <Section
      title={rt('retention.title')}
      testId="retention-panel"
      aside={<CsvLink report="retention" name={rt('retention.title')} />}
    >
      <p className="-mt-1 mb-4 text-sm text-zinc-600">{rt('retention.intro')}</p>
      {query.isError && <LoadError error={query.error} onRetry={() => query.refetch()} />}
      {query.isPending && <Loading />}
      {query.data && cohorts.length === 0 && <p className="text-sm text-zinc-600">{rt('retention.empty')}</p>}
      {cohorts.length > 0 && (
        <div className="-mx-5 overflow-x-auto px-5">
          <table className="w-full border-separate border-spacing-1 text-sm" data-testid="retention-grid">
            <thead>
              <tr className="text-xs text-zinc-600">
                <th className="px-2 py-1 text-start font-medium">{rt('retention.cohort')}</th>
                <th className="px-2 py-1 text-end font-medium">{rt('retention.size')}</th>
                {offsets.map((k) => (
                  <th key={k} className="px-2 py-1 text-center font-medium">
                    {rt('retention.week', { n: formatInteger(tag, k) })}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {cohorts.map((cohort) => {
                const week = formatDay(tag, cohort.week);
                return (
                  <tr key={cohort.week} data-testid="retention-row" data-week={cohort.week}>
                    <th
                      scope="row"
                      className="px-2 py-1 text-start font-medium whitespace-nowrap text-zinc-800"
                    >
                      {week}
                    </th>
                    <td className="px-2 py-1 text-end tabular-nums">{formatInteger(tag, cohort.visitors)}</td>
                    {offsets.map((k) => {
                      const count = cohort.retained[k];
                      if (count === undefined) return <td key={k} />;
                      const rate = cohort.visitors > 0 ? count / cohort.visitors : 0;
                      return (
                        <td
                          key={k}
                          data-testid="retention-cell"
                          data-count={count}
                          title={rt('retention.cell', {
                            week,
                            n: formatInteger(tag, k),
                            count: formatInteger(tag, count),
                            total: formatInteger(tag, cohort.visitors),
                            rate: formatPercent(tag, rate),
                          })}
                          className={`min-w-14 rounded px-2 py-1.5 text-center tabular-nums ${rate > 0.5 ? 'text-white' : 'text-zinc-900'}`}
                          // The shade is the rate: from near-white to the brand teal.
                          style={{ backgroundColor: `rgb(15 118 110 / ${0.06 + rate * 0.9})` }}
                        >
                          {formatPercent(tag, rate)}
                        </td>
                      );
                    })}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
