/** Expected failures are values, not exceptions (see docs/decisions/0001). */
export type Result<T, E = Problem> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });

/**
 * An expected failure that a route turns into an HTTP answer. `code` is stable
 * for programs; `message` is for people and names the field or value at fault.
 */
export interface Problem {
  code: ProblemCode;
  message: string;
  field?: string;
}

export type ProblemCode =
  | 'not_found'
  | 'invalid'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'unavailable';

export const problem = (code: ProblemCode, message: string, field?: string): Problem =>
  field === undefined ? { code, message } : { code, message, field };
