import { setMaxListeners } from 'node:events';
import { ok, type Result } from '@wasl/core';
import type { CrawledPage } from '../types.ts';
import { decodeHtml, looksBinary } from './charset.ts';
import { Fetcher, type FetchOutcome } from './fetch.ts';
import { extractLinks } from './links.ts';
import { type CrawlOptions, resolveOptions, type Settings } from './options.ts';
import { RobotsCache, type RobotsRules } from './robots.ts';
import { readSitemaps, type SitemapReport } from './sitemap.ts';
import { type CrawlProgress, type CrawlStateStore, MemoryCrawlStateStore, type QueueEntry } from './store.ts';
import { sameSite } from './url.ts';

export interface CrawlResult {
  /** complete: nothing left; page_limit: stopped at pageLimit; aborted: by the signal; cancelled: by the store. */
  status: 'complete' | 'page_limit' | 'aborted' | 'cancelled';
  /** Every page the store holds (earlier runs included), with inlinks filled in. */
  pages: CrawledPage[];
  progress: CrawlProgress;
  /** Sitemaps read by this run (none when it resumed a crawl already seeded). */
  sitemaps: SitemapReport[];
}

const CRAWL_DELAY_MAX_MS = 30_000;
const PROGRESS_EVERY_MS = 200;

const isHtml = (contentType: string | undefined) =>
  contentType === undefined || /^\s*(?:text\/html|application\/xhtml\+xml)\b/i.test(contentType);

interface HostState {
  active: number;
  nextAt: number;
  /** The politeness delay of the last request sent to the host. */
  delayMs: number;
}

/**
 * Crawls a site: start URLs and sitemaps, then same-site links breadth-first,
 * politely per host, within robots.txt. Expected failures of single pages are
 * recorded on the page; the result is an error only for invalid options.
 */
export async function crawl(options: CrawlOptions): Promise<Result<CrawlResult>> {
  const resolved = resolveOptions(options);
  if (!resolved.ok) return resolved;
  const run = new CrawlRun(resolved.value, options.store ?? new MemoryCrawlStateStore());
  try {
    return ok(await run.execute());
  } finally {
    await run.close();
  }
}

class CrawlRun {
  private readonly controller = new AbortController();
  private readonly fetcher: Fetcher;
  private readonly robots: RobotsCache;
  private readonly resolvedRobots = new Map<string, RobotsRules>();
  private readonly loadingRobots = new Set<string>();
  /** Pages whose <meta name=robots> says nofollow: their links are recorded, not followed. */
  private readonly noFollow = new WeakSet<CrawledPage>();
  private readonly hosts = new Map<string, HostState>();
  private readonly isInternal: (url: string) => boolean;
  private pending: QueueEntry[] = [];
  private inFlight = 0;
  private inFlightSite = 0;
  private siteDone = 0;
  private failure: unknown;
  private wake: () => void = () => undefined;
  private lastProgressAt = 0;

  constructor(
    private readonly s: Settings,
    private readonly store: CrawlStateStore,
  ) {
    // One signal spans every request of the run, each adding a listener.
    setMaxListeners(0, this.controller.signal);
    if (s.signal?.aborted) this.controller.abort();
    s.signal?.addEventListener('abort', () => this.controller.abort(), { once: true });
    this.controller.signal.addEventListener('abort', () => this.wake(), { once: true });
    this.fetcher = new Fetcher({
      userAgent: s.userAgent,
      headersTimeoutMs: s.headersTimeoutMs,
      bodyTimeoutMs: s.bodyTimeoutMs,
      maxRedirects: s.maxRedirects,
      policy: {
        allowPrivateTargets: s.allowPrivateTargets,
        allowHosts: s.allowHosts,
        http2: s.http2,
        connectTimeoutMs: s.connectTimeoutMs,
        ...(s.ca !== undefined ? { ca: s.ca } : {}),
      },
    });
    this.robots = new RobotsCache(this.fetcher, s.userAgent, this.controller.signal);
    this.isInternal = sameSite([...s.startUrls, ...s.sitemaps], s.includeSubdomains);
  }

  close(): Promise<void> {
    return this.fetcher.close();
  }

  private get signal() {
    return this.controller.signal;
  }

  async execute(): Promise<CrawlResult> {
    let status: CrawlResult['status'] = 'complete';
    let sitemaps: SitemapReport[] = [];
    if (await this.store.isCancelled()) return this.result('cancelled', sitemaps);
    await this.store.requeueClaimed();
    const start = await this.store.progress();
    this.siteDone = start.done;
    if (start.done + start.external + start.queued === 0) sitemaps = await this.seed();

    let cancelCheckAt = 0;
    for (;;) {
      if (this.signal.aborted) {
        status = 'aborted';
        break;
      }
      if (Date.now() >= cancelCheckAt) {
        cancelCheckAt = Date.now() + 500;
        if (await this.store.isCancelled()) {
          status = 'cancelled';
          this.controller.abort();
          break;
        }
      }
      const room = this.s.pageLimit - this.siteDone - this.inFlightSite - this.pendingSite();
      const space = this.s.concurrency * 4 - this.pending.length;
      if (space > 0 && room > 0) this.pending.push(...(await this.store.claim(Math.min(space, room))));
      const waitMs = this.dispatch();
      if (this.inFlight === 0 && this.pending.length === 0) {
        if (room <= 0 && (await this.store.progress()).queued > 0) status = 'page_limit';
        break;
      }
      await new Promise<void>((resolve) => {
        const timer = Number.isFinite(waitMs) ? setTimeout(resolve, waitMs) : undefined;
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    // In-flight requests end quickly once aborted; their pages are dropped.
    while (this.inFlight > 0) await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.failure !== undefined) throw this.failure;
    return this.result(status, sitemaps);
  }

  private pendingSite(): number {
    let n = 0;
    for (const entry of this.pending) if (entry.depth >= 0) n++;
    return n;
  }

  /** Starts what host limits allow; returns ms until a waiting host frees up (Infinity: wait for a request). */
  private dispatch(): number {
    const now = Date.now();
    let waitMs = Number.POSITIVE_INFINITY;
    const waiting: QueueEntry[] = [];
    for (const entry of this.pending) {
      if (this.inFlight >= this.s.concurrency) {
        waiting.push(entry);
        continue;
      }
      const url = new URL(entry.url);
      let rules: RobotsRules | undefined;
      if (this.s.respectRobots && entry.depth >= 0) {
        rules = this.resolvedRobots.get(url.origin);
        if (rules === undefined) {
          this.loadRobots(url.origin);
          waiting.push(entry);
          continue;
        }
        if (!rules.isAllowed(entry.url)) {
          this.start(entry, () => this.blocked(entry));
          continue;
        }
      }
      const host = this.hosts.get(url.host) ?? { active: 0, nextAt: 0, delayMs: 0 };
      this.hosts.set(url.host, host);
      if (host.active >= this.s.perHostConcurrency) {
        waiting.push(entry);
      } else if (host.nextAt > now) {
        waiting.push(entry);
        waitMs = Math.min(waitMs, host.nextAt - now);
      } else {
        const delay =
          this.s.perHostDelayMs === 0
            ? 0
            : Math.max(this.s.perHostDelayMs, Math.min(rules?.crawlDelayMs ?? 0, CRAWL_DELAY_MAX_MS));
        host.active++;
        host.nextAt = now + delay;
        host.delayMs = delay;
        this.start(entry, () => (entry.depth < 0 ? this.checkExternal(entry) : this.fetchPage(entry)), host);
      }
    }
    this.pending = waiting;
    return waitMs;
  }

  private loadRobots(origin: string): void {
    if (this.loadingRobots.has(origin)) return;
    this.loadingRobots.add(origin);
    this.robots.get(origin).then((rules) => {
      this.resolvedRobots.set(origin, rules);
      this.wake();
    });
  }

  private start(entry: QueueEntry, work: () => Promise<CrawledPage>, host?: HostState): void {
    this.inFlight++;
    if (entry.depth >= 0) this.inFlightSite++;
    work()
      .then(async (page) => {
        if (this.signal.aborted) return;
        await this.followLinks(page);
        await this.store.savePage(page);
        if (page.depth >= 0) this.siteDone++;
        await this.reportProgress(false);
      })
      .catch((error: unknown) => {
        this.failure ??= error;
        this.controller.abort();
      })
      .finally(() => {
        this.inFlight--;
        if (entry.depth >= 0) this.inFlightSite--;
        if (host) {
          host.active--;
          // Politeness counts from the answer too: a slow response is followed by the full delay,
          // so the host never sees two requests closer together than the delay.
          if (host.delayMs > 0) host.nextAt = Math.max(host.nextAt, Date.now() + host.delayMs);
        }
        this.wake();
      });
  }

  private async reportProgress(force: boolean): Promise<void> {
    if (!this.s.onProgress || (!force && Date.now() - this.lastProgressAt < PROGRESS_EVERY_MS)) return;
    this.lastProgressAt = Date.now();
    this.s.onProgress({ ...(await this.store.progress()), inFlight: this.inFlight });
  }

  /** Start URLs, robots.txt sitemaps and sitemap URLs, queued in one step so a stop mid-way seeds again. */
  private async seed(): Promise<SitemapReport[]> {
    const roots = [...this.s.sitemaps];
    if (this.s.useRobotsSitemaps) {
      const origins = new Set(this.s.startUrls.map((url) => new URL(url).origin));
      for (const origin of origins) roots.push(...(await this.robots.get(origin)).sitemaps);
    }
    const { urls, reports } = await readSitemaps(this.fetcher, roots, {
      maxBytes: this.s.maxSitemapBytes,
      stripTracking: this.s.stripTrackingParams,
      signal: this.signal,
    });
    if (this.signal.aborted) return reports;
    await this.store.enqueue([
      ...this.s.startUrls.map((url) => ({ url, depth: 0 })),
      ...urls.filter(this.isInternal).map((url) => ({ url, depth: 0, inSitemap: true })),
    ]);
    return reports;
  }

  private async followLinks(page: CrawledPage): Promise<void> {
    if (this.noFollow.has(page)) return;
    const next: QueueEntry[] = [];
    for (const link of page.links ?? []) {
      if (link.internal) {
        if (page.depth + 1 > this.s.maxDepth) continue;
        if (!this.s.followNofollow && /\bnofollow\b/.test(link.rel ?? '')) continue;
        next.push({ url: link.url, depth: page.depth + 1, discoveredFrom: page.url });
      } else if (this.s.checkExternalLinks) {
        next.push({ url: link.url, depth: -1, discoveredFrom: page.url });
      }
    }
    if (next.length > 0) await this.store.enqueue(next);
  }

  private blank(entry: QueueEntry, outcome?: FetchOutcome): CrawledPage {
    const page: CrawledPage = {
      url: entry.url,
      finalUrl: outcome?.finalUrl ?? entry.url,
      status: outcome?.status ?? 0,
      redirects: outcome?.redirects ?? [],
      headers: outcome?.headers ?? {},
      transferBytes: outcome?.transferBytes ?? 0,
      bodyBytes: outcome?.bodyBytes ?? 0,
      depth: entry.depth,
      inlinks: [],
      inSitemap: entry.inSitemap === true,
      blockedByRobots: false,
      fetchedAt: new Date().toISOString(),
    };
    if (outcome === undefined) return page;
    const { contentType, encoding, httpVersion, timings, tls, error } = outcome;
    return Object.assign(
      page,
      contentType !== undefined ? { contentType } : {},
      encoding !== undefined ? { encoding } : {},
      httpVersion !== undefined ? { httpVersion } : {},
      timings !== undefined ? { timings } : {},
      tls !== undefined ? { tls } : {},
      error !== undefined ? { error } : {},
    );
  }

  private async blocked(entry: QueueEntry): Promise<CrawledPage> {
    return {
      ...this.blank(entry),
      blockedByRobots: true,
      error: {
        kind: 'blocked_by_robots',
        message: `robots.txt disallows ${entry.url} for ${this.s.userAgent}`,
      },
    };
  }

  private async fetchPage(entry: QueueEntry): Promise<CrawledPage> {
    const outcome = await this.fetcher.fetch(entry.url, {
      method: 'GET',
      maxBytes: this.s.maxBodyBytes,
      body: (contentType) => (isHtml(contentType) ? 'keep' : 'count'),
      signal: this.signal,
    });
    const page = this.blank(entry, outcome);
    if (outcome.bytes === undefined) return page;
    const { text, charset } = decodeHtml(outcome.bytes, outcome.contentType);
    page.charset = charset;
    if (looksBinary(outcome.bytes, charset)) {
      if (outcome.contentType !== undefined) {
        page.error = { kind: 'other', message: `${entry.url} is served as HTML but its body is binary` };
      }
      return page;
    }
    page.body = text;
    // Links of a page that redirected off the site are not the site's links.
    if (this.isInternal(outcome.finalUrl)) {
      const { links, nofollow } = extractLinks(text, outcome.finalUrl, this.isInternal, {
        stripTracking: this.s.stripTrackingParams,
        robotsName: this.s.userAgent.split('/')[0],
      });
      page.links = links;
      if (nofollow) this.noFollow.add(page);
    }
    return page;
  }

  /** One status check of a link off the site: no robots.txt (nothing is crawled there), no body. */
  private async checkExternal(entry: QueueEntry): Promise<CrawledPage> {
    const request = { maxBytes: this.s.maxBodyBytes, body: () => 'skip' as const, signal: this.signal };
    let outcome = await this.fetcher.fetch(entry.url, { ...request, method: 'HEAD' });
    if (outcome.status === 405 || outcome.status === 501) {
      outcome = await this.fetcher.fetch(entry.url, { ...request, method: 'GET' });
    }
    return this.blank(entry, outcome);
  }

  private async result(status: CrawlResult['status'], sitemaps: SitemapReport[]): Promise<CrawlResult> {
    await this.reportProgress(true);
    const pages = await this.store.pages();
    const inlinks = new Map<string, Set<string>>();
    for (const page of pages) {
      for (const link of page.links ?? []) {
        if (link.url === page.url) continue;
        const from = inlinks.get(link.url);
        if (from === undefined) inlinks.set(link.url, new Set([page.url]));
        else from.add(page.url);
      }
    }
    return {
      status,
      pages: pages.map((page) => ({ ...page, inlinks: [...(inlinks.get(page.url) ?? [])] })),
      progress: await this.store.progress(),
      sitemaps,
    };
  }
}
