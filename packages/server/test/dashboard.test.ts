import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { SQLITE } from './helpers/engines.ts';

const INDEX =
  '<!doctype html><html lang="ar" dir="rtl"><head><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>';

describe('dashboard, built', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wasl-dashboard-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log("وصل")');
    writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    t = await startTestApp(SQLITE, { dashboardDir: dir });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and for every page path (SPA fallback)', async () => {
    for (const url of ['/', '/setup?token=abc', '/campaigns/42/edit', '/reset-password?token=x.y.z']) {
      const res = await call(t.app, 'GET', url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toContain('text/html');
      expect(res.body, url).toBe(INDEX);
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
  });

  it('serves files as they are, hashed assets cached for a year', async () => {
    const js = await call(t.app, 'GET', '/assets/index-abc123.js');
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('javascript');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await call(t.app, 'GET', '/favicon.svg')).statusCode).toBe(200);
  });

  it('answers a missing file or API route with a JSON 404, not the page', async () => {
    for (const url of ['/assets/gone-999.js', '/robots.txt', '/api/unknown']) {
      const res = await call(t.app, 'GET', url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code, url).toBe('not_found');
    }
    expect((await call(t.app, 'POST', '/campaigns')).statusCode).toBe(404);
  });

  it('sends a CSP that lets the built dashboard run, without forcing https on plain http', async () => {
    const res = await call(t.app, 'GET', '/');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('dashboard, not built', () => {
  for (const [label, dashboardDir] of [
    ['no dashboardDir given', undefined],
    ['dashboardDir missing on disk', join(tmpdir(), 'wasl-no-such-dashboard')],
  ] as const) {
    it(`${label}: / explains how to build it`, async () => {
      const t = await startTestApp(SQLITE, { dashboardDir });
      try {
        const home = await call(t.app, 'GET', '/');
        expect(home.statusCode).toBe(200);
        expect(home.headers['content-type']).toContain('text/html');
        expect(home.body).toContain('npm run build');
        expect(home.body).toContain('dashboard is not built');
        const page = await call(t.app, 'GET', '/setup?token=abc');
        expect(page.statusCode).toBe(404);
        expect(page.body).toContain('npm run build');
        expect((await call(t.app, 'GET', '/api/nothing')).json().error.code).toBe('not_found');
      } finally {
        await t.close();
      }
    });
  }
});
