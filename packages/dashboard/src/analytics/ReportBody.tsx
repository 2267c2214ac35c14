import type { ReportSource } from './api.ts';
import { BreakdownPanel } from './BreakdownPanel.tsx';
import { CsvLink } from './CsvLink.tsx';
import { CtasPanel } from './CtasPanel.tsx';
import { FilterBar } from './FilterBar.tsx';
import { FunnelsPanel } from './FunnelsPanel.tsx';
import { GoalsPanel } from './GoalsPanel.tsx';
import { useReportI18n } from './i18n.ts';
import { Kpis } from './Kpis.tsx';
import { PeriodPicker } from './PeriodPicker.tsx';
import { RealtimePanel } from './RealtimePanel.tsx';
import { RetentionPanel } from './RetentionPanel.tsx';
import { type ReportScope, ReportScopeProvider } from './scope.tsx';
import { presetPeriod, type ReportState, todayIn, withFilter } from './state.ts';
import { TrafficChart } from './TrafficChart.tsx';

interface ReportBodyProps {
  source: ReportSource;
  /** The site's: presets count days there, and the API reads them there. */
  timeZone: string;
  state: ReportState;
  onChange: (next: Partial<ReportState>) => void;
  manage: boolean;
}

/**
 * Every report of one site for the chosen period and filters: the page behind login and the
 * public share page draw the same thing (a share link shows no saved goals, funnels or CTAs).
 */
export function ReportBody({ source, timeZone, state, onChange, manage }: ReportBodyProps) {
  const period = presetPeriod(state, todayIn(timeZone));
  const scope: ReportScope = {
    source,
    ...period,
    timeZone,
    compare: state.compare,
    filters: state.filters,
    addFilter: (filter) => onChange({ filters: withFilter(state.filters, filter) }),
    manage,
  };
  // A new period starts with the grouping that suits it (hours for a day, days for a month…).
  const changePeriod = (next: Partial<ReportState>) =>
    onChange('preset' in next || 'from' in next ? { ...next, interval: null } : next);
  return (
    <ReportScopeProvider scope={scope}>
      <div className="space-y-5">
        <PeriodPicker state={state} period={period} onChange={changePeriod} />
        <div className="flex items-start justify-between gap-3">
          <FilterBar filters={state.filters} onChange={(filters) => onChange({ filters })} />
          <SummaryCsv />
        </div>
        <Kpis />
        <TrafficChart interval={state.interval} onInterval={(interval) => onChange({ interval })} />
        <div className="grid grid-cols-1 gap-5 lg:grid-cols-2">
          <BreakdownPanel
            title="panel.sources"
            tabs={['source', 'medium', 'utm_campaign', 'referrer', 'utm_source', 'utm_term', 'utm_content']}
            testId="panel-sources"
          />
          <BreakdownPanel
            title="panel.pages"
            tabs={['page', 'entry_page', 'exit_page', 'first_visit_page']}
            testId="panel-pages"
          />
          <BreakdownPanel title="panel.locations" tabs={['country', 'region']} testId="panel-locations" />
          <BreakdownPanel
            title="panel.technology"
            tabs={['device', 'browser', 'os', 'language']}
            testId="panel-technology"
          />
        </div>
        {source.kind === 'site' && (
          <>
            <GoalsPanel />
            <div className="grid grid-cols-1 gap-5 lg:grid-cols-2">
              <FunnelsPanel />
              <div className="space-y-5">
                <CtasPanel />
                <BreakdownPanel title="panel.events" tabs={['event']} testId="panel-events" />
              </div>
            </div>
          </>
        )}
        {source.kind === 'share' && (
          <BreakdownPanel title="panel.events" tabs={['event']} testId="panel-events" />
        )}
        <div className="grid grid-cols-1 gap-5 lg:grid-cols-2">
          <RetentionPanel />
          <RealtimePanel />
        </div>
      </div>
    </ReportScopeProvider>
  );
}

/** The headline numbers (and the previous period's) as CSV. */
function SummaryCsv() {
  const { rt } = useReportI18n();
  return <CsvLink report="summary" name={rt('kpis.label')} />;
}
