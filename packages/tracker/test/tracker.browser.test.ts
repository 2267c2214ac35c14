import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACKER_DIST, trackerScript } from '../src/index.ts';
import type { Payload, PayloadType } from '../src/payload.ts';
import { type PageOptions, pageHtml, startTestSites, type TestSites } from './test-sites.ts';

/**
 * The built tracker in Debian's Chromium, on test pages served from one
 * origin and reporting to a capturing collector on another: each kind of
 * payload arrives with the right fields, and the privacy options hold.
 */
const CHROMIUM = process.env.WASL_CHROMIUM ?? '/usr/bin/chromium';
const SCREEN = { width: 1366, height: 768 };

type Of<T extends PayloadType> = Extract<Payload, { type: T }>;

describe.skipIf(!existsSync(CHROMIUM))(`tracker in Chromium (${CHROMIUM})`, { timeout: 60_000 }, () => {
  let browser: Browser;
  let sites: TestSites;
  let script: Uint8Array;

  beforeAll(async () => {
    script = await trackerScript();
    sites = await startTestSites(script);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await sites?.close();
  });

  /** A fresh Arabic-locale browser profile, optionally with a script run before every page's own. */
  const newPage = async (initScript?: string): Promise<Page> => {
    const context = await browser.newContext({ locale: 'ar-SA', screen: SCREEN, viewport: SCREEN });
    if (initScript) await context.addInitScript(initScript);
    return context.newPage();
  };

  /** Registers a test page whose data-site is `name`; the tracker comes from the collector origin. */
  const page = (name: string, options: Partial<PageOptions> = {}) =>
    sites.page(name, pageHtml(name, { src: `${sites.collector}/t.js`, ...options }));

  const payloads = (site: string) =>
    sites.received.filter((r) => r.payload.site === site).map((r) => r.payload);
  const ofType = <T extends PayloadType>(site: string, type: T) =>
    payloads(site).filter((p): p is Of<T> => p.type === type);
  const events = (site: string) => ofType(site, 'event');

  /** Polls until `read` returns something truthy; fails naming what was awaited and what arrived. */
  const until = async <T>(what: string, read: () => T | undefined | false, ms = 8_000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = read();
      if (value) return value;
      if (Date.now() > deadline)
        throw new Error(
          `timed out waiting for ${what}; received: ${JSON.stringify(sites.received, null, 1)}`,
        );
      await sleep(25);
    }
  };
  const pageviewAt = (site: string, url: string) =>
    until(`pageview of ${url}`, () => ofType(site, 'pageview').find((p) => p.url === url));
  const eventNamed = (site: string, name: string) =>
    until(`event ${name}`, () => events(site).find((p) => p.name === name));
  /** Payloads that would have been sent before `sentinel` have arrived too (fetches may race). */
  const settle = async () => sleep(300);

  /** Overrides the page's visibility and fires visibilitychange, as a tab switch would. */
  const setHidden = (p: Page, hidden: boolean) =>
    p.evaluate((h) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
      Object.defineProperty(document, 'visibilityState', {
        configurable: true,
        get: () => (h ? 'hidden' : 'visible'),
      });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);

  it('serves the built script from dist', () => {
    expect(Buffer.from(readFileSync(TRACKER_DIST)).equals(Buffer.from(script))).toBe(true);
  });

  it('sends the landing pageview with campaign, click id, referrer, screen and language, as text/plain without a preflight', async () => {
    const folder = page('landing', { title: 'عروض رمضان' });
    const url = `${folder}?utm_source=newsletter&utm_medium=email&utm_campaign=${encodeURIComponent('رمضان')}&gclid=Cj0KCQ`;
    const before = Date.now();
    const p = await newPage();
    await p.goto(url, { referer: 'https://www.google.com/' });
    const view = await pageviewAt('landing', url);

    expect(view).toMatchObject({
      type: 'pageview',
      site: 'landing',
      referrer: 'https://www.google.com/',
      title: 'عروض رمضان',
      lang: 'ar-SA',
      screen: '1366x768',
      // Playwright drives Chromium by automation, which sets navigator.webdriver.
      webdriver: true,
    });
    const query = new URL(view.url).searchParams;
    expect(Object.fromEntries(query)).toEqual({
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'رمضان',
      gclid: 'Cj0KCQ',
    });
    expect(view.ts).toBeGreaterThanOrEqual(before);
    expect(view.ts).toBeLessThanOrEqual(Date.now());
    expect(view.uid).toBeUndefined();

    const request = sites.received.find((r) => r.payload === view)!;
    expect(request.contentType).toMatch(/^text\/plain/);
    // Sent across origins, to the origin the script came from (no data-api).
    expect(request.origin).toBe(sites.site);
    expect(`http://${request.host}`).toBe(sites.collector);
    expect(sites.preflights).toBe(0);
  });

  it('sends to data-api when the script is served from elsewhere', async () => {
    const folder = page('api', { src: `${sites.site}/t.js`, attributes: `data-api="${sites.collector}/"` });
    const p = await newPage();
    await p.goto(folder);
    await pageviewAt('api', folder);
    const hosts = sites.received.filter((r) => r.payload.site === 'api').map((r) => `http://${r.host}`);
    expect(hosts).toEqual([sites.collector]);
  });

  it('sends a pageview for each SPA navigation (pushState, replaceState to a new URL, popstate), with the page left as referrer and its engagement', async () => {
    const folder = page('spa');
    const p = await newPage();
    await p.goto(folder);
    await pageviewAt('spa', folder);
    await sleep(300);

    await p.evaluate(() => {
      document.title = 'الأسعار';
      history.pushState({}, '', '/s/spa/pricing?plan=pro');
    });
    const pricing = await pageviewAt('spa', `${folder}pricing?plan=pro`);
    expect(pricing).toMatchObject({ referrer: folder, title: 'الأسعار' });
    const left = await until('engagement of the page left', () => ofType('spa', 'engagement')[0]);
    expect(left.url).toBe(folder);
    expect(left.engagedMs).toBeGreaterThanOrEqual(250);

    // The same URL again is not a new page view.
    await p.evaluate(() => history.replaceState({ scroll: 1 }, '', location.href));
    await p.evaluate(() => history.replaceState({}, '', '/s/spa/pricing?plan=team'));
    await pageviewAt('spa', `${folder}pricing?plan=team`);
    await p.goBack();
    await until('pageview back on the first page', () =>
      ofType('spa', 'pageview').find((v) => v.url === folder && v.referrer === `${folder}pricing?plan=team`),
    );
    await settle();
    expect(ofType('spa', 'pageview').map((v) => v.url.slice(folder.length))).toEqual([
      '',
      'pricing?plan=pro',
      'pricing?plan=team',
      '',
    ]);
  });

  it('counts hash routes as pages only with data-hash', async () => {
    const hashed = page('hash', { attributes: 'data-hash' });
    const h = await newPage();
    await h.goto(`${hashed}#/start`);
    await pageviewAt('hash', `${hashed}#/start`);
    await h.evaluate(() => {
      location.hash = '#/ar/offers';
    });
    const offers = await pageviewAt('hash', `${hashed}#/ar/offers`);
    expect(offers.referrer).toBe(`${hashed}#/start`);

    const plain = page('nohash');
    const n = await newPage();
    await n.goto(`${plain}#/start`);
    await pageviewAt('nohash', plain);
    await n.evaluate(() => {
      location.hash = '#/ar/offers';
    });
    await n.evaluate(() => history.pushState({}, '', '#/ar/contact'));
    await n.evaluate(() => history.pushState({}, '', '/s/nohash/next'));
    await pageviewAt('nohash', `${plain}next`);
    await settle();
    expect(ofType('nohash', 'pageview').map((v) => v.url)).toEqual([plain, `${plain}next`]);
  });

  it('records outbound link clicks and file downloads, not internal, mailto or right clicks', async () => {
    const body = `
      <a id="out" href="${sites.collector}/elsewhere?ref=wasl">شريكنا</a>
      <a id="pdf" href="/files/تقرير-2025.pdf">التقرير</a>
      <a id="export" href="/files/export?format=raw" download>تصدير</a>
      <a id="internal" href="#contact">اتصل بنا</a>
      <a id="mail" href="mailto:info@example.com">البريد</a>`;
    const folder = page('clicks', { body });
    const p = await newPage();
    await p.goto(folder);
    await pageviewAt('clicks', folder);

    await p.click('#out');
    await p.click('#pdf');
    await p.click('#export');
    await p.click('#internal');
    await p.click('#mail');
    await p.click('#out', { button: 'right' });
    await p.click('#out', { button: 'middle' });
    await p.evaluate(() => window.wasl?.('event', 'sentinel'));
    await eventNamed('clicks', 'sentinel');
    await settle();

    const out = `${sites.collector}/elsewhere?ref=wasl`;
    // Each click is its own request, so compare regardless of arrival order.
    const recorded = events('clicks').map((e) => `${e.name} ${decodeURI(String(e.props?.url))}`);
    expect(recorded.sort()).toEqual(
      [
        `outbound ${out}`,
        `download ${sites.site}/files/تقرير-2025.pdf`,
        `download ${sites.site}/files/export?format=raw`,
        `outbound ${out}`,
        'sentinel undefined',
      ].sort(),
    );
    expect(events('clicks')[0]!.url).toBe(folder);
  });

  it('sends custom events with Arabic names and props, including calls queued before the script loaded', async () => {
    const before = `wasl('event', 'تسجيل', { 'الخطة': 'ذهبية', price: 49.5 }); window.queuedBeforeLoad = wasl.q.length;`;
    const folder = page('custom', { before });
    const p = await newPage();
    await p.goto(folder);
    const queued = await eventNamed('custom', 'تسجيل');
    expect(queued.props).toEqual({ الخطة: 'ذهبية', price: 49.5 });
    expect(await p.evaluate(() => (window as unknown as { queuedBeforeLoad: number }).queuedBeforeLoad)).toBe(
      1,
    );
    expect(await p.evaluate(() => window.wasl?.q)).toBeUndefined();

    await p.evaluate(() => window.wasl?.('event', 'شراء', { المنتج: 'عطر العود', الكمية: 2, هدية: true }));
    const bought = await eventNamed('custom', 'شراء');
    expect(bought).toMatchObject({
      type: 'event',
      url: folder,
      props: { المنتج: 'عطر العود', الكمية: 2, هدية: true },
    });
    // Replayed after the landing pageview, which set the page's URL.
    expect(queued.url).toBe(folder);
    expect(
      payloads('custom')
        .map((x) => x.type)
        .sort(),
    ).toEqual(['event', 'event', 'pageview']);
  });

  it('measures engagement only while the page is visible, and sends it by beacon when hidden and on pagehide', async () => {
    const folder = page('engaged');
    const p = await newPage();
    await p.goto(folder);
    await pageviewAt('engaged', folder);
    const started = Date.now();
    await sleep(400);
    await setHidden(p, true);
    const first = await until('engagement when hidden', () => ofType('engaged', 'engagement')[0]);

    const HIDDEN_MS = 2_000;
    await sleep(HIDDEN_MS);
    await setHidden(p, false);
    await sleep(400);
    // A real pagehide: leave for another page.
    await p.goto(page('engaged-next'));
    const both = await until('engagement on pagehide', () => {
      const all = ofType('engaged', 'engagement');
      return all.length >= 2 && all;
    });
    const elapsed = Date.now() - started;
    await settle();

    expect(ofType('engaged', 'engagement')).toHaveLength(2);
    for (const e of both) {
      expect(e.url).toBe(folder);
      expect(e.engagedMs).toBeGreaterThanOrEqual(380);
      expect(e.engagedMs).toBeLessThan(HIDDEN_MS);
    }
    expect(first).toBe(both[0]);
    const total = both.reduce((sum, e) => sum + e.engagedMs, 0);
    // Everything outside the hidden stretch, at most: the hidden 2 s are not in it.
    expect(total).toBeLessThan(elapsed - HIDDEN_MS + 500);
    const beacons = sites.received.filter(
      (r) => r.payload.site === 'engaged' && r.payload.type === 'engagement',
    );
    expect(beacons.every((r) => r.contentType?.startsWith('text/plain'))).toBe(true);
  });

  it('does not count the time after pagehide (back/forward cache) until the page is visible again', async () => {
    const folder = page('bfcache');
    const p = await newPage();
    await p.goto(folder);
    await pageviewAt('bfcache', folder);
    await sleep(200);
    await p.evaluate(() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
    await until('engagement on pagehide', () => ofType('bfcache', 'engagement')[0]);
    await sleep(1_500);
    // Restored and shown again (still reads visible, as in a same-tab navigation).
    await setHidden(p, false);
    await sleep(200);
    await p.evaluate(() => history.pushState({}, '', '/s/bfcache/next'));
    const second = await until('engagement on navigation', () => ofType('bfcache', 'engagement')[1]);
    expect(second.engagedMs).toBeGreaterThanOrEqual(180);
    expect(second.engagedMs).toBeLessThan(1_000);
  });

  it('waits for a prerendered page to be shown before counting it', async () => {
    const folder = page('prerender');
    const p = await newPage(
      `Object.defineProperty(document, 'prerendering', { configurable: true, get: () => !window.shown });`,
    );
    await p.goto(folder);
    await p.waitForFunction(() => document.readyState === 'complete');
    await settle();
    expect(payloads('prerender')).toEqual([]);
    await p.evaluate(() => {
      (window as unknown as { shown: boolean }).shown = true;
      document.dispatchEvent(new Event('prerenderingchange'));
    });
    await pageviewAt('prerender', folder);
  });

  it('consent mode keeps a random id in localStorage, sends it with every payload and allows identify', async () => {
    const folder = page('consent', { attributes: 'data-consent' });
    const p = await newPage();
    await p.goto(folder);
    const first = await pageviewAt('consent', folder);
    const stored = await p.evaluate(() => localStorage.getItem('wasl_uid'));
    expect(stored).toMatch(/^\d+-\d+-\d+-\d+$/);
    expect(first.uid).toBe(stored);

    await p.evaluate(() => {
      window.wasl?.('identify', { email: 'layla@example.com' });
      window.wasl?.('identify', { contactId: 'c_42' });
    });
    const identities = await until('two identify payloads', () => {
      const all = ofType('consent', 'identify');
      return all.length === 2 && all;
    });
    expect(identities.map((i) => [i.props, i.uid])).toEqual([
      [{ email: 'layla@example.com' }, stored],
      [{ contactId: 'c_42' }, stored],
    ]);

    await p.reload();
    await until('second pageview', () => ofType('consent', 'pageview')[1]);
    expect(new Set(payloads('consent').map((x) => x.uid))).toEqual(new Set([stored]));
    expect(await p.evaluate(() => Object.keys(localStorage))).toEqual(['wasl_uid']);
  });

  it('cookieless by default: stores nothing in the browser, sends no id and ignores identify', async () => {
    const folder = page('cookieless', { body: `<a id="out" href="${sites.collector}/elsewhere">خارج</a>` });
    const p = await newPage();
    await p.goto(folder);
    await pageviewAt('cookieless', folder);
    await p.click('#out');
    await p.evaluate(() => {
      window.wasl?.('identify', { email: 'layla@example.com' });
      window.wasl?.('event', 'after-identify');
    });
    await eventNamed('cookieless', 'after-identify');
    await p.evaluate(() => history.pushState({}, '', '/s/cookieless/next'));
    await pageviewAt('cookieless', `${folder}next`);
    await settle();

    expect(
      payloads('cookieless')
        .map((x) => x.type)
        .sort(),
    ).toEqual(['engagement', 'event', 'event', 'pageview', 'pageview']);
    expect(payloads('cookieless').every((x) => !('uid' in x))).toBe(true);
    expect(
      await p.evaluate(async () => [
        localStorage.length,
        sessionStorage.length,
        document.cookie,
        await indexedDB.databases(),
      ]),
    ).toEqual([0, 0, '', []]);
    const state = await p.context().storageState();
    expect(state).toEqual({ cookies: [], origins: [] });
  });

  it('with data-respect-privacy, sends nothing under Global Privacy Control or Do Not Track; without it, ignores them', async () => {
    const signals = {
      gpc: `Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { configurable: true, get: () => true });`,
      dnt: `Object.defineProperty(Navigator.prototype, 'doNotTrack', { configurable: true, get: () => '1' });`,
    };
    for (const [signal, init] of Object.entries(signals)) {
      const p = await newPage(init);
      const respecting = page(`private-${signal}`, { attributes: 'data-respect-privacy' });
      await p.goto(respecting);
      await p.evaluate(() => window.wasl?.('event', 'ignored'));
      const ignoring = page(`tracked-${signal}`);
      await p.goto(ignoring);
      await pageviewAt(`tracked-${signal}`, ignoring);
      await settle();
      expect(payloads(`private-${signal}`)).toEqual([]);
    }
  });

  it('with data-exclude-self, sends nothing while localStorage.wasl_ignore is "true"', async () => {
    const p = await newPage(`localStorage.setItem('wasl_ignore', 'true');`);
    const excluded = page('self', { attributes: 'data-exclude-self', before: `wasl('event', 'queued');` });
    await p.goto(excluded);
    await p.evaluate(() => window.wasl?.('event', 'ignored'));
    // The flag is honoured only where the site asks for it.
    const other = page('not-self');
    await p.goto(other);
    await pageviewAt('not-self', other);
    await settle();
    expect(payloads('self')).toEqual([]);

    const q = await newPage();
    await q.goto(excluded);
    await pageviewAt('self', excluded);
  });
});
