import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { domainToASCII } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, type RunningWasl, spawnWasl, tempDataDir } from '../packages/cli/test/wasl-process.ts';

/**
 * The dashboard in Debian's Chromium against a real `wasl start`: set up,
 * log in, switch language, and check the layout really is right to left.
 * Screenshots of the main screens in both languages go to
 * test-artifacts/screenshots/ for people to look at.
 */
const CHROMIUM = process.env.WASL_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(import.meta.dirname, '..', 'test-artifacts', 'screenshots');

describe.skipIf(!existsSync(CHROMIUM))(`dashboard in Chromium (${CHROMIUM})`, { timeout: 240_000 }, () => {
  let server: RunningWasl;
  let browser: Browser;
  let base: string;
  let setupUrl: string;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const port = await freePort();
    base = `http://localhost:${port}`;
    server = spawnWasl(['start'], { WASL_DATA_DIR: tempDataDir(), WASL_PORT: String(port) });
    [setupUrl] = (await server.waitFor(/http:\/\/localhost:\d+\/setup\?token=[\w-]+/, 120_000)) as [string];
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    server?.child.kill('SIGTERM');
    await server?.exited();
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  /** Form controls a screen reader could not name: no <label>, aria-label or aria-labelledby. */
  const unlabelled = (page: Page) =>
    page.evaluate(() =>
      [...document.querySelectorAll<HTMLInputElement>('input:not([type=hidden]), select, textarea')]
        .filter(
          (el) =>
            el.labels?.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'),
        )
        .map((el) => el.outerHTML.slice(0, 120)),
    );
  const htmlDir = (page: Page) =>
    page.evaluate(() => ({ dir: document.documentElement.dir, lang: document.documentElement.lang }));

  it('sets up, logs in, switches to Arabic and lays out right to left', async () => {
    const context = await browser.newContext({
      locale: 'en-US',
      viewport: { width: 1280, height: 800 },
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));

    // First-run setup, in English.
    await page.goto(setupUrl);
    await page.getByTestId('setup-form').waitFor();
    await shot(page, 'en-setup');
    expect(await unlabelled(page)).toEqual([]);
    await page.getByTestId('setup-name').fill('Sara Al-Qahtani');
    await page.getByTestId('setup-email').fill('sara@example.com');
    await page.getByTestId('setup-password').fill('a long enough passphrase');
    await page.getByTestId('setup-workspace-name').fill('متجر الورد');
    await page.getByTestId('setup-language').selectOption('en');
    await page.getByTestId('setup-submit').click();
    await page.getByTestId('home-empty').waitFor();
    expect(await htmlDir(page)).toEqual({ dir: 'ltr', lang: 'en' });
    // The first step it suggests is adding a site.
    expect(await page.getByTestId('home-add-site').getAttribute('href')).toBe('/settings/sites');
    await shot(page, 'en-home');

    // The setup link is single use.
    const again = await page.request.post(`${base}/api/setup`, {
      data: {
        token: new URL(setupUrl).searchParams.get('token'),
        name: 'x',
        email: 'x@example.com',
        password: 'another passphrase',
        workspaceName: 'x',
        locale: 'en',
      },
    });
    expect(again.status()).toBe(409);

    // Settings screens in English.
    await page.getByTestId('nav-settings').click();
    for (const tab of ['workspace', 'members', 'api-keys', 'audit-log'] as const) {
      await page.getByTestId(`settings-tab-${tab}`).click();
      await expect
        .poll(() => page.getByTestId(`settings-tab-${tab}`).getAttribute('aria-current'))
        .toBe('page');
      await page.waitForLoadState('networkidle');
      await shot(page, `en-settings-${tab}`);
      expect(await unlabelled(page), tab).toEqual([]);
    }

    // An API key made in the dashboard works against the API, and is shown once.
    await page.getByTestId('settings-tab-api-keys').click();
    await page.getByTestId('apikey-create-name').fill('متجر سلة');
    await page.getByTestId('apikey-create-scope').selectOption('read');
    await page.getByTestId('apikey-create-submit').click();
    const key = await page.getByTestId('apikey-created-key').inputValue();
    expect(key).toMatch(/^wasl_[0-9A-Za-z]{8}_[0-9A-Za-z]{32,}$/);
    await shot(page, 'en-apikey-created');
    const me = (await (await page.request.get(`${base}/api/me`)).json()) as { workspaces: { id: string }[] };
    const workspaceId = me.workspaces[0]!.id;
    const viaKey = await fetch(`${base}/api/workspaces/${workspaceId}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(viaKey.status).toBe(200);
    await page.getByTestId('apikey-created-done').click();

    // A site with an Arabic domain: stored in punycode, shown in Arabic, with its snippet.
    await page.getByTestId('settings-tab-sites').click();
    await page.getByTestId('site-add-form').waitFor();
    expect(await page.getByTestId('sites-count').textContent()).toBe('No sites');
    // The time zone starts as the workspace's (UTC after setup).
    expect(await page.getByTestId('site-add-timezone').inputValue()).toBe('UTC');
    expect(await unlabelled(page), 'sites').toEqual([]);
    await page.getByTestId('site-add-name').fill('متجر الورد');
    await page.getByTestId('site-add-domain').fill('https://متجر.السعودية/');
    await page.getByTestId('site-add-submit').click();
    const siteRows = page.getByTestId('site-row');
    await siteRows.first().waitFor();
    const arabicSite = siteRows.first();
    expect(await arabicSite.getByTestId('site-domain').textContent()).toBe('متجر.السعودية');
    expect(await page.getByTestId('sites-count').textContent()).toBe('1 site');
    const origin = new URL(page.url()).origin;
    const snippet = (await arabicSite.getByTestId('site-snippet').textContent()) ?? '';
    expect(snippet).toContain('data-site="site_');
    expect(snippet).toContain(`src="${origin}/t.js"`);
    const { sites } = (await (
      await page.request.get(`${base}/api/workspaces/${workspaceId}/sites`)
    ).json()) as {
      sites: { id: string; domain: string; key: string; timezone: string }[];
    };
    expect(sites).toHaveLength(1);
    expect(sites[0]!.domain).toBe(domainToASCII('متجر.السعودية'));
    expect(await arabicSite.getAttribute('data-site-id')).toBe(sites[0]!.id);
    expect(snippet).toBe(`<script defer src="${origin}/t.js" data-site="${sites[0]!.key}"></script>`);
    await arabicSite.getByTestId('site-snippet-copy').click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
    expect(await unlabelled(page), 'sites').toEqual([]);
    await shot(page, 'en-settings-sites');

    // A second site is changed in place, then deleted after a confirmation.
    await page.getByTestId('site-add-name').fill('Rose Shop');
    await page.getByTestId('site-add-domain').fill('https://www.Example.com/shop');
    await page.getByTestId('site-add-submit').click();
    await expect.poll(() => siteRows.count()).toBe(2);
    const otherId = await siteRows.filter({ hasText: 'Rose Shop' }).getAttribute('data-site-id');
    // By id: while it is being edited, the name is in an input, not in the row's text.
    const otherSite = page.locator(`[data-testid="site-row"][data-site-id="${otherId}"]`);
    expect(await otherSite.getByTestId('site-domain').textContent()).toBe('www.example.com');
    await otherSite.getByTestId('site-edit').click();
    await otherSite.getByTestId('site-edit-timezone').selectOption('Asia/Riyadh');
    expect(await unlabelled(page), 'site edit').toEqual([]);
    await otherSite.getByTestId('site-edit-save').click();
    await expect.poll(() => otherSite.getByTestId('site-timezone').textContent()).toBe('Asia/Riyadh');
    await otherSite.getByTestId('site-delete').click();
    await page.getByTestId('confirm-dialog').waitFor();
    expect(await page.getByTestId('confirm-dialog').textContent()).toContain('stops working at once');
    // The viewport only: a full-page capture would scroll under the modal.
    await page.screenshot({ path: join(SHOTS, 'en-site-delete.png') });
    await page.getByTestId('confirm-dialog-confirm').click();
    await expect.poll(() => siteRows.count()).toBe(1);
    expect(await page.getByTestId('sites-count').textContent()).toBe('1 site');

    // Log out, then in again.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
    await shot(page, 'en-login');
    expect(await unlabelled(page)).toEqual([]);
    await page.getByTestId('login-email').fill('SARA@example.com');
    await page.getByTestId('login-password').fill('a long enough passphrase');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home-empty').waitFor();

    // Switch to Arabic: the whole page turns right to left.
    await page.getByTestId('language-ar').click();
    await expect.poll(() => htmlDir(page)).toEqual({ dir: 'rtl', lang: 'ar' });
    const nav = await page.getByTestId('nav-home').boundingBox();
    expect(nav, 'side navigation is visible').not.toBeNull();
    // The side navigation sits on the start side: the right in Arabic.
    expect(nav!.x).toBeGreaterThan(1280 / 2);
    expect(await page.evaluate(() => getComputedStyle(document.body).direction)).toBe('rtl');
    await shot(page, 'ar-home');
    await page.getByTestId('nav-settings').click();
    for (const tab of ['workspace', 'sites', 'members', 'api-keys', 'audit-log'] as const) {
      await page.getByTestId(`settings-tab-${tab}`).click();
      await expect
        .poll(() => page.getByTestId(`settings-tab-${tab}`).getAttribute('aria-current'))
        .toBe('page');
      await page.waitForLoadState('networkidle');
      if (tab === 'sites') {
        await expect.poll(() => page.getByTestId('sites-count').textContent()).toBe('موقع واحد');
        expect(await page.getByTestId('site-domain').textContent()).toBe('متجر.السعودية');
      }
      await shot(page, `ar-settings-${tab}`);
    }
    // The audit log recorded the key creation made through the dashboard.
    await expect.poll(() => page.getByTestId('audit-row').count()).toBeGreaterThan(0);

    // The choice is remembered for the person, not only in this browser.
    const fresh = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
    const second = await fresh.newPage();
    await second.goto(`${base}/login`);
    await second.getByTestId('login-email').fill('sara@example.com');
    await second.getByTestId('login-password').fill('a long enough passphrase');
    await second.getByTestId('login-submit').click();
    await second.getByTestId('home-empty').waitFor();
    expect(await htmlDir(second)).toEqual({ dir: 'rtl', lang: 'ar' });
    await second.getByTestId('user-menu').click();
    await second.getByTestId('logout').click();
    await second.getByTestId('login-form').waitFor();
    await shot(second, 'ar-login');
    await fresh.close();

    // Nothing was fetched from outside this machine.
    expect(requests.filter((u) => !u.startsWith(base) && !u.startsWith('data:'))).toEqual([]);
    await context.close();
  });

  it('switches between workspaces', async () => {
    const context = await browser.newContext({ locale: 'ar', viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    await page.getByTestId('login-email').fill('sara@example.com');
    await page.getByTestId('login-password').fill('a long enough passphrase');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home-empty').waitFor();

    await page.getByTestId('workspace-switcher').click();
    await page.getByTestId('workspace-create').click();
    await page.getByTestId('new-workspace-form').waitFor();
    await page.getByTestId('workspace-name').fill('Rose Shop EN');
    await page.getByTestId('new-workspace-submit').click();
    await page.getByTestId('home-empty').waitFor();
    await expect.poll(() => page.getByTestId('workspace-switcher').textContent()).toContain('Rose Shop EN');

    await page.getByTestId('workspace-switcher').click();
    const options = page.getByTestId('workspace-option');
    expect(await options.count()).toBe(2);
    await shot(page, 'ar-workspace-switcher');
    await options.filter({ hasText: 'متجر الورد' }).click();
    await expect.poll(() => page.getByTestId('workspace-switcher').textContent()).toContain('متجر الورد');
    await context.close();
  });
});
