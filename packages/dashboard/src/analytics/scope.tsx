import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext } from 'react';
import {
  type Filter,
  filterParam,
  getReport,
  type Params,
  type ReportSource,
  reportUrl,
  sourceKey,
} from './api.ts';

/** What every panel of a report page reads: whose data, which days, which filters. */
export interface ReportScope {
  source: ReportSource;
  from: string;
  to: string;
  timeZone: string;
  compare: boolean;
  filters: Filter[];
  /** Narrows every report to visits matching `filter` (a click on a breakdown row). */
  addFilter: (filter: Filter) => void;
  /** Signed in with sites.manage: goals, funnels and CTAs can be added. */
  manage: boolean;
}

const ScopeContext = createContext<ReportScope | null>(null);

export function ReportScopeProvider({ scope, children }: { scope: ReportScope; children: ReactNode }) {
  return <ScopeContext.Provider value={scope}>{children}</ScopeContext.Provider>;
}

export function useScope(): ReportScope {
  const scope = useContext(ScopeContext);
  if (!scope) throw new Error('useScope must be used inside <ReportScopeProvider>');
  return scope;
}

/** The period, comparison and filters as the API's query parameters. */
export const scopeParams = (scope: ReportScope, extra: Params = {}): Params => ({
  from: scope.from,
  to: scope.to,
  timeZone: scope.timeZone,
  compare: scope.compare ? 'previous' : undefined,
  filter: filterParam(scope.filters),
  ...extra,
});

export const reportKey = (source: ReportSource, report: string, params: Params) =>
  ['report', sourceKey(source), report, params] as const;

/** One report for the page's scope; the last answer stays on screen while a new period loads. */
export function useReport<T>(report: string, extra: Params = {}, options: { refetchInterval?: number } = {}) {
  const scope = useScope();
  const params = report === 'realtime' ? extra : scopeParams(scope, extra);
  return useQuery({
    queryKey: reportKey(scope.source, report, params),
    queryFn: () => getReport<T>(scope.source, report, params),
    placeholderData: keepPreviousData,
    refetchInterval: options.refetchInterval,
    staleTime: options.refetchInterval ? 0 : 60_000,
  });
}

/** The address of a report's CSV download for the page's scope. */
export function useCsvUrl(report: string, extra: Params = {}): string {
  const scope = useScope();
  const params = report === 'realtime' ? extra : scopeParams(scope, extra);
  return reportUrl(scope.source, report, { ...params, format: 'csv' });
}
