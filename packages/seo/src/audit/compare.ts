/**
 * Two audits compared finding by finding, for trends and alerts. A finding is identified
 * per affected URL by check + url, plus details.target where a check reports several
 * targets for one page (broken links, hreflang alternates, heavy images).
 */
import type { Finding, Severity } from '../types.ts';

export interface FindingChange {
  check: string;
  url: string;
  target?: string;
  severity: Severity;
  finding: Finding;
}

export interface AuditComparison {
  new: FindingChange[];
  fixed: FindingChange[];
  unchanged: FindingChange[];
}

function entries(findings: readonly Finding[]): Map<string, FindingChange> {
  const out = new Map<string, FindingChange>();
  for (const f of findings) {
    const target = typeof f.details?.target === 'string' ? f.details.target : undefined;
    for (const url of f.urls) {
      const change: FindingChange = { check: f.check, url, severity: f.severity, finding: f };
      if (target !== undefined) change.target = target;
      out.set(JSON.stringify([f.check, url, target ?? null]), change);
    }
  }
  return out;
}

export function compareAudits(before: readonly Finding[], after: readonly Finding[]): AuditComparison {
  const old = entries(before);
  const now = entries(after);
  const result: AuditComparison = { new: [], fixed: [], unchanged: [] };
  for (const [key, change] of now) (old.has(key) ? result.unchanged : result.new).push(change);
  for (const [key, change] of old) if (!now.has(key)) result.fixed.push(change);
  return result;
}
