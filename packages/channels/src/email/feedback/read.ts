/**
 * Field readers shared by the report parsers. A reader that meets a wrong
 * field throws `Malformed` naming it; `guard` is the one place that turns it
 * into an `invalid` Problem, so every exported parser returns a Result and no
 * bad input escapes as an exception. Other exceptions are bugs and pass through.
 */
import { err, ok, type Problem, problem, type Result } from '@wasl/core';

export class Malformed extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** Runs a parser body, answering its Malformed throw as an `invalid` Problem naming the field. */
export function guard<T>(body: () => T): Result<T> {
  try {
    return ok(body());
  } catch (error) {
    if (error instanceof Malformed) return err(problem('invalid', error.message, error.field));
    throw error;
  }
}

/** Unwraps a Result inside a guarded body. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  const e: Problem = result.error;
  throw new Malformed(e.field ?? '', e.message);
}

export type Json = Record<string, unknown>;

export function parseJson(text: string, field: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Malformed(field, `${field} is not valid JSON: ${(error as Error).message}`);
  }
}

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function object(value: unknown, field: string): Json {
  if (!isObject(value)) throw new Malformed(field, `${field} must be an object`);
  return value;
}

export function array(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new Malformed(field, `${field} must be an array`);
  return value;
}

export function string(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new Malformed(field, `${field} must be a non-empty string`);
  }
  return value;
}

export function optionalString(value: unknown, field: string): string | undefined {
  return value === undefined || value === null ? undefined : string(value, field);
}

/** An ISO 8601 or RFC 5322 date as epoch ms. */
export function date(value: unknown, field: string): number {
  const at = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(at)) throw new Malformed(field, `${field} is not a date: ${JSON.stringify(value)}`);
  return at;
}

/** Epoch seconds (a number or a numeric string, fractions allowed) as epoch ms. */
export function epochSeconds(value: unknown, field: string): number {
  const n = typeof value === 'string' && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) {
    throw new Malformed(field, `${field} must be epoch seconds, got ${JSON.stringify(value)}`);
  }
  return Math.round(n * 1000);
}

/** T with the keys that may be undefined made optional and never undefined. */
export type Defined<T> = { [K in keyof T as undefined extends T[K] ? never : K]: T[K] } & {
  [K in keyof T as undefined extends T[K] ? K : never]?: Exclude<T[K], undefined>;
};

/** Copies the defined entries only, so optional fields stay absent rather than undefined. */
export function defined<T extends object>(value: T): Defined<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Defined<T>;
}

export type DetailValue = string | number | boolean;

/** A StatusReport detail map from entries that may be undefined (those are left out). */
export function details(entries: Record<string, DetailValue | undefined>): Record<string, DetailValue> {
  return defined(entries) as Record<string, DetailValue>;
}
