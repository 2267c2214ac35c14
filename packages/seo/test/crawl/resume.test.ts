import { createServer } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CrawlOptions, crawl, MemoryCrawlStateStore } from '../../src/crawl/index.ts';
import { html, listen } from './fixtures.ts';

// A site of 21 pages: / links to /p/0, /p/i links to /p/(i+1), /p/(2i+1) and /.
const PAGES = 20;
const hits = new Map<string, number>();
const arrivals: number[] = [];
let active = 0;
let maxActive = 0;
let delayMs = 0;
let hangOn = '';
let robotsTxt: string | undefined;
let onRequest: (path: string) => void = () => undefined;
let base = '';
let close: () => Promise<void>;

beforeAll(async () => {
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    onRequest(path);
    if (path === '/robots.txt') {
      res.writeHead(robotsTxt === undefined ? 404 : 200, { 'content-type': 'text/plain' });
      res.end(robotsTxt);
      return;
    }
    hits.set(path, (hits.get(path) ?? 0) + 1);
    arrivals.push(Date.now());
    if (path === hangOn) return;
    active++;
    maxActive = Math.max(maxActive, active);
    const i = path === '/' ? -1 : Number(path.slice(3));
    const links =
      i === -1
        ? ['/p/0']
        : [`/p/${i + 1}`, `/p/${2 * i + 1}`, '/'].filter((l) => l === '/' || Number(l.slice(3)) < PAGES);
    setTimeout(() => {
      active--;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(html(`صفحة ${i}`, links.map((l) => `<a href="${l}">رابط</a>`).join('')));
    }, delayMs);
  });
  const started = await listen(server);
  base = `http://127.0.0.1:${started.port}`;
  close = started.close;
});

afterAll(() => close());

beforeEach(() => {
  hits.clear();
  arrivals.length = 0;
  maxActive = 0;
  delayMs = 0;
  hangOn = '';
  robotsTxt = undefined;
  onRequest = () => undefined;
});

const options = (more: CrawlOptions): CrawlOptions => ({
  startUrls: [`${base}/`],
  allowPrivateTargets: true,
  perHostDelayMs: 0,
  useRobotsSitemaps: false,
  ...more,
});

const paths = (urls: string[]) => urls.map((u) => u.slice(base.length));

describe('resuming', () => {
  it('continues a crawl stopped at its page limit without fetching any URL twice', async () => {
    const store = new MemoryCrawlStateStore();
    const first = await crawl(options({ store, pageLimit: 5, concurrency: 3, perHostConcurrency: 3 }));
    expect(first.ok && [first.value.status, first.value.pages.length, first.value.progress.done]).toEqual([
      'page_limit',
      5,
      5,
    ]);
    expect([...hits.values()].reduce((a, b) => a + b)).toBe(5);
    const second = await crawl(options({ store, concurrency: 3, perHostConcurrency: 3 }));
    if (!second.ok) throw new Error(second.error.message);
    expect(second.value.status).toBe('complete');
    expect(second.value.pages.length).toBe(PAGES + 1);
    expect(new Set(second.value.pages.map((p) => p.url)).size).toBe(PAGES + 1);
    expect([...hits.values()].every((n) => n === 1)).toBe(true);
    expect(hits.size).toBe(PAGES + 1);
    const third = await crawl(options({ store }));
    expect(third.ok && [third.value.status, third.value.pages.length]).toEqual(['complete', PAGES + 1]);
    expect(hits.size).toBe(PAGES + 1);
    expect([...hits.values()].every((n) => n === 1)).toBe(true);
  });

  it('continues after an abort: pages saved before it are never fetched again', async () => {
    const store = new MemoryCrawlStateStore();
    const controller = new AbortController();
    delayMs = 20;
    let seen = 0;
    onRequest = (path) => {
      if (path !== '/robots.txt' && ++seen === 8) controller.abort();
    };
    const first = await crawl(options({ store, signal: controller.signal, concurrency: 2 }));
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value.status).toBe('aborted');
    const savedFirst = paths(first.value.pages.map((p) => p.url));
    expect(savedFirst.length).toBeGreaterThan(0);
    expect(savedFirst.length).toBeLessThan(8);
    onRequest = () => undefined;
    const second = await crawl(options({ store, concurrency: 2 }));
    if (!second.ok) throw new Error(second.error.message);
    expect([second.value.status, second.value.pages.length]).toEqual(['complete', PAGES + 1]);
    for (const path of savedFirst) expect([path, hits.get(path)]).toEqual([path, 1]);
  });
});

describe('cancelling', () => {
  it('an AbortSignal ends the crawl promptly, even with a request that never answers', async () => {
    hangOn = '/p/0';
    const controller = new AbortController();
    onRequest = (path) => {
      if (path === hangOn) setTimeout(() => controller.abort(), 50);
    };
    const started = Date.now();
    const result = await crawl(options({ signal: controller.signal }));
    const elapsed = Date.now() - started;
    expect(result.ok && [result.value.status, paths(result.value.pages.map((p) => p.url))]).toEqual([
      'aborted',
      ['/'],
    ]);
    expect(elapsed).toBeLessThan(1000);
  });

  it("the store's cancelled flag stops a running crawl and keeps it from starting again", async () => {
    const store = new MemoryCrawlStateStore();
    delayMs = 100; // the crawler looks at the flag every 500 ms
    onRequest = (path) => {
      if (path === '/p/2') void store.cancel();
    };
    const result = await crawl(options({ store, concurrency: 1 }));
    expect(result.ok && result.value.status).toBe('cancelled');
    const fetched = hits.size;
    expect(fetched).toBeLessThan(PAGES);
    const again = await crawl(options({ store }));
    expect(again.ok && again.value.status).toBe('cancelled');
    expect(hits.size).toBe(fetched);
  });
});

describe('politeness', () => {
  it('keeps requests to one host at least the delay apart, however slow the answers', async () => {
    const result = await crawl(options({ perHostDelayMs: 60, perHostConcurrency: 1, pageLimit: 6 }));
    expect(result.ok && result.value.pages.length).toBe(6);
    const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
    expect(gaps.length).toBe(5);
    // The next request waits for the delay after the answer too, so arrivals are never closer.
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(59);
  });

  it("raises the delay to robots.txt's Crawl-delay for the crawler's user agent", async () => {
    robotsTxt = 'User-agent: otherbot\nCrawl-delay: 5\n\nUser-agent: waslbot\nCrawl-delay: 0.1\n';
    const result = await crawl(options({ perHostDelayMs: 1, perHostConcurrency: 1, pageLimit: 4 }));
    expect(result.ok && result.value.pages.length).toBe(4);
    const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!);
    expect(gaps.length).toBe(3);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(99);
      expect(gap).toBeLessThan(1000);
    }
  });

  it('keeps to the per-host and global concurrency limits', async () => {
    delayMs = 30;
    await crawl(options({ perHostConcurrency: 2, concurrency: 8 }));
    expect(maxActive).toBe(2);
    maxActive = 0;
    await crawl(options({ perHostConcurrency: 4, concurrency: 1, pageLimit: 8 }));
    expect(maxActive).toBe(1);
  });

  it('reports progress for a progress bar', async () => {
    const reports: { done: number; queued: number }[] = [];
    await crawl(options({ onProgress: ({ done, queued }) => reports.push({ done, queued }) }));
    expect(reports.at(-1)).toEqual({ done: PAGES + 1, queued: 0 });
  });
});
