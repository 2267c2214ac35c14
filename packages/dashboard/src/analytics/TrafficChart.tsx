import { useState } from 'react';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { Section } from '../components/Section.tsx';
import type { Interval, TimeseriesPoint, TimeseriesReport } from './api.ts';
import { CsvLink } from './CsvLink.tsx';
import { LineChart } from './charts/LineChart.tsx';
import { formatBucket, formatCompact, formatDay, formatInteger } from './format.ts';
import { useReportI18n } from './i18n.ts';
import { useReport } from './scope.tsx';

const METRICS = ['visits', 'visitors', 'pageviews'] as const;
type Metric = (typeof METRICS)[number];
const INTERVALS: Interval[] = ['hour', 'day', 'week', 'month'];

/** Visits, visitors or pageviews over the period, the previous period dashed behind. */
export function TrafficChart({
  interval,
  onInterval,
}: {
  interval: Interval | null;
  onInterval: (i: Interval | null) => void;
}) {
  const i18n = useReportI18n();
  const { rt, tag, dir } = i18n;
  const [metric, setMetric] = useState<Metric>('visits');
  const params = interval ? { interval } : {};
  const query = useReport<TimeseriesReport>('timeseries', params);
  const report = query.data;
  const title = rt('chart.title');

  return (
    <Section
      title={title}
      testId="traffic"
      aside={
        <div className="flex flex-wrap items-center gap-2">
          <label className="flex items-center gap-1.5 text-xs text-zinc-600">
            {rt('interval.label')}
            <select
              value={interval ?? report?.interval ?? 'day'}
              onChange={(e) => onInterval(e.target.value as Interval)}
              data-testid="timeseries-interval"
              className="h-8 rounded-md border border-zinc-300 bg-white px-2 text-xs text-zinc-900"
            >
              {INTERVALS.map((i) => (
                <option key={i} value={i}>
                  {rt(`interval.${i}`)}
                </option>
              ))}
            </select>
          </label>
          <CsvLink report="timeseries" params={params} name={title} />
        </div>
      }
    >
      <fieldset className="mb-4 flex flex-wrap gap-1">
        <legend className="sr-only">{rt('chart.metric')}</legend>
        {METRICS.map((m) => (
          <button
            key={m}
            type="button"
            aria-pressed={metric === m}
            data-testid={`timeseries-metric-${m}`}
            onClick={() => setMetric(m)}
            className={`rounded-md px-3 py-1.5 text-sm font-medium ${metric === m ? 'bg-teal-700 text-white' : 'text-zinc-700 hover:bg-zinc-100'}`}
          >
            {rt(`metric.${m}`)}
          </button>
        ))}
      </fieldset>
      {query.isError && <LoadError error={query.error} onRetry={() => query.refetch()} />}
      {query.isPending && <Loading />}
      {report && <Chart report={report} metric={metric} rtl={dir === 'rtl'} tag={tag} />}
    </Section>
  );
}

function Chart({
  report,
  metric,
  rtl,
  tag,
}: {
  report: TimeseriesReport;
  metric: Metric;
  rtl: boolean;
  tag: string;
}) {
  const { rt } = useReportI18n();
  const values = report.points.map((p) => p[metric]);
  const previous = report.previous?.points.map((p) => p[metric]);
  const labelOf = (p: TimeseriesPoint | undefined, long: boolean) =>
    p ? formatBucket(tag, p.bucket, report.interval, long) : '';
  const labels = report.points.map((p) => ({ short: labelOf(p, false), long: labelOf(p, true) }));
  const max = Math.max(0, ...values);
  const maxAt = report.points[values.indexOf(max)];
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const name = rt(`metric.${metric}`);
  const description = [
    rt('chart.desc', {
      metric: name,
      from: formatDay(tag, report.period.from),
      to: formatDay(tag, report.period.to),
      total: formatInteger(tag, sum(values)),
      max: formatInteger(tag, max),
      maxAt: labelOf(maxAt, true),
    }),
    previous ? rt('chart.descCompare', { total: formatInteger(tag, sum(previous)) }) : '',
  ].join(' ');
  return (
    <>
      <LineChart
        labels={labels}
        current={values}
        previous={previous}
        rtl={rtl}
        format={(n) => formatInteger(tag, n)}
        formatAxis={(n) => formatCompact(tag, n)}
        title={`${rt('chart.title')}: ${name}`}
        description={description}
        currentLabel={rt('chart.current')}
        previousLabel={rt('chart.previous')}
        testId="timeseries-chart"
      />
      <div className="mt-2 flex flex-wrap items-center gap-4 text-xs text-zinc-600">
        <span className="flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block h-0.5 w-5 bg-teal-700" />
          {rt('chart.current')}
        </span>
        {previous && (
          <span className="flex items-center gap-1.5">
            <span aria-hidden="true" className="inline-block w-5 border-t-2 border-dashed border-zinc-400" />
            {rt('chart.previous')}
          </span>
        )}
      </div>
      <details className="mt-3 text-sm">
        <summary className="cursor-pointer text-zinc-700">{rt('chart.table')}</summary>
        <div className="mt-2 max-h-72 overflow-auto">
          <table className="w-full text-sm" data-testid="timeseries-table">
            <thead>
              <tr className="text-xs text-zinc-600">
                <th className="px-2 py-1 text-start font-medium">{rt('chart.when')}</th>
                <th className="px-2 py-1 text-end font-medium">{name}</th>
                {previous && <th className="px-2 py-1 text-start font-medium">{rt('chart.previousWhen')}</th>}
                {previous && <th className="px-2 py-1 text-end font-medium">{rt('chart.previous')}</th>}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {report.points.map((p, i) => (
                <tr key={p.bucket}>
                  <td className="px-2 py-1">{labels[i]?.long}</td>
                  <td className="px-2 py-1 text-end tabular-nums">{formatInteger(tag, p[metric])}</td>
                  {previous && <td className="px-2 py-1">{labelOf(report.previous?.points[i], true)}</td>}
                  {previous && (
                    <td className="px-2 py-1 text-end tabular-nums">
                      {formatInteger(tag, previous[i] ?? 0)}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
