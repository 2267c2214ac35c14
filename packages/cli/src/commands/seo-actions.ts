import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { auditFindings, auditWorkspace, findAudit, findingsCsv, runAuditHere, summaryOf } from '@wasl/server';
import type { SeoAudit } from '@wasl/store';
import cliProgress from 'cli-progress';
import { unwrap, withOltp } from '../admin.ts';
import { CliError } from '../errors.ts';
import type { CrawlFlags, ReportFlags } from './seo.ts';

type Finding = Awaited<ReturnType<typeof auditFindings>>[number];
interface CrawlCounts {
  done: number;
  queued: number;
  errors: number;
}

/** Findings printed; the rest are in the report. */
const TOP = 20;
const SEVERITIES = ['critical', 'warning', 'notice'] as const;

function count(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new CliError(`${flag}: expected an integer of at least ${min}, got "${value}"`);
  }
  return Number(value);
}

/** A bar on a terminal (its total grows as links are found); a line a second otherwise. */
function crawlProgress(stream: NodeJS.WriteStream = process.stderr) {
  const label = (p: CrawlCounts) => `${p.done} pages done, ${p.queued} queued, ${p.errors} errors`;
  if (!stream.isTTY) {
    let last = 0;
    return {
      update(p: CrawlCounts, force = false) {
        if (!force && Date.now() - last < 1000) return;
        last = Date.now();
        stream.write(`crawling: ${label(p)}\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: 'crawling [{bar}] {value}/{total} {label}', stream, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1, 0, { label: '' });
  return {
    update(p: CrawlCounts) {
      bar.setTotal(Math.max(1, p.done + p.queued));
      bar.update(p.done, { label: `${p.errors} errors` });
    },
    stop: () => bar.stop(),
  };
}

export async function crawlAction(url: string, o: CrawlFlags): Promise<void> {
  const settings = {
    ...(o.maxPages !== undefined ? { maxPages: count('--max-pages', o.maxPages, 1) } : {}),
    ...(o.maxDepth !== undefined ? { maxDepth: count('--max-depth', o.maxDepth, 0) } : {}),
    ...(o.concurrency !== undefined ? { concurrency: count('--concurrency', o.concurrency, 1) } : {}),
    ...(o.delayMs !== undefined ? { delayMs: count('--delay-ms', o.delayMs, 0) } : {}),
    ...(o.userAgent !== undefined ? { userAgent: o.userAgent } : {}),
    ...(o.render !== undefined ? { renderPages: count('--render', o.render, 0) } : {}),
    allowPrivateTargets: o.allowPrivate === true,
  };
  await withOltp(async ({ oltp }) => {
    const workspaceId = unwrap(await auditWorkspace(oltp.db, o.workspace));
    const bar = crawlProgress();
    // Ctrl-C stops the crawl; the audit stays stored, unfinished.
    const stop = new AbortController();
    const onSigint = () => stop.abort();
    process.once('SIGINT', onSigint);
    let audit: SeoAudit;
    try {
      audit = unwrap(
        await runAuditHere(oltp.db, {
          workspaceId,
          url,
          settings,
          signal: stop.signal,
          onProgress: (p) => bar.update(p),
        }),
        { url: 'URL' },
      );
    } finally {
      process.off('SIGINT', onSigint);
    }
    bar.update({ done: audit.pages_done, queued: audit.pages_queued, errors: audit.errors }, true);
    bar.stop();
    if (audit.status !== 'done')
      throw new CliError(`audit ${audit.id} ${audit.status}${audit.error ? `: ${audit.error}` : ''}`);
    const findings = await auditFindings(oltp.db, audit.id);
    if (o.json) {
      process.stdout.write(`${JSON.stringify({ audit: auditJson(audit), findings }, null, 2)}\n`);
      return;
    }
    printAudit(audit, findings, o.lang);
  });
}

export async function reportAction(id: string, o: ReportFlags): Promise<void> {
  await withOltp(async ({ oltp }) => {
    const audit = await findAudit(oltp.db, id);
    if (!audit) throw new CliError(`no audit has the id ${id}`);
    const findings = await auditFindings(oltp.db, audit.id);
    if (o.csv !== undefined) {
      const file = resolve(o.csv);
      writeFileSync(file, findingsCsv(findings));
      process.stdout.write(`wrote ${findings.length} findings to ${file}\n`);
      return;
    }
    printAudit(audit, findings, o.lang);
  });
}

const auditJson = (a: SeoAudit) => ({
  id: a.id,
  url: a.start_url,
  status: a.status,
  score: a.score,
  pages: a.pages_done,
  errors: a.errors,
  summary: summaryOf(a),
});

function printAudit(audit: SeoAudit, findings: readonly Finding[], lang: 'en' | 'ar'): void {
  const out: string[] = [`SEO audit ${audit.id} of ${audit.start_url}: ${audit.status}`];
  if (audit.score !== null) out.push(`Score: ${audit.score}/100`);
  out.push(`Pages: ${audit.pages_done} crawled, ${audit.errors} with errors`);
  const render = summaryOf(audit)?.render;
  if (render?.measured) {
    const { lcpMs, cls, tbtMs } = render.p75;
    const ms = (v: number | null) => (v === null ? '-' : `${Math.round(v)} ms`);
    const shift = cls === null ? '-' : cls.toFixed(3);
    out.push(
      `Rendering (${render.device}, p75 of ${render.pages.length} pages): LCP ${ms(lcpMs)}, CLS ${shift}, TBT ${ms(tbtMs)}`,
    );
  }
  const by = Object.fromEntries(SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s)]));
  out.push(`Findings: ${SEVERITIES.map((s) => `${by[s]?.length ?? 0} ${s}`).join(', ')}`);
  const top = SEVERITIES.flatMap((s) => by[s] ?? []).slice(0, TOP);
  if (top.length > 0) out.push('', `Top ${top.length} of ${findings.length}:`);
  for (const f of top) {
    const more = f.urls.length > 1 ? ` (+${f.urls.length - 1} more)` : '';
    out.push(`  [${f.severity}] ${f.check}: ${f.message[lang]}`, `      ${f.urls[0] ?? ''}${more}`);
  }
  out.push('', `Full report: wasl seo report ${audit.id} --csv seo-${audit.id}.csv`);
  process.stdout.write(`${out.join('\n')}\n`);
}
