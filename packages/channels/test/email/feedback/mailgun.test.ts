import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseMailgunWebhook, verifyMailgunSignature } from '../../../src/email/feedback/index.ts';

const receivedAt = Date.UTC(2026, 10, 23, 7, 0);
const T = receivedAt / 1000;
const KEY = 'key-3ax6xnjp29jd6fds4gc373sgvjxteol0';
const WASL_ID = '01935c7e-3b1a-7c4e-9f2d-8a1b2c3d4e5f';

function webhook(
  eventData: Record<string, unknown>,
  options: { timestamp?: number; key?: string } = {},
): string {
  const timestamp = String(options.timestamp ?? T);
  const token = 'a8ce0edb2dd8301dcd3c2af4cb2fa1f7dd3d1cf2e6b1fa0e5c';
  const signature = createHmac('sha256', options.key ?? KEY)
    .update(timestamp + token)
    .digest('hex');
  return JSON.stringify({ signature: { timestamp, token, signature }, 'event-data': eventData });
}

const event = (name: string, extra: Record<string, unknown> = {}) => ({
  event: name,
  id: `ev-${name}`,
  timestamp: T - 30.25,
  'log-level': 'info',
  recipient: 'omar@example.org',
  message: {
    headers: {
      to: 'omar@example.org',
      'message-id': '20261123065930.1.ABCDEF@mg.wasl.example',
      from: 'news@mg.wasl.example',
      subject: 'عروض',
    },
    attachments: [],
    size: 3412,
  },
  'user-variables': { wasl_message_id: WASL_ID },
  ...extra,
});

const base = {
  at: (T - 30.25) * 1000,
  messageId: WASL_ID,
  providerMessageId: '20261123065930.1.ABCDEF@mg.wasl.example',
  recipient: 'omar@example.org',
};

const parse = (eventData: Record<string, unknown>) => {
  const r = parseMailgunWebhook({ body: webhook(eventData), receivedAt });
  return r.ok ? r.value : r.error;
};

describe('parseMailgunWebhook', () => {
  it('maps delivered, opened, clicked, complained, unsubscribed and rejected', () => {
    expect(parse(event('delivered', { 'delivery-status': { code: 250, message: 'OK' } }))).toEqual([
      { status: 'delivered', ...base, detail: { event: 'delivered', eventId: 'ev-delivered' } },
    ]);
    expect(
      parse(event('opened', { 'client-info': { 'user-agent': 'Mozilla/5.0', 'client-type': 'browser' } })),
    ).toEqual([
      {
        status: 'opened',
        ...base,
        detail: { event: 'opened', eventId: 'ev-opened', userAgent: 'Mozilla/5.0' },
      },
    ]);
    expect(parse(event('clicked', { url: 'https://wasl.example/ar/عروض' }))).toEqual([
      {
        status: 'clicked',
        ...base,
        url: 'https://wasl.example/ar/عروض',
        detail: { event: 'clicked', eventId: 'ev-clicked' },
      },
    ]);
    expect(parse(event('complained'))).toEqual([
      {
        status: 'complained',
        ...base,
        detail: { event: 'complained', eventId: 'ev-complained' },
      },
    ]);
    expect(parse(event('unsubscribed'))).toEqual([
      {
        status: 'unsubscribed',
        ...base,
        detail: { event: 'unsubscribed', eventId: 'ev-unsubscribed' },
      },
    ]);
    expect(
      parse(event('rejected', { reject: { reason: 'Sandbox subdomains are for test purposes only' } })),
    ).toEqual([
      {
        status: 'failed',
        ...base,
        detail: {
          event: 'rejected',
          eventId: 'ev-rejected',
          reason: 'Sandbox subdomains are for test purposes only',
        },
      },
    ]);
    expect(parse(event('accepted'))).toEqual([]);
  });

  it('classifies permanent failures, and reports nothing for temporary ones', () => {
    const failed = (severity: string, reason: string, status: Record<string, unknown>) =>
      parse(event('failed', { severity, reason, 'delivery-status': { 'attempt-no': 1, ...status } }));
    expect(
      failed('permanent', 'bounce', {
        code: 550,
        message: '5.1.1 The email account that you tried to reach does not exist.',
        'enhanced-code': '5.1.1',
      }),
    ).toEqual([
      {
        status: 'bounced',
        ...base,
        bounce: {
          kind: 'hard',
          code: '5.1.1',
          reason: '5.1.1 The email account that you tried to reach does not exist.',
        },
        detail: {
          event: 'failed',
          eventId: 'ev-failed',
          severity: 'permanent',
          reason: 'bounce',
          code: 550,
          enhancedCode: '5.1.1',
          rule: '5.1.x bad destination address (RFC 3463 §3.2, RFC 7505)',
        },
      },
    ]);
    // The enhanced code read from the message when the field is absent: a spam block is not a bounce.
    expect(
      failed('permanent', 'generic', { code: 554, message: '5.7.1 Message rejected as spam' }),
    ).toMatchObject([
      { status: 'failed', detail: { enhancedCode: '5.7.1', rule: expect.stringContaining('5.7.x') } },
    ]);
    expect(failed('permanent', 'bounce', { code: 552, message: '5.2.2 Mailbox full' })).toMatchObject([
      { status: 'bounced', bounce: { kind: 'soft', code: '5.2.2' } },
    ]);
    expect(
      failed('permanent', 'suppress-bounce', {
        code: 605,
        message: 'Not delivering to previously bounced address',
      }),
    ).toMatchObject([
      {
        status: 'bounced',
        bounce: { kind: 'hard', code: '605' },
        detail: { rule: 'suppress-bounce: the address bounced before' },
      },
    ]);
    expect(
      failed('permanent', 'suppress-unsubscribe', {
        code: 607,
        message: 'Not delivering to unsubscribed address',
      }),
    ).toMatchObject([{ status: 'failed', detail: { rule: 'suppress-unsubscribe: not sent' } }]);
    expect(failed('permanent', 'old', { code: 421, message: 'Try again later' })).toMatchObject([
      { status: 'bounced', bounce: { kind: 'soft' } },
    ]);
    expect(failed('temporary', 'generic', { code: 421, message: '4.4.2 Timeout' })).toEqual([]);
  });

  it.each([
    ['{', 'body', 'body is not valid JSON'],
    ['{"signature":{}}', 'event-data', 'event-data must be an object'],
    [
      webhook({ event: 'dreamed', timestamp: T }),
      'event-data.event',
      'event-data.event "dreamed" is not a Mailgun event',
    ],
    [
      webhook({ event: 'delivered', timestamp: 'now' }),
      'event-data.timestamp',
      'event-data.timestamp must be epoch seconds, got "now"',
    ],
    [
      webhook({ event: 'failed', timestamp: T, severity: 'mild' }),
      'event-data.severity',
      'event-data.severity must be permanent or temporary, got "mild"',
    ],
    [
      webhook({ event: 'clicked', timestamp: T }),
      'event-data.url',
      'event-data.url must be a non-empty string',
    ],
  ])('refuses %s naming %s', (body, field, message) => {
    // JSON.parse's own words follow "body is not valid JSON: ".
    expect(parseMailgunWebhook({ body, receivedAt })).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: field === 'body' ? expect.stringMatching(/^body is not valid JSON: /) : message,
        field,
      },
    });
  });
});

describe('verifyMailgunSignature', () => {
  const now = () => receivedAt;
  it('accepts the HMAC of timestamp + token under the signing key', () => {
    expect(verifyMailgunSignature(webhook(event('delivered')), { signingKey: KEY, now })).toEqual({
      ok: true,
      value: true,
    });
  });

  it('refuses another key, an edited signature, a stale timestamp and a missing signature', () => {
    const refused = {
      ok: false,
      error: { code: 'unauthorized', message: 'the signature does not match', field: 'signature.signature' },
    };
    expect(
      verifyMailgunSignature(webhook(event('delivered'), { key: 'other' }), { signingKey: KEY, now }),
    ).toEqual(refused);
    const edited = JSON.parse(webhook(event('delivered'))) as { signature: { token: string } };
    edited.signature.token = `${edited.signature.token}0`;
    expect(verifyMailgunSignature(JSON.stringify(edited), { signingKey: KEY, now })).toEqual(refused);
    expect(
      verifyMailgunSignature(webhook(event('delivered'), { timestamp: T - 600 }), { signingKey: KEY, now }),
    ).toEqual({
      ok: false,
      error: {
        code: 'unauthorized',
        message: 'signature.timestamp is 600 s old; at most 300 s allowed',
        field: 'signature.timestamp',
      },
    });
    expect(verifyMailgunSignature(JSON.stringify({ 'event-data': {} }), { signingKey: KEY, now })).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'signature must be an object', field: 'signature' },
    });
  });
});
