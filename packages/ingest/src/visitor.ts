import { createHmac } from 'node:crypto';
import { normalizeIp } from './normalize-ip.ts';

export interface VisitorHashInput {
  /** Today's random salt (see `saltPlan`); the HMAC key. */
  salt: string;
  siteId: string;
  ip: string;
  userAgent: string;
}

/** 16 bytes: collisions stay negligible (2^64 visitors for an even chance) at half the storage of the full digest. */
const HASH_BYTES = 16;

/**
 * The cookieless visitor id: HMAC-SHA-256 keyed with the daily salt over
 * (site, IP, user agent), truncated to 16 bytes, in hex. Deterministic for the
 * same inputs and salt; different across sites, so one person is not linked
 * across sites; and once the salt is deleted, nobody (Wasl's operator included)
 * can recompute it from an IP address, so the hash cannot be traced back.
 *
 * The IP is canonicalised first (`::ffff:1.2.3.4` is `1.2.3.4`). The fields are
 * JSON-encoded so that no two different inputs share one message.
 *
 * @example visitorHash({ salt, siteId: 'site_1', ip: '203.0.113.9', userAgent: ua }) // 32 hex characters
 */
export function visitorHash(input: VisitorHashInput): string {
  const ip = normalizeIp(input.ip)?.address ?? input.ip.trim();
  return createHmac('sha256', input.salt)
    .update(JSON.stringify([input.siteId, ip, input.userAgent]))
    .digest()
    .subarray(0, HASH_BYTES)
    .toString('hex');
}
