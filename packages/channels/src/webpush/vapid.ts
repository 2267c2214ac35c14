/**
 * VAPID (RFC 8292) keys and details: each workspace has its own key pair;
 * the public key goes to browsers (applicationServerKey), the private key
 * signs the JWT the push service checks. Keys are unpadded base64url.
 */
import { err, ok, problem, type Result } from '@wasl/core';
import webpush from 'web-push';

export interface VapidKeys {
  /** 65-byte uncompressed P-256 point, base64url. */
  publicKey: string;
  /** 32-byte P-256 private scalar, base64url. */
  privateKey: string;
}

export interface VapidDetails extends VapidKeys {
  /** Who the push service may contact about these messages: a mailto: or https: URL. */
  subject: string;
}

/** A new VAPID key pair for a workspace. */
export function generateVapidKeys(): VapidKeys {
  const { publicKey, privateKey } = webpush.generateVAPIDKeys();
  return { publicKey, privateKey };
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** The bytes of a base64url field, or an error naming it. */
export function base64urlBytes(value: string, field: string, length: number): Result<Buffer> {
  if (!BASE64URL.test(value)) return err(problem('invalid', `${field} is not base64url`, field));
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length !== length) {
    return err(problem('invalid', `${field} has ${bytes.length} bytes; ${length} expected`, field));
  }
  return ok(bytes);
}

/** Checks VAPID details before they are used, naming the field at fault. */
export function checkVapidDetails(details: VapidDetails): Result<VapidDetails> {
  let subject: URL | undefined;
  try {
    subject = new URL(details.subject);
  } catch {
    subject = undefined;
  }
  if (subject === undefined || (subject.protocol !== 'mailto:' && subject.protocol !== 'https:')) {
    return err(
      problem(
        'invalid',
        `vapid.subject "${details.subject}" must be a mailto: or https: URL`,
        'vapid.subject',
      ),
    );
  }
  const publicKey = base64urlBytes(details.publicKey, 'vapid.publicKey', 65);
  if (!publicKey.ok) return publicKey;
  if (publicKey.value[0] !== 0x04) {
    return err(problem('invalid', 'vapid.publicKey is not an uncompressed P-256 point', 'vapid.publicKey'));
  }
  const privateKey = base64urlBytes(details.privateKey, 'vapid.privateKey', 32);
  if (!privateKey.ok) return privateKey;
  return ok(details);
}
