import { LoadError } from '../components/LoadError.tsx';
import type { Summary, SummaryReport } from './api.ts';
import {
  type Change,
  changeOf,
  formatDecimal,
  formatDuration,
  formatInteger,
  formatPercent,
} from './format.ts';
import { type ReportI18n, useReportI18n } from './i18n.ts';
import type { ReportTextKey } from './messages/catalogue.ts';
import { useReport } from './scope.tsx';

interface Kpi {
  id: string;
  label: ReportTextKey;
  value: (s: Summary) => number;
  format: (tag: string, n: number) => string;
  /** A fall is good news (bounce rate). */
  lowerIsBetter?: boolean;
}

const KPIS: Kpi[] = [
  { id: 'visits', label: 'metric.visits', value: (s) => s.visits, format: formatInteger },
  { id: 'visitors', label: 'metric.visitors', value: (s) => s.visitors, format: formatInteger },
  { id: 'pageviews', label: 'metric.pageviews', value: (s) => s.pageviews, format: formatInteger },
  { id: 'newVisitors', label: 'metric.newVisitors', value: (s) => s.newVisitors, format: formatInteger },
  {
    id: 'viewsPerVisit',
    label: 'metric.viewsPerVisit',
    value: (s) => s.viewsPerVisit,
    format: formatDecimal,
  },
  {
    id: 'bounceRate',
    label: 'metric.bounceRate',
    value: (s) => s.bounceRate,
    format: formatPercent,
    lowerIsBetter: true,
  },
  {
    id: 'avgVisitDuration',
    label: 'metric.avgVisitDuration',
    value: (s) => s.avgVisitDurationMs,
    format: formatDuration,
  },
  { id: 'avgEngaged', label: 'metric.avgEngaged', value: (s) => s.avgEngagedMs, format: formatDuration },
];

/** The period's headline numbers, each with its change against the previous period. */
export function Kpis() {
  const i18n = useReportI18n();
  const query = useReport<SummaryReport>('summary');
  if (query.isError) return <LoadError error={query.error} onRetry={() => query.refetch()} />;
  const report = query.data;
  return (
    <section aria-label={i18n.rt('kpis.label')} data-testid="kpis" aria-busy={query.isFetching}>
      <ul className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {KPIS.map((kpi) => {
          const now = report ? kpi.value(report.summary) : undefined;
          const before = report?.previous ? kpi.value(report.previous.summary) : undefined;
          return (
            <li
              key={kpi.id}
              data-testid="kpi"
              data-metric={kpi.id}
              className="rounded-xl border border-zinc-200 bg-white px-4 py-3.5"
            >
              <p className="text-xs font-medium text-zinc-600">{i18n.rt(kpi.label)}</p>
              <p className="mt-1 text-2xl font-semibold tracking-tight text-zinc-900" data-testid="kpi-value">
                {now === undefined ? '…' : kpi.format(i18n.tag, now)}
              </p>
              {kpi.id === 'newVisitors' && report && (
                <p className="text-xs text-zinc-600">
                  {i18n.rt('metric.returning', {
                    count: formatInteger(i18n.tag, report.summary.returningVisitors),
                  })}
                </p>
              )}
              {now !== undefined && (
                <ChangeBadge
                  i18n={i18n}
                  change={changeOf(now, before)}
                  previous={before === undefined ? '' : kpi.format(i18n.tag, before)}
                  lowerIsBetter={kpi.lowerIsBetter ?? false}
                />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function ChangeBadge(props: { i18n: ReportI18n; change: Change; previous: string; lowerIsBetter: boolean }) {
  const { i18n, change, previous, lowerIsBetter } = props;
  if (change.kind === 'none') return null;
  if (change.kind === 'same' || change.kind === 'new') {
    return (
      <p className="mt-1 text-xs text-zinc-500" data-testid="kpi-change" data-change={change.kind}>
        {i18n.rt(change.kind === 'same' ? 'change.same' : 'change.new')}
      </p>
    );
  }
  const good = (change.kind === 'up') !== lowerIsBetter;
  const value = formatPercent(i18n.tag, change.fraction);
  const sentence = i18n.rt(change.kind === 'up' ? 'change.up' : 'change.down', { value, previous });
  return (
    <p
      className={`mt-1 text-xs font-medium ${good ? 'text-emerald-700' : 'text-red-700'}`}
      data-testid="kpi-change"
      data-change={change.kind}
      title={sentence}
    >
      <span aria-hidden="true">
        {change.kind === 'up' ? '▲' : '▼'} {value}
      </span>
      <span className="sr-only">{sentence}</span>
    </p>
  );
}
