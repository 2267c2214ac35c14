import type { Browser } from 'playwright-core';

/** The page's size and kind of screen, as Playwright's context options take them. */
export interface DeviceProfile {
  name: string;
  viewport: { width: number; height: number };
  deviceScaleFactor: number;
  isMobile: boolean;
  hasTouch: boolean;
  /** Undefined keeps Chromium's own. */
  userAgent?: string;
}

/** What CDP's Network.emulateNetworkConditions is given, in people's units. */
export interface NetworkConditions {
  name: string;
  /** Added from sending a request to its response headers (ms). */
  latencyMs: number;
  downloadKbps: number;
  uploadKbps: number;
}

export interface RenderOptions {
  /** Default: env WASL_CHROMIUM_PATH, else /usr/bin/chromium. */
  chromiumPath?: string;
  /** A browser to reuse (it is left open); otherwise one is launched for the batch and closed after it. */
  browser?: Browser;
  /** Default: MOBILE (412×823 at 2.625). */
  device?: DeviceProfile;
  /** CDP Emulation.setCPUThrottlingRate; 1 means none. Default 4. */
  cpuSlowdown?: number;
  /** Default 'off'. */
  network?: NetworkConditions | 'slow4g' | 'off';
  /** Limit for reaching the load event; past it the page is a 'timeout' error. Default 45 000. */
  timeoutMs?: number;
  /** The observation window ends once this long has passed after load and FCP with no long task. Default 5 000. */
  quietWindowMs?: number;
  /** ... or this long after load, whichever comes first. Default 20 000. */
  maxWindowMs?: number;
  signal?: AbortSignal;
}

/** The largest contentful paint and what painted it. */
export interface LcpInfo {
  ms: number;
  /** Painted area in CSS px². */
  size: number;
  /** e.g. 'img#hero', 'p.lead'; undefined when the element has left the document. */
  element?: string;
  /** The image's URL for image candidates. */
  url?: string;
}

/**
 * Times are milliseconds from navigation start. The observation window runs
 * from navigation start to `windowEndMs`: the first poll (every 100 ms, seen
 * twice in a row) at which `quietWindowMs` has passed since load, FCP and
 * the end of the last long task, or load + `maxWindowMs` (`windowCapped`).
 * CLS, LCP and TBT cover only that window. Lighthouse ends TBT at TTI (5 s
 * quiet of CPU and network); this end is TTI's CPU condition alone, and as no
 * long task falls in the quiet stretch, TBT to its end equals TBT to its start.
 */
export interface RenderMetrics {
  url: string;
  finalUrl: string;
  status: number;
  device: string;
  cpuSlowdown: number;
  network: string;
  /**
   * Navigation Timing's responseStart. Chromium's network emulation holds a
   * response back after its headers, so emulated latency shows in load, not here.
   */
  ttfbMs: number;
  /** When DOMContentLoaded fired (domContentLoadedEventStart). */
  domContentLoadedMs: number;
  /** When load fired (loadEventStart). */
  loadMs: number;
  /** Undefined when nothing contentful was painted. */
  fcpMs?: number;
  lcp?: LcpInfo;
  /**
   * web-vitals: the largest session window of main-frame shifts without
   * recent input (1 s gap, 5 s cap), after withoutEmulationInput.
   */
  cls: number;
  /** Lighthouse's sum of (long task − 50 ms) clipped to [FCP, window end]; undefined without FCP. */
  tbtMs?: number;
  longTasks: number;
  /**
   * HTTP(S) requests the page made (each redirect hop counts), and the bytes
   * they took on the wire, headers included. Cross-site iframes run in their
   * own process and are not counted.
   */
  requests: number;
  transferBytes: number;
  windowEndMs: number;
  windowCapped: boolean;
}

export type RenderErrorKind =
  | 'browser'
  | 'navigation'
  | 'timeout'
  | 'http_status'
  | 'aborted'
  | 'measurement';

export interface RenderError {
  kind: RenderErrorKind;
  /** Names the URL and the reason. */
  message: string;
  /** Set for 'http_status'. */
  status?: number;
}

export type RenderResult =
  | { ok: true; url: string; value: RenderMetrics }
  | { ok: false; url: string; error: RenderError };
