import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IngestApp, startIngestApp } from './helpers/ingest.ts';

/**
 * The real tracker (t.js served by the server) in Debian's Chromium, on pages
 * of another origin, posting to a real server with the collection endpoints:
 * what the browser sends arrives in the events store enriched.
 */
const CHROMIUM = process.env.WASL_CHROMIUM ?? '/usr/bin/chromium';

describe.skipIf(!existsSync(CHROMIUM))('the tracker in Chromium, end to end', { timeout: 60_000 }, () => {
  let t: IngestApp;
  let browser: Browser;
  let pages: Server;
  let site: string;
  let collector: string;

  beforeAll(async () => {
    t = await startIngestApp();
    t.clock.now = Date.now();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    collector = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    pages = createServer((req, res) => {
      const consent = (req.url ?? '').includes('consent') ? 'data-consent' : '';
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>عروض رمضان</title>
<script>window.wasl=window.wasl||function(){(wasl.q=wasl.q||[]).push(arguments)};</script>
<script defer src="${collector}/t.js" data-site="${t.site.key}" ${consent}></script>
</head><body><h1>وصل</h1></body></html>`);
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    site = `http://127.0.0.1:${(pages.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    pages?.closeAllConnections();
    await new Promise((resolve) => pages?.close(resolve));
    await t?.close();
  });

  const newPage = async (): Promise<Page> =>
    (await browser.newContext({ locale: 'ar-SA', screen: { width: 1366, height: 768 } })).newPage();

  const stored = async (match: (e: Awaited<ReturnType<IngestApp['stored']>>[number]) => boolean) => {
    let found: Awaited<ReturnType<IngestApp['stored']>>[number] | undefined;
    await expect
      .poll(async () => (found = (await t.stored()).find(match)), { timeout: 10_000 })
      .toBeDefined();
    return found;
  };

  it('a pageview, a custom event and engagement arrive enriched', async () => {
    const p = await newPage();
    await p.goto(
      `${site}/ar/عروض?utm_source=newsletter&utm_medium=email&utm_campaign=${encodeURIComponent('رمضان')}`,
      {
        referer: 'https://www.google.com/',
      },
    );
    const view = await stored((e) => e.type === 'page' && e.context.path === '/ar/عروض');
    expect(view?.context).toMatchObject({
      siteId: t.site.id,
      title: 'عروض رمضان',
      utm: { source: 'newsletter', medium: 'email', campaign: 'رمضان' },
      medium: 'email',
      locale: 'ar-SA',
      identity: 'cookieless',
      device: { type: 'desktop', screen: '1366x768' },
      // Playwright drives Chromium by automation: navigator.webdriver is true, and the visit counts as a bot.
      bot: true,
    });
    expect(view?.properties.$botReason).toBe('webdriver');

    // Strings, not functions: this file is type-checked without the DOM library.
    await p.evaluate("wasl('event', 'شراء', { 'الكمية': 2 })");
    const purchase = await stored((e) => e.name === 'شراء');
    expect(purchase).toMatchObject({ type: 'track', properties: { الكمية: 2 } });
    expect(purchase?.context.sessionId).toBe(view?.context.sessionId);

    await p.evaluate(
      "Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });" +
        "document.dispatchEvent(new Event('visibilitychange'))",
    );
    const engagement = await stored((e) => e.name === '$engagement');
    expect(engagement?.context.path).toBe('/ar/عروض');
    expect(engagement?.context.engagedMs).toBeGreaterThan(0);
  });

  it('consent mode: the stored visitor id is the first-party id hashed with the site', async () => {
    const p = await newPage();
    await p.goto(`${site}/consent`);
    const view = await stored((e) => e.context.path === '/consent');
    expect(view?.context.identity).toBe('consent');
    const uid = await p.evaluate<string | null>("localStorage.getItem('wasl_uid')");
    expect(uid).toBeTruthy();
    expect(view?.anonymousId).not.toContain(String(uid));
  });
});
