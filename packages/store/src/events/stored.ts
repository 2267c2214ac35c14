import { EVENT_TYPES, type EventType, type WaslEvent } from '@wasl/core';

/** What both adapters read back: core columns plus the two JSON documents. */
export interface StoredEvent {
  id: string;
  workspace_id: string;
  type: string;
  name: string;
  anonymous_id: string | null;
  contact_id: string | null;
  occurred_ms: number;
  received_ms: number;
  /** A JSON document, parsed (PostgreSQL jsonb) or as text (DuckDB). */
  properties: unknown;
  context: unknown;
}

const isEventType = (t: string): t is EventType => (EVENT_TYPES as readonly string[]).includes(t);

const parsed = (v: unknown): Record<string, unknown> =>
  (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown>;

/** The event as it was appended (the hot columns are copies of `context`, so they are not read). */
export function fromStored(r: StoredEvent): WaslEvent {
  if (!isEventType(r.type)) {
    throw new Error(`event ${r.id} has type '${r.type}', unknown to this version of Wasl`);
  }
  return {
    id: r.id,
    workspaceId: r.workspace_id,
    type: r.type,
    name: r.name,
    anonymousId: r.anonymous_id,
    contactId: r.contact_id,
    occurredAt: new Date(r.occurred_ms),
    receivedAt: new Date(r.received_ms),
    properties: parsed(r.properties),
    context: parsed(r.context) as WaslEvent['context'],
  };
}
