import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { firstLine, launchChromium } from './browser.ts';
import { cumulativeLayoutShift, totalBlockingTime, withoutEmulationInput } from './metrics.ts';
import { OBSERVER_SCRIPT, SNAPSHOT, type Snapshot } from './observer.ts';
import { cdpNetworkConditions, MOBILE, SLOW_4G } from './profiles.ts';
import type {
  DeviceProfile,
  NetworkConditions,
  RenderError,
  RenderErrorKind,
  RenderOptions,
  RenderResult,
} from './types.ts';

interface Settings {
  device: DeviceProfile;
  cpuSlowdown: number;
  network?: NetworkConditions;
  timeoutMs: number;
  quietWindowMs: number;
  maxWindowMs: number;
  signal?: AbortSignal;
}

const POLL_MS = 100;
// How long past the window's cap the page may take to answer before it counts as hung.
const ANSWER_GRACE_MS = 5_000;

const settingsOf = (o: RenderOptions): Settings => ({
  device: o.device ?? MOBILE,
  cpuSlowdown: o.cpuSlowdown ?? 4,
  network: o.network === 'slow4g' ? SLOW_4G : o.network === 'off' ? undefined : o.network,
  timeoutMs: o.timeoutMs ?? 45_000,
  quietWindowMs: o.quietWindowMs ?? 5_000,
  maxWindowMs: o.maxWindowMs ?? 20_000,
  signal: o.signal,
});

const failure = (url: string, kind: RenderErrorKind, reason: string, status?: number): RenderResult => {
  const error: RenderError = { kind, message: `${url}: ${reason}` };
  if (status !== undefined) error.status = status;
  return { ok: false, url, error };
};

/**
 * Loads each URL in turn in one Chromium (launched here unless
 * `options.browser` is given), each in a fresh context so no cache or storage
 * carries over. One result per URL, in order; failures are values.
 */
export const measurePages = async (
  urls: readonly string[],
  options: RenderOptions = {},
): Promise<RenderResult[]> => {
  const settings = settingsOf(options);
  let browser = options.browser;
  if (!browser) {
    if (settings.signal?.aborted)
      return urls.map((url) => failure(url, 'aborted', 'cancelled before it was measured'));
    const launched = await launchChromium(options.chromiumPath);
    if (!launched.ok) return urls.map((url) => failure(url, 'browser', launched.error.message));
    browser = launched.value;
  }
  try {
    const results: RenderResult[] = [];
    for (const url of urls) results.push(await measurePage(browser, url, settings));
    return results;
  } finally {
    if (!options.browser) await settleWithin(browser.close(), ANSWER_GRACE_MS);
  }
};

const measurePage = async (browser: Browser, url: string, s: Settings): Promise<RenderResult> => {
  if (s.signal?.aborted) return failure(url, 'aborted', 'cancelled before it was measured');
  let context: BrowserContext;
  try {
    // A new context has an empty cache and storage: every page is a first visit.
    context = await browser.newContext({
      viewport: s.device.viewport,
      deviceScaleFactor: s.device.deviceScaleFactor,
      isMobile: s.device.isMobile,
      hasTouch: s.device.hasTouch,
      ...(s.device.userAgent === undefined ? {} : { userAgent: s.device.userAgent }),
    });
  } catch (e) {
    return failure(url, 'browser', `no browser context: ${firstLine(e)}`);
  }
  // Playwright calls in flight when their context closes may never settle (newPage does not), so
  // the result is whichever comes first: the measurement, the abort or the overall limit.
  let stop: (result: RenderResult) => void = () => {};
  const stopped = new Promise<RenderResult>((resolve) => {
    stop = resolve;
  });
  const onAbort = () => stop(failure(url, 'aborted', 'cancelled while it was measured'));
  const limitMs = s.timeoutMs + s.maxWindowMs + s.quietWindowMs + 2 * ANSWER_GRACE_MS;
  const timer = setTimeout(() => stop(failure(url, 'timeout', `not measured within ${limitMs} ms`)), limitMs);
  s.signal?.addEventListener('abort', onAbort, { once: true });
  // An abort while the context was being made found no listener.
  if (s.signal?.aborted) onAbort();
  try {
    const measured = s.signal?.aborted
      ? stopped
      : measureIn(context, url, s).catch((e: unknown) =>
          s.signal?.aborted
            ? failure(url, 'aborted', 'cancelled while it was measured')
            : failure(url, 'measurement', firstLine(e)),
        );
    return await Promise.race([stopped, measured]);
  } finally {
    clearTimeout(timer);
    s.signal?.removeEventListener('abort', onAbort);
    await settleWithin(context.close(), ANSWER_GRACE_MS);
  }
};

/** Waits for `promise` at most `ms`, ignoring how it ends. */
const settleWithin = async (promise: Promise<unknown>, ms: number): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise.catch(() => {}),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
};

const measureIn = async (context: BrowserContext, url: string, s: Settings): Promise<RenderResult> => {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const network = { requests: 0, bytes: 0 };
  const counted = new Set<string>();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (!/^https?:/i.test(e.request.url)) return;
    network.requests += 1;
    counted.add(e.requestId);
    // A redirect reuses the request id; the hop's own bytes arrive with the next request.
    if (e.redirectResponse) network.bytes += e.redirectResponse.encodedDataLength;
  });
  cdp.on('Network.loadingFinished', (e) => {
    if (counted.has(e.requestId)) network.bytes += e.encodedDataLength;
  });
  await cdp.send('Network.enable');
  if (s.network) await cdp.send('Network.emulateNetworkConditions', cdpNetworkConditions(s.network));
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: s.cpuSlowdown });
  await page.addInitScript(OBSERVER_SCRIPT);

  let status: number;
  try {
    const response = await page.goto(url, { waitUntil: 'load', timeout: s.timeoutMs });
    status = response?.status() ?? 0;
  } catch (e) {
    if (s.signal?.aborted) return failure(url, 'aborted', 'cancelled while it was measured');
    if (e instanceof Error && e.name === 'TimeoutError')
      return failure(url, 'timeout', `no load event within ${s.timeoutMs} ms`);
    return failure(url, 'navigation', firstLine(e));
  }
  if (status >= 400) return failure(url, 'http_status', `answered HTTP ${status}`, status);

  const window = await observeWindow(page, s);
  if (!window.ok) return failure(url, window.kind, window.reason);
  const { snap, capped } = window;
  const nav = snap.nav!;
  const end = snap.now;
  const cls = cumulativeLayoutShift(
    withoutEmulationInput(
      snap.shifts.filter((e) => e.startTime <= end),
      snap.documentStart,
    ),
  );
  const ms = (n: number) => Math.round(n * 10) / 10;
  return {
    ok: true,
    url,
    value: {
      url,
      finalUrl: page.url(),
      status,
      device: s.device.name,
      cpuSlowdown: s.cpuSlowdown,
      network: s.network?.name ?? 'off',
      ttfbMs: ms(nav.responseStart),
      domContentLoadedMs: ms(nav.domContentLoadedEventStart),
      loadMs: ms(nav.loadEventStart),
      fcpMs: snap.fcp === undefined ? undefined : ms(snap.fcp),
      lcp: snap.lcp && { ...snap.lcp, ms: ms(snap.lcp.ms) },
      cls: Math.round(cls * 10_000) / 10_000,
      tbtMs: snap.fcp === undefined ? undefined : ms(totalBlockingTime(snap.tasks, snap.fcp, end)),
      longTasks: snap.tasks.filter((t) => t.startTime <= end).length,
      requests: network.requests,
      transferBytes: network.bytes,
      windowEndMs: ms(end),
      windowCapped: capped,
    },
  };
};

type Window =
  | { ok: true; snap: Snapshot; capped: boolean }
  | { ok: false; kind: RenderErrorKind; reason: string };

/**
 * Polls the page until `quietWindowMs` has passed since load, FCP and the
 * last long task (seen twice in a row, since a long task's entry is delivered
 * a little after it ends), or load plus `maxWindowMs`.
 */
const observeWindow = async (page: Page, s: Settings): Promise<Window> => {
  const giveUpAt = Date.now() + s.maxWindowMs + s.quietWindowMs + ANSWER_GRACE_MS;
  let quietBefore = false;
  let crashed = false;
  page.once('crash', () => {
    crashed = true;
  });
  for (;;) {
    const left = giveUpAt - Date.now();
    if (left <= 0) break;
    if (crashed || page.isClosed())
      return { ok: false, kind: 'measurement', reason: 'the page crashed or closed before its window ended' };
    const snap = await snapshot(page, left);
    if (snap === 'hung') break;
    const load = snap?.nav?.loadEventStart ?? 0;
    if (snap && load > 0) {
      const lastTaskEnd = Math.max(0, ...snap.tasks.map((t) => t.startTime + t.duration));
      const quiet = snap.now - Math.max(load, snap.fcp ?? 0, lastTaskEnd) >= s.quietWindowMs;
      if (quiet && quietBefore) return { ok: true, snap, capped: false };
      if (snap.now - load >= s.maxWindowMs) return { ok: true, snap, capped: true };
      quietBefore = quiet;
    }
    await sleep(POLL_MS, undefined, { signal: s.signal });
  }
  return {
    ok: false,
    kind: 'timeout',
    reason: `no measurement within ${s.maxWindowMs + s.quietWindowMs + ANSWER_GRACE_MS} ms after load (the page kept its main thread busy or navigated again)`,
  };
};

/** null while the document has no observer (mid-navigation); 'hung' when the page does not answer in time. */
const snapshot = async (page: Page, withinMs: number): Promise<Snapshot | null | 'hung'> => {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), withinMs);
  });
  try {
    return await Promise.race([page.evaluate<Snapshot | null>(SNAPSHOT).catch(() => null), hung]);
  } finally {
    clearTimeout(timer);
  }
};
