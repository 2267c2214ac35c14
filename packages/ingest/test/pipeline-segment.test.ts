import { WaslEventSchema } from '@wasl/core';
import { describe, expect, it } from 'vitest';
import {
  eventFromSegment,
  eventIdOf,
  parseSegmentBatchMessage,
  SEGMENT_SCHEMAS,
  SegmentBatchSchema,
  type SegmentMessage,
  type SegmentType,
} from '../src/index.ts';
import { deps, geo, MINUTE, NOW, request, SITE } from './pipeline-fixtures.ts';
import { UA } from './user-agent-strings.ts';

const server = request({
  userAgent: 'analytics-node-next/1.0',
  acceptLanguage: undefined,
  ip: '203.0.113.5',
});

function message(type: SegmentType, body: Record<string, unknown>): SegmentMessage {
  return { type, message: SEGMENT_SCHEMAS[type].parse(body) } as SegmentMessage;
}

function store(type: SegmentType, body: Record<string, unknown>, d = deps(), req = server) {
  const result = eventFromSegment(message(type, body), req, SITE, d);
  if (!result.ok) throw new Error(result.error.message);
  return WaslEventSchema.parse(result.value);
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('eventFromSegment: each call, as Segment defines it', () => {
  it('track: name, properties, userId as contactId, messageId as the event id', () => {
    const event = store('track', {
      event: 'Order Completed',
      userId: 42,
      anonymousId: 'anon-1',
      messageId: 'node-next-1700000000000-abc',
      properties: { revenue: 120.5, currency: 'SAR' },
    });
    expect(event).toMatchObject({
      id: 'node-next-1700000000000-abc',
      type: 'track',
      name: 'Order Completed',
      anonymousId: 'anon-1',
      contactId: '42',
      properties: { revenue: 120.5, currency: 'SAR' },
    });
    expect(event.context).toMatchObject({ siteId: SITE.id, identity: 'consent', bot: false });
  });

  it('a server-side track with no user agent is no bot, has no geo of the sending server, and starts no visit', () => {
    const event = store('track', { event: 'Signed Up', userId: 'u1' });
    expect(event.context.bot).toBe(false);
    expect(event.context.geo).toBeUndefined();
    expect(event.context.device).toBeUndefined();
    expect(event.context.sessionId).toBeUndefined();
  });

  it('page: page fields from properties, campaign from context.campaign, device and geo from context', () => {
    const event = store('page', {
      anonymousId: 'anon-2',
      name: 'Offers',
      properties: {
        url: 'https://matjar.sa/ar/%D8%B9%D8%B1%D9%88%D8%B6?utm_source=ignored',
        title: 'عروض',
        referrer: 'https://t.co/abc',
      },
      context: {
        ip: '8.8.8.8',
        userAgent: UA.iphoneSafari,
        locale: 'ar-SA',
        campaign: { name: 'رمضان', source: 'twitter', medium: 'social' },
        screen: { width: 390, height: 844 },
      },
    });
    expect(event).toMatchObject({ type: 'page', name: 'Offers' });
    expect(event.context).toMatchObject({
      path: '/ar/عروض',
      title: 'عروض',
      utm: { campaign: 'رمضان', source: 'twitter', medium: 'social' },
      medium: 'social',
      referrerHost: 't.co',
      locale: 'ar-SA',
      device: { type: 'mobile', os: 'iOS', browser: 'Safari', screen: '390x844' },
      geo: geo.lookup('8.8.8.8'),
    });
    expect(event.context.sessionId).toEqual(expect.any(String));
    expect(JSON.stringify(event)).not.toContain('8.8.8.8');
  });

  it('a track from a browser joins the open visit of its anonymousId', () => {
    const d = deps();
    const page = store('page', { anonymousId: 'a', context: { userAgent: UA.chromeMac } }, d);
    const track = store('track', { anonymousId: 'a', event: 'Clicked', timestamp: iso(NOW + MINUTE) }, d, {
      ...server,
      receivedAt: NOW + 2 * MINUTE,
    });
    expect(track.context.sessionId).toBe(page.context.sessionId);
  });

  it('identify, group and alias', () => {
    expect(store('identify', { userId: 'u1', traits: { email: 'a@b.co', name: 'ليلى' } })).toMatchObject({
      type: 'identify',
      contactId: 'u1',
      properties: { email: 'a@b.co', name: 'ليلى' },
    });
    expect(store('group', { userId: 'u1', groupId: 7, traits: { plan: 'pro' } })).toMatchObject({
      type: 'group',
      properties: { groupId: '7', traits: { plan: 'pro' } },
    });
    expect(store('alias', { userId: 'u1', previousId: 'anon-9' })).toMatchObject({
      type: 'alias',
      contactId: 'u1',
      properties: { previousId: 'anon-9' },
    });
  });

  it('a headless browser sending through analytics.js is flagged', () => {
    const event = store('page', {
      anonymousId: 'x',
      context: { userAgent: 'Mozilla/5.0 HeadlessChrome/120.0' },
    });
    expect(event.context.bot).toBe(true);
    expect(event.properties.$botReason).toBe('headless-browser');
  });
});

describe('eventFromSegment: time (clock-skew correction)', () => {
  it('moves the sender delay onto the server clock, whatever the sender clock says', () => {
    for (const skew of [-3 * 86_400_000, -5000, 0, 7 * 3_600_000, 40 * 86_400_000]) {
      const senderNow = NOW + skew;
      const event = store('track', {
        event: 'e',
        anonymousId: 'a',
        timestamp: iso(senderNow - 90_000),
        sentAt: iso(senderNow),
      });
      expect(event.occurredAt.getTime()).toBe(NOW - 90_000);
    }
  });

  it('originalTimestamp (RudderStack) wins over timestamp', () => {
    const event = store('track', {
      event: 'e',
      anonymousId: 'a',
      originalTimestamp: iso(NOW - 10_000),
      timestamp: iso(NOW - 99_000_000),
      sentAt: iso(NOW),
    });
    expect(event.occurredAt.getTime()).toBe(NOW - 10_000);
  });

  it('a timestamp alone is taken as sent, clamped to now when slightly ahead, refused when far off', () => {
    expect(
      store('track', { event: 'e', anonymousId: 'a', timestamp: iso(NOW - 3_600_000) }).occurredAt.getTime(),
    ).toBe(NOW - 3_600_000);
    expect(
      store('track', { event: 'e', anonymousId: 'a', timestamp: iso(NOW + 60_000) }).occurredAt.getTime(),
    ).toBe(NOW);
    const future = eventFromSegment(
      message('track', { event: 'e', anonymousId: 'a', timestamp: iso(NOW + 25 * 3_600_000) }),
      server,
      SITE,
      deps(),
    );
    expect(future).toMatchObject({ ok: false, error: { field: 'timestamp' } });
    expect(!future.ok && future.error.message).toContain('24 hours ahead');
    const past = eventFromSegment(
      message('track', { event: 'e', anonymousId: 'a', timestamp: iso(NOW - 31 * 86_400_000) }),
      server,
      SITE,
      deps(),
    );
    expect(past).toMatchObject({ ok: false, error: { field: 'timestamp' } });
    expect(!past.ok && past.error.message).toContain('30 days in the past');
  });

  it('a date that is not a date names its field', () => {
    const result = eventFromSegment(
      message('track', { event: 'e', anonymousId: 'a', sentAt: 'yesterday' }),
      server,
      SITE,
      deps(),
    );
    expect(result).toMatchObject({ ok: false, error: { field: 'sentAt' } });
  });
});

describe('eventFromSegment: identity and ids', () => {
  it('needs anonymousId or userId, and alias needs userId', () => {
    expect(eventFromSegment(message('track', { event: 'e' }), server, SITE, deps())).toMatchObject({
      ok: false,
      error: { field: 'anonymousId', message: 'anonymousId or userId is required' },
    });
    expect(
      eventFromSegment(message('alias', { anonymousId: 'a', previousId: 'b' }), server, SITE, deps()),
    ).toMatchObject({ ok: false, error: { field: 'userId' } });
  });

  it('long message ids become a stable 64-character id; short ones stay', () => {
    const long = `ajs-next-${'x'.repeat(100)}`;
    expect(eventIdOf(long)).toMatch(/^[0-9a-f]{64}$/);
    expect(eventIdOf(long)).toBe(eventIdOf(long));
    expect(eventIdOf('abc')).toBe('abc');
    expect(eventIdOf(undefined)).toBeUndefined();
    const withoutId = store('track', { event: 'e', anonymousId: 'a' });
    expect(withoutId.id).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('parseSegmentBatchMessage', () => {
  const batch = (messages: unknown[], extra: Record<string, unknown> = {}) =>
    SegmentBatchSchema.parse({ batch: messages, ...extra });

  it('applies the batch context and sentAt; the message own fields win', () => {
    const body = batch([{ type: 'track', event: 'e', anonymousId: 'a', context: { locale: 'en-US' } }], {
      sentAt: iso(NOW),
      context: { locale: 'ar-SA', userAgent: UA.chromeMac },
    });
    const parsed = parseSegmentBatchMessage(body, 0);
    if (!parsed.ok) throw new Error(parsed.error.message);
    expect(parsed.value.message.context).toMatchObject({ locale: 'en-US', userAgent: UA.chromeMac });
    expect(parsed.value.message.sentAt).toBe(iso(NOW));
  });

  it('names the field of each bad message', () => {
    const body = batch([
      { type: 'track', anonymousId: 'a' },
      'not an object',
      { type: 'screen', name: 'Home', anonymousId: 'a' },
      { event: 'e' },
      { type: 'identify', userId: { nested: true } },
    ]);
    const problems = body.batch.map((_, i) => {
      const parsed = parseSegmentBatchMessage(body, i);
      return parsed.ok ? undefined : parsed.error;
    });
    expect(problems[0]).toMatchObject({ field: 'batch[0].event', message: 'batch[0].event is required' });
    expect(problems[1]).toMatchObject({ field: 'batch[1]', message: 'batch[1] must be an object' });
    expect(problems[2]).toMatchObject({ field: 'batch[2].type' });
    expect(problems[2]?.message).toContain('screen calls are not accepted');
    expect(problems[3]).toMatchObject({ field: 'batch[3].type', message: 'batch[3].type is required' });
    expect(problems[4]?.field).toBe('batch[4].userId');
  });
});
