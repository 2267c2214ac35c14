import type { WaslEvent } from '@wasl/core';

/**
 * The append-only log of facts (page, track, identify, alias, group, message.*).
 * Reports, segments, attribution and journey triggers all read it, so every
 * adapter (DuckDB embedded, PostgreSQL, later ClickHouse) passes one contract
 * suite: packages/store/test/events.contract.test.ts.
 *
 * Every read takes a workspace id and never sees another workspace's rows.
 *
 * Strings are stored without U+0000 and with unpaired surrogates replaced by
 * U+FFFD: PostgreSQL's text cannot hold either, and all engines store the same
 * thing so their numbers agree. Times must lie in years 1–9999 (see
 * `unstorableReason`).
 */
export interface EventStore {
  /** Creates or upgrades the tables; safe to call from several processes at once. */
  migrate(): Promise<void>;
  /**
   * Writes a batch atomically. Idempotent on (workspaceId, id): an event id the
   * workspace already holds, or one repeated inside the batch, is skipped and
   * not counted in `inserted`.
   */
  append(events: readonly WaslEvent[]): Promise<{ inserted: number }>;
  /** Events per type with `from <= occurredAt < to`; types with no events are absent. */
  countByType(workspaceId: string, from: Date, to: Date): Promise<Record<string, number>>;
  /** The newest `limit` events by occurredAt (ties: id descending), exactly as appended. */
  recent(workspaceId: string, limit: number): Promise<WaslEvent[]>;
  /**
   * One person's facts, newest first (ties: id descending): events whose
   * contact_id or anonymous_id is one of `ids` (a contact's id and the ids it
   * is known by). `before` pages: only events strictly older than it.
   */
  history(workspaceId: string, ids: readonly string[], options: HistoryOptions): Promise<WaslEvent[]>;
  /** Resolves when the engine answers a query; throws otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface HistoryOptions {
  limit: number;
  before?: { occurredAt: Date; id: string };
}

/** At most this many ids per history query: a contact is known by a handful. */
export const MAX_HISTORY_IDS = 500;
