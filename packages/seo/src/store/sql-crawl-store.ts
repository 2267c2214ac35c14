import type { Database } from '@wasl/store';
import { type Kysely, sql } from 'kysely';
import type { CrawlProgress, CrawlStateStore, QueueEntry } from '../crawl/store.ts';
import type { CrawledPage } from '../types.ts';

/** Rows per statement: well under SQLite's 32,766 bound parameters. */
const CHUNK = 500;

export interface SqlCrawlStateStoreOptions<A> {
  /**
   * Runs on each page before it is saved, while its body is still there:
   * bodies are never stored, so whatever later steps need from them is kept here.
   */
  analyse?: (page: CrawledPage) => A | undefined;
  clock?: () => number;
}

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * The crawl frontier and pages of one audit in the OLTP store (seo_crawl_urls),
 * so an audit survives a restart of the process running it. Cancellation is
 * the audit's cancelled_at. One crawler at a time works a store, as the port
 * requires, so queue order is kept by counters this instance owns.
 */
export class SqlCrawlStateStore<A = unknown> implements CrawlStateStore {
  private counters: Promise<{ seq: number; saved: number }> | undefined;
  private readonly clock: () => number;

  constructor(
    private readonly db: Kysely<Database>,
    readonly auditId: string,
    private readonly options: SqlCrawlStateStoreOptions<A> = {},
  ) {
    this.clock = options.clock ?? Date.now;
  }

  private next(field: 'seq' | 'saved'): Promise<number> {
    this.counters ??= this.db
      .selectFrom('seo_crawl_urls')
      .select((eb) => [eb.fn.max('seq').as('seq'), eb.fn.max('saved_seq').as('saved')])
      .where('audit_id', '=', this.auditId)
      .executeTakeFirstOrThrow()
      .then((row) => ({ seq: Number(row.seq ?? 0), saved: Number(row.saved ?? 0) }));
    return this.counters.then((c) => ++c[field]);
  }

  async enqueue(entries: readonly QueueEntry[]): Promise<void> {
    const unique = new Map<string, QueueEntry>();
    for (const e of entries) {
      const seen = unique.get(e.url);
      if (seen === undefined) unique.set(e.url, { ...e });
      else mergeInto(seen, e, true);
    }
    for (const batch of chunks([...unique.values()])) {
      const known = await this.db
        .selectFrom('seo_crawl_urls')
        .select(['url', 'depth', 'state', 'in_sitemap', 'discovered_from'])
        .where('audit_id', '=', this.auditId)
        .where(
          'url',
          'in',
          batch.map((e) => e.url),
        )
        .execute();
      const byUrl = new Map(known.map((row) => [row.url, row]));
      const fresh: QueueEntry[] = [];
      for (const entry of batch) {
        const row = byUrl.get(entry.url);
        if (row === undefined) {
          fresh.push(entry);
          continue;
        }
        const current: QueueEntry = { url: row.url, depth: row.depth, inSitemap: row.in_sitemap === 1 };
        if (row.discovered_from !== null) current.discoveredFrom = row.discovered_from;
        const merged = { ...current };
        mergeInto(merged, entry, row.state === 'queued');
        if (JSON.stringify(merged) === JSON.stringify(current)) continue;
        await this.db
          .updateTable('seo_crawl_urls')
          .set({
            depth: merged.depth,
            discovered_from: merged.discoveredFrom ?? null,
            in_sitemap: merged.inSitemap ? 1 : 0,
          })
          .where('audit_id', '=', this.auditId)
          .where('url', '=', entry.url)
          .execute();
      }
      if (fresh.length === 0) continue;
      const rows = [];
      for (const e of fresh) {
        rows.push({
          audit_id: this.auditId,
          url: e.url,
          seq: await this.next('seq'),
          depth: e.depth,
          discovered_from: e.discoveredFrom ?? null,
          in_sitemap: e.inSitemap ? 1 : 0,
          state: 'queued',
          failed: 0,
          transfer_bytes: 0,
        });
      }
      await this.db
        .insertInto('seo_crawl_urls')
        .values(rows)
        .onConflict((oc) => oc.columns(['audit_id', 'url']).doNothing())
        .execute();
    }
  }

  async claim(max: number): Promise<QueueEntry[]> {
    if (max <= 0) return [];
    const rows = await this.db
      .selectFrom('seo_crawl_urls')
      .select(['url', 'depth', 'discovered_from', 'in_sitemap'])
      .where('audit_id', '=', this.auditId)
      .where('state', '=', 'queued')
      .orderBy('seq')
      .limit(max)
      .execute();
    if (rows.length === 0) return [];
    await this.db
      .updateTable('seo_crawl_urls')
      .set({ state: 'claimed' })
      .where('audit_id', '=', this.auditId)
      .where(
        'url',
        'in',
        rows.map((r) => r.url),
      )
      .execute();
    return rows.map((r) => {
      const entry: QueueEntry = { url: r.url, depth: r.depth };
      if (r.discovered_from !== null) entry.discoveredFrom = r.discovered_from;
      if (r.in_sitemap === 1) entry.inSitemap = true;
      return entry;
    });
  }

  async requeueClaimed(): Promise<void> {
    await this.db
      .updateTable('seo_crawl_urls')
      .set({ state: 'queued' })
      .where('audit_id', '=', this.auditId)
      .where('state', '=', 'claimed')
      .execute();
  }

  async savePage(page: CrawledPage): Promise<void> {
    const { body: _body, ...stored } = page;
    const analysis = this.options.analyse?.(page);
    const values = {
      state: 'done',
      saved_seq: await this.next('saved'),
      failed: page.error !== undefined || page.status >= 400 ? 1 : 0,
      transfer_bytes: page.transferBytes,
      page: JSON.stringify(stored),
      analysis: analysis === undefined ? null : JSON.stringify(analysis),
    };
    const updated = await this.db
      .updateTable('seo_crawl_urls')
      .set(values)
      .where('audit_id', '=', this.auditId)
      .where('url', '=', page.url)
      .where('state', '!=', 'done')
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return;
    // Saved without having been queued (the port allows it); a done URL stays as it was.
    await this.db
      .insertInto('seo_crawl_urls')
      .values({
        ...values,
        audit_id: this.auditId,
        url: page.url,
        seq: await this.next('seq'),
        depth: page.depth,
        in_sitemap: page.inSitemap ? 1 : 0,
      })
      .onConflict((oc) => oc.columns(['audit_id', 'url']).doNothing())
      .execute();
  }

  async progress(): Promise<CrawlProgress> {
    const rows = await this.db
      .selectFrom('seo_crawl_urls')
      .select((eb) => [
        'state',
        sql<number>`case when depth < 0 then 1 else 0 end`.as('external'),
        eb.fn.countAll<number>().as('count'),
        eb.fn.sum<number>('failed').as('errors'),
        eb.fn.sum<number>('transfer_bytes').as('bytes'),
      ])
      .where('audit_id', '=', this.auditId)
      .groupBy(['state', sql`case when depth < 0 then 1 else 0 end`])
      .execute();
    const progress: CrawlProgress = { done: 0, external: 0, queued: 0, errors: 0, bytes: 0 };
    for (const row of rows) {
      const count = Number(row.count);
      if (row.state !== 'done') {
        progress.queued += count;
        continue;
      }
      if (Number(row.external) === 1) progress.external += count;
      else progress.done += count;
      progress.errors += Number(row.errors ?? 0);
      progress.bytes += Number(row.bytes ?? 0);
    }
    return progress;
  }

  async pages(): Promise<CrawledPage[]> {
    return (await this.saved()).map((row) => JSON.parse(row.page ?? '{}') as CrawledPage);
  }

  /** What `analyse` kept of each saved page, by URL. */
  async analyses(): Promise<Map<string, A>> {
    const out = new Map<string, A>();
    for (const row of await this.saved()) {
      if (row.analysis !== null) out.set(row.url, JSON.parse(row.analysis) as A);
    }
    return out;
  }

  private saved() {
    return this.db
      .selectFrom('seo_crawl_urls')
      .select(['url', 'page', 'analysis'])
      .where('audit_id', '=', this.auditId)
      .where('state', '=', 'done')
      .orderBy('saved_seq')
      .execute();
  }

  async isCancelled(): Promise<boolean> {
    const row = await this.db
      .selectFrom('seo_audits')
      .select('cancelled_at')
      .where('id', '=', this.auditId)
      .executeTakeFirst();
    // An audit deleted under a running crawl stops it, like a cancelled one.
    return row === undefined || row.cancelled_at !== null;
  }

  async cancel(): Promise<void> {
    await this.db
      .updateTable('seo_audits')
      .set({ cancelled_at: this.clock() })
      .where('id', '=', this.auditId)
      .where('cancelled_at', 'is', null)
      .execute();
  }
}

/** The port's rules for a URL seen again: inSitemap sticks; a waiting URL takes a smaller site depth. */
function mergeInto(known: QueueEntry, entry: QueueEntry, waiting: boolean): void {
  if (entry.inSitemap) known.inSitemap = true;
  if (waiting && entry.depth >= 0 && (known.depth < 0 || entry.depth < known.depth)) {
    known.depth = entry.depth;
    if (entry.discoveredFrom !== undefined) known.discoveredFrom = entry.discoveredFrom;
  }
}
