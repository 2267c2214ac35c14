import { beforeAll, describe, expect, it } from 'vitest';
import {
  parseSesWebhook,
  parseSnsEnvelope,
  type SnsEnvelope,
  verifySnsSignature,
} from '../../../src/email/feedback/index.ts';
import { CERT_URL, makeSigner, type Signer, signedNotification, signedSubscription } from './sns-signing.ts';

const receivedAt = Date.UTC(2026, 10, 23, 6, 30);
const WASL_ID = '01935c7e-3b1a-7c4e-9f2d-8a1b2c3d4e5f';
const SES_ID = '0107018c1b9f2f6d-5c1d7e4b-0c31-4b8a-9a9e-3f2f0b7d6a11-000000';

const mail = (extra: Record<string, unknown> = {}) => ({
  timestamp: '2026-11-23T06:00:57.000Z',
  source: 'news@wasl.example',
  sourceArn: 'arn:aws:ses:eu-central-1:123456789012:identity/wasl.example',
  sourceIp: '198.51.100.7',
  sendingAccountId: '123456789012',
  messageId: SES_ID,
  destination: ['no-such-user@example.net'],
  headersTruncated: false,
  headers: [
    { name: 'From', value: 'news@wasl.example' },
    { name: 'To', value: 'no-such-user@example.net' },
    { name: 'Message-ID', value: `<wasl-${WASL_ID}@news.wasl.example>` },
    { name: 'Subject', value: 'عروض الأسبوع' },
  ],
  commonHeaders: {
    from: ['news@wasl.example'],
    to: ['no-such-user@example.net'],
    messageId: `<wasl-${WASL_ID}@news.wasl.example>`,
    subject: 'عروض الأسبوع',
  },
  ...extra,
});

const bounce = (bounceType: string, recipients: unknown[]) => ({
  notificationType: 'Bounce',
  bounce: {
    feedbackId: '0102017c1b9f3a4e-8d4e5b2a-5d2e-4c8f-b4a1-0a9e4d1f7e55-000000',
    bounceType,
    bounceSubType: bounceType === 'Permanent' ? 'General' : 'MailboxFull',
    bouncedRecipients: recipients,
    timestamp: '2026-11-23T06:00:58.000Z',
    remoteMtaIp: '192.0.2.25',
    reportingMTA: 'dsn; a7-12.smtp-out.eu-central-1.amazonses.com',
  },
  mail: mail(),
});

let signer: Signer;
beforeAll(() => {
  signer = makeSigner();
});

const body = (message: unknown) => JSON.stringify(signedNotification(signer, message));

describe('parseSesWebhook', () => {
  it('turns a permanent bounce into a hard bounce with our id from the Message-ID', () => {
    const message = bounce('Permanent', [
      {
        emailAddress: 'no-such-user@example.net',
        action: 'failed',
        status: '5.1.1',
        diagnosticCode: 'smtp; 550 5.1.1 user unknown',
      },
    ]);
    expect(parseSesWebhook({ body: body(message), receivedAt })).toEqual({
      ok: true,
      value: [
        {
          status: 'bounced',
          at: Date.UTC(2026, 10, 23, 6, 0, 58),
          providerMessageId: SES_ID,
          messageId: WASL_ID,
          recipient: 'no-such-user@example.net',
          bounce: { kind: 'hard', code: '5.1.1', reason: 'smtp; 550 5.1.1 user unknown' },
          detail: {
            event: 'Bounce',
            bounceType: 'Permanent',
            bounceSubType: 'General',
            diagnosticCode: 'smtp; 550 5.1.1 user unknown',
            feedbackId: '0102017c1b9f3a4e-8d4e5b2a-5d2e-4c8f-b4a1-0a9e4d1f7e55-000000',
            reportingMta: 'dsn; a7-12.smtp-out.eu-central-1.amazonses.com',
          },
        },
      ],
    });
  });

  it('turns a transient bounce into a soft bounce per recipient', () => {
    const message = bounce('Transient', [
      { emailAddress: 'full@example.net' },
      { emailAddress: 'full2@example.net' },
    ]);
    const result = parseSesWebhook({ body: body(message), receivedAt });
    expect(result.ok && result.value.map((r) => [r.recipient, r.bounce])).toEqual([
      ['full@example.net', { kind: 'soft', reason: 'Transient/MailboxFull' }],
      ['full2@example.net', { kind: 'soft', reason: 'Transient/MailboxFull' }],
    ]);
  });

  it('reads complaints, deliveries, opens and clicks; the tag wins over the Message-ID', () => {
    const tagged = mail({ tags: { 'ses:configuration-set': ['wasl'], wasl_message_id: ['from-tag'] } });
    const complaint = {
      notificationType: 'Complaint',
      complaint: {
        userAgent: 'ExampleCorp Feedback Loop (V0.01)',
        complainedRecipients: [{ emailAddress: 'no-such-user@example.net' }],
        complaintFeedbackType: 'abuse',
        arrivalDate: '2026-11-23T06:05:00.000Z',
        timestamp: '2026-11-23T06:05:01.000Z',
        feedbackId: '000001378603177f-18c07c78-fa81-4a58-9dd1-fedc3cb8f49a-000000',
      },
      mail: mail(),
    };
    const delivery = {
      notificationType: 'Delivery',
      delivery: {
        timestamp: '2026-11-23T06:00:59.000Z',
        processingTimeMillis: 546,
        recipients: ['no-such-user@example.net'],
        smtpResponse: '250 ok:  Message 64111812 accepted',
        reportingMTA: 'a7-12.smtp-out.eu-central-1.amazonses.com',
        remoteMtaIp: '192.0.2.25',
      },
      mail: mail(),
    };
    const open = {
      eventType: 'Open',
      open: {
        ipAddress: '192.0.2.1',
        timestamp: '2026-11-23T06:07:00.000Z',
        userAgent: 'Mozilla/5.0 (iPhone)',
      },
      mail: tagged,
    };
    const click = {
      eventType: 'Click',
      click: {
        ipAddress: '192.0.2.1',
        link: 'https://wasl.example/ar/عروض?utm_source=email',
        linkTags: { campaign: ['nov'] },
        timestamp: '2026-11-23T06:08:00.000Z',
        userAgent: 'Mozilla/5.0 (iPhone)',
      },
      mail: tagged,
    };
    const run = (m: unknown) => {
      const r = parseSesWebhook({ body: body(m), receivedAt });
      return r.ok ? r.value : r.error;
    };
    const base = { providerMessageId: SES_ID, recipient: 'no-such-user@example.net' };
    expect(run(complaint)).toEqual([
      {
        status: 'complained',
        at: Date.UTC(2026, 10, 23, 6, 5, 1),
        ...base,
        messageId: WASL_ID,
        detail: {
          event: 'Complaint',
          feedbackType: 'abuse',
          userAgent: 'ExampleCorp Feedback Loop (V0.01)',
          feedbackId: '000001378603177f-18c07c78-fa81-4a58-9dd1-fedc3cb8f49a-000000',
        },
      },
    ]);
    expect(run(delivery)).toEqual([
      {
        status: 'delivered',
        at: Date.UTC(2026, 10, 23, 6, 0, 59),
        ...base,
        messageId: WASL_ID,
        detail: {
          event: 'Delivery',
          smtpResponse: '250 ok:  Message 64111812 accepted',
          reportingMta: 'a7-12.smtp-out.eu-central-1.amazonses.com',
        },
      },
    ]);
    expect(run(open)).toEqual([
      {
        status: 'opened',
        at: Date.UTC(2026, 10, 23, 6, 7),
        ...base,
        messageId: 'from-tag',
        detail: { event: 'Open', userAgent: 'Mozilla/5.0 (iPhone)', ipAddress: '192.0.2.1' },
      },
    ]);
    expect(run(click)).toEqual([
      {
        status: 'clicked',
        at: Date.UTC(2026, 10, 23, 6, 8),
        ...base,
        messageId: 'from-tag',
        url: 'https://wasl.example/ar/عروض?utm_source=email',
        detail: { event: 'Click', userAgent: 'Mozilla/5.0 (iPhone)', ipAddress: '192.0.2.1' },
      },
    ]);
  });

  it('reports Reject as failed, unsubscribe-all as unsubscribed, and nothing for delays and sends', () => {
    const run = (m: unknown) => parseSesWebhook({ body: body(m), receivedAt });
    expect(run({ eventType: 'Reject', reject: { reason: 'Bad content' }, mail: mail() })).toEqual({
      ok: true,
      value: [
        {
          status: 'failed',
          at: Date.UTC(2026, 10, 23, 6, 0, 57),
          providerMessageId: SES_ID,
          messageId: WASL_ID,
          recipient: 'no-such-user@example.net',
          detail: { event: 'Reject', reason: 'Bad content' },
        },
      ],
    });
    const subscription = (unsubscribeAll: boolean) => ({
      eventType: 'Subscription',
      subscription: {
        contactList: 'wasl-newsletter',
        timestamp: '2026-11-23T06:20:00.000Z',
        source: 'UnsubscribeHeader',
        newTopicPreferences: { unsubscribeAll, topicSubscriptionStatus: [] },
        oldTopicPreferences: { unsubscribeAll: false, topicSubscriptionStatus: [] },
      },
      mail: mail(),
    });
    expect(run(subscription(true))).toMatchObject({
      ok: true,
      value: [
        { status: 'unsubscribed', at: Date.UTC(2026, 10, 23, 6, 20), recipient: 'no-such-user@example.net' },
      ],
    });
    expect(run(subscription(false))).toEqual({ ok: true, value: [] });
    expect(run({ eventType: 'DeliveryDelay', deliveryDelay: {}, mail: mail() })).toEqual({
      ok: true,
      value: [],
    });
    expect(run({ eventType: 'Send', send: {}, mail: mail() })).toEqual({ ok: true, value: [] });
    expect(
      run({
        notificationType: 'AmazonSnsSubscriptionSucceeded',
        message: 'You have successfully subscribed',
      }),
    ).toEqual({ ok: true, value: [] });
  });

  it('gives no report for a subscription confirmation, whose SubscribeURL is checked', () => {
    const confirmation = signedSubscription(signer);
    expect(parseSesWebhook({ body: JSON.stringify(confirmation), receivedAt })).toEqual({
      ok: true,
      value: [],
    });
    const envelope = parseSnsEnvelope(JSON.stringify(confirmation));
    expect(envelope.ok && envelope.value.subscribeUrl).toBe(confirmation.SubscribeURL);
    const evil = { ...confirmation, SubscribeURL: 'https://attacker.example/confirm' };
    expect(parseSnsEnvelope(JSON.stringify(evil))).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message:
          'SubscribeURL must be https://sns.<region>.amazonaws.com/…, got https://attacker.example/confirm',
        field: 'SubscribeURL',
      },
    });
  });

  describe('malformed deliveries are errors naming the field', () => {
    const cases: Array<[string, () => string, string, string]> = [
      ['not JSON', () => '{"Type":', 'body', 'body is not valid JSON'],
      [
        'an unknown SNS type',
        () => JSON.stringify({ ...signedNotification(signer, {}), Type: 'Hello' }),
        'Type',
        'Type must be one of',
      ],
      ['Message not JSON', () => body('not json'), 'Message', 'Message is not valid JSON'],
      [
        'no mail',
        () => body({ notificationType: 'Bounce', bounce: {} }),
        'Message.mail',
        'Message.mail must be an object',
      ],
      [
        'an unknown notification type',
        () => body({ notificationType: 'Spam', mail: mail() }),
        'Message.notificationType',
        'Message.notificationType "Spam" is not an SES notification or event type',
      ],
      [
        'a bad bounceType',
        () => body(bounce('Sometimes', [])),
        'Message.bounce.bounceType',
        'bounceType must be Permanent, Transient or Undetermined, got "Sometimes"',
      ],
      [
        'a recipient without address',
        () => body(bounce('Permanent', [{ status: '5.1.1' }])),
        'Message.bounce.bouncedRecipients[0].emailAddress',
        'Message.bounce.bouncedRecipients[0].emailAddress must be a non-empty string',
      ],
      [
        'a click without link',
        () => body({ eventType: 'Click', click: { timestamp: '2026-11-23T06:08:00.000Z' }, mail: mail() }),
        'Message.click.link',
        'Message.click.link must be a non-empty string',
      ],
    ];
    it.each(cases)('%s', (_name, make, field, message) => {
      const result = parseSesWebhook({ body: make(), receivedAt });
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.code).toBe('invalid');
      expect(result.error.field).toBe(field);
      expect(result.error.message.startsWith(message)).toBe(true);
    });
  });
});

describe('verifySnsSignature', () => {
  const envelopeOf = (fields: Record<string, string>): SnsEnvelope => {
    const parsed = parseSnsEnvelope(JSON.stringify(fields));
    if (!parsed.ok) throw new Error(parsed.error.message);
    return parsed.value;
  };
  const fetched: string[] = [];
  const getCertificate = async (url: string) => {
    fetched.push(url);
    return signer.certPem;
  };

  it('accepts SignatureVersion 1 (SHA-1) and 2 (SHA-256), notifications and confirmations', async () => {
    for (const version of ['1', '2'] as const) {
      const notification = envelopeOf(
        signedNotification(signer, bounce('Permanent', []), {
          version,
          subject: 'Amazon SES Email Event Notification',
        }),
      );
      expect(await verifySnsSignature(notification, { getCertificate })).toEqual({ ok: true, value: true });
      const confirmation = envelopeOf(signedSubscription(signer, { version }));
      expect(await verifySnsSignature(confirmation, { getCertificate })).toEqual({ ok: true, value: true });
    }
    expect(fetched.at(-1)).toBe(CERT_URL);
  });

  it('refuses a tampered message, a wrong key and a signature of the wrong version', async () => {
    const good = signedNotification(signer, bounce('Permanent', []));
    const tampered = envelopeOf({ ...good, Message: good.Message?.replace('Permanent', 'Transient') ?? '' });
    const refused = {
      ok: false,
      error: {
        code: 'unauthorized',
        message: 'the SNS signature does not match the message',
        field: 'Signature',
      },
    };
    expect(await verifySnsSignature(tampered, { getCertificate })).toEqual(refused);
    const other = makeSigner();
    expect(await verifySnsSignature(envelopeOf(good), { getCertificate: async () => other.certPem })).toEqual(
      refused,
    );
    expect(
      await verifySnsSignature(envelopeOf({ ...good, SignatureVersion: '2' }), { getCertificate }),
    ).toEqual(refused);
    expect(await verifySnsSignature(envelopeOf({ ...good, Signature: 'AAAA' }), { getCertificate })).toEqual(
      refused,
    );
  });

  it('refuses to fetch from a hand-made envelope whose certificate URL is off SNS', async () => {
    const envelope = {
      ...envelopeOf(signedNotification(signer, {})),
      signingCertUrl: 'https://attacker.example/x.pem',
    };
    const before = fetched.length;
    expect(await verifySnsSignature(envelope, { getCertificate })).toEqual({
      ok: false,
      error: {
        code: 'unauthorized',
        message: 'https://attacker.example/x.pem is not an SNS certificate URL',
        field: 'SigningCertURL',
      },
    });
    expect(fetched.length).toBe(before);
  });

  it('refuses certificate URLs off SNS before fetching them', () => {
    const good = signedNotification(signer, {});
    for (const url of [
      'http://sns.eu-central-1.amazonaws.com/cert.pem',
      'https://sns.eu-central-1.amazonaws.com.attacker.example/cert.pem',
      'https://attacker.example/sns.eu-central-1.amazonaws.com/cert.pem',
      'https://sns.eu-central-1.amazonaws.com:8443/cert.pem',
      'https://sns.eu-central-1.amazonaws.com/cert.txt',
    ]) {
      const parsed = parseSnsEnvelope(JSON.stringify({ ...good, SigningCertURL: url }));
      expect(parsed.ok ? 'accepted' : parsed.error.field).toBe('SigningCertURL');
    }
  });

  it('refuses an expired certificate and reports a failed fetch as unavailable', async () => {
    const envelope = envelopeOf(signedNotification(signer, {}));
    const later = Date.now() + 31 * 86_400_000;
    const expired = await verifySnsSignature(envelope, { getCertificate, now: () => later });
    expect(expired.ok ? 'accepted' : [expired.error.code, expired.error.field]).toEqual([
      'unauthorized',
      'SigningCertURL',
    ]);
    const down = await verifySnsSignature(envelope, {
      getCertificate: async () => {
        throw new Error('ECONNREFUSED');
      },
    });
    expect(down).toEqual({
      ok: false,
      error: {
        code: 'unavailable',
        message: `could not fetch ${CERT_URL}: ECONNREFUSED`,
        field: 'SigningCertURL',
      },
    });
    const junk = await verifySnsSignature(envelope, { getCertificate: async () => 'not a certificate' });
    expect(junk).toEqual({
      ok: false,
      error: {
        code: 'unauthorized',
        message: `${CERT_URL} is not a PEM certificate`,
        field: 'SigningCertURL',
      },
    });
  });
});
