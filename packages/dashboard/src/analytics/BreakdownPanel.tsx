import { useState } from 'react';
import { LoadError, Loading } from '../components/LoadError.tsx';
import { Section } from '../components/Section.tsx';
import type { Breakdown, BreakdownReport, BreakdownRow } from './api.ts';
import { CsvLink } from './CsvLink.tsx';
import { formatDuration, formatInteger, formatPercent } from './format.ts';
import { type ReportI18n, useReportI18n } from './i18n.ts';
import { dimensionLabel, isCode, valueLabel } from './labels.ts';
import type { ReportTextKey } from './messages/catalogue.ts';
import { useReport, useScope } from './scope.tsx';

const PAGE = 10;
const PAGE_DIMENSIONS: Breakdown[] = ['page', 'entry_page', 'exit_page', 'first_visit_page'];

interface Column {
  label: ReportTextKey;
  value: (i18n: ReportI18n, row: BreakdownRow) => string;
}

const visitors: Column = { label: 'col.visitors', value: (i, r) => formatInteger(i.tag, r.visitors) };
const visits: Column = { label: 'col.visits', value: (i, r) => formatInteger(i.tag, r.visits) };
const pageviews: Column = { label: 'col.pageviews', value: (i, r) => formatInteger(i.tag, r.pageviews) };
const bounce: Column = { label: 'col.bounceRate', value: (i, r) => formatPercent(i.tag, r.bounceRate) };
const engaged: Column = { label: 'col.engaged', value: (i, r) => formatDuration(i.tag, r.avgEngagedMs) };
const events: Column = { label: 'col.events', value: (i, r) => formatInteger(i.tag, r.events) };

/** Narrow screens keep the label readable: two number columns, narrower. */
const columnClass = (i: number) => (i < 2 ? 'w-16 sm:w-24' : 'hidden w-24 sm:table-cell');

const columnsFor = (by: Breakdown): Column[] =>
  by === 'event'
    ? [visitors, events]
    : PAGE_DIMENSIONS.includes(by)
      ? [visitors, pageviews, engaged]
      : [visitors, visits, bounce];

/**
 * The top values of one of a few related dimensions (tabs), with bars; a click on a row filters
 * every report on the page by that value.
 */
export function BreakdownPanel({
  title,
  tabs,
  testId,
}: {
  title: ReportTextKey;
  tabs: Breakdown[];
  testId: string;
}) {
  const i18n = useReportI18n();
  const [by, setBy] = useState<Breakdown>(tabs[0] ?? 'page');
  const [pages, setPages] = useState(1);
  const params = { by, limit: PAGE * pages };
  const query = useReport<BreakdownReport>('breakdown', params);
  const name = `${i18n.rt(title)} · ${dimensionLabel(i18n, by)}`;
  return (
    <Section
      title={i18n.rt(title)}
      testId={testId}
      aside={<CsvLink report="breakdown" params={{ by }} name={name} />}
    >
      {tabs.length > 1 && (
        <fieldset className="-mt-1 mb-3 flex flex-wrap gap-1">
          <legend className="sr-only">{i18n.rt(title)}</legend>
          {tabs.map((tab) => (
            <button
              key={tab}
              type="button"
              aria-pressed={tab === by}
              data-testid={`breakdown-tab-${tab}`}
              onClick={() => {
                setBy(tab);
                setPages(1);
              }}
              className={`rounded-md px-2.5 py-1 text-xs font-medium ${tab === by ? 'bg-zinc-900 text-white' : 'text-zinc-700 hover:bg-zinc-100'}`}
            >
              {dimensionLabel(i18n, tab)}
            </button>
          ))}
        </fieldset>
      )}
      {query.isError && <LoadError error={query.error} onRetry={() => query.refetch()} />}
      {query.isPending && <Loading />}
      {query.data && (
        <Rows by={by} report={query.data} busy={query.isFetching} onMore={() => setPages((p) => p + 1)} />
      )}
    </Section>
  );
}

function Rows({
  by,
  report,
  busy,
  onMore,
}: {
  by: Breakdown;
  report: BreakdownReport;
  busy: boolean;
  onMore: () => void;
}) {
  const i18n = useReportI18n();
  const { addFilter } = useScope();
  const columns = columnsFor(by);
  if (report.rows.length === 0) return <p className="py-4 text-sm text-zinc-600">{i18n.rt('empty')}</p>;
  const top = Math.max(1, ...report.rows.map((r) => r.visitors));
  // A first-visit landing page is not a filter dimension; its rows only inform.
  const filterable = by !== 'first_visit_page';
  return (
    <div data-testid="breakdown" data-dimension={by} aria-busy={busy}>
      <table className="w-full table-fixed text-sm">
        <thead>
          <tr className="text-xs text-zinc-600">
            <th className="w-auto pb-2 text-start font-medium">{dimensionLabel(i18n, by)}</th>
            {columns.map((c, i) => (
              <th key={c.label} className={`${columnClass(i)} pb-2 ps-2 text-end font-medium`}>
                {i18n.rt(c.label)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {report.rows.map((row) => {
            const label = valueLabel(i18n, by, row.value);
            const text = (
              <bdi dir={isCode(by) && row.value !== '' ? 'ltr' : undefined} className="truncate">
                {label}
              </bdi>
            );
            return (
              <tr key={row.value} data-testid="breakdown-row" data-value={row.value}>
                <td className="relative py-1 pe-2">
                  <span
                    aria-hidden="true"
                    className="absolute inset-y-0.5 start-0 rounded bg-teal-50"
                    style={{ width: `${(row.visitors / top) * 100}%` }}
                  />
                  {filterable ? (
                    <button
                      type="button"
                      title={i18n.rt('filter.add', { dimension: dimensionLabel(i18n, by), value: label })}
                      onClick={() =>
                        addFilter({
                          dimension: by as Exclude<Breakdown, 'first_visit_page'>,
                          op: 'is',
                          value: row.value,
                        })
                      }
                      data-testid="breakdown-filter"
                      className="relative flex w-full min-w-0 px-2 py-1 text-start text-zinc-900 hover:underline"
                    >
                      {text}
                    </button>
                  ) : (
                    <span className="relative flex min-w-0 px-2 py-1 text-zinc-900">{text}</span>
                  )}
                </td>
                {columns.map((c, i) => (
                  <td
                    key={c.label}
                    className={`${columnClass(i)} py-1 ps-2 text-end text-zinc-800 tabular-nums`}
                  >
                    {c.value(i18n, row)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="mt-3 flex items-center justify-between gap-2 text-xs text-zinc-600">
        <span data-testid="breakdown-shown">
          {i18n.rt('shown', {
            shown: formatInteger(i18n.tag, report.rows.length),
            total: formatInteger(i18n.tag, report.total),
          })}
        </span>
        {report.rows.length < report.total && (
          <button
            type="button"
            onClick={onMore}
            data-testid="breakdown-more"
            className="rounded-md px-2 py-1 font-medium text-teal-800 hover:bg-teal-50"
          >
            {i18n.rt('more')}
          </button>
        )}
      </div>
    </div>
  );
}
