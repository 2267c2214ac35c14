import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SendContext, WebPushMessage } from '../../src/types.ts';
import {
  checkVapidDetails,
  generateVapidKeys,
  MAX_PUSH_PAYLOAD_BYTES,
  type VapidDetails,
  WebPushAdapter,
  type WebPushAdapterOptions,
} from '../../src/webpush/index.ts';
import { type PushService, startPushService } from './push-service.ts';

const keys = generateVapidKeys();
const vapid: VapidDetails = { subject: 'mailto:ops@wasl.example', ...keys };
let service: PushService;
beforeAll(async () => {
  service = await startPushService(keys.publicKey);
});
afterAll(() => service.close());

const adapters: WebPushAdapter[] = [];
afterEach(async () => {
  for (const a of adapters.splice(0)) await a.close();
});

function adapter(options: Partial<WebPushAdapterOptions> = {}): WebPushAdapter {
  const a = new WebPushAdapter({
    vapidFor: () => vapid,
    allowPrivateTargets: true,
    ca: service.cert,
    ...options,
  });
  adapters.push(a);
  return a;
}

let events: string[] = [];
afterEach(() => {
  events = [];
});
function context(signal = new AbortController().signal): SendContext & { commits: number } {
  const ctx = {
    signal,
    commits: 0,
    commit: async () => {
      ctx.commits++;
      events.push(`commit, ${service.deliveries.length} delivered`);
    },
  };
  return ctx;
}

const notification = {
  title: 'عرض خاص لعملائنا 🎉',
  body: 'خصم ٢٠٪ على جميع الطلبات حتى نهاية الأسبوع',
  url: 'https://shop.example/ar/offers',
  icon: 'https://shop.example/icon.png',
  dir: 'rtl',
  lang: 'ar',
  tag: 'offer-42',
};
const message = (over: Partial<WebPushMessage> = {}): WebPushMessage => ({
  id: 'msg_push_1',
  subscription: service.subscribe(),
  payload: JSON.stringify(notification),
  ttl: 3600,
  urgency: 'high',
  ...over,
});

describe('WebPushAdapter: delivery', () => {
  it('sends a VAPID-signed aes128gcm push the service accepts and the browser decrypts, Arabic intact', async () => {
    const ctx = context();
    const msg = message();
    const result = await adapter().send(msg, ctx);

    expect(service.rejected).toEqual([]);
    const delivered = service.deliveries.at(-1)!;
    expect(result).toEqual({
      ok: true,
      providerMessageId: `${service.origin}/messages/${service.deliveries.length}`,
      response: 'HTTP 201',
    });
    expect(JSON.parse(delivered.plaintext)).toEqual(notification);
    expect(delivered.plaintext).toBe(msg.payload);
    expect(delivered.path).toBe(new URL(msg.subscription.endpoint).pathname);
    expect(delivered.ttl).toBe('3600');
    expect(delivered.urgency).toBe('high');
    expect(delivered.claims.aud).toBe(service.origin);
    expect(delivered.claims.sub).toBe('mailto:ops@wasl.example');
    expect(ctx.commits).toBe(1);
    expect(events).toEqual([`commit, ${service.deliveries.length - 1} delivered`]);
  });

  it('uses the message id when the service gives no Location', async () => {
    const result = await adapter().send(
      message({ subscription: service.subscribe({ status: 202 }) }),
      context(),
    );
    expect(result).toEqual({
      ok: true,
      providerMessageId: 'msg_push_1',
      response: 'HTTP 202: status 202 as asked',
    });
  });

  it('defaults Urgency to normal', async () => {
    const { urgency: _, ...rest } = message();
    expect((await adapter().send(rest, context())).ok).toBe(true);
    expect(service.deliveries.at(-1)!.urgency).toBe('normal');
  });

  it('fits a payload of exactly the limit into one 4096-byte record', async () => {
    const base = JSON.stringify({ ...notification, body: '' });
    const fill = MAX_PUSH_PAYLOAD_BYTES - Buffer.byteLength(base);
    const payload = JSON.stringify({
      ...notification,
      body: `${'ب'.repeat(Math.floor(fill / 2))}${'!'.repeat(fill % 2)}`,
    });
    expect(Buffer.byteLength(payload)).toBe(MAX_PUSH_PAYLOAD_BYTES);
    expect((await adapter().send(message({ payload }), context())).ok).toBe(true);
    expect(service.deliveries.at(-1)!.bodyBytes).toBe(4096);
    expect(service.deliveries.at(-1)!.plaintext).toBe(payload);
  });

  it('is refused by the service when signed with another VAPID key', async () => {
    const other = { subject: 'https://wasl.example/contact', ...generateVapidKeys() };
    const result = await adapter({ vapidFor: () => other }).send(message(), context());
    expect(result).toEqual({
      ok: false,
      retryable: false,
      code: '403',
      reason: 'HTTP 403: k is not the key this subscription was made with',
    });
  });
});

describe('WebPushAdapter: answers', () => {
  it.each([
    [410, false, 'subscription_gone'],
    [404, false, 'subscription_gone'],
    [413, false, 'payload_too_large'],
    [429, true, '429'],
    [500, true, '500'],
    [503, true, '503'],
    [400, false, '400'],
  ])('maps HTTP %i to retryable=%s code %s', async (status, retryable, code) => {
    const result = await adapter().send(message({ subscription: service.subscribe({ status }) }), context());
    expect(result).toEqual({
      ok: false,
      retryable,
      code,
      reason: `HTTP ${status}: status ${status} as asked`,
    });
  });

  it('times out a service that never answers, as retryable', async () => {
    const result = await adapter({ timeoutMs: 300 }).send(
      message({ subscription: service.subscribe({ hang: true }) }),
      context(),
    );
    expect(result).toEqual({
      ok: false,
      retryable: true,
      code: 'timeout',
      reason: 'no answer within 300 ms',
    });
  });

  it('refuses an untrusted certificate as a connection failure', async () => {
    const a = new WebPushAdapter({ vapidFor: () => vapid, allowPrivateTargets: true });
    adapters.push(a);
    const result = await a.send(message(), context());
    expect(result.ok === false && [result.retryable, result.code]).toEqual([true, 'connection']);
    expect(result.ok === false && result.reason).toMatch(
      /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)/,
    );
  });
});

describe('WebPushAdapter: refusals before sending', () => {
  it('refuses a loopback push endpoint unless private targets are allowed, without committing', async () => {
    const a = adapter({ allowPrivateTargets: false });
    const ctx = context();
    expect(await a.send(message(), ctx)).toEqual({
      ok: false,
      retryable: false,
      code: 'blocked_address',
      reason: '127.0.0.1 is a private, loopback or reserved address',
    });
    const sub = service.subscribe();
    const byName = await a.send(
      message({ subscription: { ...sub, endpoint: sub.endpoint.replace('127.0.0.1', 'localhost') } }),
      ctx,
    );
    expect(byName.ok === false && byName.reason).toMatch(/^localhost resolves to .*127\.0\.0\.1/);
    expect(ctx.commits).toBe(0);
  });

  it('refuses an oversized payload, counted in UTF-8 bytes', async () => {
    const payload = JSON.stringify({ title: 'ت'.repeat(2000) });
    const ctx = context();
    expect(await adapter().send(message({ payload }), ctx)).toEqual({
      ok: false,
      retryable: false,
      code: 'payload_too_large',
      reason: `payload is ${Buffer.byteLength(payload)} bytes in UTF-8; push services take at most 3993`,
    });
    expect(ctx.commits).toBe(0);
  });

  it('names the bad field of a subscription, payload, ttl or VAPID details', async () => {
    const sub = service.subscribe();
    const reason = async (over: Partial<WebPushMessage>, options: Partial<WebPushAdapterOptions> = {}) => {
      const r = await adapter(options).send(message(over), context());
      return r.ok ? undefined : `${r.code}: ${r.reason}`;
    };
    expect(await reason({ subscription: { ...sub, endpoint: 'http://push.example/x' } })).toBe(
      'invalid_subscription: subscription.endpoint must use https, not http:',
    );
    expect(
      await reason({ subscription: { ...sub, keys: { ...sub.keys, p256dh: sub.keys.p256dh.slice(4) } } }),
    ).toBe('invalid_subscription: subscription.keys.p256dh has 62 bytes; 65 expected');
    expect(await reason({ subscription: { ...sub, keys: { ...sub.keys, auth: 'a+b/' } } })).toBe(
      'invalid_subscription: subscription.keys.auth is not base64url',
    );
    expect(await reason({ payload: 'مرحبا' })).toBe('invalid_payload: payload is not JSON');
    expect(await reason({ payload: '{"body":"x"}' })).toBe(
      'invalid_payload: payload must be a JSON object with a string title',
    );
    expect(await reason({ ttl: -1 })).toBe('invalid: ttl -1 must be a whole number of seconds, 0 or more');
    expect(await reason({}, { vapidFor: () => ({ ...vapid, subject: 'ops@wasl.example' }) })).toBe(
      'invalid_vapid: vapid.subject "ops@wasl.example" must be a mailto: or https: URL',
    );
  });

  it('gives up before committing when the worker is stopping', async () => {
    const stop = new AbortController();
    stop.abort();
    const ctx = context(stop.signal);
    const before = service.deliveries.length;
    expect(await adapter().send(message(), ctx)).toEqual({
      ok: false,
      retryable: true,
      code: 'aborted',
      reason: 'the worker stopped before sending',
    });
    expect(ctx.commits).toBe(0);
    expect(service.deliveries.length).toBe(before);
  });
});

describe('VAPID keys', () => {
  it('generates P-256 key pairs in base64url that pass the checks', () => {
    const a = generateVapidKeys();
    expect(Buffer.from(a.publicKey, 'base64url')).toHaveLength(65);
    expect(Buffer.from(a.privateKey, 'base64url')).toHaveLength(32);
    expect(a.publicKey).not.toBe(generateVapidKeys().publicKey);
    expect(checkVapidDetails({ subject: 'https://wasl.example', ...a }).ok).toBe(true);
    const bad = checkVapidDetails({ subject: 'mailto:a@b.example', ...a, privateKey: a.publicKey });
    expect(bad.ok ? undefined : bad.error).toEqual({
      code: 'invalid',
      message: 'vapid.privateKey has 65 bytes; 32 expected',
      field: 'vapid.privateKey',
    });
  });
});

describe('WebPushAdapter: close', () => {
  it('lets a send in progress finish before closing', async () => {
    const a = adapter();
    const sending = a.send(message(), context());
    await a.close();
    expect(await sending).toMatchObject({ ok: true, response: 'HTTP 201' });
  });
});
