import { createHash } from 'node:crypto';
import { visitorHash } from '../visitor.ts';
import type { RequestFacts } from './request.ts';
import type { SaltSource } from './salts.ts';

export interface VisitorIdentity {
  /** The event's `anonymousId`. */
  id: string;
  mode: 'cookieless' | 'consent';
  /** Cookieless: the same visitor's id under yesterday's salt, to continue a visit across midnight. */
  previous?: () => string;
}

/**
 * Cookieless: `visitorHash` with today's salt over (site, IP, user agent); the
 * hash under yesterday's salt is offered for visit continuity only, computed
 * when the visitor is not known under today's.
 */
export function cookielessVisitor(siteId: string, request: RequestFacts, salts: SaltSource): VisitorIdentity {
  const window = salts.window(request.receivedAt);
  const userAgent = request.userAgent ?? '';
  const id = visitorHash({ salt: window.use, siteId, ip: request.ip, userAgent });
  const previousSalt = window.previous;
  if (previousSalt === undefined) return { id, mode: 'cookieless' };
  return {
    id,
    mode: 'cookieless',
    previous: () => visitorHash({ salt: previousSalt, siteId, ip: request.ip, userAgent }),
  };
}

/**
 * Consent mode: the tracker's first-party id (`localStorage.wasl_uid`), hashed
 * with the site id (SHA-256, 16 bytes in hex) so that the same browser's raw
 * ids on two sites, or an id copied from one site to another, never link.
 */
export function consentVisitor(siteId: string, uid: string): VisitorIdentity {
  const id = createHash('sha256').update(siteId).update('\u0000').update(uid).digest('hex').slice(0, 32);
  return { id, mode: 'consent' };
}
