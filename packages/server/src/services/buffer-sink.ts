import { err, ok } from '@wasl/core';
import type { IngestSink } from '@wasl/ingest';
import type { EventBuffer } from '@wasl/store';

/** The buffer writes about once a second; a client told to wait this long finds room again. */
const BUFFER_RETRY_AFTER_SECONDS = 2;

/**
 * The in-memory `EventBuffer` as an ingest sink: events are acknowledged once
 * buffered (not durable: a crash loses what waits). Decision 0006 replaces it
 * with the ingest journal, which is an `IngestSink` as it is.
 */
export function bufferSink(buffer: EventBuffer): IngestSink {
  return {
    async append(events) {
      const added = buffer.add(events);
      if (added.ok) return ok(undefined);
      return err(
        added.error.code === 'unavailable'
          ? {
              code: 'unavailable',
              message: added.error.message,
              retryAfterSeconds: BUFFER_RETRY_AFTER_SECONDS,
            }
          : { code: 'invalid', message: added.error.message },
      );
    },
  };
}
