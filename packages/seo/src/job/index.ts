export { analysePage, type PageAnalysis, type PageText } from './analyse-page.ts';
export { auditStoredPages, cannibalisation, siteFromFacts } from './audit-stored.ts';
export { type RenderedPage, type RenderSummary, renderSummary } from './render-summary.ts';
export { crawlOptions, type RunAuditOptions, runAudit } from './run-audit.ts';
export {
  type AuditComparisonSummary,
  type AuditSummary,
  compareSummary,
  type Percentiles,
  percentiles,
  type SeverityCounts,
  summarise,
} from './summary.ts';
export { pageZones } from './zones.ts';
