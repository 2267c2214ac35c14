/**
 * Just enough MIME reading for bounce and complaint reports: header blocks
 * (RFC 5322 §2.2.3 unfolding), Content-Type parameters (RFC 2045 §5.1),
 * multipart bodies (RFC 2046 §5.1.1) and base64 / quoted-printable bodies.
 * Kept small and in production code so the report parsers need no
 * development-only dependency. Encoded words (RFC 2047) are not decoded: the
 * fields we read (addresses, status codes, Message-IDs) never carry them.
 */
import { err, ok, problem, type Result } from '@wasl/core';

export interface Header {
  name: string;
  value: string;
}

export interface MimePart {
  headers: Header[];
  /** The body with its transfer encoding undone. */
  body: string;
}

const LINE_BREAK = /\r?\n/;

/** Splits a message (or part) at its first empty line into headers and body. */
export function splitMessage(raw: string): { head: string; body: string } {
  // A message that starts with an empty line has no headers.
  if (/^\r?\n/.test(raw)) return { head: '', body: raw.replace(/^\r?\n/, '') };
  const match = /\r?\n\r?\n/.exec(raw);
  if (match === null) return { head: raw, body: '' };
  return { head: raw.slice(0, match.index), body: raw.slice(match.index + match[0].length) };
}

/**
 * Reads a header block: continuation lines (starting with a space or tab) are
 * joined to the line before; lines without a colon are skipped.
 */
export function parseHeaders(head: string): Header[] {
  const headers: Header[] = [];
  for (const line of head.split(LINE_BREAK)) {
    if (line === '') continue;
    const last = headers.at(-1);
    if ((line.startsWith(' ') || line.startsWith('\t')) && last !== undefined) {
      last.value = `${last.value} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return headers;
}

/** The first header of that name (case-insensitive), or undefined. */
export function header(headers: Header[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === wanted)?.value;
}

export interface ContentType {
  /** Lower case, e.g. 'multipart/report'. */
  type: string;
  /** Parameter names in lower case; quoted values unquoted. */
  params: Record<string, string>;
}

/** Parses a Content-Type value; undefined when there is no type/subtype. */
export function parseContentType(value: string | undefined): ContentType | undefined {
  if (value === undefined) return undefined;
  const [first = '', ...rest] = splitParams(value);
  const type = first.trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type)) return undefined;
  const params: Record<string, string> = {};
  for (const param of rest) {
    const eq = param.indexOf('=');
    if (eq <= 0) continue;
    const name = param.slice(0, eq).trim().toLowerCase();
    let v = param.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    params[name] = v;
  }
  return { type, params };
}

/** Splits at semicolons that are outside quoted strings. */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && quoted) {
      current += c + (value[i + 1] ?? '');
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      current += c;
    } else if (c === ';' && !quoted) {
      out.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  out.push(current);
  return out;
}

/**
 * The parts of a multipart body, each with its transfer encoding undone.
 * An error when the boundary never opens a part or the body has no closing
 * delimiter and no part at all.
 */
export function splitMultipart(body: string, boundary: string): Result<MimePart[]> {
  const delimiter = `--${boundary}`;
  const lines = body.split(LINE_BREAK);
  const parts: string[][] = [];
  let current: string[] | undefined;
  for (const line of lines) {
    const trimmed = line.trimEnd();
    if (trimmed === delimiter || trimmed === `${delimiter}--`) {
      if (current !== undefined) parts.push(current);
      if (trimmed.endsWith('--') && trimmed !== delimiter) {
        current = undefined;
        break;
      }
      current = [];
      continue;
    }
    current?.push(line);
  }
  // A truncated report (no closing delimiter) keeps the part that was open.
  if (current !== undefined) parts.push(current);
  if (parts.length === 0) {
    return err(problem('invalid', `no part starts with the boundary "${boundary}"`, 'Content-Type.boundary'));
  }
  return ok(parts.map((lines) => readPart(lines.join('\r\n'))));
}

/** A part's headers and its decoded body. */
function readPart(raw: string): MimePart {
  const { head, body } = splitMessage(raw);
  const headers = parseHeaders(head);
  const encoding = header(headers, 'Content-Transfer-Encoding')?.toLowerCase();
  const charset = parseContentType(header(headers, 'Content-Type'))?.params.charset;
  return { headers, body: decodeBody(body, encoding, charset) };
}

function decodeBody(body: string, encoding: string | undefined, charset: string | undefined): string {
  if (encoding === 'base64') {
    return toText(Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64'), charset);
  }
  if (encoding === 'quoted-printable') return toText(decodeQuotedPrintable(body), charset);
  return body;
}

function toText(bytes: Buffer, charset: string | undefined): string {
  const label = (charset ?? 'utf-8').toLowerCase();
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    // An unknown charset label: UTF-8 is the best guess for report fields.
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function decodeQuotedPrintable(body: string): Buffer {
  const joined = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const c = joined[i] ?? '';
    const hex = joined.slice(i + 1, i + 3);
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** A raw message as text: bytes are read as UTF-8 (RFC 6532 allows it in headers). */
export function messageText(raw: string | Uint8Array): string {
  return typeof raw === 'string' ? raw : new TextDecoder('utf-8').decode(raw);
}

/**
 * Reads a delivery-status or feedback-report body: groups of header fields
 * separated by empty lines (RFC 3464 §2.1, RFC 5965 §3).
 */
export function parseFieldGroups(body: string): Header[][] {
  return body
    .split(/\r?\n[ \t]*\r?\n/)
    .map((block) => parseHeaders(block))
    .filter((group) => group.length > 0);
}

/** Removes one pair of angle brackets and surrounding space: "<a@b>" → "a@b". */
export function stripAngles(value: string): string {
  const trimmed = value.trim();
  return trimmed.startsWith('<') && trimmed.endsWith('>') ? trimmed.slice(1, -1).trim() : trimmed;
}
