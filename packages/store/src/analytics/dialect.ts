import type { Interval } from '@wasl/core';
import type { Params } from './params.ts';

/** Local-time buckets of instants: a grouping key, and the label ('YYYY-MM-DD', 'YYYY-MM-DDTHH') of a key. */
export interface Bucketing {
  key: string;
  label(key: string): string;
}

/**
 * Where the two engines' SQL differs. Everything else, the reports share:
 * both take `$n` placeholders, FILTER clauses, bool_or, strpos, LIKE … ESCAPE.
 */
export interface Dialect {
  readonly name: 'duckdb' | 'postgres';
  /** Condition: the event is a pageview or a track event (the reports' population). */
  isPageOrTrack(type: string): string;
  /** Aggregate: `value` of the row first in `order` (ascending expressions, ties broken by the later ones). */
  firstBy(value: string, order: readonly string[], filter?: string): string;
  /** Aggregate: `value` of the row last in `order`. */
  lastBy(value: string, order: readonly string[], filter?: string): string;
  /** Epoch milliseconds (bigint) of a timestamptz. */
  epochMs(time: string): string;
  /** The text of a top-level property of `properties` (null when absent or JSON null). */
  property(params: Params, name: string): string;
  /** A text expression as a double when it is a plain number ('12', '-3.5', '1e3'), else null. */
  number(text: string): string;
  /** A number (double) summed exactly: decimal on DuckDB, numeric on PostgreSQL. */
  exact(number: string): string;
  /** Whether a text expression is exactly three ASCII letters (a currency code). */
  isCurrencyCode(text: string): string;
  /** A text expression ordered byte by byte, as JavaScript's code-point order does for UTF-8. */
  byteOrder(text: string): string;
  /** Buckets of the instants `time` (timestamptz) whose epoch ms are `ms`, between `from` and `to`. */
  bucket(params: Params, time: { ts: string; ms: string }, interval: Interval, zone: ZoneRange): Bucketing;
}

export interface ZoneRange {
  timeZone: string;
  from: Date;
  to: Date;
}
