import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSendGridEvents, verifySendGridSignature } from '../../../src/email/feedback/index.ts';

const receivedAt = Date.UTC(2026, 10, 23, 7, 0);
const T = 1795417200; // 2026-11-23T07:00:00Z in epoch seconds
const WASL_ID = '01935c7e-3b1a-7c4e-9f2d-8a1b2c3d4e5f';
const SG_ID = 'LRzXl66JTv2YNYQUGo6I3Q';
const common = (event: string, extra: Record<string, unknown> = {}) => ({
  email: 'layla@example.com',
  timestamp: T,
  'smtp-id': '<LRzXl66JTv2YNYQUGo6I3Q@geopod-ismtpd-3-0>',
  event,
  category: ['newsletter'],
  sg_event_id: `sg-${event}-1`,
  sg_message_id: `${SG_ID}.filterdrecv-p3iad2-8ddf98858-xk4jd-18-5D5D2A0C-13.0`,
  wasl_message_id: WASL_ID,
  ...extra,
});
const base = (event: string) => ({
  at: T * 1000,
  messageId: WASL_ID,
  providerMessageId: SG_ID,
  recipient: 'layla@example.com',
  detail: {
    event,
    sgEventId: `sg-${event}-1`,
    sgMessageId: `${SG_ID}.filterdrecv-p3iad2-8ddf98858-xk4jd-18-5D5D2A0C-13.0`,
  },
});

describe('parseSendGridEvents', () => {
  it('maps a realistic batch to exact reports', () => {
    const batch = [
      common('processed'),
      common('delivered', { response: '250 2.0.0 OK 1795417200 a1si123' }),
      common('open', {
        useragent: 'Mozilla/5.0 (Windows NT 10.0)',
        ip: '192.0.2.10',
        sg_machine_open: false,
      }),
      common('click', { url: 'https://wasl.example/ar/عروض', url_offset: { index: 0, type: 'html' } }),
      common('bounce', {
        reason: '550 5.1.1 The email account that you tried to reach does not exist',
        status: '5.1.1',
        type: 'bounce',
        bounce_classification: 'Invalid Address',
      }),
      common('bounce', { reason: '554 5.7.1 blocked using Spamhaus', status: '5.7.1', type: 'blocked' }),
      common('dropped', { reason: 'Bounced Address', status: '5.0.0' }),
      common('deferred', { response: '400 try again later', attempt: '5' }),
      common('spamreport'),
      common('unsubscribe'),
      common('group_unsubscribe', { asm_group_id: 42 }),
      common('group_resubscribe', { asm_group_id: 42 }),
    ];
    const result = parseSendGridEvents({ body: JSON.stringify(batch), receivedAt });
    const d = (event: string, extra: Record<string, unknown> = {}) => ({
      ...base(event),
      detail: { ...base(event).detail, ...extra },
    });
    expect(result).toEqual({
      ok: true,
      value: [
        { status: 'delivered', ...d('delivered', { response: '250 2.0.0 OK 1795417200 a1si123' }) },
        {
          status: 'opened',
          ...d('open', { userAgent: 'Mozilla/5.0 (Windows NT 10.0)', ip: '192.0.2.10', machineOpen: false }),
        },
        { status: 'clicked', ...d('click'), url: 'https://wasl.example/ar/عروض' },
        {
          status: 'bounced',
          ...d('bounce', {
            bounceType: 'bounce',
            status: '5.1.1',
            reason: '550 5.1.1 The email account that you tried to reach does not exist',
            classification: 'Invalid Address',
          }),
          bounce: {
            kind: 'hard',
            code: '5.1.1',
            reason: '550 5.1.1 The email account that you tried to reach does not exist',
          },
        },
        {
          status: 'failed',
          ...d('bounce', {
            bounceType: 'blocked',
            status: '5.7.1',
            reason: '554 5.7.1 blocked using Spamhaus',
          }),
        },
        { status: 'failed', ...d('dropped', { reason: 'Bounced Address' }) },
        { status: 'complained', ...d('spamreport') },
        { status: 'unsubscribed', ...d('unsubscribe') },
        { status: 'unsubscribed', ...d('group_unsubscribe', { asmGroupId: 42 }) },
      ],
    });
  });

  it('leaves messageId out when the custom arg is missing, and keeps an old-style sg_message_id prefix', () => {
    const event = {
      email: 'a@example.com',
      timestamp: T,
      event: 'delivered',
      sg_message_id: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0',
    };
    expect(parseSendGridEvents({ body: JSON.stringify([event]), receivedAt })).toEqual({
      ok: true,
      value: [
        {
          status: 'delivered',
          at: T * 1000,
          providerMessageId: '14c5d75ce93.dfd.64b469',
          recipient: 'a@example.com',
          detail: { event: 'delivered', sgMessageId: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0' },
        },
      ],
    });
  });

  it.each([
    ['{"event":"delivered"}', 'body', 'body must be an array'],
    ['[1]', '[0]', '[0] must be an object'],
    [
      JSON.stringify([{ event: 'delivered', timestamp: T }]),
      '[0].email',
      '[0].email must be a non-empty string',
    ],
    [
      JSON.stringify([{ event: 'delivered', email: 'a@b.c', timestamp: 'soon' }]),
      '[0].timestamp',
      '[0].timestamp must be epoch seconds, got "soon"',
    ],
    [
      JSON.stringify([common('processed'), common('teleported')]),
      '[1].event',
      '[1].event "teleported" is not a SendGrid event',
    ],
    [JSON.stringify([common('click')]), '[0].url', '[0].url must be a non-empty string'],
    [
      JSON.stringify([common('bounce', { type: 'weird' })]),
      '[0].type',
      '[0].type must be bounce or blocked, got "weird"',
    ],
  ])('refuses %s naming %s', (body, field, message) => {
    expect(parseSendGridEvents({ body, receivedAt })).toEqual({
      ok: false,
      error: { code: 'invalid', message, field },
    });
  });
});

describe('verifySendGridSignature', () => {
  let privateKey: KeyObject;
  let publicKey: string;
  beforeAll(() => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    privateKey = pair.privateKey;
    publicKey = pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
  });
  const body = JSON.stringify([common('delivered')]);
  const signAt = (timestamp: string, payload = body) =>
    sign('sha256', Buffer.from(timestamp + payload), { key: privateKey, dsaEncoding: 'der' }).toString(
      'base64',
    );
  const now = () => receivedAt;

  it('accepts a signature over timestamp + body, given as text or bytes', () => {
    const timestamp = String(T - 10);
    const signature = signAt(timestamp);
    expect(verifySendGridSignature({ body, signature, timestamp }, { publicKey, now })).toEqual({
      ok: true,
      value: true,
    });
    expect(
      verifySendGridSignature({ body: Buffer.from(body), signature, timestamp }, { publicKey, now }),
    ).toEqual({
      ok: true,
      value: true,
    });
  });

  it('refuses a changed body, a signature for another timestamp, garbage, and no header', () => {
    const timestamp = String(T);
    const signature = signAt(timestamp);
    const refused = {
      ok: false,
      error: {
        code: 'unauthorized',
        message: 'the signature does not match the body',
        field: 'x-twilio-email-event-webhook-signature',
      },
    };
    expect(verifySendGridSignature({ body: `${body} `, signature, timestamp }, { publicKey, now })).toEqual(
      refused,
    );
    expect(
      verifySendGridSignature({ body, signature, timestamp: String(T - 1) }, { publicKey, now }),
    ).toEqual(refused);
    expect(verifySendGridSignature({ body, signature: 'AAAA', timestamp }, { publicKey, now })).toEqual(
      refused,
    );
    expect(verifySendGridSignature({ body, signature: undefined, timestamp }, { publicKey, now })).toEqual({
      ok: false,
      error: {
        code: 'unauthorized',
        message: 'the signature header is missing',
        field: 'x-twilio-email-event-webhook-signature',
      },
    });
  });

  it('refuses timestamps more than five minutes away, even when correctly signed', () => {
    const old = String(T - 301);
    expect(
      verifySendGridSignature({ body, signature: signAt(old), timestamp: old }, { publicKey, now }),
    ).toEqual({
      ok: false,
      error: {
        code: 'unauthorized',
        message: 'x-twilio-email-event-webhook-timestamp is 301 s old; at most 300 s allowed',
        field: 'x-twilio-email-event-webhook-timestamp',
      },
    });
    const future = String(T + 400);
    const result = verifySendGridSignature(
      { body, signature: signAt(future), timestamp: future },
      { publicKey, now },
    );
    expect(result.ok ? 'accepted' : result.error.message).toBe(
      'x-twilio-email-event-webhook-timestamp is 400 s in the future; at most 300 s allowed',
    );
    const edge = String(T - 300);
    expect(
      verifySendGridSignature({ body, signature: signAt(edge), timestamp: edge }, { publicKey, now }).ok,
    ).toBe(true);
  });

  it('reports an unusable public key as a configuration error', () => {
    const timestamp = String(T);
    expect(
      verifySendGridSignature(
        { body, signature: signAt(timestamp), timestamp },
        { publicKey: 'bm90IGEga2V5', now },
      ),
    ).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'publicKey is not a base64 DER public key', field: 'publicKey' },
    });
  });
});
