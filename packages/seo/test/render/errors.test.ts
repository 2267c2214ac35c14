import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, measurePages, type RenderOptions } from '../../src/render/index.ts';
import { closedPort, html, startSite, type TestSite } from './site.ts';

/** Failures come back as values naming the URL and the reason; the batch always completes. */

describe('measurePages failures in Chromium', { timeout: 30_000 }, () => {
  let browser: Browser;
  let site: TestSite;
  let unreachable: string;

  beforeAll(async () => {
    site = await startSite({
      '/ok': { body: html('<p>fine</p>') },
      '/broken': { body: html('<p>Server error</p>'), status: 500 },
      '/hang': { hang: true },
      // A 100 ms task every 200 ms, for ever: the window never gets a quiet stretch.
      '/restless': {
        body: html(
          '<p>restless</p><script>setInterval(() => { const t = performance.now(); while (performance.now() - t < 100); }, 200);</script>',
        ),
      },
      // After load the main thread never comes free again.
      '/frozen': {
        body: html(
          '<p>frozen</p><script>addEventListener("load", () => setTimeout(() => { for (;;); }, 50));</script>',
        ),
      },
    });
    unreachable = `http://127.0.0.1:${await closedPort()}/`;
    const launched = await launchChromium();
    if (!launched.ok) throw new Error(launched.error.message);
    browser = launched.value;
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  const options = (more: RenderOptions = {}): RenderOptions => ({
    browser,
    cpuSlowdown: 1,
    quietWindowMs: 300,
    ...more,
  });

  it('returns a 500 page and an unreachable URL as errors, in order, beside a good page', async () => {
    const [broken, good, refused] = await measurePages(
      [site.url('/broken'), site.url('/ok'), unreachable],
      options(),
    );
    expect(broken).toEqual({
      ok: false,
      url: site.url('/broken'),
      error: { kind: 'http_status', status: 500, message: `${site.url('/broken')}: answered HTTP 500` },
    });
    expect(good?.ok).toBe(true);
    expect(refused?.ok).toBe(false);
    if (refused?.ok !== false) return;
    expect(refused.url).toBe(unreachable);
    expect(refused.error.kind).toBe('navigation');
    expect(refused.error.message).toMatch(new RegExp(`^${unreachable}: .*net::ERR_CONNECTION_REFUSED`));
  });

  it('gives up on a page that does not load within the timeout', async () => {
    const started = Date.now();
    const [result] = await measurePages([site.url('/hang')], options({ timeoutMs: 1_000 }));
    expect(result).toEqual({
      ok: false,
      url: site.url('/hang'),
      error: { kind: 'timeout', message: `${site.url('/hang')}: no load event within 1000 ms` },
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('caps the window of a page that never goes quiet, and says so', async () => {
    const [result] = await measurePages(
      [site.url('/restless')],
      options({ quietWindowMs: 1_000, maxWindowMs: 1_500 }),
    );
    if (!result?.ok) throw new Error(JSON.stringify(result));
    expect(result.value.windowCapped).toBe(true);
    expect(result.value.windowEndMs - result.value.loadMs).toBeGreaterThanOrEqual(1_500);
    expect(result.value.longTasks).toBeGreaterThanOrEqual(3);
    expect(result.value.tbtMs).toBeGreaterThan(0);
  });

  it('reports a page whose main thread never comes free as a timeout', async () => {
    const [result] = await measurePages([site.url('/frozen')], options({ maxWindowMs: 500 }));
    expect(result?.ok).toBe(false);
    if (result?.ok !== false) return;
    expect(result.error.kind).toBe('timeout');
    expect(result.error.message).toMatch(new RegExp(`^${site.url('/frozen')}: no measurement within`));
  });

  it('stops on cancellation, at any point of a page, and returns the rest as cancelled', async () => {
    // 0 and 30 ms fall while the context and page are being made, 500 ms while the page loads.
    for (const afterMs of [0, 30, 500]) {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), afterMs);
      const started = Date.now();
      const results = await measurePages(
        [site.url('/hang'), site.url('/ok')],
        options({ signal: controller.signal, timeoutMs: 20_000 }),
      );
      expect(Date.now() - started).toBeLessThan(afterMs + 3_000);
      expect(results).toEqual([
        {
          ok: false,
          url: site.url('/hang'),
          error: { kind: 'aborted', message: `${site.url('/hang')}: cancelled while it was measured` },
        },
        {
          ok: false,
          url: site.url('/ok'),
          error: { kind: 'aborted', message: `${site.url('/ok')}: cancelled before it was measured` },
        },
      ]);
    }
  });

  it('names the missing browser for every URL', async () => {
    const urls = [site.url('/ok'), site.url('/broken')];
    const results = await measurePages(urls, { chromiumPath: '/nonexistent/chromium' });
    expect(results).toEqual(
      urls.map((url) => ({
        ok: false,
        url,
        error: {
          kind: 'browser',
          message: `${url}: Chromium not found at /nonexistent/chromium (set WASL_CHROMIUM_PATH)`,
        },
      })),
    );
  });

  it('launches and closes its own browser when given none', async () => {
    const [result] = await measurePages([site.url('/ok')], { cpuSlowdown: 1, quietWindowMs: 300 });
    expect(result?.ok).toBe(true);
    if (!result?.ok) return;
    expect(result.value.lcp?.element).toBe('p');
    expect(result.value.requests).toBe(1);
  });
});
