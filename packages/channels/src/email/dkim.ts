/**
 * DKIM signing (RFC 6376) of the bytes buildMime produces, with relaxed/relaxed
 * canonicalisation, for RSA-SHA256 and Ed25519-SHA256 (RFC 8463), and the key
 * pairs a sender identity publishes in DNS (`p=` of `<selector>._domainkey`).
 */
import {
  createHash,
  createPrivateKey,
  generateKeyPair,
  generateKeyPairSync,
  type KeyObject,
  sign,
} from 'node:crypto';
import { domainToASCII } from 'node:url';
import { promisify } from 'node:util';

export type DkimAlgorithm = 'rsa-sha256' | 'ed25519-sha256';

export interface DkimKey {
  /** The signing domain (d=); an Arabic (IDN) domain is signed as punycode. */
  domain: string;
  selector: string;
  privateKeyPem: string;
  algorithm: DkimAlgorithm;
}

export interface DkimKeyPair {
  privateKeyPem: string;
  /** The value of the DNS record's p= tag. */
  publicKeyBase64: string;
}

/** Signed when present, in this order. */
export const DEFAULT_SIGNED_HEADERS = [
  'From',
  'To',
  'Subject',
  'Date',
  'Message-ID',
  'MIME-Version',
  'Content-Type',
  'List-Unsubscribe',
  'List-Unsubscribe-Post',
  'Reply-To',
] as const;

const CRLF = '\r\n';
const generate = promisify(generateKeyPair) as (
  type: 'rsa' | 'ed25519',
  options: { modulusLength?: number },
) => Promise<{ privateKey: KeyObject; publicKey: KeyObject }>;

/** A header field as it appears in the message: its name and the whole raw field (folds kept, no final CRLF). */
interface HeaderField {
  name: string;
  raw: string;
}

/** The header fields (in order) and the body of a message (everything after the first empty line). */
function splitMessage(message: Buffer): { fields: HeaderField[]; body: Buffer } {
  const end = message.indexOf('\r\n\r\n');
  const head = (end < 0 ? message : message.subarray(0, end)).toString('latin1');
  const body = end < 0 ? Buffer.alloc(0) : message.subarray(end + 4);
  const fields: HeaderField[] = [];
  for (const line of head.split(CRLF)) {
    const last = fields[fields.length - 1];
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) last.raw += `${CRLF}${line}`;
    else fields.push({ name: line.slice(0, Math.max(0, line.indexOf(':'))).trim(), raw: line });
  }
  return { fields, body };
}

/** RFC 6376 §3.4.2: lower-case name, unfolded value with runs of whitespace as one space, trimmed. */
export function relaxedHeader(raw: string): string {
  const colon = raw.indexOf(':');
  const name = raw.slice(0, colon).trim().toLowerCase();
  const value = raw
    .slice(colon + 1)
    .replace(/\r\n(?=[ \t])/g, '')
    .replace(/[ \t]+/g, ' ')
    .trim();
  return `${name}:${value}`;
}

/** RFC 6376 §3.4.3 (simple) and §3.4.4 (relaxed) body canonicalisation. */
export function canonicaliseBody(body: Buffer, mode: 'simple' | 'relaxed'): Buffer {
  let text = body.toString('latin1');
  if (mode === 'relaxed') {
    text = text
      .split(CRLF)
      .map((line) => line.replace(/[ \t]+/g, ' ').replace(/ $/, ''))
      .join(CRLF);
  }
  text = text.replace(/(\r\n)+$/, '');
  if (text !== '') return Buffer.from(`${text}${CRLF}`, 'latin1');
  return Buffer.from(mode === 'simple' ? CRLF : '', 'latin1');
}

/** The bh= value: base64 SHA-256 of the canonicalised body. */
export function bodyHash(body: Buffer, mode: 'simple' | 'relaxed'): string {
  return createHash('sha256').update(canonicaliseBody(body, mode)).digest('base64');
}

/**
 * The fields named in `names` that the message has, bottom-up for repeated
 * names (RFC 6376 §5.4.2), as the h= list and their raw fields.
 */
function pickFields(fields: HeaderField[], names: readonly string[]): HeaderField[] {
  const picked: HeaderField[] = [];
  for (const name of names) {
    const same = fields.filter((f) => f.name.toLowerCase() === name.toLowerCase());
    picked.push(...same.reverse());
  }
  return picked;
}

/**
 * Tags joined by "; ", folded before a tag (or an h= name) when a line would
 * pass 76 characters, so every line stays under 78; the b= value goes on
 * lines of its own.
 */
function foldTags(tags: Array<[string, string]>, signature: string): string {
  const lines: string[] = ['DKIM-Signature:'];
  const add = (piece: string, glue = ' ') => {
    const current = lines[lines.length - 1] ?? '';
    if (current.length + glue.length + piece.length > 76 && current.trim() !== '') lines.push(` ${piece}`);
    else lines[lines.length - 1] = `${current}${glue}${piece}`;
  };
  for (const [tag, value] of tags) {
    if (tag !== 'h') add(`${tag}=${value};`);
    else {
      const names = value.split(':');
      names.forEach((name, i) => {
        add(`${i === 0 ? 'h=' : ''}${name}${i < names.length - 1 ? ':' : ';'}`, i === 0 ? ' ' : '');
      });
    }
  }
  add('b=');
  for (let i = 0; i < signature.length; i += 64) lines.push(` ${signature.slice(i, i + 64)}`);
  return lines.join(CRLF);
}

/**
 * The message with a DKIM-Signature header in front. Throws a TypeError for a
 * key that cannot sign (a configuration error, not a message error).
 */
export function signDkim(
  message: Buffer,
  key: DkimKey,
  headersToSign: readonly string[] = DEFAULT_SIGNED_HEADERS,
): Buffer {
  const domain = domainToASCII(key.domain);
  if (domain === '') throw new TypeError(`DKIM domain ${JSON.stringify(key.domain)} is not a valid domain`);
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]*$/.test(key.selector)) {
    throw new TypeError(`DKIM selector ${JSON.stringify(key.selector)} is not a valid selector`);
  }
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(key.privateKeyPem);
  } catch (error) {
    throw new TypeError(`DKIM private key for ${key.domain} cannot be read: ${(error as Error).message}`);
  }
  const expectedType = key.algorithm === 'rsa-sha256' ? 'rsa' : 'ed25519';
  if (privateKey.asymmetricKeyType !== expectedType) {
    throw new TypeError(`DKIM key for ${key.domain} is ${privateKey.asymmetricKeyType}, not ${expectedType}`);
  }
  const { fields, body } = splitMessage(message);
  const signed = pickFields(fields, headersToSign);
  if (!signed.some((f) => f.name.toLowerCase() === 'from')) {
    throw new TypeError('DKIM needs a From header to sign');
  }
  const tags: Array<[string, string]> = [
    ['v', '1'],
    ['a', key.algorithm],
    ['c', 'relaxed/relaxed'],
    ['d', domain],
    ['s', key.selector],
    ['h', signed.map((f) => f.name).join(':')],
    ['bh', bodyHash(body, 'relaxed')],
  ];
  const unsigned = foldTags(tags, '');
  const data = `${signed.map((f) => `${relaxedHeader(f.raw)}${CRLF}`).join('')}${relaxedHeader(unsigned)}`;
  const bytes = Buffer.from(data, 'latin1');
  const signature =
    key.algorithm === 'rsa-sha256'
      ? sign('sha256', bytes, privateKey)
      : sign(null, createHash('sha256').update(bytes).digest(), privateKey);
  const header = foldTags(tags, signature.toString('base64'));
  return Buffer.concat([Buffer.from(`${header}${CRLF}`, 'latin1'), message]);
}

type KeyObjects = { privateKey: KeyObject; publicKey: KeyObject };

/** RSA is published as SubjectPublicKeyInfo, Ed25519 as the raw 32-byte key (RFC 8463). */
function exportPair({ privateKey, publicKey }: KeyObjects, algorithm: DkimAlgorithm): DkimKeyPair {
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyBase64: (algorithm === 'rsa-sha256' ? spki : spki.subarray(spki.length - 32)).toString('base64'),
  };
}

/** A new key pair: RSA 2048 bits or Ed25519. RSA takes up to a second: a server should use the async form. */
export function generateDkimKey(algorithm: DkimAlgorithm): DkimKeyPair {
  const pair =
    algorithm === 'rsa-sha256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ed25519');
  return exportPair(pair, algorithm);
}

/** generateDkimKey off the event loop (in libuv's thread pool). */
export async function generateDkimKeyAsync(algorithm: DkimAlgorithm): Promise<DkimKeyPair> {
  const pair =
    algorithm === 'rsa-sha256'
      ? await generate('rsa', { modulusLength: 2048 })
      : await generate('ed25519', {});
  return exportPair(pair, algorithm);
}
