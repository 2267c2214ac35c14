import type { AddressInfo } from 'node:net';
import { openGeoDatabase } from '@wasl/ingest';
import { EventBuffer } from '@wasl/store';
import type { Response } from 'light-my-request';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bufferSink, createSession } from '../src/index.ts';
import {
  CHROME,
  capturedLogger,
  INGEST_START,
  type IngestApp,
  IPHONE,
  startIngestApp,
} from './helpers/ingest.ts';

const MINUTE = 60_000;
const geo = openGeoDatabase();

interface Send {
  ip?: string;
  userAgent?: string;
  contentType?: string;
  acceptLanguage?: string | null;
  headers?: Record<string, string>;
}

type Transport = 'inject' | 'http';

/**
 * Posts one payload, one second after the previous one: events then sort by
 * time in the order they were sent (ids within one millisecond do not).
 * `inject` goes through Fastify's route; `http` through a listening server,
 * where /api/collect is answered by the raw fast path (collect-fast-path.ts):
 * every test runs on both, so the two cannot drift apart.
 */
function sender(t: () => IngestApp, transport: Transport) {
  return async (payload: unknown, send: Send = {}): Promise<Response> => {
    t().clock.now += 1000;
    const headers: Record<string, string> = {
      'content-type': send.contentType ?? 'text/plain;charset=UTF-8',
      'user-agent': send.userAgent ?? CHROME,
      ...(send.acceptLanguage === null ? {} : { 'accept-language': send.acceptLanguage ?? 'ar-SA,ar;q=0.9' }),
      origin: 'https://matjar.sa',
      ...send.headers,
    };
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    if (transport === 'inject') {
      return t().app.inject({
        method: 'POST',
        url: '/api/collect',
        remoteAddress: send.ip ?? '8.8.8.8',
        headers,
        payload: body,
      });
    }
    const app = t().app;
    if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    // fetch sends `accept-language: *` unless told otherwise; a browser without one sends none.
    const noLanguage: Record<string, string> = send.acceptLanguage === null ? { 'accept-language': '' } : {};
    const res = await fetch(`http://127.0.0.1:${port}/api/collect`, {
      method: 'POST',
      headers: { ...headers, ...noLanguage, 'x-forwarded-for': send.ip ?? '8.8.8.8' },
      body,
    });
    const text = await res.text();
    // Only what the tests read of light-my-request's answer.
    const answer = {
      statusCode: res.status,
      headers: Object.fromEntries(res.headers),
      body: text,
      json: () => JSON.parse(text),
    };
    return answer as unknown as Response;
  };
}

const page = (t: IngestApp, extra: Record<string, unknown> = {}) => ({
  type: 'pageview',
  site: t.site.key,
  url: 'https://matjar.sa/',
  referrer: '',
  lang: 'ar-SA',
  screen: '1366x768',
  webdriver: false,
  ts: t.clock.now,
  ...extra,
});

describe.each(['inject', 'http'] as const)('over %s', (transport) => {
  describe('POST /api/collect: events arrive enriched', () => {
    let t: IngestApp;
    const collect = sender(() => t, transport);
    beforeAll(async () => {
      t = await startIngestApp();
    });
    afterAll(() => t.close());

    it('a pageview: Arabic path and campaign, source and medium, device, geo, site, visit; the IP is not stored', async () => {
      const res = await collect(
        page(t, {
          url: 'https://matjar.sa/ar/%D8%B9%D8%B1%D9%88%D8%B6?utm_source=google&utm_medium=cpc&utm_campaign=%D8%B1%D9%85%D8%B6%D8%A7%D9%86&gclid=Cj0K',
          referrer: 'https://www.google.com.sa/',
          title: 'عروض رمضان',
        }),
        { ip: '8.8.8.8' },
      );
      expect(res.statusCode).toBe(202);
      expect(res.body).toBe('');
      expect(res.headers['access-control-allow-origin']).toBe('*');
      const [event] = await t.stored();
      expect(event).toMatchObject({ type: 'page', name: '', workspaceId: t.workspaceId, contactId: null });
      expect(event?.context).toMatchObject({
        siteId: t.site.id,
        url: expect.stringContaining('https://matjar.sa/ar/'),
        path: '/ar/عروض',
        title: 'عروض رمضان',
        utm: { source: 'google', medium: 'cpc', campaign: 'رمضان' },
        clickId: 'gclid:Cj0K',
        source: 'Google',
        medium: 'paid',
        referrerHost: 'google.com.sa',
        locale: 'ar-SA',
        identity: 'cookieless',
        bot: false,
        device: { type: 'desktop', browser: 'Chrome', os: 'Windows', screen: '1366x768' },
      });
      expect(event?.context.geo).toEqual(geo.lookup('8.8.8.8'));
      expect(event?.context.geo?.country).toMatch(/^[A-Z]{2}$/);
      expect(event?.anonymousId).toMatch(/^[0-9a-f]{32}$/);
      expect(event?.context.sessionId).toEqual(expect.any(String));
      expect(event?.occurredAt.getTime()).toBe(t.clock.now);
      expect(JSON.stringify(await t.stored())).not.toContain('8.8.8.8');
    });

    it('source and medium from the referrer alone, and a mobile device', async () => {
      const before = (await t.stored()).length;
      const res = await collect(
        page(t, { url: 'https://matjar.sa/p/1', referrer: 'https://l.instagram.com/' }),
        {
          userAgent: IPHONE,
          ip: '2001:4860:4860::8888',
        },
      );
      expect(res.statusCode).toBe(202);
      const event = (await t.stored())[before];
      expect(event?.context).toMatchObject({
        source: 'Instagram',
        medium: 'social',
        device: { type: 'mobile', os: 'iOS', browser: 'Safari' },
      });
      expect(event?.context.geo).toEqual(geo.lookup('2001:4860:4860::8888'));
    });

    it('application/json works as well as text/plain, and a preflight is answered', async () => {
      const res = await collect(page(t), { contentType: 'application/json' });
      expect(res.statusCode).toBe(202);
      const headers = { origin: 'https://matjar.sa', 'access-control-request-method': 'POST' };
      const preflight =
        transport === 'inject'
          ? await t.app.inject({ method: 'OPTIONS', url: '/api/collect', headers })
          : await fetch(`http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/api/collect`, {
              method: 'OPTIONS',
              headers,
            }).then((r) => ({ statusCode: r.status, headers: Object.fromEntries(r.headers) }));
      expect(preflight.statusCode).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('*');
      expect(preflight.headers['access-control-allow-methods']).toContain('POST');
      expect(String(preflight.headers['access-control-allow-headers'])).toContain('content-type');
      expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('custom events, outbound and download clicks, engagement and identify are stored as documented', async () => {
      const uid = '3141592653-58979-32384-62643';
      const base = page(t, { url: 'https://matjar.sa/ar/%D9%85%D9%86%D8%AA%D8%AC', uid });
      const sends = [
        { ...base, type: 'event', name: 'شراء', props: { المنتج: 'عطر العود', الكمية: 2, السعر: 49.5 } },
        { ...base, type: 'event', name: 'outbound', props: { url: 'https://wa.me/966500000000' } },
        { ...base, type: 'event', name: 'download', props: { url: 'https://matjar.sa/catalogue.pdf' } },
        { ...base, type: 'engagement', engagedMs: 12_345 },
        { ...base, type: 'identify', props: { email: 'layla@example.com' } },
      ];
      const before = (await t.stored()).length;
      for (const payload of sends) expect((await collect(payload)).statusCode).toBe(202);
      const stored = (await t.stored()).slice(before);
      const byName = (name: string) => stored.find((e) => e.name === name);
      expect(byName('شراء')).toMatchObject({
        type: 'track',
        properties: { المنتج: 'عطر العود', الكمية: 2, السعر: 49.5 },
        context: { path: '/ar/منتج', identity: 'consent' },
      });
      expect(byName('outbound')?.properties).toEqual({ url: 'https://wa.me/966500000000' });
      expect(byName('download')?.type).toBe('track');
      expect(byName('$engagement')).toMatchObject({
        type: 'track',
        context: { engagedMs: 12_345, path: '/ar/منتج' },
      });
      const identify = stored.find((e) => e.type === 'identify');
      expect(identify?.properties).toEqual({ email: 'layla@example.com' });
      // One consent visitor and one visit for all five; the raw uid is not stored.
      expect(new Set(stored.map((e) => e.anonymousId)).size).toBe(1);
      expect(new Set(stored.map((e) => e.context.sessionId)).size).toBe(1);
      expect(JSON.stringify(stored)).not.toContain(uid);
    });

    it('bots are stored, flagged: a headless user agent and navigator.webdriver', async () => {
      const before = (await t.stored()).length;
      const headless = CHROME.replace('Chrome/', 'HeadlessChrome/');
      expect((await collect(page(t), { userAgent: headless })).statusCode).toBe(202);
      expect((await collect(page(t, { webdriver: true }))).statusCode).toBe(202);
      expect((await collect(page(t), { acceptLanguage: null })).statusCode).toBe(202);
      const stored = (await t.stored()).slice(before);
      expect(stored.map((e) => [e.context.bot, e.properties.$botReason])).toEqual([
        [true, 'headless-browser'],
        [true, 'webdriver'],
        [true, 'no-accept-language'],
      ]);
    });

    it('cookieless: one visitor per browser and address, different on another address; consent follows the uid', async () => {
      const before = (await t.stored()).length;
      await collect(page(t), { ip: '203.0.113.10' });
      await collect(page(t), { ip: '203.0.113.10' });
      await collect(page(t), { ip: '203.0.113.11' });
      await collect(page(t, { uid: '1-2-3-4' }), { ip: '203.0.113.12' });
      await collect(page(t, { uid: '1-2-3-4' }), { ip: '198.51.100.7', userAgent: IPHONE });
      const [a, b, c, d, e] = (await t.stored()).slice(before);
      expect(a?.anonymousId).toBe(b?.anonymousId);
      expect(c?.anonymousId).not.toBe(a?.anonymousId);
      expect([a?.context.identity, d?.context.identity]).toEqual(['cookieless', 'consent']);
      expect(e?.anonymousId).toBe(d?.anonymousId);
    });

    it('a visit continues within 30 minutes of inactivity and a new one starts after', async () => {
      const before = (await t.stored()).length;
      const ip = '203.0.113.20';
      await collect(page(t), { ip });
      t.clock.now += 29 * MINUTE;
      await collect(page(t), { ip });
      t.clock.now += 30 * MINUTE;
      await collect(page(t), { ip });
      const [first, second, third] = (await t.stored()).slice(before);
      expect(second?.context.sessionId).toBe(first?.context.sessionId);
      expect(third?.context.sessionId).not.toBe(second?.context.sessionId);
      expect(third?.anonymousId).toBe(first?.anonymousId);
    });

    it('the browser clock is not the event time: a skewed ts is stored at the receive time', async () => {
      const before = (await t.stored()).length;
      const received: number[] = [];
      await collect(page(t, { ts: t.clock.now + 5 * 86_400_000 }));
      received.push(t.clock.now);
      await collect(page(t, { ts: 0 }));
      received.push(t.clock.now);
      expect((await t.stored()).slice(before).map((e) => e.occurredAt.getTime())).toEqual(received);
    });

    it('a site added through the API is accepted without a restart; a deleted one is refused', async () => {
      const owner = await t.db
        .selectFrom('memberships')
        .select('user_id')
        .where('workspace_id', '=', t.workspaceId)
        .executeTakeFirstOrThrow();
      const session = await createSession(t.db, owner.user_id, t.clock.now);
      const created = await t.app.inject({
        method: 'POST',
        url: `/api/workspaces/${t.workspaceId}/sites`,
        headers: { cookie: `wasl_session=${session.token}`, 'x-csrf-token': session.csrfToken },
        payload: { name: 'جديد', domain: 'جديد.السعودية' },
      });
      expect(created.statusCode).toBe(201);
      const key = created.json().site.key as string;
      await vi.waitFor(async () => expect((await collect(page(t, { site: key }))).statusCode).toBe(202));
      const removed = await t.app.inject({
        method: 'DELETE',
        url: `/api/workspaces/${t.workspaceId}/sites/${created.json().site.id}`,
        headers: { cookie: `wasl_session=${session.token}`, 'x-csrf-token': session.csrfToken },
      });
      expect(removed.statusCode).toBe(204);
      await vi.waitFor(async () => expect((await collect(page(t, { site: key }))).statusCode).toBe(404));
    });
  });

  describe('POST /api/collect: daily salts', () => {
    let t: IngestApp;
    const collect = sender(() => t, transport);
    const saltDays = async () =>
      (await t.db.selectFrom('visitor_salts').select('day').orderBy('day').execute()).map((r) => r.day);
    beforeAll(async () => {
      t = await startIngestApp({
        before: async (db) => {
          for (const day of ['2026-01-13', '2026-01-14']) {
            await db
              .insertInto('visitor_salts')
              .values({ day, salt: `old-${day}`, created_at: 0 })
              .execute();
          }
        },
      });
    });
    afterAll(() => t.close());

    it('start: today made, yesterday kept, older deleted', async () => {
      expect(await saltDays()).toEqual(['2026-01-14', '2026-01-15']);
    });

    it('across midnight: the visit continues, the visitor id changes, and the salts rotate', async () => {
      const before = (await t.stored()).length;
      t.clock.now = Date.UTC(2026, 0, 15, 23, 50);
      await collect(page(t), { ip: '203.0.113.30' });
      t.clock.now = Date.UTC(2026, 0, 16, 0, 10);
      await collect(page(t), { ip: '203.0.113.30' });
      const [late, early] = (await t.stored()).slice(before);
      expect(early?.context.sessionId).toBe(late?.context.sessionId);
      expect(early?.anonymousId).not.toBe(late?.anonymousId);
      await vi.waitFor(async () => expect(await saltDays()).toEqual(['2026-01-15', '2026-01-16']));
      // The salt the new day's events were hashed with is the one stored.
      t.clock.now += MINUTE;
      await collect(page(t), { ip: '203.0.113.30' });
      expect((await t.stored()).at(-1)?.anonymousId).toBe(early?.anonymousId);
    });
  });

  describe('POST /api/collect: bad input', () => {
    let t: IngestApp;
    const log = capturedLogger('info');
    const collect = sender(() => t, transport);
    beforeAll(async () => {
      t = await startIngestApp({ logger: log.logger, limits: { perIp: 1000 } });
    });
    afterAll(() => t.close());

    const personal = {
      email: 'private.person@example.com',
      ip: '192.0.2.123',
      ua: 'PrivateAgent/9.9 (secret)',
    };

    it('malformed or invalid payloads: 400 naming the field, and nothing personal in the log', async () => {
      const send = (payload: unknown) => collect(payload, { ip: personal.ip, userAgent: personal.ua });
      const broken = await send(`{"site":"${t.site.key}","email":"${personal.email}"`);
      expect(broken.statusCode).toBe(400);
      expect(broken.json().error).toMatchObject({
        code: 'invalid',
        message: 'the request body is not valid JSON',
      });

      const missing = await send({ ...page(t), url: undefined });
      expect(missing.json().error).toMatchObject({
        code: 'invalid',
        field: 'url',
        message: 'url is required',
      });

      const unknown = await send({ ...page(t), email: personal.email });
      expect(unknown.json().error).toMatchObject({ field: 'email' });

      const wrongType = await send({ ...page(t), type: 'purchase' });
      expect(wrongType.statusCode).toBe(400);
      expect(wrongType.json().error.field).toBe('type');

      const badUrl = await send(page(t, { url: 'javascript:alert(1)' }));
      expect(badUrl.json().error).toMatchObject({
        field: 'url',
        message: 'url must be an absolute http(s) URL',
      });

      const identify = await send(page(t, { type: 'identify', props: { email: personal.email } }));
      expect(identify.json().error.field).toBe('uid');

      const notAnObject = await send('[1,2,3]');
      expect(notAnObject.statusCode).toBe(400);

      // The capture works (other routes log every request); the collect requests left no line at all.
      await t.app.inject({ url: '/healthz', remoteAddress: personal.ip });
      expect(log.lines.some((l) => l.includes('"request completed"'))).toBe(true);
      expect(log.lines.filter((l) => l.includes('/api/collect'))).toEqual([]);
      const text = log.lines
        .filter((l) => !l.includes('/healthz') && !l.includes('"request completed"'))
        .join('\n');
      for (const secret of [personal.email, personal.ip, personal.ua, 'javascript:alert']) {
        expect(text).not.toContain(secret);
      }
      expect(await t.stored()).toEqual([]);
    });

    it('an oversized payload: 413 naming the limit', async () => {
      const res = await collect(page(t, { title: 'ع'.repeat(20_000) }));
      expect(res.statusCode).toBe(413);
      expect(res.json().error).toMatchObject({ code: 'payload_too_large' });
      expect(res.json().error.message).toContain(`${32 * 1024} bytes`);
      expect(res.headers['access-control-allow-origin']).toBe('*');
    });

    it('a body that is not text/plain or JSON: 415', async () => {
      const res = await collect('site=x', { contentType: 'application/x-www-form-urlencoded' });
      expect(res.statusCode).toBe(415);
    });

    it('an unknown site key: 404', async () => {
      const res = await collect(page(t, { site: 'site_doesnotexist00' }));
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toMatchObject({ code: 'not_found', field: 'site' });
    });
  });

  describe('POST /api/collect: site keys come from memory', () => {
    it('with the database closed, an unknown key is still a 404 and a known one still a 202', async () => {
      const t = await startIngestApp();
      const collect = sender(() => t, transport);
      try {
        await t.oltp.close();
        const unknown = await collect(page(t, { site: 'site_unknownunknown0' }));
        expect(unknown.statusCode).toBe(404);
        const known = await collect(page(t));
        expect(known.statusCode).toBe(202);
        expect(await t.stored()).toHaveLength(1);
      } finally {
        await t.app.close();
        await t.events.close();
      }
    });
  });

  describe('POST /api/collect: rate limits', () => {
    let t: IngestApp;
    const collect = sender(() => t, transport);
    beforeAll(async () => {
      t = await startIngestApp({ limits: { perIp: 5, perSite: 12, windowMs: 60_000 } });
    });
    afterAll(() => t.close());

    it('a flood from one address gets 429 with Retry-After; other addresses and sites are served', async () => {
      t.clock.now = INGEST_START + 60_000;
      const flood = [];
      for (let i = 0; i < 8; i++) flood.push((await collect(page(t), { ip: '198.51.100.66' })).statusCode);
      expect(flood).toEqual([202, 202, 202, 202, 202, 429, 429, 429]);
      const limited = await collect(page(t), { ip: '198.51.100.66' });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(limited.json().error.code).toBe('rate_limited');
      expect((await collect(page(t), { ip: '198.51.100.67' })).statusCode).toBe(202);
      expect((await collect(page(t, { site: t.otherSite.key }), { ip: '198.51.100.68' })).statusCode).toBe(
        202,
      );
      // IPv6: one /64 is one client.
      const v6 = [];
      for (let i = 1; i <= 6; i++)
        v6.push((await collect(page(t, { site: t.otherSite.key }), { ip: `2001:db8:1:2::${i}` })).statusCode);
      expect(v6.at(-1)).toBe(429);
    });

    it('a flood to one site from many addresses stops at the site limit; other sites are served', async () => {
      t.clock.now = INGEST_START + 120_000;
      const codes = [];
      for (let i = 0; i < 14; i++)
        codes.push((await collect(page(t), { ip: `192.0.2.${i + 1}` })).statusCode);
      expect(codes.filter((c) => c === 202)).toHaveLength(12);
      expect(codes.slice(12)).toEqual([429, 429]);
      expect((await collect(page(t, { site: t.otherSite.key }), { ip: '192.0.2.200' })).statusCode).toBe(202);
      // The next window.
      t.clock.now += 60_000;
      expect((await collect(page(t), { ip: '192.0.2.201' })).statusCode).toBe(202);
    });
  });

  describe('POST /api/collect: a full sink', () => {
    it('answers 503 with Retry-After, and accepts again once the buffer drained', async () => {
      let buffer: EventBuffer | undefined;
      const t = await startIngestApp({
        sink: (events) => {
          buffer = new EventBuffer(events, { maxEvents: 2, intervalMs: 3_600_000, onError: () => {} });
          return bufferSink(buffer);
        },
      });
      const collect = sender(() => t, transport);
      try {
        expect((await collect(page(t))).statusCode).toBe(202);
        expect((await collect(page(t))).statusCode).toBe(202);
        const full = await collect(page(t));
        expect(full.statusCode).toBe(503);
        expect(full.headers['retry-after']).toBe('2');
        expect(full.json().error.code).toBe('unavailable');
        await buffer?.flush();
        expect(await t.stored()).toHaveLength(2);
        expect((await collect(page(t))).statusCode).toBe(202);
        await buffer?.close();
        expect(await t.stored()).toHaveLength(3);
      } finally {
        await t.close();
      }
    });
  });
});

describe('OpenAPI', () => {
  it('documents every collection route with a tag, and serves nothing undocumented', async () => {
    const t = await startIngestApp();
    try {
      const doc = (await t.app.inject({ url: '/api/openapi.json' })).json() as {
        paths: Record<string, Record<string, { tags?: string[]; requestBody?: unknown }>>;
      };
      const collect = doc.paths['/api/collect'];
      expect(collect?.post?.tags).toEqual(['tracking']);
      expect(collect?.options?.tags).toEqual(['tracking']);
      expect(JSON.stringify(collect?.post?.requestBody)).toContain('text/plain');
      for (const call of ['track', 'page', 'identify', 'group', 'alias', 'batch']) {
        expect(doc.paths[`/v1/${call}`]?.post?.tags, call).toEqual(['segment']);
      }
    } finally {
      await t.close();
    }
  });
});
