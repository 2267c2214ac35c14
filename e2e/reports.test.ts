import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RunningWasl, spawnWasl, tempDataDir } from '../packages/cli/test/wasl-process.ts';

/**
 * The reports in Debian's Chromium against a real `wasl start`: visits are
 * sent to the collection endpoint the way the tracker sends them (three
 * visitors, told apart by their browsers), and the pages must show exactly
 * those numbers, in Arabic (right to left, Arabic-Indic digits) and English.
 * Screenshots go to test-artifacts/screenshots/.
 */
const CHROMIUM = process.env.WASL_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(import.meta.dirname, '..', 'test-artifacts', 'screenshots');

const BROWSERS = {
  windows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  android:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36',
};

describe.skipIf(!existsSync(CHROMIUM))(`reports in Chromium (${CHROMIUM})`, { timeout: 240_000 }, () => {
  let server: RunningWasl;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let ws: string;
  let siteId: string;

  const shot = (p: Page, name: string) => p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const htmlDir = (p: Page) => p.evaluate(() => document.documentElement.dir);
  const kpi = (p: Page, metric: string) =>
    p.locator(`[data-testid="kpi"][data-metric="${metric}"] [data-testid="kpi-value"]`).textContent();

  /** One tracker payload, as the script would send it from `browser`. */
  async function collect(siteKey: string, browserName: keyof typeof BROWSERS, body: Record<string, unknown>) {
    const payload = {
      site: siteKey,
      referrer: '',
      lang: 'ar-SA',
      screen: '1366x768',
      webdriver: false,
      ts: Date.now(),
      ...body,
    };
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${base}/api/collect`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'user-agent': BROWSERS[browserName] },
        body: JSON.stringify(payload),
      });
      // A new site's key reaches the collector within moments of being added.
      if (res.status === 404 && attempt < 50) {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      expect(res.status, await res.text()).toBe(202);
      return;
    }
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const port = await freePort();
    base = `http://localhost:${port}`;
    server = spawnWasl(['start'], { WASL_DATA_DIR: tempDataDir(), WASL_PORT: String(port) });
    const [setupUrl] = (await server.waitFor(/http:\/\/localhost:\d+\/setup\?token=[\w-]+/, 120_000)) as [
      string,
    ];
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
    context = await browser.newContext({ locale: 'ar', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();

    // The owner, in Arabic, through the API (the setup screens have their own test).
    const setup = await page.request.post(`${base}/api/setup`, {
      data: {
        token: new URL(setupUrl).searchParams.get('token'),
        name: 'سارة القحطاني',
        email: 'sara@example.com',
        password: 'a long enough passphrase',
        workspaceName: 'متجر الورد',
        locale: 'ar',
      },
    });
    expect(setup.status()).toBe(201);
    const { workspace, csrfToken } = (await setup.json()) as { workspace: { id: string }; csrfToken: string };
    ws = workspace.id;
    const headers = { 'x-csrf-token': csrfToken };
    const created = await page.request.post(`${base}/api/workspaces/${ws}/sites`, {
      headers,
      data: { name: 'متجر الورد', domain: 'roses.example' },
    });
    const { site } = (await created.json()) as { site: { id: string; key: string } };
    siteId = site.id;
    const goal = await page.request.post(`${base}/api/workspaces/${ws}/sites/${siteId}/goals`, {
      headers,
      data: { name: 'صفحة الأسعار', definition: { kind: 'page', pattern: '/pricing' } },
    });
    expect(goal.status()).toBe(201);

    // Three visitors: 3 visits, 5 pageviews, one bounce (the iPhone's single page).
    const url = (path: string) => `https://roses.example${path}`;
    await collect(site.key, 'windows', {
      type: 'pageview',
      url: url('/'),
      referrer: 'https://www.google.com/',
    });
    await collect(site.key, 'windows', { type: 'pageview', url: url('/pricing'), referrer: url('/') });
    await collect(site.key, 'windows', {
      type: 'event',
      url: url('/pricing'),
      name: 'signup',
      props: { plan: 'pro' },
    });
    await collect(site.key, 'iphone', {
      type: 'pageview',
      url: url('/pricing?utm_source=twitter&utm_medium=social&utm_campaign=ramadan'),
    });
    await collect(site.key, 'android', { type: 'pageview', url: url('/'), lang: 'en-US' });
    await collect(site.key, 'android', {
      type: 'pageview',
      url: url(`/${encodeURIComponent('عروض')}`),
      lang: 'en-US',
    });

    // Collected events are written in batches about every second.
    const summaryUrl = `${base}/api/workspaces/${ws}/sites/${siteId}/reports/summary`;
    const deadline = Date.now() + 20_000;
    let pageviews = 0;
    while (pageviews !== 5 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      const res = await page.request.get(summaryUrl);
      pageviews = ((await res.json()) as { summary: { pageviews: number } }).summary.pageviews;
    }
    expect(pageviews).toBe(5);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
    await server?.exited();
  });

  it('shows the seeded numbers in Arabic, right to left, with a chart that runs right to left', async () => {
    await page.goto(`${base}/reports`);
    await page.getByTestId('kpis').waitFor();
    await expect.poll(() => kpi(page, 'visits')).toBe('٣');
    expect(await htmlDir(page)).toBe('rtl');
    expect(await kpi(page, 'visitors')).toBe('٣');
    expect(await kpi(page, 'pageviews')).toBe('٥');
    expect(await kpi(page, 'newVisitors')).toBe('٣');
    expect(await kpi(page, 'bounceRate')).toContain('٣٣٫٣');
    expect(await kpi(page, 'viewsPerVisit')).toBe('١٫٧');

    // Thirty days, today last: in Arabic today's point is the leftmost.
    const chart = page.getByTestId('timeseries-chart');
    await chart.waitFor();
    expect(await chart.getAttribute('data-direction')).toBe('rtl');
    expect(await chart.getAttribute('aria-labelledby')).toBeTruthy();
    const points = chart.getByTestId('chart-point');
    expect(await points.count()).toBe(30);
    const first = await points.first().boundingBox();
    const last = await points.last().boundingBox();
    expect(last!.x).toBeLessThan(first!.x);
    expect(last!.y).toBeLessThan(first!.y); // today has the visits, the first day none

    // Breakdowns with Arabic paths intact, goals with their conversions.
    const pages = page.getByTestId('panel-pages');
    await expect.poll(() => pages.getByTestId('breakdown-row').count()).toBe(3);
    expect(await pages.locator('[data-testid="breakdown-row"][data-value="/عروض"]').count()).toBe(1);
    const goal = page.getByTestId('goal-row');
    await goal.waitFor();
    expect(await goal.getByTestId('goal-conversions').textContent()).toBe('٢');
    await expect.poll(() => page.getByTestId('realtime-visitors').textContent()).toContain('٣ زوار الآن');
    await page.waitForLoadState('networkidle');
    await shot(page, 'ar-reports');

    // The CSV behind a panel: BOM, header, Arabic kept.
    const csvHref = await pages.getByTestId('csv-breakdown').getAttribute('href');
    const csv = await (await page.request.get(`${base}${csvHref}`)).body();
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8')).toContain('/عروض,1,1,1');

    // A click on a row filters every report; the chip removes it.
    await pages
      .locator('[data-testid="breakdown-row"][data-value="/pricing"] [data-testid="breakdown-filter"]')
      .click();
    await page.getByTestId('filter-chip').waitFor();
    expect(await page.getByTestId('filter-chip').getAttribute('data-filter')).toBe('page:is:/pricing');
    expect(new URL(page.url()).searchParams.getAll('filter')).toEqual(['page:is:/pricing']);
    await expect.poll(() => kpi(page, 'visits')).toBe('٢');
    expect(await kpi(page, 'pageviews')).toBe('٣');
    await shot(page, 'ar-reports-filtered');
    await page.getByTestId('filter-remove').click();
    await expect.poll(() => kpi(page, 'visits')).toBe('٣');
  });

  it('shows the same numbers in English, left to right', async () => {
    await page.getByTestId('language-en').click();
    await expect.poll(() => htmlDir(page)).toBe('ltr');
    await expect.poll(() => kpi(page, 'visits')).toBe('3');
    expect(await kpi(page, 'pageviews')).toBe('5');
    expect(await kpi(page, 'bounceRate')).toBe('33.3%');
    const chart = page.getByTestId('timeseries-chart');
    expect(await chart.getAttribute('data-direction')).toBe('ltr');
    const points = chart.getByTestId('chart-point');
    expect((await points.last().boundingBox())!.x).toBeGreaterThan((await points.first().boundingBox())!.x);
    await expect.poll(() => page.getByTestId('realtime-visitors').textContent()).toContain('3 visitors now');
    // Every control on the page has a name a screen reader can read.
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLInputElement>('input:not([type=hidden]), select, textarea')]
        .filter(
          (el) =>
            el.labels?.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'),
        )
        .map((el) => el.outerHTML.slice(0, 120)),
    );
    expect(unlabelled).toEqual([]);
    await page.waitForLoadState('networkidle');
    await shot(page, 'en-reports');

    // A goal added on the page counts at once: the Windows visitor signed up.
    await page.getByTestId('goal-add').locator('summary').click();
    await page.getByTestId('goal-add-name').fill('Sign-up');
    await page.getByTestId('goal-add-kind').selectOption('event');
    await page.getByTestId('goal-add-target').fill('signup');
    await page.getByTestId('goal-add-submit').click();
    await expect.poll(() => page.getByTestId('goal-saved').textContent()).toBe('Goal “Sign-up” saved.');
    const signup = page.getByTestId('goal-row').filter({ hasText: 'Sign-up' });
    await expect.poll(() => signup.getByTestId('goal-conversions').textContent()).toBe('1');
    expect(await signup.getByTestId('goal-rate').textContent()).toContain('33.3%');
  });

  it('shares the reports through a public link, until it is revoked', async () => {
    await page.goto(`${base}/settings/sites`);
    const links = page.getByTestId('share-links');
    await links.getByTestId('share-link-create').click();
    const shareUrl = await links.getByTestId('share-link-url').inputValue();
    expect(shareUrl).toMatch(/\/share\/[0-9A-Za-z]{32}$/);
    await links.getByTestId('share-link-done').click();
    await shot(page, 'en-settings-share-links');

    // Another browser, signed in to nothing, in Arabic.
    const visitor = await browser.newContext({ locale: 'ar', viewport: { width: 1280, height: 900 } });
    const shared = await visitor.newPage();
    await shared.goto(shareUrl.replace(/^https?:\/\/[^/]+/, base));
    await shared.getByTestId('share-page').waitFor();
    expect(await htmlDir(shared)).toBe('rtl');
    await expect.poll(() => kpi(shared, 'visits')).toBe('٣');
    expect(await shared.getByTestId('goals-panel').count()).toBe(0);
    await shared.waitForLoadState('networkidle');
    await shot(shared, 'ar-share');

    await links.getByTestId('share-link-revoke').click();
    await links.getByTestId('confirm-dialog-confirm').click();
    await expect
      .poll(() => links.getByTestId('share-link-status').first().textContent())
      .toContain('Revoked');
    await shared.reload();
    await shared.getByTestId('share-not-found').waitFor();
    await visitor.close();
  });
});
