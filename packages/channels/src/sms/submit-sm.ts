/**
 * Turns an SmsMessage into the submit_sm parameters of each of its parts:
 * source TON/NPI from the sender (alphanumeric → 5/0, E.164 → 1/1, short code
 * → 3/0), data_coding 0 (GSM 7-bit, one septet per octet) or 8 (UCS-2), and
 * for a long text one submit_sm per part, each with a concatenation UDH
 * (IEI 0x00, 8-bit reference) and esm_class 0x40. Pure.
 */
import { err, ok, problem, type Result } from '@wasl/core';
import type { SmsMessage } from '../types.ts';
import { encodePart, smsEncoding, splitSms } from './encoding.ts';

export const TON = { international: 1, networkSpecific: 3, alphanumeric: 5 } as const;
export const NPI = { unknown: 0, isdn: 1 } as const;
export const DATA_CODING = { gsm7: 0, ucs2: 8 } as const;
export const ESM_CLASS_UDHI = 0x40;
/** The total in an 8-bit concatenation UDH is one octet. */
export const MAX_PARTS = 255;

export interface SmppAddress {
  ton: number;
  npi: number;
  addr: string;
}

export interface SubmitSmParams {
  source_addr_ton: number;
  source_addr_npi: number;
  source_addr: string;
  dest_addr_ton: number;
  dest_addr_npi: number;
  destination_addr: string;
  esm_class: number;
  registered_delivery: number;
  data_coding: number;
  short_message: Buffer | { udh: Buffer; message: Buffer };
}

const E164 = /^\+[1-9]\d{6,14}$/;
const SHORT_CODE = /^\d{3,8}$/;
/** GSM-safe alphanumeric sender ids as operators accept them: letters, digits, space, . - _ &, at least one letter. */
const ALPHANUMERIC = /^(?=.*[A-Za-z])[A-Za-z0-9 ._&-]{1,11}$/;

export function sourceAddress(from: string): Result<SmppAddress> {
  if (E164.test(from)) return ok({ ton: TON.international, npi: NPI.isdn, addr: from.slice(1) });
  if (SHORT_CODE.test(from)) return ok({ ton: TON.networkSpecific, npi: NPI.unknown, addr: from });
  if (ALPHANUMERIC.test(from)) return ok({ ton: TON.alphanumeric, npi: NPI.unknown, addr: from });
  return err(
    problem(
      'invalid',
      `from "${from}" is neither an E.164 number, a short code, nor an alphanumeric sender id (1–11 Latin letters or digits)`,
      'from',
    ),
  );
}

export function destinationAddress(to: string): Result<SmppAddress> {
  if (E164.test(to)) return ok({ ton: TON.international, npi: NPI.isdn, addr: to.slice(1) });
  return err(problem('invalid', `to "${to}" is not an E.164 number such as +966501234567`, 'to'));
}

/** The concatenation UDH: length 5, IEI 0x00 (8-bit reference), IE length 3, reference, total, sequence (from 1). */
export function concatenationUdh(reference: number, total: number, sequence: number): Buffer {
  return Buffer.from([0x05, 0x00, 0x03, reference & 0xff, total, sequence]);
}

/**
 * One submit_sm parameter set per part, in order. `reference` identifies the
 * parts of this message to the handset (0–255, reused after 256 messages).
 */
export function submitSmParts(
  message: SmsMessage,
  reference: number,
  registeredDelivery: boolean,
): Result<SubmitSmParams[]> {
  const source = sourceAddress(message.from);
  if (!source.ok) return source;
  const destination = destinationAddress(message.to);
  if (!destination.ok) return destination;
  const texts = splitSms(message.text);
  if (texts.length === 0) return err(problem('invalid', 'text is empty', 'text'));
  if (texts.length > MAX_PARTS) {
    return err(
      problem('invalid', `text needs ${texts.length} parts; at most ${MAX_PARTS} can be joined`, 'text'),
    );
  }
  const encoding = smsEncoding(message.text);
  const params: SubmitSmParams[] = [];
  for (const [i, text] of texts.entries()) {
    const bytes = encodePart(text, encoding);
    if (!bytes.ok) return bytes;
    const body = Buffer.from(bytes.value.buffer, bytes.value.byteOffset, bytes.value.byteLength);
    const concatenated = texts.length > 1;
    params.push({
      source_addr_ton: source.value.ton,
      source_addr_npi: source.value.npi,
      source_addr: source.value.addr,
      dest_addr_ton: destination.value.ton,
      dest_addr_npi: destination.value.npi,
      destination_addr: destination.value.addr,
      esm_class: concatenated ? ESM_CLASS_UDHI : 0,
      registered_delivery: registeredDelivery ? 1 : 0,
      data_coding: DATA_CODING[encoding],
      short_message: concatenated
        ? { udh: concatenationUdh(reference, texts.length, i + 1), message: body }
        : body,
    });
  }
  return ok(params);
}
