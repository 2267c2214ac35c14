import type { AnalyticsDb } from '../analytics/db.ts';
import { openPostgresAnalytics } from '../analytics/postgres-db.ts';
import type { EventStoreTarget } from '../events/target.ts';
import { createSegmentEvaluator, type SegmentEvaluator, type SegmentSources } from './evaluator.ts';
import type { AudienceMirror } from './mirror.ts';
import { openPostgresAudienceMirror } from './postgres-mirror.ts';

/** The audience mirror of the events store the configuration names (migrated to 0004_audience or later). */
export async function openAudienceMirror(target: EventStoreTarget): Promise<AudienceMirror> {
  if (target.kind === 'postgres') return openPostgresAudienceMirror(target.url);
  // DuckDB's native library loads only when a DuckDB store is opened.
  const { openDuckDbAudienceMirror } = await import('./duckdb-mirror.ts');
  return openDuckDbAudienceMirror(target.file);
}

/** Segment evaluation on the events store the configuration names; close it with the process. */
export async function openSegmentEvaluator(
  target: EventStoreTarget,
  sources: SegmentSources,
): Promise<SegmentEvaluator & { close(): Promise<void> }> {
  let db: AnalyticsDb;
  if (target.kind === 'postgres') db = openPostgresAnalytics(target.url);
  else {
    const { openDuckDbAnalytics } = await import('../analytics/duckdb-db.ts');
    db = await openDuckDbAnalytics(target.file);
  }
  return { ...createSegmentEvaluator(db, sources), close: () => db.close() };
}
