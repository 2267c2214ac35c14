import type { AuditStatus, Localised, SeoAudit, SeoFinding, Severity, SeverityCounts } from './api.ts';

const RANK: Record<Severity, number> = { critical: 0, warning: 1, notice: 2 };

export const isActive = (status: AuditStatus) => status === 'queued' || status === 'running';

/**
 * Share of the known pages crawled, 0–100, rounded down so a running audit never shows 100.
 * The queue grows as links are found, so this can go back as well as forward.
 */
export function progressPercent(progress: SeoAudit['progress'], status: AuditStatus): number {
  if (status === 'done') return 100;
  const known = progress.pagesDone + progress.pagesQueued;
  if (known === 0) return 0;
  return Math.min(99, Math.floor((progress.pagesDone / known) * 100));
}

/** This score minus the compared one; null when either is unknown. */
export function scoreChange(score: number | null, previous: number | null | undefined): number | null {
  if (score === null || previous === null || previous === undefined) return null;
  return score - previous;
}

export interface CheckGroup {
  check: string;
  severity: Severity;
  message: Localised;
  howToFix: Localised;
  urls: string[];
  /** Findings of this check (one per target, e.g. per duplicated title). */
  findings: number;
}

/** One row per check: its worst severity, its URLs once each; worst first, then most URLs. */
export function groupByCheck(findings: readonly SeoFinding[]): CheckGroup[] {
  const groups = new Map<string, CheckGroup>();
  for (const f of findings) {
    const group = groups.get(f.check);
    if (!group) {
      groups.set(f.check, {
        check: f.check,
        severity: f.severity,
        message: f.message,
        howToFix: f.howToFix,
        urls: [...new Set(f.urls)],
        findings: 1,
      });
      continue;
    }
    group.findings++;
    if (RANK[f.severity] < RANK[group.severity]) {
      group.severity = f.severity;
      group.message = f.message;
      group.howToFix = f.howToFix;
    }
    for (const url of f.urls) if (!group.urls.includes(url)) group.urls.push(url);
  }
  return [...groups.values()].sort(
    (a, b) =>
      RANK[a.severity] - RANK[b.severity] || b.urls.length - a.urls.length || a.check.localeCompare(b.check),
  );
}

export interface FindingFilter {
  severity: Severity | '';
  check: string;
}

export const filterGroups = (groups: readonly CheckGroup[], filter: FindingFilter) =>
  groups.filter(
    (g) =>
      (filter.severity === '' || g.severity === filter.severity) &&
      (!filter.check || g.check === filter.check),
  );

/** Findings by severity, counted from the list. */
export function severityCounts(findings: readonly SeoFinding[]): SeverityCounts {
  const out: SeverityCounts = { critical: 0, warning: 0, notice: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}

/** Audits that can be compared with `audit`: finished, other than it, newest first as listed. */
export const comparable = (audits: readonly SeoAudit[], id: string) =>
  audits.filter((a) => a.id !== id && a.status === 'done');

/** Score colour band, as most SEO tools draw it. */
export function scoreBand(score: number): 'good' | 'fair' | 'poor' {
  if (score >= 80) return 'good';
  if (score >= 50) return 'fair';
  return 'poor';
}

/** A day name in the locale, from a fixed Sunday (2023-01-01 was one). */
export function dayName(tag: string, day: number): string {
  return new Intl.DateTimeFormat(tag, { weekday: 'long', timeZone: 'UTC' }).format(
    new Date(Date.UTC(2023, 0, 1 + day)),
  );
}

/**
 * Parses the max-pages input, Arabic-Indic digits and thousands separators included (an Arabic
 * keyboard types them); null when it is not a whole number in the API's range.
 */
export function parseMaxPages(value: string): number | null {
  const latin = value
    .trim()
    .replace(/[,\u066c]/g, '')
    .replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) & 0xf));
  if (!/^\d+$/.test(latin)) return null;
  const n = Number(latin);
  return n >= 1 && n <= 10_000 ? n : null;
}

/** Wraps text in first-strong isolates, for plain-text places (options, titles) where <bdi> cannot go. */
export const isolate = (text: string) => `\u2068${text}\u2069`;
