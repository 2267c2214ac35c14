import type { WaslEvent } from '@wasl/core';
import { cleanJson, cleanText } from './clean.ts';

/**
 * One event as both adapters write it. Times are epoch milliseconds. The hot
 * context fields are copied into their own columns because reports group by
 * them; `context` still holds the whole object so nothing is lost.
 */
export interface EventRow {
  workspace_id: string;
  id: string;
  type: string;
  name: string;
  anonymous_id: string | null;
  contact_id: string | null;
  occurred_at: number;
  received_at: number;
  path: string | null;
  referrer: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  source: string | null;
  medium: string | null;
  country: string | null;
  device_type: string | null;
  session_id: string | null;
  site_id: string | null;
  region: string | null;
  browser: string | null;
  os: string | null;
  locale: string | null;
  utm_term: string | null;
  utm_content: string | null;
  referrer_host: string | null;
  identity: string | null;
  engaged_ms: number | null;
  bot: boolean;
  properties: string;
  context: string;
}

export type ColumnKind = 'text' | 'time' | 'json' | 'int' | 'bool';

/** Column order shared by the tables, the DuckDB staging table and the PostgreSQL arrays. */
export const EVENT_COLUMNS: readonly { name: keyof EventRow; kind: ColumnKind; nullable: boolean }[] = [
  { name: 'workspace_id', kind: 'text', nullable: false },
  { name: 'id', kind: 'text', nullable: false },
  { name: 'type', kind: 'text', nullable: false },
  { name: 'name', kind: 'text', nullable: false },
  { name: 'anonymous_id', kind: 'text', nullable: true },
  { name: 'contact_id', kind: 'text', nullable: true },
  { name: 'occurred_at', kind: 'time', nullable: false },
  { name: 'received_at', kind: 'time', nullable: false },
  { name: 'path', kind: 'text', nullable: true },
  { name: 'referrer', kind: 'text', nullable: true },
  { name: 'utm_source', kind: 'text', nullable: true },
  { name: 'utm_medium', kind: 'text', nullable: true },
  { name: 'utm_campaign', kind: 'text', nullable: true },
  { name: 'source', kind: 'text', nullable: true },
  { name: 'medium', kind: 'text', nullable: true },
  { name: 'country', kind: 'text', nullable: true },
  { name: 'device_type', kind: 'text', nullable: true },
  { name: 'session_id', kind: 'text', nullable: true },
  { name: 'site_id', kind: 'text', nullable: true },
  { name: 'region', kind: 'text', nullable: true },
  { name: 'browser', kind: 'text', nullable: true },
  { name: 'os', kind: 'text', nullable: true },
  { name: 'locale', kind: 'text', nullable: true },
  { name: 'utm_term', kind: 'text', nullable: true },
  { name: 'utm_content', kind: 'text', nullable: true },
  { name: 'referrer_host', kind: 'text', nullable: true },
  { name: 'identity', kind: 'text', nullable: true },
  { name: 'engaged_ms', kind: 'int', nullable: true },
  { name: 'bot', kind: 'bool', nullable: false },
  { name: 'properties', kind: 'json', nullable: false },
  { name: 'context', kind: 'json', nullable: false },
];

// Years 1 to 9999: what PostgreSQL's timestamptz and ISO 8601 both accept.
export const MIN_TIME = Date.parse('0001-01-01T00:00:00.000Z');
export const MAX_TIME = Date.parse('9999-12-31T23:59:59.999Z');

const text = (v: string | undefined): string | null => (v === undefined ? null : cleanText(v));

function time(event: WaslEvent, field: 'occurredAt' | 'receivedAt'): number {
  const ms = event[field].getTime();
  if (!(ms >= MIN_TIME && ms <= MAX_TIME)) {
    throw new RangeError(`event ${event.id}: ${field} must lie in years 1 to 9999`);
  }
  return ms;
}

function json(event: WaslEvent, field: 'properties' | 'context'): string {
  try {
    return cleanJson(event[field]);
  } catch (cause) {
    throw new TypeError(`event ${event.id}: ${field} is not JSON (${(cause as Error).message})`, { cause });
  }
}

/** Maps one event to its row; throws when an engine could not hold it (see `unstorableReason`). */
export function toRow(e: WaslEvent): EventRow {
  const c = e.context;
  return {
    workspace_id: cleanText(e.workspaceId),
    id: cleanText(e.id),
    type: e.type,
    name: cleanText(e.name),
    anonymous_id: e.anonymousId === null ? null : cleanText(e.anonymousId),
    contact_id: e.contactId === null ? null : cleanText(e.contactId),
    occurred_at: time(e, 'occurredAt'),
    received_at: time(e, 'receivedAt'),
    path: text(c.path),
    referrer: text(c.referrer),
    utm_source: text(c.utm?.source),
    utm_medium: text(c.utm?.medium),
    utm_campaign: text(c.utm?.campaign),
    source: text(c.source),
    medium: text(c.medium),
    country: text(c.geo?.country),
    device_type: text(c.device?.type),
    session_id: text(c.sessionId),
    site_id: text(c.siteId),
    region: text(c.geo?.region),
    browser: text(c.device?.browser),
    os: text(c.device?.os),
    locale: text(c.locale),
    utm_term: text(c.utm?.term),
    utm_content: text(c.utm?.content),
    referrer_host: text(c.referrerHost),
    identity: c.identity ?? null,
    engaged_ms: c.engagedMs ?? null,
    bot: c.bot === true,
    properties: json(e, 'properties'),
    context: json(e, 'context'),
  };
}

/**
 * Rows for a batch, first occurrence of each (workspace, id) only: a batch that
 * repeats an id must insert it once on every engine.
 */
export function toRows(events: readonly WaslEvent[]): EventRow[] {
  const seen = new Set<string>();
  const rows: EventRow[] = [];
  for (const event of events) {
    const row = toRow(event);
    // cleanText removed every U+0000, so it cannot occur inside either part.
    const key = `${row.workspace_id}\u0000${row.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(row);
  }
  return rows;
}
