import {
  addDays,
  type DailySalt,
  type SaltPlan,
  type SaltSource,
  type SaltWindow,
  saltPlan,
} from '@wasl/ingest';
import type { Database } from '@wasl/store';
import type { Kysely } from 'kysely';

const HOUR_MS = 3_600_000;

export interface RotateOptions {
  /**
   * The calendar the salts follow. UTC, the default, is what every process
   * uses (ingest and the worker's `system.salts.rotate`): all must agree.
   */
  timeZone?: string;
  /** Makes today's salt when none is stored (tests; the ingest process passes the one it already uses). */
  generate?: () => string;
}

const readSalts = (db: Kysely<Database>): Promise<DailySalt[]> =>
  db.selectFrom('visitor_salts').select(['day', 'salt']).execute();

/**
 * Applies the daily rotation to the `visitor_salts` table and returns the plan
 * that holds until `rotatesAt`: creates today's salt when missing and deletes
 * the salts of days before yesterday. Safe from several processes at once: the
 * day is the primary key, so one insert wins and everyone re-reads the winner.
 *
 * A salt for a day after today is left alone: it belongs to a process whose
 * clock passed midnight a moment earlier, and deleting it would make two
 * processes hash one day with different salts.
 */
export async function rotateVisitorSalts(
  db: Kysely<Database>,
  now: number,
  options: RotateOptions = {},
): Promise<SaltPlan> {
  const timeZone = options.timeZone ?? 'UTC';
  let plan = saltPlan(await readSalts(db), now, timeZone, options.generate);
  if (plan.create !== undefined) {
    await db
      .insertInto('visitor_salts')
      .values({ day: plan.create.day, salt: plan.create.salt, created_at: now })
      .onConflict((oc) => oc.column('day').doNothing())
      .execute();
    plan = saltPlan(await readSalts(db), now, timeZone);
    if (plan.create !== undefined) throw new Error(`visitor salt for ${plan.today} was not stored`);
  }
  await db.deleteFrom('visitor_salts').where('day', '<', addDays(plan.today, -1)).execute();
  return plan;
}

export interface VisitorSaltsOptions {
  clock: () => number;
  timeZone?: string;
  /** A background rotation failed; it is retried within the hour. */
  onError: (error: unknown) => void;
}

/**
 * The ingest process's salts, answered from memory (`SaltSource`). `start`
 * loads and rotates them; after that the store is read at `rotatesAt` and
 * hourly (so a rotation another process made is picked up, and a failed one
 * retried). When a request arrives at or after `rotatesAt` before that has
 * happened, the new day's salt is made here at once, so no request waits, and
 * stored right after; if another process stored one first, theirs replaces it.
 */
export class VisitorSalts implements SaltSource {
  readonly #db: Kysely<Database>;
  readonly #options: VisitorSaltsOptions;
  #plan: SaltPlan | undefined;
  #window: SaltWindow | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(db: Kysely<Database>, options: VisitorSaltsOptions) {
    this.#db = db;
    this.#options = options;
  }

  async start(): Promise<void> {
    await this.rotate();
  }

  window(now: number): SaltWindow {
    const plan = this.#plan;
    if (plan === undefined || this.#window === undefined) throw new Error('VisitorSalts: start() first');
    if (now >= plan.rotatesAt) {
      // `use` too: a provisional salt not stored yet is still yesterday's from now on.
      const known = [plan.use, ...plan.keep.filter((s) => s.day !== plan.use.day)];
      const provisional = saltPlan(known, now, this.#options.timeZone);
      this.#adopt(provisional);
      const salt = provisional.create?.salt;
      void this.rotate(salt === undefined ? undefined : () => salt).catch(this.#options.onError);
    }
    return this.#window;
  }

  /** Reads the store, creates or deletes salts as the plan says, and uses the result. */
  async rotate(generate?: () => string): Promise<SaltPlan> {
    const plan = await rotateVisitorSalts(this.#db, this.#options.clock(), {
      timeZone: this.#options.timeZone,
      generate,
    });
    // A slower rotation started earlier must not take a newer day back.
    if (this.#plan === undefined || plan.today >= this.#plan.today) this.#adopt(plan);
    this.#schedule();
    return plan;
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
  }

  #adopt(plan: SaltPlan): void {
    this.#plan = plan;
    this.#window = {
      use: plan.use.salt,
      windowStart: plan.windowStart,
      ...(plan.previous === undefined ? {} : { previous: plan.previous.salt }),
    };
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    if (this.#closed || this.#plan === undefined) return;
    const delay = Math.min(Math.max(this.#plan.rotatesAt - this.#options.clock(), 1000), HOUR_MS);
    this.#timer = setTimeout(() => {
      this.rotate().catch((error: unknown) => {
        this.#options.onError(error);
        this.#schedule();
      });
    }, delay);
    this.#timer.unref();
  }
}
