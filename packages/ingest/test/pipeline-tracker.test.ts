import { type WaslEvent, WaslEventSchema } from '@wasl/core';
import type { Payload } from '@wasl/tracker/payload';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ENGAGEMENT_EVENT,
  eventFromTracker,
  type TrackerPayload,
  TrackerPayloadSchema,
  VisitTracker,
  visitorHash,
} from '../src/index.ts';
import { deps, geo, MINUTE, NOW, OTHER_SITE, request, SITE } from './pipeline-fixtures.ts';
import { UA } from './user-agent-strings.ts';

// The server's schema and the tracker's type describe one contract: each must accept the other.
const _serverTakesTrackerPayloads = (p: Payload): TrackerPayload => p;
const _trackerTypeCoversSchema = (p: TrackerPayload): Payload => p;

const base = {
  site: SITE.key,
  url: 'https://matjar.sa/',
  referrer: '',
  lang: 'ar-SA',
  screen: '390x844',
  webdriver: false,
  ts: NOW,
} as const;

function collect(payload: TrackerPayload, d = deps(), req = request()): WaslEvent {
  const parsed = TrackerPayloadSchema.parse(payload);
  const result = eventFromTracker(parsed, req, SITE, d);
  if (!result.ok) throw new Error(result.error.message);
  return WaslEventSchema.parse(result.value);
}

describe('eventFromTracker: mapping', () => {
  it('a pageview is a page event with a readable Arabic path, campaign, source, device, geo and the site', () => {
    const event = collect({
      ...base,
      type: 'pageview',
      title: 'عروض رمضان',
      url: 'https://matjar.sa/ar/%D8%B9%D8%B1%D9%88%D8%B6?utm_source=newsletter&utm_medium=email&utm_campaign=%D8%AA%D8%AE%D9%81%D9%8A%D8%B6%D8%A7%D8%AA',
      referrer: 'https://mail.google.com/mail/u/0/?q=secret#inbox',
    });
    expect(event).toMatchObject({ type: 'page', name: '', workspaceId: SITE.workspaceId, contactId: null });
    expect(event.context).toMatchObject({
      siteId: SITE.id,
      path: '/ar/عروض',
      title: 'عروض رمضان',
      utm: { source: 'newsletter', medium: 'email', campaign: 'تخفيضات' },
      medium: 'email',
      locale: 'ar-SA',
      identity: 'cookieless',
      bot: false,
      device: { type: 'desktop', browser: 'Chrome', os: 'Windows', screen: '390x844' },
    });
    // The referrer keeps no query or fragment (search terms, tokens); the host drops "www." only.
    expect(event.context.referrer).toBe('https://mail.google.com/mail/u/0/');
    expect(event.context.referrerHost).toBe('mail.google.com');
    expect(event.context.geo).toEqual(geo.lookup('8.8.8.8'));
    expect(event.context.geo?.country).toBe('US');
    expect(event.occurredAt.getTime()).toBe(NOW);
    expect(event.receivedAt.getTime()).toBe(NOW);
  });

  it('custom, outbound and download events are track events with their props', () => {
    const d = deps();
    const custom = collect(
      { ...base, type: 'event', name: 'شراء', props: { المنتج: 'عطر العود', الكمية: 2 } },
      d,
    );
    expect(custom).toMatchObject({
      type: 'track',
      name: 'شراء',
      properties: { المنتج: 'عطر العود', الكمية: 2 },
    });
    for (const name of ['outbound', 'download']) {
      const event = collect({ ...base, type: 'event', name, props: { url: 'https://x.example/a.pdf' } }, d);
      expect(event).toMatchObject({ type: 'track', name, properties: { url: 'https://x.example/a.pdf' } });
    }
  });

  it('engagement is a $engagement track event with the visible time on its path', () => {
    const event = collect({
      ...base,
      type: 'engagement',
      engagedMs: 42_000,
      url: 'https://matjar.sa/blog/1',
    });
    expect(event).toMatchObject({ type: 'track', name: ENGAGEMENT_EVENT });
    expect(event.context).toMatchObject({ engagedMs: 42_000, path: '/blog/1' });
  });

  it('identify in consent mode keeps the email or contact id as properties', () => {
    const event = collect({
      ...base,
      type: 'identify',
      uid: '1-2-3-4',
      props: { email: 'layla@example.com' },
    });
    expect(event).toMatchObject({ type: 'identify', properties: { email: 'layla@example.com' } });
    expect(event.context.identity).toBe('consent');
  });

  it('a hash route is part of the path; an anchor is not', () => {
    expect(collect({ ...base, type: 'pageview', url: 'https://matjar.sa/app/#/pricing' }).context.path).toBe(
      '/app/#/pricing',
    );
    expect(collect({ ...base, type: 'pageview', url: 'https://matjar.sa/faq#shipping' }).context.path).toBe(
      '/faq',
    );
  });

  it('reserved escapes stay escaped in the path, and broken escapes are kept as sent', () => {
    expect(collect({ ...base, type: 'pageview', url: 'https://matjar.sa/a%2Fb/%D8%B9' }).context.path).toBe(
      '/a%2Fb/ع',
    );
    expect(collect({ ...base, type: 'pageview', url: 'https://matjar.sa/50%off' }).context.path).toBe(
      '/50%off',
    );
  });

  it('every event is one the store takes, whatever the (valid) payload', () => {
    const text = fc.string({ maxLength: 300 });
    const payload = fc.record({
      site: fc.constant(SITE.key),
      url: fc.webUrl({ withQueryParameters: true, withFragments: true }),
      referrer: fc.oneof(fc.constant(''), fc.webUrl(), text),
      lang: fc.string({ maxLength: 64 }),
      screen: fc.string({ maxLength: 32 }),
      webdriver: fc.boolean(),
      ts: fc.nat(),
      type: fc.constant('pageview' as const),
      title: fc.option(fc.string({ maxLength: 8192 }), { nil: undefined }),
    });
    const d = deps();
    fc.assert(
      fc.property(
        payload,
        fc.oneof(fc.ipV4(), fc.ipV6()),
        fc.option(text, { nil: undefined }),
        (p, ip, ua) => {
          const result = eventFromTracker(
            TrackerPayloadSchema.parse(p),
            request({ ip, userAgent: ua }),
            SITE,
            d,
          );
          if (!result.ok) return result.error.field === 'url';
          expect(WaslEventSchema.safeParse(result.value).success).toBe(true);
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('eventFromTracker: refusals name the field', () => {
  it('a URL that is not absolute http(s)', () => {
    for (const url of ['/relative', 'javascript:alert(1)', 'not a url']) {
      const result = eventFromTracker({ ...base, type: 'pageview', url }, request(), SITE, deps());
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid', field: 'url' } });
    }
  });

  it('identify without uid: a cookieless visitor is never linked to a person', () => {
    const result = eventFromTracker(
      { ...base, type: 'identify', props: { email: 'a@b.co' } },
      request(),
      SITE,
      deps(),
    );
    expect(result).toMatchObject({ ok: false, error: { field: 'uid' } });
  });

  it('the schema names unknown and missing fields', () => {
    const unknown = TrackerPayloadSchema.safeParse({ ...base, type: 'pageview', colour: 'red' });
    expect(unknown.success).toBe(false);
    const missing = TrackerPayloadSchema.safeParse({ ...base, type: 'event' });
    expect(missing.error?.issues[0]?.path).toEqual(['name']);
  });
});

describe('eventFromTracker: visitors', () => {
  it('cookieless: the same browser is one visitor per site per day, a different one on another site', () => {
    const d = deps();
    const page = { ...base, type: 'pageview' } as const;
    const a = collect(page, d);
    const b = collect(page, d, request({ receivedAt: NOW + MINUTE }));
    expect(b.anonymousId).toBe(a.anonymousId);
    expect(a.anonymousId).toBe(
      visitorHash({
        salt: d.salts.window(NOW).use,
        siteId: SITE.id,
        ip: '8.8.8.8',
        userAgent: UA.chromeWindows,
      }),
    );
    const elsewhere = eventFromTracker(
      TrackerPayloadSchema.parse({ ...page, site: OTHER_SITE.key }),
      request(),
      OTHER_SITE,
      d,
    );
    expect(elsewhere.ok && elsewhere.value.anonymousId).not.toBe(a.anonymousId);
    const otherBrowser = collect(page, d, request({ userAgent: UA.firefoxLinux }));
    expect(otherBrowser.anonymousId).not.toBe(a.anonymousId);
  });

  it('the IP address is in no field of the event', () => {
    const ip = '203.0.113.77';
    const event = collect({ ...base, type: 'pageview' }, deps(), request({ ip }));
    expect(JSON.stringify(event)).not.toContain(ip);
    expect(JSON.stringify(event)).not.toContain(UA.chromeWindows);
  });

  it('consent: the uid is hashed with the site, so raw ids never link across sites', () => {
    const d = deps();
    const uid = '1234567890-1-2-3';
    const here = collect({ ...base, type: 'pageview', uid }, d);
    const there = eventFromTracker(
      TrackerPayloadSchema.parse({ ...base, type: 'pageview', uid, site: OTHER_SITE.key }),
      request(),
      OTHER_SITE,
      d,
    );
    expect(here.anonymousId).not.toContain(uid);
    expect(here.anonymousId).toMatch(/^[0-9a-f]{32}$/);
    expect(there.ok && there.value.anonymousId).not.toBe(here.anonymousId);
    // Same browser id, another address and browser: still the same visitor.
    const moved = collect(
      { ...base, type: 'pageview', uid },
      d,
      request({ ip: '1.1.1.1', userAgent: UA.firefoxLinux }),
    );
    expect(moved.anonymousId).toBe(here.anonymousId);
    expect(moved.context.identity).toBe('consent');
  });

  it('a visit continues within 30 minutes and a new one starts after', () => {
    const d = deps();
    const page = { ...base, type: 'pageview' } as const;
    const first = collect(page, d);
    const second = collect(page, d, request({ receivedAt: NOW + 29 * MINUTE }));
    const third = collect(page, d, request({ receivedAt: NOW + 59 * MINUTE }));
    expect(second.context.sessionId).toBe(first.context.sessionId);
    expect(third.context.sessionId).not.toBe(second.context.sessionId);
  });

  it('a visit runs across midnight while the visitor id changes with the salt', () => {
    const d = deps();
    const page = { ...base, type: 'pageview' } as const;
    const beforeMidnight = Date.UTC(2026, 2, 10, 23, 50);
    const afterMidnight = Date.UTC(2026, 2, 11, 0, 10);
    const late = collect(page, d, request({ receivedAt: beforeMidnight }));
    d.salts.advance(afterMidnight);
    const early = collect(page, d, request({ receivedAt: afterMidnight }));
    expect(early.context.sessionId).toBe(late.context.sessionId);
    expect(early.anonymousId).not.toBe(late.anonymousId);
    // The new day's id is today's hash, not yesterday's carried forward.
    expect(early.anonymousId).toBe(
      visitorHash({
        salt: d.salts.window(afterMidnight).use,
        siteId: SITE.id,
        ip: '8.8.8.8',
        userAgent: UA.chromeWindows,
      }),
    );
  });

  it('a long visible read does not split the visit when its engagement beacon arrives', () => {
    const d = deps();
    const view = collect({ ...base, type: 'pageview' }, d);
    const beacon = collect(
      { ...base, type: 'engagement', engagedMs: 44 * MINUTE },
      d,
      request({ receivedAt: NOW + 45 * MINUTE }),
    );
    expect(beacon.context.sessionId).toBe(view.context.sessionId);
  });
});

describe('eventFromTracker: bots are kept and flagged', () => {
  const page = { ...base, type: 'pageview' } as const;
  it.each([
    [
      'a headless browser',
      request({ userAgent: UA.chromeWindows.replace('Chrome/', 'HeadlessChrome/') }),
      page,
      'headless-browser',
    ],
    ['navigator.webdriver', request(), { ...page, webdriver: true }, 'webdriver'],
    ['a crawler', request({ userAgent: UA.googlebot }), page, 'known-bot'],
    ['no Accept-Language', request({ acceptLanguage: '' }), page, 'no-accept-language'],
    ['no user agent', request({ userAgent: undefined }), page, 'empty-user-agent'],
  ] as const)('%s', (_name, req, payload, reason) => {
    const event = collect(payload, deps(), req);
    expect(event.context.bot).toBe(true);
    expect(event.properties.$botReason).toBe(reason);
  });
});

describe('VisitTracker is bounded', () => {
  it('forgets the least recently seen visitors beyond twice its capacity', () => {
    const visits = new VisitTracker(100);
    for (let i = 0; i < 1000; i++) visits.assign({ visitor: `v${i}`, eventAt: NOW });
    expect(visits.size).toBeLessThanOrEqual(200);
  });
});
