import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { WaslEvent } from '@wasl/core';
import { decodeRecord, MAX_RECORD_BYTES, RECORD_HEADER_BYTES, recordChecksum } from './record.ts';

/** Every segment starts with these bytes: the format and its version. */
export const SEGMENT_MAGIC = Buffer.from('WASLJNL1', 'latin1');
const NAME = /^(\d{16})\.wal$/;

export const segmentName = (seq: number): string => `${String(seq).padStart(16, '0')}.wal`;

/** The sequence number in a segment's file name, or undefined for any other file. */
export function segmentSeq(name: string): number | undefined {
  const match = NAME.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Bytes of a segment that were not replayed, and why. */
export interface SegmentDamage {
  file: string;
  /** Byte offset in the file where the unreadable part starts. */
  offset: number;
  bytes: number;
  reason: string;
}

export interface SegmentContents {
  events: WaslEvent[];
  records: number;
  /** Empty for a segment that was sealed cleanly. */
  damage: SegmentDamage[];
}

/**
 * Reads a sealed segment. Records are replayed up to the first one whose
 * length or checksum does not hold: appends are acknowledged only after an
 * fdatasync covering everything before them, so what follows a torn record
 * was never acknowledged (short of the disk itself corrupting synced data).
 * A record whose checksum holds but whose JSON is not events is skipped alone.
 */
export async function readSegment(dir: string, name: string): Promise<SegmentContents> {
  const file = join(dir, name);
  const data = await readFile(file);
  const contents: SegmentContents = { events: [], records: 0, damage: [] };
  const damaged = (offset: number, bytes: number, reason: string) =>
    contents.damage.push({ file, offset, bytes, reason });

  if (data.length < SEGMENT_MAGIC.length || !data.subarray(0, SEGMENT_MAGIC.length).equals(SEGMENT_MAGIC)) {
    if (data.length > 0) damaged(0, data.length, 'no segment header (torn when the segment was created)');
    return contents;
  }
  let offset = SEGMENT_MAGIC.length;
  while (offset < data.length) {
    const rest = data.length - offset;
    if (rest < RECORD_HEADER_BYTES) {
      damaged(offset, rest, `torn record header (${rest} of ${RECORD_HEADER_BYTES} bytes)`);
      break;
    }
    const length = data.readUInt32LE(offset);
    const start = offset + RECORD_HEADER_BYTES;
    if (length === 0 || length > MAX_RECORD_BYTES) {
      damaged(offset, rest, `impossible record length ${length}`);
      break;
    }
    if (start + length > data.length) {
      damaged(offset, rest, `torn record (${rest - RECORD_HEADER_BYTES} of ${length} payload bytes)`);
      break;
    }
    if (recordChecksum(data, length, start) !== data.readUInt32LE(offset + 4)) {
      damaged(offset, rest, 'record checksum mismatch');
      break;
    }
    const events = decodeRecord(data.subarray(start, start + length));
    if (typeof events === 'string') damaged(offset, RECORD_HEADER_BYTES + length, events);
    else {
      for (const event of events) contents.events.push(event);
      contents.records += 1;
    }
    offset = start + length;
  }
  return contents;
}
