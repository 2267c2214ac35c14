/**
 * What an SMSC's deliver_sm means for Wasl: a delivery receipt (esm_class
 * message type 0x04, read from the receipted_message_id / message_state TLVs
 * or the "id:… stat:… err:…" text) or a mobile-originated reply, which is an
 * opt-out when opt-out.ts recognises it. Pure: fields in, StatusReport out.
 */
import type { StatusReport } from '../types.ts';
import { optOutIntent } from './opt-out.ts';

/** The deliver_sm fields that matter, already decoded. */
export interface DeliverSm {
  esmClass: number;
  sourceAddr: string;
  destinationAddr: string;
  /** short_message (or message_payload) as text. */
  text: string;
  receiptedMessageId?: string;
  messageState?: number;
}

/** esm_class bits 2–5, the message type. */
const MESSAGE_TYPE_MASK = 0x3c;
const MC_DELIVERY_RECEIPT = 0x04;
const INTERMEDIATE_NOTIFICATION = 0x20;

/** message_state values (SMPP 3.4 §5.2.28) by the stat word receipts use. */
const STATE_NAMES: Record<number, string> = {
  1: 'ENROUTE',
  2: 'DELIVRD',
  3: 'EXPIRED',
  4: 'DELETED',
  5: 'UNDELIV',
  6: 'ACCEPTD',
  7: 'UNKNOWN',
  8: 'REJECTD',
};
const FAILED_STATS = new Set(['EXPIRED', 'DELETED', 'UNDELIV', 'UNKNOWN', 'REJECTD']);

export function isReceipt(esmClass: number): boolean {
  const type = esmClass & MESSAGE_TYPE_MASK;
  return type === MC_DELIVERY_RECEIPT || type === INTERMEDIATE_NOTIFICATION;
}

/**
 * The fields of a receipt text: "id:IIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm
 * done date:YYMMDDhhmm stat:DDDDDDD err:E text:…" (SMPP 3.4 appendix B), keys lower-cased.
 */
export function parseReceiptText(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const pattern = /(id|sub|dlvrd|submit date|done date|stat|err|text):\s*(\S*)/gi;
  for (const [, key, value] of text.matchAll(pattern)) {
    const name = key!.toLowerCase();
    if (!(name in fields)) fields[name] = value ?? '';
  }
  return fields;
}

/** YYMMDDhhmm[ss] read as UTC (the receipt format carries no zone); undefined when malformed. */
export function parseReceiptDate(value: string | undefined): number | undefined {
  const m = value?.match(/^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?$/);
  if (!m) return undefined;
  const [, yy, mo, dd, hh, mi, ss] = m.map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const at = Date.UTC(2000 + yy, mo - 1, dd, hh, mi, Number.isNaN(ss) ? 0 : ss);
  return Number.isNaN(at) || mo < 1 || mo > 12 || dd < 1 || dd > 31 ? undefined : at;
}

/** E.164 with "+" for a numeric address ("966501234567", "00966…", "+966…"); anything else unchanged. */
export function toE164(address: string): string {
  const digits = address.replace(/^(\+|00)/, '');
  return /^[1-9]\d{6,14}$/.test(digits) ? `+${digits}` : address;
}

function receiptReport(d: DeliverSm, now: number): StatusReport | undefined {
  const fields = parseReceiptText(d.text);
  const stat =
    (d.messageState !== undefined ? STATE_NAMES[d.messageState] : undefined) ?? fields.stat?.toUpperCase();
  const providerMessageId = d.receiptedMessageId || fields.id;
  if (!stat || !providerMessageId) return undefined;
  const status = stat === 'DELIVRD' ? 'delivered' : FAILED_STATS.has(stat) ? 'failed' : undefined;
  if (!status) return undefined;
  const detail: Record<string, string> = { stat };
  if (fields.err !== undefined) detail.err = fields.err;
  return {
    status,
    at: parseReceiptDate(fields['done date']) ?? now,
    providerMessageId,
    recipient: toE164(d.sourceAddr),
    detail,
  };
}

function replyReport(d: DeliverSm, now: number): StatusReport {
  const intent = optOutIntent(d.text);
  const detail: Record<string, string> = { text: d.text, to: d.destinationAddr };
  // 'start' (START, اشتراك) stays a reply; the intent tells the engine to opt the contact back in.
  if (intent) detail.intent = intent;
  return {
    status: intent === 'stop' ? 'unsubscribed' : 'replied',
    at: now,
    recipient: toE164(d.sourceAddr),
    detail,
  };
}

/**
 * The report a deliver_sm carries: delivered/failed for a final receipt,
 * unsubscribed or replied for a mobile-originated message, undefined for an
 * intermediate receipt (ENROUTE, ACCEPTD) or one without an id or state.
 */
export function reportFromDeliverSm(d: DeliverSm, now: number): StatusReport | undefined {
  return isReceipt(d.esmClass) ? receiptReport(d, now) : replyReport(d, now);
}
