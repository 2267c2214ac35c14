import type { Result, WaslEvent } from '@wasl/core';

/**
 * Why a sink did not take a batch: full or closing (`unavailable`, retrying
 * after `retryAfterSeconds` helps: 503 with Retry-After), or the batch cannot
 * be written at all (`invalid`: 400). The journal's `JournalRefusal` has this
 * shape.
 */
export type IngestRefusal =
  | { code: 'unavailable'; message: string; retryAfterSeconds: number }
  | { code: 'invalid'; message: string };

/**
 * Where the collection endpoints hand validated, enriched events. The request
 * is answered once `append` settles, so with a durable sink (the ingest
 * journal) every acknowledged event is durable; `EventBuffer` (in memory)
 * fits through `bufferSink` in @wasl/server.
 *
 * A sink says "not now" either as a value (resolves to a failed `Result`, as
 * `Journal.append` does) or by rejecting with an error that carries
 * `retryAfterSeconds` (`IngestSinkFullError`, or any error with that field).
 * Any other rejection is a bug: 500.
 */
export interface IngestSink {
  append(events: readonly WaslEvent[]): Promise<Result<void, IngestRefusal> | void>;
}

/** A sink that is full or closing: retrying after `retryAfterSeconds` will help. */
export class IngestSinkFullError extends Error {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = 'IngestSinkFullError';
  }
}

/**
 * Seconds to wait when `error` says "full, retry later" (any error with a
 * non-negative `retryAfterSeconds`, whichever sink threw it), else undefined.
 * At least 1: `Retry-After: 0` invites a client to hammer.
 */
export function retryAfterOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('retryAfterSeconds' in error)) return undefined;
  const seconds = error.retryAfterSeconds;
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0
    ? Math.max(1, Math.ceil(seconds))
    : undefined;
}
