import { join } from 'node:path';
import { type APIRequestContext, type Browser, chromium, type Page, request } from 'playwright-core';
import { expect } from 'vitest';
import { freePort, type RunningWasl, spawnWasl, tempDataDir } from '../packages/cli/test/wasl-process.ts';

export const CHROMIUM = process.env.WASL_CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = join(import.meta.dirname, '..', 'test-artifacts');
const OWNER = { name: 'سارة القحطاني', email: 'sara@example.com', password: 'a long enough passphrase' };

export interface OwnerServer {
  base: string;
  dataDir: string;
  server: RunningWasl;
  /** Signed in as the owner through /api/setup. */
  api: APIRequestContext;
  workspaceId: string;
  /** The CSRF header the owner's API writes need. */
  csrf: { 'x-csrf-token': string };
  close(): Promise<void>;
}

/**
 * A real `wasl start` on a fresh data directory, set up with its owner and an Arabic workspace,
 * متجر الورد; `env` adds settings (an SMTP relay, say).
 */
export async function startWithOwner(env: Record<string, string> = {}): Promise<OwnerServer> {
  const dataDir = tempDataDir();
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const server = spawnWasl(['start'], { ...env, WASL_DATA_DIR: dataDir, WASL_PORT: String(port) });
  const [setupUrl] = (await server.waitFor(/http:\/\/localhost:\d+\/setup\?token=[\w-]+/, 120_000)) as [
    string,
  ];
  const api = await request.newContext({ baseURL: base });
  const setup = await api.post('/api/setup', {
    data: {
      token: new URL(setupUrl).searchParams.get('token'),
      name: OWNER.name,
      email: OWNER.email,
      password: OWNER.password,
      workspaceName: 'متجر الورد',
      locale: 'ar',
    },
  });
  expect(setup.status()).toBe(201);
  const { workspace, csrfToken } = (await setup.json()) as { workspace: { id: string }; csrfToken: string };
  return {
    base,
    dataDir,
    server,
    api,
    workspaceId: workspace.id,
    csrf: { 'x-csrf-token': csrfToken },
    async close() {
      await api.dispose();
      server.child.kill('SIGTERM');
      await server.exited();
    },
  };
}

/** Debian's Chromium with one page signed in as the owner, in Arabic. */
export async function signedInPage(base: string): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  const context = await browser.newContext({ locale: 'ar', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByTestId('login-email').fill(OWNER.email);
  await page.getByTestId('login-password').fill(OWNER.password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL(`${base}/`);
  return { browser, page };
}
