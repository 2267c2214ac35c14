import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, WASL_BIN } from '../packages/cli/test/wasl-process.ts';
import { type FixtureSite, startFixtureSite } from '../packages/seo/test/job/site.ts';
import { CHROMIUM, type OwnerServer, SHOTS, signedInPage, startWithOwner } from './owner-session.ts';

/**
 * The SEO screens in Debian's Chromium against a real `wasl start`. The API refuses loopback
 * targets, so the audits of a local Arabic shop are made by `wasl seo crawl --allow-private`
 * into the same data directory (SQLite in WAL mode takes both), then read in the dashboard
 * in Arabic and English. Screenshots go to test-artifacts/.
 */

/** `wasl seo crawl` without blocking this process, which serves the site being crawled. */
function crawl(url: string, env: Record<string, string>, args: string[], delayMs = 0) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [WASL_BIN, 'seo', 'crawl', url, '--allow-private', '--delay-ms', String(delayMs), ...args],
      { env: cleanEnv(env) },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`crawl ${code}: ${stderr}`)),
    );
  });
}

const auditId = (stdout: string) => /^SEO audit (\S+) of /m.exec(stdout)?.[1] ?? '';

describe.skipIf(!existsSync(CHROMIUM))(`SEO screens in Chromium (${CHROMIUM})`, { timeout: 240_000 }, () => {
  let site: FixtureSite;
  let owner: OwnerServer;
  let browser: Browser;
  let page: Page;
  let api: APIRequestContext;
  let base: string;
  let workspaceId = '';
  let env: Record<string, string> = {};
  let small = '';
  let full = '';

  // From the top: the shell's sticky bar would otherwise be drawn where the page was scrolled to.
  const shot = async (name: string) => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  };
  const htmlDir = () => page.evaluate(() => document.documentElement.dir);

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    site = await startFixtureSite();
    owner = await startWithOwner();
    ({ base, api } = owner);
    const { dataDir } = owner;
    const workspace = { id: owner.workspaceId };
    const created = await api.post(`/api/workspaces/${workspace.id}/sites`, {
      headers: owner.csrf,
      data: { name: 'متجر الورد', domain: 'shop.example.sa', timezone: 'Asia/Riyadh' },
    });
    expect(created.status()).toBe(201);

    // An earlier, smaller run, then the full one: the second is compared with the first.
    env = { WASL_DATA_DIR: dataDir };
    workspaceId = workspace.id;
    small = auditId(await crawl(`${site.base}/`, env, ['--workspace', workspace.id, '--max-pages', '3']));
    full = auditId(await crawl(`${site.base}/`, env, ['--workspace', workspace.id, '--max-pages', '20']));
    expect(small).not.toBe('');
    expect(full).not.toBe('');

    ({ browser, page } = await signedInPage(base));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await owner?.close();
    await site?.close();
  });

  it('lists the audits in Arabic with score, counts and Arabic-Indic digits', async () => {
    await page.getByTestId('nav-seo').click();
    await page.getByTestId('audit-row').first().waitFor();
    expect(await htmlDir()).toBe('rtl');
    expect(await page.getByTestId('audits-count').textContent()).toBe('تدقيقان');
    const rows = page.getByTestId('audit-row');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-id')))).toEqual([
      full,
      small,
    ]);
    const first = rows.first();
    expect(await first.getByTestId('audit-score').textContent()).toBe('٨١');
    expect(await first.getByTestId('audit-status').getAttribute('data-status')).toBe('done');
    expect(await first.locator('bdi[dir="ltr"]').textContent()).toBe(`${site.base}/`);
    expect(await page.getByLabel('رابط البداية').count()).toBe(1);
    await shot('ar-seo');
  });

  it('follows a running audit live and stops it from the list', async () => {
    // A second between two requests keeps the crawl going long enough to watch and stop it.
    const running = crawl(
      `${site.base}/`,
      env,
      ['--workspace', workspaceId, '--max-pages', '20'],
      1000,
    ).catch((e: Error) => e.message);
    // Started outside the page (as a scheduled run would be): it shows on the next load.
    const runningCount = async () => {
      const list = await api.get(`/api/workspaces/${workspaceId}/seo/audits`);
      const { audits } = (await list.json()) as { audits: { status: string }[] };
      return audits.filter((a) => a.status === 'running').length;
    };
    await expect.poll(runningCount, { timeout: 20_000 }).toBe(1);
    await page.reload();
    const row = page.getByTestId('audit-row').first();
    await expect
      .poll(() => row.getByTestId('audit-status').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('running');
    const progress = row.getByTestId('audit-progress');
    expect(await progress.locator('progress').getAttribute('aria-label')).toBe(`تقدّم تدقيق ${site.base}/`);
    // The list polls every 2 s: the pages done go up without a reload.
    const done = async () => Number(await progress.locator('progress').getAttribute('value'));
    const first = await done();
    await expect.poll(done, { timeout: 15_000 }).toBeGreaterThan(first);
    expect(await progress.locator('p').textContent()).toMatch(/^[٠-٩]+ من [٠-٩]+ صفحة \([٠-٩]+٪\)$/);
    await row.getByTestId('audit-cancel').click();
    await expect
      .poll(() => row.getByTestId('audit-status').getAttribute('data-status'), { timeout: 20_000 })
      .toBe('cancelled');
    // The command line reports the stop the dashboard asked for.
    expect(await running).toMatch(/^crawl 1: [\s\S]*\nwasl: audit \S+ cancelled\n$/);
    expect(await page.getByTestId('audits-count').textContent()).toBe('٣ عمليات تدقيق');
  });

  it('refuses a bad max-pages value at its field before calling the API', async () => {
    await page.getByTestId('seo-new-url').fill('https://example.com/');
    await page.getByTestId('seo-new-max-pages').fill('0');
    await page.getByTestId('seo-new-submit').click();
    const field = page.getByTestId('seo-new-max-pages');
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${describedBy.split(' ')[0]}"]`).textContent()).toBe(
      'أقصى عدد للصفحات: أدخل رقمًا صحيحًا من ١ إلى ١٠٬٠٠٠.',
    );
    expect(await page.getByTestId('audit-row').count()).toBe(3);
  });

  it('starts an audit from the form (Arabic digits accepted) and follows it on its page', async () => {
    await page.getByTestId('seo-new-url').fill(`${site.base}/`);
    await page.getByTestId('seo-new-max-pages').fill('٥');
    await page.getByTestId('seo-new-site').selectOption({ label: 'متجر الورد (shop.example.sa)' });
    await page.getByTestId('seo-new-compare').selectOption(full);
    await page.getByTestId('seo-new-submit').click();
    await expect.poll(() => page.url(), { timeout: 10_000 }).toMatch(/\/seo\/audits\/[\w-]+$/);
    const id = page.url().split('/').pop() ?? '';
    // The server's worker runs it; its SSRF guard refuses the loopback address, so it ends at once.
    await expect
      .poll(() => page.getByTestId('audit-status').getAttribute('data-status'), { timeout: 30_000 })
      .toMatch(/^(done|failed)$/);
    const stored = await api.get(`/api/workspaces/${workspaceId}/seo/audits/${id}`);
    const { audit } = (await stored.json()) as {
      audit: {
        options: { maxPages: number };
        compareTo: string;
        siteId: string | null;
        score: number | null;
      };
    };
    // Compared with the full run on its own page: the score's change against 81.
    expect(audit.score).not.toBeNull();
    await expect
      .poll(() => page.getByTestId('score-change').getAttribute('data-delta'))
      .toBe(String((audit.score ?? 0) - 81));
    expect(audit.options.maxPages).toBe(5);
    expect(audit.compareTo).toBe(full);
    expect(audit.siteId).not.toBeNull();
    await page.getByTestId('seo-back').click();
    expect(await page.getByTestId('audits-count').textContent()).toBe('٤ عمليات تدقيق');
  });

  it('opens an audit: gauge, change, findings by check with Arabic fixes and LTR URLs, pages', async () => {
    await page.locator(`[data-testid="audit-row"][data-id="${full}"]`).getByTestId('audit-link').click();
    await page.getByTestId('score-gauge').waitFor();
    expect(await page.getByTestId('score-gauge').getAttribute('data-score')).toBe('81');
    expect(await page.getByTestId('count-critical').textContent()).toBe('٣');
    expect(await page.getByTestId('count-warning').textContent()).toBe('٤');
    expect(await page.getByTestId('count-notice').textContent()).toBe('٦٥');

    const broken = page.locator('[data-testid="finding"][data-check="status.client_error"]');
    expect(await broken.getAttribute('data-severity')).toBe('critical');
    expect(await broken.getByTestId('finding-message').textContent()).toMatch(/[\u0600-\u06ff]/);
    expect(await broken.getByTestId('finding-fix').textContent()).toMatch(
      /^طريقة الإصلاح: [\s\S]*[\u0600-\u06ff]/,
    );
    const toggle = broken.getByTestId('finding-toggle');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    const url = broken.getByTestId('finding-urls').locator('bdi');
    expect(await url.textContent()).toBe(`${site.base}/ar/missing`);
    expect(await url.getAttribute('dir')).toBe('ltr');

    await page.getByTestId('seo-filter-severity').selectOption('critical');
    const severities = await page
      .getByTestId('finding')
      .evaluateAll((lis) => lis.map((li) => li.getAttribute('data-severity')));
    expect(severities.length).toBeGreaterThan(0);
    expect(new Set(severities)).toEqual(new Set(['critical']));
    await page.getByTestId('seo-filter-severity').selectOption('');

    const csv = await page.request.get(`${base}${await page.getByTestId('seo-csv').getAttribute('href')}`);
    expect(csv.status()).toBe(200);
    expect((await csv.text()).startsWith('\uFEFFcheck,severity,url,')).toBe(true);
    await shot('ar-seo-audit');

    // Tabs move with the arrow keys, mirrored: in Arabic the next tab is to the left.
    await page.getByTestId('seo-tab-findings').focus();
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByTestId('seo-tab-pages').getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('page-row').first().waitFor();
    expect(await page.getByTestId('pages-count').textContent()).toBe('١٩ صفحة');
    const keywords = await page.getByTestId('page-keywords').first().locator('li').allTextContents();
    expect(keywords.length).toBeGreaterThan(0);
    expect(keywords.every((k) => /^[\u0600-\u06ff]+$/.test(k))).toBe(true);
    expect(await page.getByTestId('page-title').first().getAttribute('dir')).toBe('auto');

    await page.getByTestId('seo-tab-performance').click();
    expect(await page.getByTestId('timings-ttfb').locator('p').first().textContent()).toBe('P50');
  });

  it('compares with the earlier run: both scores and the new issues', async () => {
    await page.getByTestId('seo-tab-findings').click();
    await page.getByTestId('seo-compare-select').selectOption(small);
    await page.getByTestId('seo-compare-link').click();
    await page.getByTestId('compare-sides').waitFor();
    expect(page.url()).toBe(`${base}/seo/audits/${full}/compare/${small}`);
    expect(await page.getByTestId('compare-this').getByTestId('side-score').textContent()).toBe('٨١');
    expect(await page.getByTestId('compare-other').getByTestId('side-score').textContent()).toMatch(
      /^[٠-٩]+$/,
    );
    const before = Number(
      await page.getByTestId('compare-other').getByTestId('side-score').getAttribute('data-score'),
    );
    const change = page.getByTestId('score-change');
    expect(await change.getAttribute('data-delta')).toBe(String(81 - before));
    expect(await page.getByTestId('compare-new').getByTestId('change-row').count()).toBeGreaterThan(0);
    expect(
      await page
        .getByTestId('compare-new')
        .getByTestId('change-row')
        .first()
        .locator('bdi')
        .getAttribute('dir'),
    ).toBe('ltr');
  });

  it('saves a weekly schedule in the site time zone and removes it', async () => {
    await page.getByTestId('nav-seo').click();
    await page.getByTestId('seo-schedule-form').waitFor();
    expect(await page.getByTestId('seo-schedule-day').locator('option').first().textContent()).toBe('الأحد');
    await page.getByTestId('seo-schedule-day').selectOption('1');
    await page.getByTestId('seo-schedule-hour').selectOption('9');
    await page.getByTestId('seo-schedule-save').click();
    const notice = page.getByTestId('seo-schedule-notice');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/^حُفظ الجدول\. التدقيق القادم: .+ ٩:٠٠ ص\.$/);
    await page.getByTestId('seo-schedule-remove').click();
    await expect.poll(() => notice.textContent()).toBe('أُلغي التدقيق الأسبوعي لهذا الموقع.');
  });

  it('prints an A4 report in Arabic with the top issues and how to fix them', async () => {
    await page.goto(`${base}/seo/audits/${full}/print`);
    await page.getByTestId('print-finding').first().waitFor();
    expect(await htmlDir()).toBe('rtl');
    expect(await page.getByTestId('print-finding').count()).toBe(10);
    expect(await page.getByTestId('print-finding').first().textContent()).toContain('طريقة الإصلاح');
    expect(await page.getByTestId('seo-print-button').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'print' });
    expect(await page.getByTestId('seo-print-button').isVisible()).toBe(false);
    await shot('ar-seo-print');
    await page.emulateMedia({ media: 'screen' });
  });

  it('shows the audit in English, left to right, with the English messages', async () => {
    await page.goto(`${base}/seo/audits/${full}`);
    await page.getByTestId('language-en').click();
    await expect.poll(htmlDir).toBe('ltr');
    const broken = page.locator('[data-testid="finding"][data-check="status.client_error"]');
    expect(await broken.getByTestId('finding-message').textContent()).toBe('The page answered 404.');
    expect(await page.getByTestId('count-notice').textContent()).toBe('65');
    expect(await page.getByRole('tab', { name: 'Pages' }).count()).toBe(1);
    await shot('en-seo-audit');
  });
});
