import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureSite, SITE_PATHS, startFixtureSite } from '../../seo/test/job/site.ts';
import { cleanEnv, tempDataDir, WASL_BIN } from './wasl-process.ts';

/** Runs `wasl …` without blocking this process, which serves the site being crawled. */
function waslAsync(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [WASL_BIN, ...args], { env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('wasl seo', { timeout: 60_000 }, () => {
  let site: FixtureSite;
  const dataDir = tempDataDir();
  const env = { WASL_DATA_DIR: dataDir };
  beforeAll(async () => {
    site = await startFixtureSite();
  });
  afterAll(() => site.close());

  it('crawls a site, shows progress, prints the score and findings, and reports them again as CSV', async () => {
    const crawl = await waslAsync(
      ['seo', 'crawl', `${site.base}/`, '--allow-private', '--max-pages', '20', '--delay-ms', '0'],
      env,
    );
    expect(crawl.stderr).toMatch(/^crawling: \d+ pages done, \d+ queued, \d+ errors$/m);
    expect(crawl.stderr).toContain(`crawling: ${SITE_PATHS.length} pages done, 0 queued, 1 errors`);
    expect(crawl.code).toBe(0);
    const id = /^SEO audit (\S+) of /m.exec(crawl.stdout)?.[1] ?? '';
    expect(crawl.stdout).toContain(`SEO audit ${id} of ${site.base}/: done\nScore: 81/100\n`);
    expect(crawl.stdout).toContain('Findings: 3 critical, 4 warning, 65 notice');
    expect(crawl.stdout).toContain('Top 20 of 72:');
    expect(crawl.stdout).toContain(
      `  [critical] status.client_error: The page answered 404.\n      ${site.base}/ar/missing\n`,
    );
    expect(crawl.stdout).toContain(`Full report: wasl seo report ${id} --csv seo-${id}.csv`);

    const ar = await waslAsync(['seo', 'report', id, '--lang', 'ar'], env);
    expect(ar.code).toBe(0);
    expect(ar.stdout).toContain('Score: 81/100');
    expect(ar.stdout).toMatch(/\[critical\] title\.missing: [^\n]*[\u0600-\u06ff]/);

    const file = join(dataDir, 'report.csv');
    const csv = await waslAsync(['seo', 'report', id, '--csv', file], env);
    expect(csv.stdout).toBe(`wrote 72 findings to ${file}\n`);
    const lines = readFileSync(file, 'utf8').split('\r\n');
    expect(lines[0]).toBe('\uFEFFcheck,severity,url,message_en,message_ar,fix_en,fix_ar,details');
    expect(
      lines[1]?.startsWith(`status.client_error,critical,${site.base}/ar/missing,The page answered 404.,`),
    ).toBe(true);
  });

  it('prints the findings as JSON with --json', async () => {
    const r = await waslAsync(
      ['seo', 'crawl', `${site.base}/`, '--allow-private', '--max-pages', '3', '--json'],
      env,
    );
    expect(r.code).toBe(0);
    const parsed = JSON.parse(r.stdout) as {
      audit: { pages: number; status: string };
      findings: { check: string }[];
    };
    expect(parsed.audit).toMatchObject({ pages: 3, status: 'done' });
    expect(parsed.findings.map((f) => f.check)).toContain('content.keyword_cannibalisation');
  });

  it('refuses a loopback site without --allow-private, and a bad count naming the flag', async () => {
    const blocked = await waslAsync(['seo', 'crawl', `${site.base}/`, '--json'], env);
    expect(blocked.code).toBe(0);
    const parsed = JSON.parse(blocked.stdout) as { audit: { errors: number }; findings: { check: string }[] };
    expect(parsed.audit.errors).toBe(1);
    const bad = await waslAsync(['seo', 'crawl', `${site.base}/`, '--max-pages', 'lots'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--max-pages: expected an integer of at least 1, got "lots"');
  });
});
