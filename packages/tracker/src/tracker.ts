import type { Identity, Payload, PayloadDetail, PropValue } from './payload.ts';

/**
 * The browser tracker, built into one minified IIFE (dist/t.js). Every byte
 * here ships to every visitor, so the code favours short constructs; the
 * README documents the options and what each mode stores.
 */

type Call = [command: string, a?: unknown, b?: unknown];
type Wasl = ((...call: Call) => void) & { q?: Call[] };

declare global {
  interface Window {
    wasl?: Wasl;
  }
  interface Navigator {
    globalPrivacyControl?: boolean;
  }
  interface Document {
    prerendering?: boolean;
  }
}

const w = window;
const d = document;
const n = navigator;
const l = location;
const listen = (target: EventTarget, type: string, fn: (e: Event) => void) =>
  target.addEventListener(type, fn);
const script = d.currentScript as HTMLScriptElement | null;
const site = script?.dataset.site;
/** Whether the script tag carries `data-<option>`, in dataset's camelCase: excludeSelf is data-exclude-self. */
const has = (option: string) => option in script!.dataset;
const DOWNLOAD = /\.(pdf|zip|rar|7z|gz|dmg|exe|apk|docx?|xlsx?|pptx?|csv|mp[34])$/i;

const start = () => {
  const collect = new URL('/api/collect', script!.dataset.api || script!.src || l.href);
  const hashRoutes = has('hash');
  let uid: string | undefined;
  if (has('consent'))
    try {
      // 128 random bits; getRandomValues, not randomUUID: the latter needs a secure context.
      const id = localStorage.getItem('wasl_uid') || crypto.getRandomValues(new Uint32Array(4)).join('-');
      localStorage.setItem('wasl_uid', id);
      uid = id;
    } catch {}

  let url = '';
  let referrer = d.referrer;
  const send = (detail: PayloadDetail, beacon?: 1) => {
    const body: Payload = {
      site: site!,
      url,
      referrer,
      lang: n.language,
      screen: `${screen.width}x${screen.height}`,
      webdriver: n.webdriver,
      ts: Date.now(),
      uid,
      ...detail,
    };
    const json = JSON.stringify(body);
    // fetch's default credentials mode sends no cookies to another origin. The
    // catch keeps blocked requests out of the site's unhandledrejection reports.
    if (beacon) n.sendBeacon(collect, json);
    else fetch(collect, { method: 'POST', body: json, keepalive: true }).catch(() => {});
  };

  // Engagement: visible milliseconds since the last engagement payload. Every
  // visibility change, page hide and SPA navigation closes the running period
  // (sending it, if any) and opens a new one only while the page is visible.
  let engaged = 0;
  let visibleSince = 0;
  const flush = () => {
    const now = Date.now();
    if (visibleSince) engaged += now - visibleSince;
    visibleSince = d.hidden ? 0 : now;
    if (engaged) send({ type: 'engagement', engagedMs: engaged }, 1);
    engaged = 0;
  };
  flush();
  listen(d, 'visibilitychange', flush);
  // Stop the clock even if the page still reads visible: time spent in the
  // back/forward cache is not engagement; becoming visible again restarts it.
  listen(w, 'pagehide', () => {
    flush();
    visibleSince = 0;
  });

  const pageview = () => {
    const next = hashRoutes ? l.href : l.href.split('#')[0]!;
    if (next === url) return;
    if (url) {
      flush();
      referrer = url;
    }
    url = next;
    send({ type: 'pageview', title: d.title });
  };
  // The History API fires no event on pushState/replaceState, so wrap them.
  for (const method of ['pushState', 'replaceState'] as const) {
    const original = history[method];
    history[method] = function (this: History, ...args: Parameters<History['pushState']>) {
      original.apply(this, args);
      pageview();
    };
  }
  listen(w, 'popstate', pageview);
  if (hashRoutes) listen(w, 'hashchange', pageview);

  const click = (e: Event) => {
    const link = (e.target as Element).closest?.('a');
    // No host: mailto:, tel:, javascript: links, which lead nowhere to count.
    if (!link?.host || (e as MouseEvent).button > 1) return;
    const file = DOWNLOAD.test(link.pathname) || link.hasAttribute('download');
    if (file || link.host !== l.host)
      send({ type: 'event', name: file ? 'download' : 'outbound', props: { url: link.href } });
  };
  listen(d, 'click', click);
  listen(d, 'auxclick', click);

  const wasl: Wasl = (command, a, b) => {
    if (command === 'event')
      send({ type: 'event', name: a as string, props: b as Record<string, PropValue> });
    // The server accepts only { email } or { contactId } here.
    if (command === 'identify' && uid) send({ type: 'identify', props: a as Identity });
  };
  const queued = w.wasl?.q || [];
  w.wasl = wasl;
  pageview();
  for (const call of queued) wasl(...call);
};

/** True when the site owner set the opt-out flag; reading storage may throw when it is blocked. */
const ignored = () => {
  try {
    return localStorage.getItem('wasl_ignore') === 'true';
  } catch {}
};

if (
  site &&
  !(has('respectPrivacy') && (n.globalPrivacyControl || n.doNotTrack === '1')) &&
  !(has('excludeSelf') && ignored())
) {
  // A prerendered page has not been seen yet: count it when it is shown.
  if (d.prerendering) listen(d, 'prerenderingchange', start);
  else start();
} else w.wasl = () => {};
