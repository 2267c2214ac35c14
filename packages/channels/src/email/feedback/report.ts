/**
 * The frame shared by DSN (RFC 3464) and ARF (RFC 5965) messages: a
 * multipart/report (RFC 6522) whose report-type names the machine-readable
 * part, followed by the returned original message or its headers.
 */

import { waslIdFromMessageId } from './ids.ts';
import {
  type Header,
  header,
  type MimePart,
  messageText,
  parseContentType,
  parseHeaders,
  splitMessage,
  splitMultipart,
  stripAngles,
} from './mime-parse.ts';
import { date, Malformed, unwrap } from './read.ts';

export interface ReportFrame {
  /** The report message's own headers. */
  headers: Header[];
  /** The machine-readable part (message/delivery-status, message/feedback-report, …). */
  report: MimePart;
  /** The headers of the original message, when the report returns them. */
  original?: Header[];
}

/** Splits a raw report message; throws Malformed naming the field at fault. */
export function readReportFrame(
  raw: string | Uint8Array,
  reportType: string,
  reportPartTypes: string[],
): ReportFrame {
  const { head, body } = splitMessage(messageText(raw));
  const headers = parseHeaders(head);
  const contentType = parseContentType(header(headers, 'Content-Type'));
  if (contentType?.type !== 'multipart/report') {
    throw new Malformed(
      'Content-Type',
      `Content-Type must be multipart/report, got "${header(headers, 'Content-Type') ?? ''}"`,
    );
  }
  const declared = contentType.params['report-type']?.toLowerCase();
  if (declared !== reportType) {
    throw new Malformed(
      'Content-Type.report-type',
      `report-type must be ${reportType}, got "${declared ?? ''}"`,
    );
  }
  const boundary = contentType.params.boundary;
  if (boundary === undefined || boundary === '') {
    throw new Malformed('Content-Type.boundary', 'Content-Type has no boundary parameter');
  }
  const parts = unwrap(splitMultipart(body, boundary));
  const typeOf = (part: MimePart) => parseContentType(header(part.headers, 'Content-Type'))?.type;
  const report = parts.find((part) => reportPartTypes.includes(typeOf(part) ?? ''));
  if (report === undefined) {
    throw new Malformed(reportPartTypes[0] ?? '', `the report has no ${reportPartTypes.join(' or ')} part`);
  }
  const returned = parts.find((part) => part !== report && ORIGINAL_TYPES.has(typeOf(part) ?? ''));
  if (returned === undefined) return { headers, report };
  const type = typeOf(returned) ?? '';
  const originalHead = type.endsWith('headers') ? returned.body : splitMessage(returned.body).head;
  return { headers, report, original: parseHeaders(originalHead) };
}

/** message/rfc822 and text/rfc822-headers (RFC 6522), and their RFC 6532 UTF-8 forms. */
const ORIGINAL_TYPES = new Set([
  'message/rfc822',
  'text/rfc822-headers',
  'message/global',
  'message/global-headers',
]);

/** The original Message-ID (no angle brackets) and Wasl's id when it follows the convention in ids.ts. */
export function originalMessageId(
  original: Header[] | undefined,
  fallback?: string,
): { messageIdHeader?: string; messageId?: string } {
  const value = (original === undefined ? undefined : header(original, 'Message-ID')) ?? fallback;
  if (value === undefined || value.trim() === '') return {};
  const messageIdHeader = stripAngles(value);
  const messageId = waslIdFromMessageId(messageIdHeader);
  return messageId === undefined ? { messageIdHeader } : { messageIdHeader, messageId };
}

/** A date field as epoch ms, or undefined when absent; Malformed when present but unreadable. */
export function optionalDate(fields: Header[], name: string): number | undefined {
  const value = header(fields, name);
  return value === undefined ? undefined : date(value, name);
}
