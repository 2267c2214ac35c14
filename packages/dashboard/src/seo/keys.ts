import type { Role } from '../api/types.ts';

/** Query keys of the SEO screens: one place, so a write can refresh what shows it. */
export const auditsKey = (ws: string) => ['seoAudits', ws] as const;
export const auditKey = (ws: string, id: string) => ['seoAudit', ws, id] as const;
export const findingsKey = (ws: string, id: string) => ['seoFindings', ws, id] as const;
export const pagesKey = (ws: string, id: string) => ['seoPages', ws, id] as const;
export const comparisonKey = (ws: string, id: string, other: string) =>
  ['seoCompare', ws, id, other] as const;

/** Starting, stopping and scheduling audits needs sites.manage: all but analysts. */
export const canRunAudits = (role: Role) => role !== 'analyst';

/** Running audits are polled this often for their progress. */
export const POLL_MS = 2000;
