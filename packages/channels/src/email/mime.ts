/**
 * Builds the RFC 5322 / MIME bytes of one email: headers (non-ASCII names and
 * subjects as RFC 2047 encoded words, so Arabic survives every relay) and a
 * multipart/alternative body with the plain-text part first and the HTML part
 * last, each UTF-8 in base64. Built in one pass into one Buffer: the delivery
 * engine renders thousands per second and a stream-based composer would cost
 * more than the SMTP exchange.
 */
import { createHash } from 'node:crypto';
import type { EmailMessage, Mailbox } from '../types.ts';

const CRLF = '\r\n';
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const ATEXT_PHRASE = /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$/;

/** One header value in RFC 2047 encoded words (UTF-8, base64), each at most 75 characters. */
export function encodeWords(value: string): string {
  if (PRINTABLE_ASCII.test(value)) return value;
  // Each word carries at most 45 bytes (60 base64 characters + 12 of framing < 75),
  // cut on code point boundaries so no character is split across two words.
  const words: string[] = [];
  let chunk = '';
  let bytes = 0;
  for (const ch of value) {
    const size = Buffer.byteLength(ch);
    if (bytes + size > 45) {
      words.push(chunk);
      chunk = '';
      bytes = 0;
    }
    chunk += ch;
    bytes += size;
  }
  if (chunk !== '') words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join(`${CRLF} `);
}

/** `"Name" <address>`, the name encoded when it is not plain ASCII. */
export function formatMailbox(box: Mailbox): string {
  if (box.name === undefined || box.name === '') return `<${box.address}>`;
  if (ATEXT_PHRASE.test(box.name)) return `${box.name} <${box.address}>`;
  if (PRINTABLE_ASCII.test(box.name)) return `"${box.name.replace(/(["\\])/g, '\\$1')}" <${box.address}>`;
  return `${encodeWords(box.name)} <${box.address}>`;
}

/** UTF-8 text as base64 in lines of 76 characters (RFC 2045), as bytes. */
function base64Lines(text: string): Buffer {
  const b64 = Buffer.from(text, 'utf8').toString('base64');
  const lines = Math.ceil(b64.length / 76);
  const out = Buffer.allocUnsafe(b64.length + Math.max(0, lines - 1) * 2);
  let at = 0;
  for (let i = 0; i < b64.length; i += 76) {
    if (i > 0) {
      out[at++] = 13;
      out[at++] = 10;
    }
    at += out.write(b64.slice(i, i + 76), at, 'latin1');
  }
  return out;
}

/** RFC 5322 date in UTC, e.g. "Mon, 23 Nov 2026 08:10:00 +0000". */
export function formatDate(epochMs: number): string {
  return new Date(epochMs).toUTCString().replace(/GMT$/, '+0000');
}

/** A header value with CR or LF would start a header of its own: refused, never folded. */
function safeHeader(name: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new TypeError(`header ${name} contains a line break`);
  return `${name}: ${value}`;
}

/**
 * The bytes to hand to SMTP. `date` is epoch ms. The boundary is derived from
 * the Message-ID, so the same message always has the same bytes.
 */
export function buildMime(message: EmailMessage, date: number): Buffer {
  for (const [field, value] of [
    ['subject', message.subject],
    ['from.name', message.from.name ?? ''],
    ['to.name', message.to.name ?? ''],
    ['replyTo.name', message.replyTo?.name ?? ''],
  ] as const) {
    if (/[\r\n]/.test(value)) throw new TypeError(`${field} contains a line break`);
  }
  const boundary = `=_wasl_${createHash('sha1').update(message.messageId).digest('hex').slice(0, 24)}`;
  const head = [`From: ${formatMailbox(message.from)}`, `To: ${formatMailbox(message.to)}`];
  if (message.replyTo) head.push(`Reply-To: ${formatMailbox(message.replyTo)}`);
  head.push(
    `Subject: ${encodeWords(message.subject)}`,
    `Date: ${formatDate(date)}`,
    safeHeader('Message-ID', `<${message.messageId}>`),
    'MIME-Version: 1.0',
  );
  for (const [name, value] of Object.entries(message.headers)) head.push(safeHeader(name, value));
  head.push(`Content-Type: multipart/alternative; boundary="${boundary}"`);
  const part = (type: string) =>
    Buffer.from(
      `${CRLF}--${boundary}${CRLF}Content-Type: ${type}; charset=utf-8${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}`,
      'latin1',
    );
  return Buffer.concat([
    Buffer.from(`${head.join(CRLF)}${CRLF}${CRLF}This is a multipart message in MIME format.`, 'utf8'),
    part('text/plain'),
    base64Lines(message.text),
    part('text/html'),
    base64Lines(message.html),
    Buffer.from(`${CRLF}--${boundary}--${CRLF}`, 'latin1'),
  ]);
}
