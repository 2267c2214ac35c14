import { crc32 } from 'node:zlib';
import type { WaslEvent } from '@wasl/core';

/**
 * One record is one `append` call: the events it acknowledged together.
 *
 *   u32 LE  payload length in bytes
 *   u32 LE  CRC-32 of those four length bytes, then of the payload
 *   payload UTF-8 JSON: an array of events, `occurredAt`/`receivedAt` as epoch ms
 *
 * The checksum covers the length too, so a torn or zeroed length is caught
 * rather than read as a (wrong) record boundary.
 */
export const RECORD_HEADER_BYTES = 8;
/** Larger lengths can only be damage; also bounds what one bad header makes us allocate. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** The record for `events`, or a TypeError naming the first event JSON cannot carry. */
export function encodeRecord(events: readonly WaslEvent[]): Buffer {
  const json = stringify(events);
  const length = Buffer.byteLength(json);
  if (length > MAX_RECORD_BYTES) {
    throw new TypeError(`a batch of ${length} bytes is larger than one record may be (${MAX_RECORD_BYTES})`);
  }
  const record = Buffer.allocUnsafe(RECORD_HEADER_BYTES + length);
  record.writeUInt32LE(length, 0);
  record.write(json, RECORD_HEADER_BYTES, 'utf8');
  record.writeUInt32LE(recordChecksum(record, length, RECORD_HEADER_BYTES), 4);
  return record;
}

/** CRC-32 of the length field, continued over the payload starting at `payloadStart`. */
export function recordChecksum(buffer: Buffer, length: number, payloadStart: number): number {
  const lengthBytes = buffer.subarray(payloadStart - RECORD_HEADER_BYTES, payloadStart - 4);
  return crc32(buffer.subarray(payloadStart, payloadStart + length), crc32(lengthBytes));
}

function stringify(events: readonly WaslEvent[]): string {
  const plain = events.map(toJson);
  try {
    return JSON.stringify(plain);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    // A BigInt or a cycle in properties or context: name the event, then keep JSON's own words.
    const at = plain.findIndex((event) => {
      try {
        JSON.stringify(event);
        return false;
      } catch {
        return true;
      }
    });
    throw new TypeError(`event ${events[at]?.id} is not JSON (${error.message})`, { cause: error });
  }
}

function toJson(event: WaslEvent): unknown {
  return {
    id: event.id,
    workspaceId: event.workspaceId,
    type: event.type,
    name: event.name,
    anonymousId: event.anonymousId,
    contactId: event.contactId,
    occurredAt: epochMs(event, 'occurredAt'),
    receivedAt: epochMs(event, 'receivedAt'),
    properties: event.properties,
    context: event.context,
  };
}

function epochMs(event: WaslEvent, field: 'occurredAt' | 'receivedAt'): number {
  const value: unknown = event[field];
  const ms = value instanceof Date ? value.getTime() : Number.NaN;
  // JSON would write an invalid date as null, which would come back as 1970.
  if (!Number.isFinite(ms)) throw new TypeError(`event ${event.id}: ${field} is not a valid Date`);
  return ms;
}

/**
 * The events of a record whose checksum matched, or a message saying why the
 * payload is not a list of events (a bug or a format change, never a torn write).
 */
export function decodeRecord(payload: Buffer): WaslEvent[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    return `payload is not JSON (${(error as Error).message})`;
  }
  if (!Array.isArray(parsed)) return 'payload is not an array of events';
  const events: WaslEvent[] = [];
  for (const item of parsed as unknown[]) {
    const event = revive(item);
    if (typeof event === 'string') return event;
    events.push(event);
  }
  return events;
}

function revive(item: unknown): WaslEvent | string {
  if (typeof item !== 'object' || item === null) return 'an event is not an object';
  const raw = item as Record<string, unknown>;
  if (typeof raw.id !== 'string' || typeof raw.workspaceId !== 'string') return 'an event has no id';
  if (typeof raw.occurredAt !== 'number' || typeof raw.receivedAt !== 'number') {
    return `event ${raw.id}: times are not epoch milliseconds`;
  }
  // Everything else was a WaslEvent when it was written and the checksum says it is unchanged.
  raw.occurredAt = new Date(raw.occurredAt);
  raw.receivedAt = new Date(raw.receivedAt);
  return raw as unknown as WaslEvent;
}
