/**
 * Why `append` did not take a batch, as a value (decision 0001). It is a
 * `Problem` (packages/core/src/result.ts), so the error mapping turns
 * `unavailable` into 503 and `invalid` into 400; an ingest endpoint also sends
 * `Retry-After: retryAfterSeconds` with the 503.
 */
export type JournalRefusal =
  /** The journal is full (the events store is behind or down) or closed: retrying later helps. */
  | { code: 'unavailable'; message: string; retryAfterSeconds: number }
  /** The batch cannot be written at all (an invalid Date, a BigInt, larger than the bound). */
  | { code: 'invalid'; message: string };
