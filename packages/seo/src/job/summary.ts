import { compareAudits } from '../audit/compare.ts';
import type { CrawlProgress } from '../crawl/store.ts';
import type { CrawledPage, Finding, Severity } from '../types.ts';
import type { PageAnalysis } from './analyse-page.ts';
import type { RenderSummary } from './render-summary.ts';

export interface Percentiles {
  p50: number;
  p75: number;
  p95: number;
  max: number;
}

export type SeverityCounts = Record<Severity, number>;

export interface AuditComparisonSummary {
  with: string;
  /** Findings (per URL) in this audit and not in the other, by severity. */
  new: SeverityCounts;
  fixed: number;
  /** The new critical ones, at most 50. */
  newCritical: { check: string; url: string }[];
  newCriticalCount: number;
}

export interface AuditSummary {
  /** complete, or page_limit when pages were left uncrawled. */
  crawl: 'complete' | 'page_limit';
  pages: number;
  external: number;
  errors: number;
  bytes: number;
  findings: SeverityCounts;
  /** Distinct URLs affected, by the worst severity. */
  urls: SeverityCounts;
  timings: { ttfbMs: Percentiles | null; totalMs: Percentiles | null };
  /** Most frequent keywords over the site's pages (summed counts). */
  keywords: { surface: string; stem: string; count: number; pages: number }[];
  render: RenderSummary;
  comparison?: AuditComparisonSummary;
  /** New critical findings of a scheduled audit: an email to send once Wasl sends email. */
  alert?: { status: 'pending'; channel: 'email'; reason: string; newCritical: number };
}

const zero = (): SeverityCounts => ({ critical: 0, warning: 0, notice: 0 });
const RANK: Record<Severity, number> = { critical: 3, warning: 2, notice: 1 };

/** Nearest-rank percentiles. */
export function percentiles(values: readonly number[]): Percentiles | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
  return { p50: at(50), p75: at(75), p95: at(95), max: at(100) };
}

function siteKeywords(analyses: ReadonlyMap<string, PageAnalysis>): AuditSummary['keywords'] {
  const byStem = new Map<string, { surface: string; stem: string; count: number; pages: number }>();
  for (const { text } of analyses.values()) {
    for (const k of text.keywords) {
      const entry = byStem.get(k.stem) ?? { surface: k.surface, stem: k.stem, count: 0, pages: 0 };
      entry.count += k.count;
      entry.pages++;
      byStem.set(k.stem, entry);
    }
  }
  return [...byStem.values()].sort((a, b) => b.count - a.count || b.pages - a.pages).slice(0, 10);
}

export function compareSummary(
  withId: string,
  before: readonly Finding[],
  after: readonly Finding[],
): AuditComparisonSummary {
  const diff = compareAudits(before, after);
  const counts = zero();
  for (const change of diff.new) counts[change.severity]++;
  const critical = diff.new.filter((c) => c.severity === 'critical');
  return {
    with: withId,
    new: counts,
    fixed: diff.fixed.length,
    newCritical: critical.slice(0, 50).map(({ check, url }) => ({ check, url })),
    newCriticalCount: critical.length,
  };
}

export function summarise(input: {
  crawl: 'complete' | 'page_limit';
  progress: CrawlProgress;
  pages: readonly CrawledPage[];
  analyses: ReadonlyMap<string, PageAnalysis>;
  findings: readonly Finding[];
}): AuditSummary {
  const findings = zero();
  const worst = new Map<string, Severity>();
  for (const f of input.findings) {
    findings[f.severity]++;
    for (const url of f.urls) {
      const seen = worst.get(url);
      if (seen === undefined || RANK[f.severity] > RANK[seen]) worst.set(url, f.severity);
    }
  }
  const urls = zero();
  for (const severity of worst.values()) urls[severity]++;
  const own = input.pages.filter((p) => p.depth >= 0 && p.timings !== undefined);
  return {
    crawl: input.crawl,
    pages: input.progress.done,
    external: input.progress.external,
    errors: input.progress.errors,
    bytes: input.progress.bytes,
    findings,
    urls,
    timings: {
      ttfbMs: percentiles(own.map((p) => p.timings?.ttfbMs ?? 0)),
      totalMs: percentiles(own.map((p) => p.timings?.totalMs ?? 0)),
    },
    keywords: siteKeywords(input.analyses),
    render: { measured: false, reason: 'not asked for (renderPages is 0)' },
  };
}
