import { openGeoDatabase } from '@wasl/ingest';
import { EventBuffer } from '@wasl/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSink } from '../src/index.ts';
import { CHROME, type IngestApp, startIngestApp } from './helpers/ingest.ts';

const geo = openGeoDatabase();
const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
const iso = (ms: number) => new Date(ms).toISOString();

function poster(t: () => IngestApp) {
  return (path: string, body: unknown, headers: Record<string, string> = {}, ip = '203.0.113.5') => {
    t().clock.now += 1000;
    return t().app.inject({
      method: 'POST',
      url: path,
      remoteAddress: ip,
      headers: { 'content-type': 'application/json', 'user-agent': 'analytics-node-next/1.3.0', ...headers },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  };
}

describe('Segment HTTP API: /v1/batch', () => {
  let t: IngestApp;
  const post = poster(() => t);
  beforeAll(async () => {
    t = await startIngestApp();
  });
  afterAll(() => t.close());

  it('accepts a batch with Basic auth (the write key is the site key) and stores each call', async () => {
    const sentAt = t.clock.now + 3_600_000; // the sender's clock runs an hour fast
    const res = await post(
      '/v1/batch',
      {
        sentAt: iso(sentAt),
        context: { library: { name: 'analytics-node-next', version: '1.3.0' } },
        batch: [
          {
            type: 'page',
            messageId: 'm-page-1',
            anonymousId: 'anon-7',
            name: 'عروض',
            timestamp: iso(sentAt - 20_000),
            properties: {
              url: 'https://matjar.sa/ar/%D8%B9%D8%B1%D9%88%D8%B6?utm_source=snapchat&utm_medium=paid_social',
            },
            context: { ip: '8.8.8.8', userAgent: CHROME, locale: 'ar-SA' },
          },
          {
            type: 'track',
            messageId: 'm-track-1',
            anonymousId: 'anon-7',
            userId: 'customer-42',
            event: 'Order Completed',
            timestamp: iso(sentAt - 10_000),
            properties: { revenue: 120.5, currency: 'SAR' },
          },
          { type: 'identify', messageId: 'm-id-1', userId: 'customer-42', traits: { email: 'a@b.co' } },
          {
            type: 'group',
            messageId: 'm-group-1',
            userId: 'customer-42',
            groupId: 'acme',
            traits: { plan: 'pro' },
          },
          { type: 'alias', messageId: 'm-alias-1', userId: 'customer-42', previousId: 'anon-7' },
        ],
      },
      { authorization: basic(t.site.key) },
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ success: true, accepted: 5, rejected: [] });
    const receivedAt = t.clock.now;
    const stored = await t.stored();
    const byId = new Map(stored.map((e) => [e.id, e]));
    const pageEvent = byId.get('m-page-1');
    expect(pageEvent).toMatchObject({
      type: 'page',
      name: 'عروض',
      anonymousId: 'anon-7',
      workspaceId: t.workspaceId,
    });
    expect(pageEvent?.context).toMatchObject({
      siteId: t.site.id,
      path: '/ar/عروض',
      utm: { source: 'snapchat', medium: 'paid_social' },
      source: 'Snapchat',
      medium: 'paid',
      locale: 'ar-SA',
      device: { type: 'desktop', browser: 'Chrome' },
      geo: geo.lookup('8.8.8.8'),
      identity: 'consent',
      bot: false,
    });
    // Clock-skew correction: the sender's delay, on the server's clock.
    expect(pageEvent?.occurredAt.getTime()).toBe(receivedAt - 20_000);
    const track = byId.get('m-track-1');
    expect(track).toMatchObject({ type: 'track', name: 'Order Completed', contactId: 'customer-42' });
    expect(track?.properties).toEqual({ revenue: 120.5, currency: 'SAR' });
    expect(track?.occurredAt.getTime()).toBe(receivedAt - 10_000);
    expect(track?.context.sessionId).toBe(pageEvent?.context.sessionId);
    expect(byId.get('m-id-1')).toMatchObject({ type: 'identify', properties: { email: 'a@b.co' } });
    expect(byId.get('m-group-1')).toMatchObject({
      type: 'group',
      properties: { groupId: 'acme', traits: { plan: 'pro' } },
    });
    expect(byId.get('m-alias-1')).toMatchObject({ type: 'alias', properties: { previousId: 'anon-7' } });
    expect(JSON.stringify(stored)).not.toContain('8.8.8.8');
  });

  it('is idempotent by messageId: a re-sent batch stores nothing twice', async () => {
    const before = (await t.stored()).length;
    const body = {
      batch: [
        { type: 'track', messageId: 'again-1', anonymousId: 'a', event: 'Viewed' },
        { type: 'track', messageId: `long-${'x'.repeat(100)}`, anonymousId: 'a', event: 'Viewed' },
      ],
    };
    for (let i = 0; i < 3; i++) {
      expect((await post('/v1/batch', body, { authorization: basic(t.site.key) })).statusCode).toBe(200);
    }
    expect((await t.stored()).length).toBe(before + 2);
  });

  it('keeps the valid messages of a batch and lists the others with the field at fault', async () => {
    const before = (await t.stored()).length;
    const res = await post(
      '/v1/batch',
      {
        batch: [
          { type: 'track', anonymousId: 'a', event: 'Good' },
          { type: 'track', messageId: 'bad-1', anonymousId: 'a' },
          { type: 'screen', name: 'Home', anonymousId: 'a' },
          { type: 'track', event: 'No one' },
          {
            type: 'track',
            anonymousId: 'a',
            event: 'Far future',
            timestamp: iso(t.clock.now + 3 * 86_400_000),
          },
        ],
      },
      { authorization: basic(t.site.key) },
    );
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([
      { index: 1, messageId: 'bad-1', field: 'batch[1].event', message: 'batch[1].event is required' },
      expect.objectContaining({ index: 2, field: 'batch[2].type' }),
      { index: 3, field: 'batch[3].anonymousId', message: 'batch[3].anonymousId or userId is required' },
      expect.objectContaining({ index: 4, field: 'batch[4].timestamp' }),
    ]);
    const added = (await t.stored()).slice(before);
    expect(added.map((e) => e.name)).toEqual(['Good']);
  });

  it('the write key in the body, as text/plain (analytics.js from a browser)', async () => {
    const res = await post(
      '/v1/batch',
      {
        writeKey: t.otherSite.key,
        batch: [{ type: 'page', anonymousId: 'b', properties: { url: 'https://blog.example.com/' } }],
      },
      { 'content-type': 'text/plain' },
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect((await t.stored()).at(-1)?.context.siteId).toBe(t.otherSite.id);
  });

  it('a wrong or missing write key: 401', async () => {
    const body = { batch: [{ type: 'track', anonymousId: 'a', event: 'x' }] };
    const wrong = await post('/v1/batch', body, { authorization: basic('site_notarealkey0000') });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toMatchObject({ code: 'unauthorized', message: 'unknown write key' });
    expect(wrong.headers['www-authenticate']).toContain('Basic');
    expect((await post('/v1/batch', { ...body, writeKey: 'nope' })).statusCode).toBe(401);
    const missing = await post('/v1/batch', body);
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error.message).toContain('Basic auth');
    expect((await post('/v1/batch', body, { authorization: 'Bearer something' })).statusCode).toBe(401);
  });

  it('a batch over 500 KB: 413', async () => {
    const big = {
      batch: [{ type: 'track', anonymousId: 'a', event: 'x', properties: { blob: 'x'.repeat(520_000) } }],
    };
    const res = await post('/v1/batch', big, { authorization: basic(t.site.key) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.message).toContain(`${500 * 1024} bytes`);
  });

  it('a body that is no batch: 400 naming the field', async () => {
    const res = await post('/v1/batch', { messages: [] }, { authorization: basic(t.site.key) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ field: 'batch', message: 'batch is required' });
  });
});

describe('Segment HTTP API: single calls', () => {
  let t: IngestApp;
  const post = poster(() => t);
  beforeAll(async () => {
    t = await startIngestApp();
  });
  afterAll(() => t.close());

  it('track, page, identify, group and alias answer { success: true } and store one event each', async () => {
    const auth = { authorization: basic(t.site.key) };
    const calls: [string, Record<string, unknown>][] = [
      ['track', { anonymousId: 'a', event: 'Added to Cart', properties: { sku: 'عود-1' } }],
      ['page', { anonymousId: 'a', name: 'Home', properties: { path: '/ar/' } }],
      ['identify', { userId: 'u1', traits: { name: 'ليلى' } }],
      ['group', { userId: 'u1', groupId: 'g1' }],
      ['alias', { userId: 'u1', previousId: 'a' }],
    ];
    for (const [call, body] of calls) {
      const res = await post(`/v1/${call}`, body, auth);
      expect(res.statusCode, call).toBe(200);
      expect(res.json()).toEqual({ success: true });
    }
    const stored = await t.stored();
    expect(stored.map((e) => e.type)).toEqual(['track', 'page', 'identify', 'group', 'alias']);
    expect(stored[0]?.properties).toEqual({ sku: 'عود-1' });
    expect(stored[1]?.context.path).toBe('/ar/');
  });

  it('the same messageId twice is stored once', async () => {
    const before = (await t.stored()).length;
    const body = { anonymousId: 'a', event: 'Paid', messageId: 'ajs-next-1700000000000-abc' };
    for (let i = 0; i < 2; i++)
      expect((await post('/v1/track', body, { authorization: basic(t.site.key) })).statusCode).toBe(200);
    expect((await t.stored()).length).toBe(before + 1);
  });

  it('an invalid call: 400 naming the field; a wrong key: 401; over 32 KB: 413', async () => {
    const auth = { authorization: basic(t.site.key) };
    const noEvent = await post('/v1/track', { anonymousId: 'a' }, auth);
    expect(noEvent.json().error).toMatchObject({
      code: 'invalid',
      field: 'event',
      message: 'event is required',
    });
    const noId = await post('/v1/track', { event: 'x' }, auth);
    expect(noId.json().error).toMatchObject({ field: 'anonymousId' });
    const badGroup = await post('/v1/group', { userId: 'u', groupId: { id: 1 } }, auth);
    expect(badGroup.json().error.field).toBe('groupId');
    const badTime = await post(
      '/v1/track',
      { anonymousId: 'a', event: 'x', timestamp: 'next tuesday' },
      auth,
    );
    expect(badTime.json().error).toMatchObject({
      field: 'timestamp',
      message: 'timestamp is not an ISO 8601 date-time',
    });
    expect(
      (await post('/v1/track', { anonymousId: 'a', event: 'x' }, { authorization: basic('site_wrong') }))
        .statusCode,
    ).toBe(401);
    const big = await post(
      '/v1/track',
      { anonymousId: 'a', event: 'x', properties: { blob: 'x'.repeat(40_000) } },
      auth,
    );
    expect(big.statusCode).toBe(413);
  });
});

describe('Segment HTTP API: limits and back-pressure', () => {
  it('a source over its site limit gets 429 (counted in messages); other sites are served', async () => {
    const t = await startIngestApp({ limits: { perSite: 150, windowMs: 60_000 } });
    const post = poster(() => t);
    try {
      const batch = (n: number) => ({
        batch: Array.from({ length: n }, (_, i) => ({ type: 'track', anonymousId: `a${i}`, event: 'x' })),
      });
      expect((await post('/v1/batch', batch(100), { authorization: basic(t.site.key) })).statusCode).toBe(
        200,
      );
      const over = await post('/v1/batch', batch(100), { authorization: basic(t.site.key) });
      expect(over.statusCode).toBe(429);
      expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(
        (await post('/v1/batch', batch(100), { authorization: basic(t.otherSite.key) })).statusCode,
      ).toBe(200);
      expect(await t.stored()).toHaveLength(200);
    } finally {
      await t.close();
    }
  });

  it('a full sink: 503 with Retry-After; nothing of the batch is taken', async () => {
    const t = await startIngestApp({
      sink: (events) =>
        bufferSink(new EventBuffer(events, { maxEvents: 3, intervalMs: 3_600_000, onError: () => {} })),
    });
    const post = poster(() => t);
    try {
      const batch = { batch: [1, 2].map((i) => ({ type: 'track', anonymousId: `a${i}`, event: 'x' })) };
      expect((await post('/v1/batch', batch, { authorization: basic(t.site.key) })).statusCode).toBe(200);
      const full = await post('/v1/batch', batch, { authorization: basic(t.site.key) });
      expect(full.statusCode).toBe(503);
      expect(full.headers['retry-after']).toBe('2');
    } finally {
      await t.close();
    }
  });
});
