import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  newWebhookSecret,
  parseWebhookSecret,
  signWebhook,
  verifyWebhook,
  webhookHeaders,
} from '../../src/webhook/index.ts';

// The test vector published with the Standard Webhooks reference libraries.
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

/** The signature computed independently of the module, straight from the spec's wording. */
const independent = (secret: string, id: string, timestamp: number, body: string) =>
  `v1,${createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
    .update(`${id}.${timestamp}.${body}`, 'utf8')
    .digest('base64')}`;

const must = <T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T => {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
};

describe('signWebhook', () => {
  it('reproduces the Standard Webhooks test vector', () => {
    expect(must(signWebhook(SPEC, [SPEC.secret]))).toBe(SPEC.signature);
  });

  it('signs Arabic bodies over their UTF-8 bytes, as node:crypto does', () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ type: 'contact.created', data: { name: 'سارة العتيبي' } });
    expect(must(signWebhook({ id: 'msg_1', timestamp: 1_700_000_000, body }, [secret]))).toBe(
      independent(secret, 'msg_1', 1_700_000_000, body),
    );
  });

  it('signs with every secret during rotation, space-separated', () => {
    const [old, next] = [newWebhookSecret(), newWebhookSecret()];
    const value = must(signWebhook({ id: 'msg_2', timestamp: 1_700_000_000, body: '{}' }, [old, next]));
    expect(value).toBe(
      `${independent(old, 'msg_2', 1_700_000_000, '{}')} ${independent(next, 'msg_2', 1_700_000_000, '{}')}`,
    );
  });

  it('builds the three headers', () => {
    expect(must(webhookHeaders(SPEC, [SPEC.secret]))).toEqual({
      'webhook-id': SPEC.id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': SPEC.signature,
    });
  });

  it('refuses bad ids, timestamps and secrets with the field named', () => {
    const bad = (r: ReturnType<typeof signWebhook>) => (r.ok ? undefined : [r.error.field, r.error.message]);
    expect(bad(signWebhook({ ...SPEC, id: 'a b' }, [SPEC.secret]))).toEqual([
      'id',
      'webhook id "a b" must be non-empty, without spaces',
    ]);
    expect(bad(signWebhook({ ...SPEC, timestamp: 1.5 }, [SPEC.secret]))).toEqual([
      'timestamp',
      'webhook timestamp 1.5 is not epoch seconds',
    ]);
    expect(bad(signWebhook(SPEC, []))).toEqual(['secrets', 'no webhook secret to sign with']);
    expect(bad(signWebhook(SPEC, ['MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw']))).toEqual([
      'secret',
      'webhook secret must start with "whsec_"',
    ]);
  });
});

describe('parseWebhookSecret / newWebhookSecret', () => {
  it('decodes the key bytes', () => {
    expect(must(parseWebhookSecret(SPEC.secret))).toEqual(
      Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'),
    );
  });

  it('refuses non-base64 and keys of the wrong size', () => {
    const message = (s: string) => {
      const r = parseWebhookSecret(s);
      return r.ok ? undefined : r.error.message;
    };
    expect(message('whsec_not*base64!')).toBe('webhook secret after "whsec_" is not base64');
    expect(message(`whsec_${Buffer.alloc(16).toString('base64')}`)).toBe(
      'webhook secret has 16 bytes; 24 to 64 are allowed',
    );
    expect(message(`whsec_${Buffer.alloc(65).toString('base64')}`)).toBe(
      'webhook secret has 65 bytes; 24 to 64 are allowed',
    );
  });

  it('generates distinct 32-byte secrets', () => {
    const a = newWebhookSecret();
    const b = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(must(parseWebhookSecret(a))).toHaveLength(32);
  });
});

describe('verifyWebhook', () => {
  const at = SPEC.timestamp * 1000;
  const headers = {
    'webhook-id': SPEC.id,
    'webhook-timestamp': String(SPEC.timestamp),
    'webhook-signature': SPEC.signature,
  };

  it('accepts the spec vector and returns id and timestamp', () => {
    expect(verifyWebhook(headers, SPEC.body, [SPEC.secret], { now: at })).toEqual({
      ok: true,
      value: { id: SPEC.id, timestamp: SPEC.timestamp },
    });
  });

  it('reads headers in any letter case and bodies as bytes', () => {
    const mixed = {
      'Webhook-Id': SPEC.id,
      'WEBHOOK-TIMESTAMP': '1614265330',
      'Webhook-Signature': SPEC.signature,
    };
    expect(verifyWebhook(mixed, Buffer.from(SPEC.body), [SPEC.secret], { now: at }).ok).toBe(true);
  });

  it('accepts during rotation whichever secret the receiver holds', () => {
    const [old, next] = [newWebhookSecret(), newWebhookSecret()];
    const now = Date.now();
    const content = { id: 'msg_r', timestamp: Math.floor(now / 1000), body: '{"a":1}' };
    const signed = must(webhookHeaders(content, [old, next]));
    expect(verifyWebhook(signed, content.body, [old], { now }).ok).toBe(true);
    expect(verifyWebhook(signed, content.body, [next], { now }).ok).toBe(true);
    expect(verifyWebhook(signed, content.body, [newWebhookSecret(), next], { now }).ok).toBe(true);
    expect(verifyWebhook(signed, content.body, [newWebhookSecret()], { now }).ok).toBe(false);
  });

  it('rejects a tampered body', () => {
    expect(verifyWebhook(headers, '{"test": 2432232315}', [SPEC.secret], { now: at })).toEqual({
      ok: false,
      error: {
        code: 'unauthorized',
        message: 'webhook-signature: no signature matches the body and secrets',
        field: 'webhook-signature',
      },
    });
  });

  it('rejects old and future timestamps beyond the tolerance, either way', () => {
    const late = verifyWebhook(headers, SPEC.body, [SPEC.secret], { now: at + 301_000 });
    expect(late).toEqual({
      ok: false,
      error: {
        code: 'unauthorized',
        message: 'webhook-timestamp 1614265330 is too old: 301 s from now, tolerance 300 s',
        field: 'webhook-timestamp',
      },
    });
    const early = verifyWebhook(headers, SPEC.body, [SPEC.secret], {
      now: at - 61_000,
      toleranceSeconds: 60,
    });
    expect(early.ok ? '' : early.error.message).toBe(
      'webhook-timestamp 1614265330 is too far in the future: 61 s from now, tolerance 60 s',
    );
    expect(verifyWebhook(headers, SPEC.body, [SPEC.secret], { now: at + 300_000 }).ok).toBe(true);
  });

  it('names a missing or malformed header', () => {
    const { 'webhook-id': _, ...noId } = headers;
    const r1 = verifyWebhook(noId, SPEC.body, [SPEC.secret], { now: at });
    expect(r1.ok ? undefined : r1.error).toEqual({
      code: 'invalid',
      message: 'webhook-id header is missing',
      field: 'webhook-id',
    });
    const r2 = verifyWebhook({ ...headers, 'webhook-timestamp': '16142653e3' }, SPEC.body, [SPEC.secret], {
      now: at,
    });
    expect(r2.ok ? undefined : r2.error.message).toBe('webhook-timestamp "16142653e3" is not epoch seconds');
    const r3 = verifyWebhook({ ...headers, 'webhook-signature': 'v2,abc' }, SPEC.body, [SPEC.secret], {
      now: at,
    });
    expect(r3.ok ? undefined : r3.error.message).toBe('webhook-signature has no "v1," signature');
  });

  it('rejects a signature of the wrong length without throwing', () => {
    const r = verifyWebhook({ ...headers, 'webhook-signature': 'v1,c2hvcnQ=' }, SPEC.body, [SPEC.secret], {
      now: at,
    });
    expect(r.ok).toBe(false);
  });
});
