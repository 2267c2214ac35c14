import type { CrawledPage } from '../types.ts';

/** A URL waiting to be crawled. Plain JSON, so any store can keep it. */
export interface QueueEntry {
  url: string;
  /** Link depth; -1 for an external link target that is only checked. */
  depth: number;
  discoveredFrom?: string;
  inSitemap?: boolean;
}

export interface CrawlProgress {
  /** Site pages saved (depth >= 0). */
  done: number;
  /** External link targets checked (depth -1). */
  external: number;
  /** Entries not saved yet, claimed ones included. */
  queued: number;
  /** Saved entries with a fetch error or an HTTP status of 400 or more. */
  errors: number;
  /** Bytes transferred (sum of transferBytes). */
  bytes: number;
}

/**
 * Where a crawl keeps its frontier and results, so a crawl stopped by a
 * crash, a restart or a page limit continues where it was. One crawl per
 * store; one crawler at a time works it.
 */
export interface CrawlStateStore {
  /**
   * Queues URLs never seen before. For a known URL still waiting, a smaller
   * depth replaces the larger one; inSitemap, once true, stays true.
   */
  enqueue(entries: readonly QueueEntry[]): Promise<void>;
  /** Takes up to `max` waiting entries, oldest first, and marks them claimed. */
  claim(max: number): Promise<QueueEntry[]>;
  /** Puts claimed but unsaved entries back in the queue (a crawl that stopped mid-request). */
  requeueClaimed(): Promise<void>;
  /** Stores a page and marks its URL done, in one step. */
  savePage(page: CrawledPage): Promise<void>;
  progress(): Promise<CrawlProgress>;
  /** Saved pages in the order they were saved. */
  pages(): Promise<CrawledPage[]>;
  /** A crawl cancelled here (e.g. by another process) does not run again. */
  isCancelled(): Promise<boolean>;
  cancel(): Promise<void>;
}

interface Item {
  entry: QueueEntry;
  state: 'queued' | 'claimed' | 'done';
}

/** The in-process store: a crawl survives being stopped and restarted while the process lives. */
export class MemoryCrawlStateStore implements CrawlStateStore {
  private readonly items = new Map<string, Item>();
  private queue: string[] = [];
  private head = 0;
  private readonly saved: CrawledPage[] = [];
  private cancelled = false;
  private counts: CrawlProgress = { done: 0, external: 0, queued: 0, errors: 0, bytes: 0 };

  async enqueue(entries: readonly QueueEntry[]): Promise<void> {
    for (const entry of entries) {
      const known = this.items.get(entry.url);
      if (known === undefined) {
        this.items.set(entry.url, { entry: { ...entry }, state: 'queued' });
        this.queue.push(entry.url);
        this.counts.queued++;
        continue;
      }
      if (entry.inSitemap) known.entry.inSitemap = true;
      if (
        known.state === 'queued' &&
        entry.depth >= 0 &&
        (known.entry.depth < 0 || entry.depth < known.entry.depth)
      ) {
        known.entry.depth = entry.depth;
        if (entry.discoveredFrom !== undefined) known.entry.discoveredFrom = entry.discoveredFrom;
      }
    }
  }

  async claim(max: number): Promise<QueueEntry[]> {
    const claimed: QueueEntry[] = [];
    while (claimed.length < max && this.head < this.queue.length) {
      const item = this.items.get(this.queue[this.head++]!)!;
      if (item.state !== 'queued') continue;
      item.state = 'claimed';
      claimed.push({ ...item.entry });
    }
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return claimed;
  }

  async requeueClaimed(): Promise<void> {
    const claimed = [...this.items.values()].filter((item) => item.state === 'claimed');
    for (const item of claimed) item.state = 'queued';
    this.queue = [...claimed.map((item) => item.entry.url), ...this.queue.slice(this.head)];
    this.head = 0;
  }

  async savePage(page: CrawledPage): Promise<void> {
    const item = this.items.get(page.url);
    if (item?.state === 'done') return;
    if (item === undefined)
      this.items.set(page.url, { entry: { url: page.url, depth: page.depth }, state: 'done' });
    else {
      item.state = 'done';
      this.counts.queued--;
    }
    this.saved.push(page);
    if (page.depth < 0) this.counts.external++;
    else this.counts.done++;
    if (page.error !== undefined || page.status >= 400) this.counts.errors++;
    this.counts.bytes += page.transferBytes;
  }

  async progress(): Promise<CrawlProgress> {
    return { ...this.counts };
  }

  async pages(): Promise<CrawledPage[]> {
    return [...this.saved];
  }

  async isCancelled(): Promise<boolean> {
    return this.cancelled;
  }

  async cancel(): Promise<void> {
    this.cancelled = true;
  }
}
