import type { AnalyticsReader } from '@wasl/core';
import type { EventStoreTarget } from '../events/target.ts';
import { openPostgresAnalytics } from './postgres-db.ts';
import { createAnalyticsReader } from './reader.ts';

/**
 * The web-analytics reports over the events store the configuration names.
 * The store must be migrated (0003_visits or later). DuckDB's native
 * library is loaded only when a DuckDB target is opened.
 *
 * @example
 * const reports = await openAnalyticsReader({ kind: 'duckdb', file: 'data/events.duckdb' });
 * const period = resolvePeriod({ from: '2026-03-01', to: '2026-03-31', timeZone: 'Asia/Riyadh' });
 * await reports.summary({ workspaceId, siteId, ...period, timeZone: 'Asia/Riyadh', filters: [] });
 */
export async function openAnalyticsReader(
  target: EventStoreTarget,
): Promise<AnalyticsReader & { close(): Promise<void> }> {
  if (target.kind === 'postgres') return createAnalyticsReader(openPostgresAnalytics(target.url));
  const { openDuckDbAnalytics } = await import('./duckdb-db.ts');
  return createAnalyticsReader(await openDuckDbAnalytics(target.file));
}
