import { LoadError, Loading } from '../components/LoadError.tsx';
import { Section } from '../components/Section.tsx';
import type { Realtime } from './api.ts';
import { CsvLink } from './CsvLink.tsx';
import { BarChart } from './charts/BarChart.tsx';
import { formatInteger } from './format.ts';
import { useReportI18n } from './i18n.ts';
import { isCode, valueLabel } from './labels.ts';
import { useReport } from './scope.tsx';

const REFRESH_MS = 10_000;

/** The last 30 minutes, refreshed every 10 seconds while the page is open. */
export function RealtimePanel() {
  const i18n = useReportI18n();
  const { rt, rp, tag, dir } = i18n;
  const query = useReport<{ at: string; realtime: Realtime }>(
    'realtime',
    {},
    { refetchInterval: REFRESH_MS },
  );
  const data = query.data?.realtime;
  const perMinute = data?.pageviewsPerMinute ?? [];
  const total = perMinute.reduce((a, b) => a + b, 0);
  return (
    <Section
      title={rt('realtime.title')}
      testId="realtime-panel"
      aside={<CsvLink report="realtime" name={rt('realtime.title')} />}
    >
      <p className="-mt-1 mb-4 text-sm text-zinc-600">{rt('realtime.intro')}</p>
      {query.isError && <LoadError error={query.error} onRetry={() => query.refetch()} />}
      {query.isPending && <Loading />}
      {data && query.data && (
        <div className="space-y-4">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p
              className="flex items-center gap-2 text-lg font-semibold text-zinc-900"
              data-testid="realtime-visitors"
            >
              <span aria-hidden="true" className="size-2.5 animate-pulse rounded-full bg-emerald-500" />
              <span role="status">{rp('realtime.now', data.visitorsNow)}</span>
            </p>
            <p className="text-xs text-zinc-500" data-testid="realtime-updated">
              {rt('realtime.updated', { time: i18n.date(query.data.at, 'dateTime') })}
            </p>
          </div>
          <BarChart
            values={perMinute}
            labelOf={(i) => rt('realtime.minute', { n: formatInteger(tag, perMinute.length - 1 - i) })}
            startLabel={rt('realtime.oldest')}
            endLabel={rt('realtime.newest')}
            rtl={dir === 'rtl'}
            format={(n) => formatInteger(tag, n)}
            title={rt('realtime.chart')}
            description={rt('realtime.chartDesc', {
              total: formatInteger(tag, total),
              max: formatInteger(tag, Math.max(0, ...perMinute)),
            })}
            testId="realtime-chart"
          />
          <div className="grid gap-6 sm:grid-cols-2">
            <TopList title={rt('realtime.pages')} rows={data.topPages} by="page" testId="realtime-pages" />
            <TopList
              title={rt('realtime.sources')}
              rows={data.topSources}
              by="source"
              testId="realtime-sources"
            />
          </div>
        </div>
      )}
    </Section>
  );
}

function TopList(props: {
  title: string;
  rows: { value: string; visitors: number }[];
  by: 'page' | 'source';
  testId: string;
}) {
  const i18n = useReportI18n();
  return (
    <div>
      <h3 className="mb-2 text-sm font-medium text-zinc-800">{props.title}</h3>
      {props.rows.length === 0 ? (
        <p className="text-sm text-zinc-500">{i18n.rt('empty')}</p>
      ) : (
        <ul className="space-y-1 text-sm" data-testid={props.testId}>
          {props.rows.map((row) => (
            <li key={row.value} className="flex justify-between gap-3">
              <bdi dir={isCode(props.by) && row.value ? 'ltr' : undefined} className="truncate">
                {valueLabel(i18n, props.by, row.value)}
              </bdi>
              <span className="tabular-nums text-zinc-700">{formatInteger(i18n.tag, row.visitors)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
