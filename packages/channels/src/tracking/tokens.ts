/**
 * Signed tracking tokens for the click redirect and the open pixel.
 *
 * A token is `<payload>.<mac>`, both base64url: the payload is the JSON array
 * [kind, workspaceId, messageId, url?] ('c' click, 'o' open), the mac the
 * first 16 bytes of HMAC-SHA256(secret, payload text). A click token carries
 * its destination inside the signed payload, so the redirect can only go
 * where the sender linked: there is no open redirect to forge.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { err, ok, problem, type Result } from '@wasl/core';

export type TrackingKind = 'click' | 'open';

export interface TrackingTarget {
  kind: TrackingKind;
  workspaceId: string;
  messageId: string;
  /** The destination of a click token (http or https); absent for opens. */
  url?: string;
}

const MAC_BYTES = 16;
const MIN_SECRET_LENGTH = 16;
const KIND_CODES: Record<TrackingKind, string> = { click: 'c', open: 'o' };

/** Signs a tracking target; errors name the field at fault. */
export function signTrackingToken(target: TrackingTarget, secret: string): Result<string> {
  const checked = checkTarget(target);
  if (!checked.ok) return checked;
  const secretOk = checkSecret(secret);
  if (!secretOk.ok) return secretOk;
  const fields = [KIND_CODES[target.kind], target.workspaceId, target.messageId];
  if (target.url !== undefined) fields.push(target.url);
  const payload = Buffer.from(JSON.stringify(fields), 'utf8').toString('base64url');
  return ok(`${payload}.${mac(payload, secret).toString('base64url')}`);
}

/** Checks a token's signature and reads it back; 'unauthorized' for a forged or altered token, 'invalid' for a malformed one. */
export function verifyTrackingToken(token: string, secret: string): Result<TrackingTarget> {
  const secretOk = checkSecret(secret);
  if (!secretOk.ok) return secretOk;
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(token);
  if (match === null) return err(problem('invalid', 'the tracking token is not <payload>.<mac>', 'token'));
  const [, payload = '', signature = ''] = match;
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(payload, secret);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return err(problem('unauthorized', 'the tracking token signature does not match', 'token'));
  }
  const target = readPayload(Buffer.from(payload, 'base64url').toString('utf8'));
  if (target === undefined)
    return err(problem('invalid', 'the tracking token payload is unreadable', 'token'));
  const checked = checkTarget(target);
  return checked.ok ? ok(target) : checked;
}

function mac(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(payload, 'utf8').digest().subarray(0, MAC_BYTES);
}

function readPayload(text: string): TrackingTarget | undefined {
  let fields: unknown;
  try {
    fields = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!Array.isArray(fields) || !fields.every((f) => typeof f === 'string')) return undefined;
  const [code, workspaceId, messageId, url, ...rest] = fields as string[];
  const kind = code === 'c' ? 'click' : code === 'o' ? 'open' : undefined;
  if (kind === undefined || workspaceId === undefined || messageId === undefined || rest.length > 0) {
    return undefined;
  }
  return url === undefined ? { kind, workspaceId, messageId } : { kind, workspaceId, messageId, url };
}

function checkTarget(target: TrackingTarget): Result<true> {
  if (target.kind !== 'click' && target.kind !== 'open') {
    return err(
      problem('invalid', `kind must be "click" or "open", got ${JSON.stringify(target.kind)}`, 'kind'),
    );
  }
  for (const field of ['workspaceId', 'messageId'] as const) {
    if (typeof target[field] !== 'string' || target[field] === '') {
      return err(problem('invalid', `${field} must be a non-empty string`, field));
    }
  }
  if (target.kind === 'open') {
    return target.url === undefined
      ? ok(true)
      : err(problem('invalid', 'an open token carries no url', 'url'));
  }
  const url = target.url ?? '';
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) {
    return err(
      problem('invalid', `url must be an absolute http(s) URL, got ${JSON.stringify(target.url)}`, 'url'),
    );
  }
  return ok(true);
}

function checkSecret(secret: string): Result<true> {
  return secret.length >= MIN_SECRET_LENGTH
    ? ok(true)
    : err(
        problem('invalid', `the tracking secret must be at least ${MIN_SECRET_LENGTH} characters`, 'secret'),
      );
}
