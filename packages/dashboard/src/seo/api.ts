import { request, seg } from '../api/client.ts';

/* The SEO API's shapes (packages/server/src/routes/seo.ts, packages/seo/src/job/summary.ts). */

export const SEVERITIES = ['critical', 'warning', 'notice'] as const;
export type Severity = (typeof SEVERITIES)[number];
export type SeverityCounts = Record<Severity, number>;
export type AuditStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
export interface Localised {
  en: string;
  ar: string;
}

export interface Percentiles {
  p50: number;
  p75: number;
  p95: number;
  max: number;
}

export interface RenderedPage {
  url: string;
  fcpMs?: number;
  lcpMs?: number;
  cls?: number;
  tbtMs?: number;
  loadMs?: number;
  error?: string;
}

export type RenderSummary =
  | { measured: false; reason: string }
  | {
      measured: true;
      device: string;
      pages: RenderedPage[];
      p75: { lcpMs: number | null; cls: number | null; tbtMs: number | null };
    };

export interface AuditSummary {
  crawl: 'complete' | 'page_limit';
  pages: number;
  external: number;
  errors: number;
  bytes: number;
  findings: SeverityCounts;
  urls: SeverityCounts;
  timings?: { ttfbMs: Percentiles | null; totalMs: Percentiles | null };
  keywords?: { surface: string; stem: string; count: number; pages: number }[];
  render?: RenderSummary;
  comparison?: { with: string; new: SeverityCounts; fixed: number; newCriticalCount: number };
}

export interface SeoAudit {
  id: string;
  siteId: string | null;
  startUrl: string;
  options: Record<string, unknown>;
  status: AuditStatus;
  progress: { pagesDone: number; pagesQueued: number; errors: number };
  score: number | null;
  summary: AuditSummary | null;
  error: string | null;
  compareTo: string | null;
  cancelRequested: boolean;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface SeoFinding {
  check: string;
  severity: Severity;
  urls: string[];
  message: Localised;
  howToFix: Localised;
  details?: Record<string, unknown>;
}

export interface SeoPage {
  url: string;
  finalUrl: string;
  status: number;
  depth: number;
  inSitemap: boolean;
  error?: string;
  timings?: Record<string, number>;
  transferBytes: number;
  title?: string;
  wordCount?: number;
  keywords: { surface: string; count: number; density: number }[];
}

export interface FindingChange {
  check: string;
  severity: Severity;
  url: string;
  target?: string;
  message: Localised;
}

export interface ComparedSide {
  id: string;
  startUrl: string;
  status: string;
  score: number | null;
  findings: SeverityCounts;
}

export interface SeoComparison {
  audit: ComparedSide;
  other: ComparedSide;
  onlyInAudit: { total: number; items: FindingChange[] };
  onlyInOther: { total: number; items: FindingChange[] };
  inBoth: number;
}

export interface SeoSchedule {
  siteId: string;
  day: number;
  hour: number;
  timezone: string;
  nextRunAt: string;
}

export interface NewAudit {
  url: string;
  options?: { maxPages?: number };
  siteId?: string;
  compareTo?: string;
}

const base = (ws: string) => `/api/workspaces/${seg(ws)}/seo/audits`;
const one = (ws: string, id: string) => `${base(ws)}/${seg(id)}`;

export const listAudits = (ws: string, limit = 50) =>
  request<{ audits: SeoAudit[]; total: number }>('GET', `${base(ws)}?limit=${limit}`);

export const getAudit = (ws: string, id: string) => request<{ audit: SeoAudit }>('GET', one(ws, id));

// 202 with a body: the shared client drops the body of a 202, and the new audit's id is in it.
export const startAudit = (ws: string, input: NewAudit) =>
  request<{ audit: SeoAudit }>('POST', base(ws), input);

export const cancelAudit = (ws: string, id: string) =>
  request<{ audit: SeoAudit }>('POST', `${one(ws, id)}/cancel`);

// The API pages at most 200 a request; an audit's findings are grouped by check, so few rows.
export const listFindings = (ws: string, id: string) =>
  request<{ findings: SeoFinding[]; total: number }>('GET', `${one(ws, id)}/findings?limit=200`);

export const findingsCsvUrl = (ws: string, id: string) => `${one(ws, id)}/findings?format=csv`;

export const listPages = (ws: string, id: string, offset = 0) =>
  request<{ pages: SeoPage[]; total: number }>('GET', `${one(ws, id)}/pages?limit=100&offset=${offset}`);

export const compareAudits = (ws: string, id: string, other: string) =>
  request<SeoComparison>('GET', `${one(ws, id)}/compare?with=${seg(other)}`);

const schedulePath = (ws: string, siteId: string) =>
  `/api/workspaces/${seg(ws)}/sites/${seg(siteId)}/seo-schedule`;

export const deleteSchedule = (ws: string, siteId: string) =>
  request<void>('DELETE', schedulePath(ws, siteId));

export const putSchedule = (ws: string, siteId: string, body: { day: number; hour: number }) =>
  request<{ schedule: SeoSchedule }>('PUT', schedulePath(ws, siteId), body);
