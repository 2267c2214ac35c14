import type { CollectSite, SiteKeyCache } from '@wasl/ingest';
import type { Database } from '@wasl/store';
import type { Kysely } from 'kysely';

export interface SiteDirectoryOptions {
  /** Reload every site this often, for sites changed by other processes. */
  refreshMs: number;
  /** A background reload failed; the previous list stays in use. */
  onError: (error: unknown) => void;
}

/**
 * Every site key in memory, so the collection endpoints resolve a key without
 * a database query and refuse an unknown one just as cheaply (a flood of
 * made-up keys never reaches the database). Loaded by `start`, reloaded when
 * this process changes a site (`refreshSoon`) and every `refreshMs` for
 * changes made by other processes: in scale mode a new site is accepted by an
 * ingest process within that interval. A few thousand sites take a few
 * milliseconds and a few hundred KB.
 */
export class SiteDirectory implements SiteKeyCache {
  readonly #db: Kysely<Database>;
  readonly #options: SiteDirectoryOptions;
  #byKey = new Map<string, CollectSite>();
  #loading: Promise<void> | undefined;
  #again = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(db: Kysely<Database>, options: SiteDirectoryOptions) {
    this.#db = db;
    this.#options = options;
  }

  async start(): Promise<void> {
    await this.refresh();
    this.#timer = setInterval(() => this.refreshSoon(), this.#options.refreshMs);
    this.#timer.unref();
  }

  byKey(key: string): CollectSite | undefined {
    return this.#byKey.get(key);
  }

  get size(): number {
    return this.#byKey.size;
  }

  /** Reloads every site; a call made while one runs waits for a second reload, so no change is missed. */
  refresh(): Promise<void> {
    if (this.#loading !== undefined) {
      this.#again = true;
      return this.#loading;
    }
    this.#loading = this.#load().finally(() => {
      this.#loading = undefined;
      if (this.#again) {
        this.#again = false;
        this.refreshSoon();
      }
    });
    return this.#loading;
  }

  /** Reloads in the background (after a site was added, changed or deleted here). */
  refreshSoon(): void {
    this.refresh().catch(this.#options.onError);
  }

  close(): void {
    clearInterval(this.#timer);
  }

  async #load(): Promise<void> {
    const rows = await this.#db.selectFrom('sites').select(['id', 'workspace_id', 'key', 'domain']).execute();
    const byKey = new Map<string, CollectSite>();
    for (const row of rows) {
      byKey.set(row.key, { id: row.id, workspaceId: row.workspace_id, key: row.key, domain: row.domain });
    }
    this.#byKey = byKey;
  }
}
