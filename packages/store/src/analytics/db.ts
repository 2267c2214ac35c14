import type { Dialect } from './dialect.ts';
import type { SqlValue } from './params.ts';

export type Row = Record<string, unknown>;

/** One engine as the reports see it: a dialect and a way to run a statement. */
export interface AnalyticsDb {
  readonly dialect: Dialect;
  query(sql: string, params: readonly SqlValue[]): Promise<Row[]>;
  close(): Promise<void>;
}

/**
 * A number from a result cell: engines return counts and sums as bigint
 * (DuckDB), numeric text (PostgreSQL) or numbers; SQL NULL (an empty sum) is 0.
 */
export function num(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint' || typeof value === 'string') {
    const n = Number(value);
    if (!Number.isNaN(n)) return n;
  }
  throw new TypeError(`expected a number from the events store, got ${typeof value} ${String(value)}`);
}

/** A text cell; SQL NULL is ''. */
export function str(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  throw new TypeError(`expected text from the events store, got ${typeof value} ${String(value)}`);
}

/** a / b, or 0 when b is 0: rates and averages of an empty scope are 0. */
export const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
