/**
 * Events to webhook deliveries and back. Each event an endpoint subscribes to
 * becomes one message on the 'webhook' channel (idempotency key: endpoint ×
 * event, so an event written twice is delivered once); the delivery engine
 * sends it with WebhookAdapter, retries it on the Standard Webhooks schedule
 * for about a day, and its row in `messages` is the delivery log.
 */
import type { WebhookMessage } from '@wasl/channels';
import { nextAttemptAt } from '@wasl/channels/webhook';
import { newId, type WaslEvent } from '@wasl/core';
import type { Database, EventStore, MessageRow } from '@wasl/store';
import type { NewMessage, Outcome, Prepared } from '@wasl/worker';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { matchesEventType, signingSecrets } from './endpoints.ts';

/** What a webhook message row carries: the endpoint and the exact body to sign and send. */
const WebhookContent = z.object({ endpointId: z.string(), type: z.string(), body: z.string() });

/** The webhook type of an event: the name of track and message events, else the call type. */
export const webhookType = (e: WaslEvent): string =>
  (e.type === 'track' || e.type === 'message') && e.name !== '' ? e.name : e.type;

/** The JSON a receiver gets (Standard Webhooks' recommended shape: type, timestamp, data). */
export function webhookBody(e: WaslEvent): string {
  return JSON.stringify({
    type: webhookType(e),
    timestamp: e.occurredAt.toISOString(),
    data: {
      id: e.id,
      workspaceId: e.workspaceId,
      contactId: e.contactId,
      anonymousId: e.anonymousId,
      properties: e.properties,
      context: e.context,
    },
  });
}

/** An enabled endpoint with its event types already parsed (fan-out runs for every appended event). */
export interface Subscriber {
  id: string;
  url: string;
  eventTypes: readonly string[];
}

/** The deliveries that events call for, given each workspace's enabled endpoints. */
export function deliveriesFor(
  events: readonly WaslEvent[],
  endpointsOf: (workspaceId: string) => readonly Subscriber[],
  now: number,
): NewMessage[] {
  const out: NewMessage[] = [];
  for (const event of events) {
    const type = webhookType(event);
    // A delivery's own outcome is not delivered again: that would loop.
    if (type.startsWith('message.') && event.properties.channel === 'webhook') continue;
    for (const endpoint of endpointsOf(event.workspaceId)) {
      if (!matchesEventType(endpoint.eventTypes, type)) continue;
      out.push({
        id: newId(now),
        workspaceId: event.workspaceId,
        idempotencyKey: `webhook:${endpoint.id}:${event.id}`,
        channel: 'webhook',
        contactId: event.contactId,
        address: endpoint.url,
        sourceKind: 'system',
        sourceId: endpoint.id,
        marketing: false,
        content: { endpointId: endpoint.id, type, body: webhookBody(event) },
      });
    }
  }
  return out;
}

/**
 * Keeps each workspace's enabled endpoints in memory for a few seconds, so
 * fanning out a busy stream of events costs a map lookup per event.
 */
export class EndpointDirectory {
  readonly #db: Kysely<Database>;
  readonly #ttlMs: number;
  #byWorkspace = new Map<string, Subscriber[]>();
  #loadedAt = Number.NEGATIVE_INFINITY;

  constructor(db: Kysely<Database>, ttlMs = 5_000) {
    this.#db = db;
    this.#ttlMs = ttlMs;
  }

  async load(now: number): Promise<(workspaceId: string) => readonly Subscriber[]> {
    if (now - this.#loadedAt >= this.#ttlMs) {
      const rows = await this.#db
        .selectFrom('webhook_endpoints')
        .select(['id', 'workspace_id', 'url', 'event_types'])
        .where('enabled', '=', 1)
        .execute();
      const map = new Map<string, Subscriber[]>();
      for (const row of rows) {
        const subscriber = { id: row.id, url: row.url, eventTypes: JSON.parse(row.event_types) as string[] };
        map.set(row.workspace_id, [...(map.get(row.workspace_id) ?? []), subscriber]);
      }
      this.#byWorkspace = map;
      this.#loadedAt = now;
    }
    const map = this.#byWorkspace;
    return (workspaceId) => map.get(workspaceId) ?? [];
  }

  /** After an endpoint changed: the next fan-out reads them again. */
  invalidate(): void {
    this.#loadedAt = Number.NEGATIVE_INFINITY;
  }
}

/** The engine's prepare for the 'webhook' channel: the signed request for the endpoint as it is now. */
export async function prepareWebhook(db: Kysely<Database>, row: MessageRow, now: number): Promise<Prepared> {
  const content = WebhookContent.safeParse(JSON.parse(row.content));
  if (!content.success) return { kind: 'skip', reason: 'invalid_content' };
  const endpoint = await db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('workspace_id', '=', row.workspace_id)
    .where('id', '=', content.data.endpointId)
    .executeTakeFirst();
  if (!endpoint) return { kind: 'skip', reason: 'endpoint_deleted' };
  if (endpoint.enabled !== 1) return { kind: 'skip', reason: 'endpoint_disabled' };
  const message: WebhookMessage = {
    id: row.id,
    url: endpoint.url,
    type: content.data.type,
    body: content.data.body,
    // The attempt's time: receivers refuse signatures older than a few minutes.
    timestamp: Math.floor(now / 1000),
    secrets: signingSecrets(endpoint, now),
  };
  return { kind: 'send', message };
}

/** The engine's retry schedule for webhooks, counted from the first attempt (the row's creation). */
export const webhookRetryAt = (row: MessageRow): number | undefined =>
  nextAttemptAt(row.attempts, row.created_at);

/** A receiver that answers 410 Gone has removed the endpoint: switch it off, say why. */
export async function webhookOutcome(db: Kysely<Database>, row: MessageRow, outcome: Outcome, now: number) {
  if (row.channel !== 'webhook' || outcome.kind !== 'failed' || !outcome.error.startsWith('gone:')) return;
  await db
    .updateTable('webhook_endpoints')
    .set({ enabled: 0, disabled_reason: 'gone: the receiver answered 410', updated_at: now })
    .where('workspace_id', '=', row.workspace_id)
    .where('id', '=', row.source_id ?? '')
    .execute();
}

/**
 * The events store, with every appended event also fanned out to the
 * workspace's webhook endpoints. The events are written first: a delivery
 * never announces a fact the log does not hold.
 */
export function withWebhookFanOut(
  store: EventStore,
  fanOut: (events: readonly WaslEvent[]) => Promise<void>,
  onError: (error: unknown) => void,
): EventStore {
  return new Proxy(store, {
    get(target, key, receiver) {
      if (key !== 'append') return Reflect.get(target, key, receiver);
      return async (events: readonly WaslEvent[]) => {
        const result = await target.append(events);
        await fanOut(events).catch(onError);
        return result;
      };
    },
  });
}

/** Fan-out as a function of events: read the endpoints (cached), queue one delivery per match. */
export function webhookFanOut(
  directory: EndpointDirectory,
  enqueue: (messages: readonly NewMessage[]) => Promise<number>,
  clock: () => number,
): (events: readonly WaslEvent[]) => Promise<void> {
  return async (events) => {
    if (events.length === 0) return;
    const now = clock();
    const deliveries = deliveriesFor(events, await directory.load(now), now);
    if (deliveries.length > 0) await enqueue(deliveries);
  };
}
