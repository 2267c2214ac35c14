/**
 * Standard Webhooks signatures (standardwebhooks.com): the sender signs
 * `${webhook-id}.${webhook-timestamp}.${body}` with HMAC-SHA256 under each
 * active secret ("whsec_<base64>") and sends them space-separated in
 * `webhook-signature` as "v1,<base64>"; the receiver accepts the message when
 * any signature matches any of its secrets and the timestamp is recent.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { err, ok, problem, type Result } from '@wasl/core';

const PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** What is signed: the message id, its timestamp (epoch seconds) and the exact body. */
export interface SignedContent {
  id: string;
  timestamp: number;
  body: string | Uint8Array;
}

export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** A new random signing secret: "whsec_" and 32 random bytes in base64. */
export const newWebhookSecret = (): string => `${PREFIX}${randomBytes(32).toString('base64')}`;

/** The key bytes of a "whsec_<base64>" secret (24 to 64 bytes, as the spec asks). */
export function parseWebhookSecret(secret: string): Result<Buffer> {
  if (!secret.startsWith(PREFIX)) {
    return err(problem('invalid', 'webhook secret must start with "whsec_"', 'secret'));
  }
  const encoded = secret.slice(PREFIX.length);
  if (!BASE64.test(encoded) || encoded.length % 4 !== 0) {
    return err(problem('invalid', 'webhook secret after "whsec_" is not base64', 'secret'));
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < 24 || key.length > 64) {
    return err(problem('invalid', `webhook secret has ${key.length} bytes; 24 to 64 are allowed`, 'secret'));
  }
  return ok(key);
}

const hmac = (key: Buffer, content: SignedContent): Buffer =>
  createHmac('sha256', key).update(`${content.id}.${content.timestamp}.`).update(content.body).digest();

function checkContent(content: SignedContent): Result<SignedContent> {
  if (content.id === '' || /[\s\p{Cc}]/u.test(content.id)) {
    return err(problem('invalid', `webhook id "${content.id}" must be non-empty, without spaces`, 'id'));
  }
  if (!Number.isSafeInteger(content.timestamp) || content.timestamp < 0) {
    return err(
      problem('invalid', `webhook timestamp ${content.timestamp} is not epoch seconds`, 'timestamp'),
    );
  }
  return ok(content);
}

/** The `webhook-signature` value: one "v1,<base64>" per secret, space-separated (several during rotation). */
export function signWebhook(content: SignedContent, secrets: readonly string[]): Result<string> {
  const checked = checkContent(content);
  if (!checked.ok) return checked;
  if (secrets.length === 0) return err(problem('invalid', 'no webhook secret to sign with', 'secrets'));
  const signatures: string[] = [];
  for (const secret of secrets) {
    const key = parseWebhookSecret(secret);
    if (!key.ok) return key;
    signatures.push(`v1,${hmac(key.value, content).toString('base64')}`);
  }
  return ok(signatures.join(' '));
}

/** The three Standard Webhooks headers for a message. */
export function webhookHeaders(content: SignedContent, secrets: readonly string[]): Result<WebhookHeaders> {
  const signature = signWebhook(content, secrets);
  if (!signature.ok) return signature;
  return ok({
    'webhook-id': content.id,
    'webhook-timestamp': String(content.timestamp),
    'webhook-signature': signature.value,
  });
}

export interface VerifyOptions {
  /** How far the timestamp may be from now, either way. Default 300 s. */
  toleranceSeconds?: number;
  /** Epoch ms; default Date.now(). */
  now?: number;
}

/** Request headers as node:http gives them, in any letter case. */
type HeaderBag = Readonly<Record<string, string | string[] | undefined>>;

function header(headers: HeaderBag, name: keyof WebhookHeaders): Result<string> {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  const text = Array.isArray(value) ? value.join(' ') : value;
  if (text === undefined || text.trim() === '') {
    return err(problem('invalid', `${name} header is missing`, name));
  }
  return ok(text.trim());
}

/**
 * Checks a received webhook: the headers are present, the timestamp is
 * within the tolerance, and one "v1" signature matches one of the secrets
 * (compared in constant time). Returns the message id and timestamp.
 */
export function verifyWebhook(
  headers: HeaderBag,
  body: string | Uint8Array,
  secrets: readonly string[],
  options: VerifyOptions = {},
): Result<{ id: string; timestamp: number }> {
  const id = header(headers, 'webhook-id');
  if (!id.ok) return id;
  const stamp = header(headers, 'webhook-timestamp');
  if (!stamp.ok) return stamp;
  const signature = header(headers, 'webhook-signature');
  if (!signature.ok) return signature;
  if (!/^\d{1,12}$/.test(stamp.value)) {
    return err(
      problem('invalid', `webhook-timestamp "${stamp.value}" is not epoch seconds`, 'webhook-timestamp'),
    );
  }
  const timestamp = Number(stamp.value);
  const tolerance = options.toleranceSeconds ?? 300;
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - timestamp) > tolerance) {
    const side = timestamp < now ? 'old' : 'far in the future';
    return err(
      problem(
        'unauthorized',
        `webhook-timestamp ${timestamp} is too ${side}: ${Math.abs(now - timestamp)} s from now, tolerance ${tolerance} s`,
        'webhook-timestamp',
      ),
    );
  }
  const given = signature.value
    .split(/\s+/)
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  if (given.length === 0) {
    return err(problem('invalid', 'webhook-signature has no "v1," signature', 'webhook-signature'));
  }
  const content = { id: id.value, timestamp, body };
  for (const secret of secrets) {
    const key = parseWebhookSecret(secret);
    if (!key.ok) return key;
    const expected = hmac(key.value, content);
    if (given.some((g) => g.length === expected.length && timingSafeEqual(g, expected))) {
      return ok({ id: id.value, timestamp });
    }
  }
  return err(
    problem(
      'unauthorized',
      'webhook-signature: no signature matches the body and secrets',
      'webhook-signature',
    ),
  );
}
