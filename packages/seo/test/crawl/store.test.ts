import { describe, expect, it } from 'vitest';
import { MemoryCrawlStateStore } from '../../src/crawl/store.ts';
import type { CrawledPage } from '../../src/types.ts';

const page = (url: string, depth: number, extra: Partial<CrawledPage> = {}): CrawledPage => ({
  url,
  finalUrl: url,
  status: 200,
  redirects: [],
  headers: {},
  transferBytes: 100,
  bodyBytes: 100,
  depth,
  inlinks: [],
  inSitemap: false,
  blockedByRobots: false,
  fetchedAt: '2026-11-23T00:00:00.000Z',
  ...extra,
});

describe('MemoryCrawlStateStore', () => {
  it('queues each URL once, keeps the smaller depth and a sticky inSitemap', async () => {
    const store = new MemoryCrawlStateStore();
    await store.enqueue([
      { url: 'a', depth: 0 },
      { url: 'b', depth: 3, discoveredFrom: 'a' },
    ]);
    await store.enqueue([
      { url: 'b', depth: 1, discoveredFrom: 'c' },
      { url: 'a', depth: 2, inSitemap: true },
      { url: 'b', depth: 2 },
    ]);
    expect(await store.claim(10)).toEqual([
      { url: 'a', depth: 0, inSitemap: true },
      { url: 'b', depth: 1, discoveredFrom: 'c' },
    ]);
    expect(await store.claim(10)).toEqual([]);
  });

  it('gives claimed, unsaved entries back on requeue and never a saved one', async () => {
    const store = new MemoryCrawlStateStore();
    await store.enqueue([
      { url: 'a', depth: 0 },
      { url: 'b', depth: 1 },
      { url: 'c', depth: 1 },
    ]);
    expect((await store.claim(2)).map((e) => e.url)).toEqual(['a', 'b']);
    await store.savePage(page('a', 0));
    await store.requeueClaimed();
    expect((await store.claim(5)).map((e) => e.url)).toEqual(['b', 'c']);
    await store.enqueue([{ url: 'a', depth: 0 }]);
    expect(await store.claim(5)).toEqual([]);
  });

  it('counts site pages, external checks, errors and bytes', async () => {
    const store = new MemoryCrawlStateStore();
    await store.enqueue([
      { url: 'a', depth: 0 },
      { url: 'x', depth: -1 },
      { url: 'b', depth: 1 },
    ]);
    await store.claim(3);
    await store.savePage(page('a', 0));
    await store.savePage(page('x', -1, { status: 404, transferBytes: 0 }));
    expect(await store.progress()).toEqual({ done: 1, external: 1, queued: 1, errors: 1, bytes: 100 });
    expect((await store.pages()).map((p) => p.url)).toEqual(['a', 'x']);
    expect(await store.isCancelled()).toBe(false);
    await store.cancel();
    expect(await store.isCancelled()).toBe(true);
  });
});
