/**
 * Site score, 0–100, from findings.
 *
 * Each check (finding.check) costs  w × (0.25 + 0.75 × share),  where w is the weight of the
 * check's worst severity (critical 0.12, warning 0.05, notice 0.01) and share is the fraction
 * of the site's pages it affects (capped at 1). So one bad page costs a quarter of the weight
 * and a site-wide problem the whole weight. Costs multiply:
 *
 *   score = round(100 × Π over checks (1 − cost))
 *
 * so the score never goes below 0, a clean site scores 100, and fixing a problem never
 * lowers it (it may not move a score already rounded to 0).
 */
import type { Finding, Severity } from '../types.ts';

export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 0.12, warning: 0.05, notice: 0.01 };
const RANK: Record<Severity, number> = { critical: 3, warning: 2, notice: 1 };

export function siteScore(findings: readonly Finding[], pageCount: number): number {
  const checks = new Map<string, { severity: Severity; urls: Set<string> }>();
  for (const f of findings) {
    const c = checks.get(f.check) ?? { severity: f.severity, urls: new Set<string>() };
    if (RANK[f.severity] > RANK[c.severity]) c.severity = f.severity;
    for (const url of f.urls) c.urls.add(url);
    checks.set(f.check, c);
  }
  let score = 1;
  for (const { severity, urls } of checks.values()) {
    const share = Math.min(1, urls.size / Math.max(1, pageCount));
    score *= 1 - SEVERITY_WEIGHT[severity] * (0.25 + 0.75 * share);
  }
  return Math.round(100 * score);
}
