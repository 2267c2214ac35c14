import type { WaslEvent } from '@wasl/core';
import { eventFromTracker, type RequestFacts, retryAfterOf, type TrackerPayload } from '@wasl/ingest';
import type { HttpProblem } from '../http/errors.ts';
import type { Ingest } from './ingest.ts';

/** How a collection request ends: accepted, or a problem (with Retry-After for 429/503). */
export type CollectOutcome = { ok: true } | { ok: false; problem: HttpProblem; retryAfterSeconds?: number };

const ACCEPTED: CollectOutcome = { ok: true };

/**
 * One validated tracker payload from the site key to the sink: unknown key →
 * 404 (from memory), the site's event budget → 429, enrichment → 400 naming
 * the field, sink full → 503. The Fastify route and the raw fast path
 * (http/collect-fast-path.ts) both answer with this, so they cannot drift.
 */
export async function collectPayload(
  ingest: Ingest,
  payload: TrackerPayload,
  facts: RequestFacts,
): Promise<CollectOutcome> {
  const site = ingest.sites.byKey(payload.site);
  if (site === undefined)
    return { ok: false, problem: { code: 'not_found', message: 'unknown site key', field: 'site' } };
  const wait = ingest.limits.site.take(site.id, 1, facts.receivedAt);
  if (wait !== undefined) return tooMany(wait, `too many events for this site; retry after ${wait} seconds`);
  const event = eventFromTracker(payload, facts, site, ingest.pipeline);
  if (!event.ok) return { ok: false, problem: event.error };
  return handOverEvents(ingest, [event.value]);
}

/** Gives events to the sink; 503 with Retry-After when it is full, 400 when it cannot store them. */
export async function handOverEvents(ingest: Ingest, events: readonly WaslEvent[]): Promise<CollectOutcome> {
  let taken: Awaited<ReturnType<Ingest['sink']['append']>>;
  try {
    taken = await ingest.sink.append(events);
  } catch (error) {
    const wait = retryAfterOf(error);
    if (wait === undefined) throw error;
    return unavailable(wait);
  }
  if (taken === undefined || taken.ok) {
    ingest.accepted?.(events);
    return ACCEPTED;
  }
  if (taken.error.code === 'unavailable') return unavailable(retryAfterOf(taken.error) ?? 1);
  return { ok: false, problem: { code: 'invalid', message: taken.error.message } };
}

export const tooMany = (seconds: number, message: string): CollectOutcome => ({
  ok: false,
  problem: { code: 'rate_limited', message },
  retryAfterSeconds: seconds,
});

const unavailable = (seconds: number): CollectOutcome => ({
  ok: false,
  problem: {
    code: 'unavailable',
    message: `events cannot be accepted right now; retry after ${seconds} seconds`,
  },
  retryAfterSeconds: seconds,
});
