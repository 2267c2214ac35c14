import type { AttributeDef, WaslEvent } from '@wasl/core';
import type { IdentityLink, MirrorAccount, MirrorContact } from '../../src/segments/mirror.ts';

// A deterministic audience: contacts with varied (Latin and Arabic) fields,
// custom attributes of each type, consents, accounts, lists, identities, and
// their events: pageviews (some before identify, by anonymous id only),
// orders with revenue, other track events, identifies and message events.

export const WS = 'ws-seg';
export const OTHER_WS = 'ws-other';
export const NOW = new Date('2026-03-20T12:00:00.000Z');
const DAY = 86_400_000;

/** mulberry32: small, fast and the same everywhere. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const ATTRIBUTE_DEFS: AttributeDef[] = [
  { key: 'plan', type: 'list', options: ['free', 'pro', 'enterprise'] },
  { key: 'ltv', type: 'number' },
  { key: 'vip', type: 'boolean' },
  { key: 'renewal', type: 'date' },
  { key: 'nickname', type: 'text' },
];

const FIRST = ['محمد', 'فاطمة', 'Ahmed', 'Sara', 'أحمد', 'ALI', 'sara', null];
const LAST = ['العتيبي', 'Haddad', 'الشمري', 'Smith', null];
const CITIES = ['الرياض', 'جدة', 'Riyadh', 'RIYADH', 'Dubai', 'القاهرة', 'riyadh', null];
const INTERESTS = ['sports', 'tech', 'Fashion', 'طبخ', 'travel'];
const STATUSES = ['granted', 'denied', 'pending', 'unsubscribed', undefined];
export const PATHS = [
  '/',
  '/pricing',
  '/ar/عروض',
  '/ar/مدونة/رمضان',
  '/blog/one',
  '/blog/two',
  '/Blog/three',
  '/checkout',
  '/promo_50%',
];
const CHANNELS = ['email', 'sms', 'whatsapp', 'webpush', 'webhook'] as const;

export interface Dataset {
  contacts: (MirrorContact & { workspaceId: string })[];
  accounts: (MirrorAccount & { workspaceId: string })[];
  identities: (IdentityLink & { workspaceId: string })[];
  lists: { workspaceId: string; listId: string; contactId: string }[];
  events: WaslEvent[];
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function generate(contactCount = 2000): Dataset {
  const r = prng(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;
  const data: Dataset = { contacts: [], accounts: [], identities: [], lists: [], events: [] };
  let eventNo = 0;
  const push = (
    ws: string,
    e: Pick<WaslEvent, 'type' | 'name' | 'anonymousId' | 'contactId' | 'properties'> & {
      t: number;
      session?: string;
      path?: string;
    },
  ) => {
    data.events.push({
      id: `e-${eventNo++}`,
      workspaceId: ws,
      type: e.type,
      name: e.name,
      anonymousId: e.anonymousId,
      contactId: e.contactId,
      occurredAt: new Date(e.t),
      receivedAt: new Date(e.t + 100),
      properties: e.properties,
      context: { sessionId: e.session, path: e.path },
    });
  };

  for (const ws of [WS, OTHER_WS]) {
    for (let a = 0; a < 20; a++) {
      data.accounts.push({
        workspaceId: ws,
        id: `acc-${a}`,
        name: pick(['Acme', 'شركة النور', 'Globex']),
        domain: pick(['acme.com', 'nour.sa', null]),
        industry: pick(['retail', 'Tech', 'تجزئة', null]),
        size: pick(['small', 'large', null]),
        region: pick(['gcc', 'levant']),
        attributes: r() < 0.8 ? { employees: Math.floor(r() * 400) } : {},
      });
    }
    const count = ws === WS ? contactCount : 60;
    for (let i = 0; i < count; i++) {
      const id = `c-${i}`;
      const birth =
        r() < 0.15
          ? null
          : i % 97 === 0
            ? '1996-02-29'
            : i % 89 === 0
              ? `${1960 + (i % 40)}-03-${pick(['19', '20', '21'])}`
              : day(Date.parse('1950-01-01') + Math.floor(r() * 60 * 365) * DAY);
      const attributes: Record<string, unknown> = {};
      if (r() < 0.8) attributes.plan = pick(['free', 'pro', 'enterprise']);
      if (r() < 0.7) attributes.ltv = Math.round(r() * 2000) / 2;
      if (r() < 0.6) attributes.vip = r() < 0.3;
      if (r() < 0.6) attributes.renewal = day(NOW.getTime() + Math.floor((r() - 0.7) * 120) * DAY);
      if (r() < 0.5) attributes.nickname = pick(['أبو فهد', 'Shadow', 'shadowfax', 'نجم']);
      if (r() < 0.5) attributes.tags = ['a', 'b', 'ج'].filter(() => r() < 0.5).join(',');
      const consent: Record<string, unknown> = {};
      for (const ch of ['email', 'sms', 'whatsapp', 'webpush']) {
        const s = pick(STATUSES);
        if (s) consent[ch] = s;
      }
      if (r() < 0.6)
        consent.topics = { news: pick(['granted', 'denied']), offers: pick(['granted', 'pending']) };
      const created = NOW.getTime() - Math.floor(r() * 60 * DAY);
      data.contacts.push({
        workspaceId: ws,
        id,
        email:
          r() < 0.1
            ? null
            : `${pick(['User', 'user', 'VIP'])}${i}@${pick(['Example.com', 'mail.sa', 'example.org'])}`,
        phone: r() < 0.4 ? null : r() < 0.1 ? '' : `+9665${String(i).padStart(8, '0')}`,
        firstName: pick(FIRST),
        lastName: pick(LAST),
        locale: pick(['ar-SA', 'en-US', null]),
        timezone: pick(['Asia/Riyadh', 'Asia/Dubai', null]),
        country: pick(['SA', 'AE', 'EG', null]),
        city: pick(CITIES),
        birthDate: birth,
        gender: pick(['female', 'male', null]),
        incomeBand: pick(['low', 'mid', 'high', null]),
        interests: INTERESTS.filter(() => r() < 0.3),
        source: pick(['web', 'import', 'api']),
        lifecycleStage: pick(['lead', 'customer', 'subscriber']),
        accountId: r() < 0.6 ? `acc-${Math.floor(r() * 22)}` : null,
        leadScore: Math.floor(r() * 101),
        attributes,
        consent,
        createdAt: new Date(created),
        updatedAt: new Date(created + DAY),
      });
      if (r() < 0.3) data.lists.push({ workspaceId: ws, listId: 'list-a', contactId: id });
      if (r() < 0.1) data.lists.push({ workspaceId: ws, listId: 'list-b', contactId: id });

      const anons = Array.from({ length: Math.floor(r() * 3) }, (_, k) => `anon-${i}-${k}`);
      for (const a of anons) data.identities.push({ workspaceId: ws, anonymousId: a, contactId: id });
      // Events: before identify some carry only an anonymous id.
      const n = ws === WS ? Math.floor(r() * 44) : 10;
      for (let k = 0; k < n; k++) {
        const t = NOW.getTime() - Math.floor(r() * 45 * DAY) + (r() < 0.02 ? 0 : -1);
        const anon = anons.length > 0 && r() < 0.35 ? pick(anons) : null;
        const who = { anonymousId: anon ?? `x-${i}`, contactId: anon ? null : id };
        const session = `s-${i}-${Math.floor(k / 4)}`;
        const roll = r();
        if (roll < 0.45) {
          push(ws, { ...who, type: 'page', name: '', properties: {}, t, session, path: pick(PATHS) });
        } else if (roll < 0.58) {
          push(ws, {
            ...who,
            type: 'track',
            name: 'Order Completed',
            t,
            session,
            properties: {
              revenue: r() < 0.1 ? 'n/a' : Math.round(r() * 400) / 2,
              category: pick(['shoes', 'كتب', 'Books']),
              items: Math.floor(r() * 6),
              shipping: { method: pick(['express', 'standard']) },
            },
          });
        } else if (roll < 0.66) {
          push(ws, {
            ...who,
            type: 'track',
            name: pick(['Signed Up', 'Added to Cart']),
            properties: {},
            t,
            session: r() < 0.5 ? session : undefined,
          });
        } else if (roll < 0.7) {
          push(ws, { ...who, type: 'identify', name: '', properties: {}, t });
        } else {
          const campaignId = pick(['camp-1', 'camp-2', 'camp-3']);
          const channel = pick(CHANNELS);
          const properties = { campaignId, channel };
          push(ws, {
            anonymousId: null,
            contactId: id,
            type: 'message',
            name: 'message.sent',
            properties,
            t,
          });
          // Email and SMS report deliveries; webpush and webhook never do.
          if ((channel === 'email' || channel === 'sms' || channel === 'whatsapp') && r() < 0.7) {
            push(ws, {
              anonymousId: null,
              contactId: id,
              type: 'message',
              name: 'message.delivered',
              properties,
              t: t + 1000,
            });
          }
          const after = r();
          const next =
            after < 0.35
              ? 'message.opened'
              : after < 0.5
                ? 'message.clicked'
                : after < 0.58
                  ? 'message.bounced'
                  : after < 0.62
                    ? 'message.complained'
                    : after < 0.66
                      ? 'message.unsubscribed'
                      : null;
          if (next)
            push(ws, {
              anonymousId: null,
              contactId: id,
              type: 'message',
              name: next,
              properties,
              t: t + 2000,
            });
        }
      }
    }
    // Visitors never identified, and events of one contact carrying another's anonymous id.
    for (let k = 0; k < 300; k++) {
      push(ws, {
        anonymousId: `stranger-${k % 50}`,
        contactId: null,
        type: 'page',
        name: '',
        properties: {},
        t: NOW.getTime() - k * 3_600_000,
        path: pick(PATHS),
        session: `z-${k % 50}`,
      });
    }
    for (let k = 0; k < 40; k++) {
      const owner = data.identities[(k * 7) % data.identities.length];
      if (owner?.workspaceId !== ws) continue;
      push(ws, {
        anonymousId: owner.anonymousId,
        contactId: `c-${(k * 13) % 50}`,
        type: 'track',
        name: 'Order Completed',
        properties: { revenue: 10 },
        t: NOW.getTime() - k * DAY,
        session: `m-${k}`,
      });
    }
  }
  return data;
}
