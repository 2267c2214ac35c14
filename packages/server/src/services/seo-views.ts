import { type AuditSummary, compareAudits, type Finding, listFindings, type Severity } from '@wasl/seo';
import type { Database, SeoAudit } from '@wasl/store';
import type { Kysely } from 'kysely';
import { CSV_BOM, csvLine } from './csv.ts';

/** Entries listed per side of a comparison; the counts cover them all. */
export const COMPARE_LIST_MAX = 500;

export interface FindingChangeView {
  check: string;
  severity: Severity;
  url: string;
  target?: string;
  message: { en: string; ar: string };
}

interface Side {
  id: string;
  startUrl: string;
  status: string;
  score: number | null;
  findings: Record<Severity, number>;
}

export interface AuditComparisonView {
  audit: Side;
  other: Side;
  /** Findings (per URL) only in `audit`, e.g. new since the previous run or not on the competitor's site. */
  onlyInAudit: { total: number; items: FindingChangeView[] };
  onlyInOther: { total: number; items: FindingChangeView[] };
  inBoth: number;
}

const counts = (findings: readonly Finding[]): Record<Severity, number> => {
  const out = { critical: 0, warning: 0, notice: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
};

const side = (audit: SeoAudit, findings: readonly Finding[]): Side => ({
  id: audit.id,
  startUrl: audit.start_url,
  status: audit.status,
  score: audit.score,
  findings: counts(findings),
});

/** Side by side: scores, findings by severity, and the findings only one of them has. */
export async function compareAuditRows(
  db: Kysely<Database>,
  audit: SeoAudit,
  other: SeoAudit,
): Promise<AuditComparisonView> {
  const [mine, theirs] = await Promise.all([listFindings(db, audit.id), listFindings(db, other.id)]);
  // compareAudits(before, after): "new" is in after only, "fixed" in before only.
  const diff = compareAudits(theirs.findings, mine.findings);
  const view = (list: typeof diff.new) => ({
    total: list.length,
    items: list.slice(0, COMPARE_LIST_MAX).map((c) => {
      const item: FindingChangeView = {
        check: c.check,
        severity: c.severity,
        url: c.url,
        message: c.finding.message,
      };
      if (c.target !== undefined) item.target = c.target;
      return item;
    }),
  });
  return {
    audit: side(audit, mine.findings),
    other: side(other, theirs.findings),
    onlyInAudit: view(diff.new),
    onlyInOther: view(diff.fixed),
    inBoth: diff.unchanged.length,
  };
}

const CSV_HEADER = ['check', 'severity', 'url', 'message_en', 'message_ar', 'fix_en', 'fix_ar', 'details'];

/** RFC 4180 with a BOM (Excel then reads the Arabic): one line per finding and URL, both languages. */
export function findingsCsv(findings: readonly Finding[]): string {
  const lines = [csvLine(CSV_HEADER)];
  for (const f of findings) {
    const details = f.details === undefined ? '' : JSON.stringify(f.details);
    for (const url of f.urls.length > 0 ? f.urls : ['']) {
      lines.push(
        csvLine([
          f.check,
          f.severity,
          url,
          f.message.en,
          f.message.ar,
          f.howToFix.en,
          f.howToFix.ar,
          details,
        ]),
      );
    }
  }
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}

export const summaryOf = (audit: SeoAudit): AuditSummary | null =>
  audit.summary === null ? null : (JSON.parse(audit.summary) as AuditSummary);
