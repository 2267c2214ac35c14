import { describe, expect, it } from 'vitest';
import { checkBasicAuth, parsePostmarkWebhook } from '../../../src/email/feedback/index.ts';

const receivedAt = Date.UTC(2026, 10, 23, 7, 0);
const WASL_ID = '01935c7e-3b1a-7c4e-9f2d-8a1b2c3d4e5f';
const PM_ID = '883953f4-6105-42a2-a16a-77a8eac79483';
const AT = '2026-11-23T06:33:54.9070259Z';
const AT_MS = Date.UTC(2026, 10, 23, 6, 33, 54, 907);

const parse = (record: Record<string, unknown>) => {
  const r = parsePostmarkWebhook({ body: JSON.stringify(record), receivedAt });
  return r.ok ? r.value : r.error;
};

const bounceRecord = (type: string, typeCode: number, extra: Record<string, unknown> = {}) => ({
  RecordType: 'Bounce',
  MessageStream: 'outbound',
  ID: 4323372036,
  Type: type,
  TypeCode: typeCode,
  Name: 'Hard bounce',
  Tag: 'newsletter',
  MessageID: PM_ID,
  Metadata: { wasl_message_id: WASL_ID },
  ServerID: 23,
  Description: 'The server was unable to deliver your message (ex: unknown user, mailbox not found).',
  Details: 'smtp;550 5.1.1 The email account that you tried to reach does not exist.',
  Email: 'huda@example.com',
  From: 'news@wasl.example',
  BouncedAt: AT,
  DumpAvailable: true,
  Inactive: true,
  CanActivate: true,
  Subject: 'عروض الأسبوع',
  ...extra,
});

describe('parsePostmarkWebhook', () => {
  it('maps a HardBounce to a hard bounce with our id from Metadata', () => {
    expect(parse(bounceRecord('HardBounce', 1))).toEqual([
      {
        status: 'bounced',
        at: AT_MS,
        messageId: WASL_ID,
        providerMessageId: PM_ID,
        recipient: 'huda@example.com',
        bounce: {
          kind: 'hard',
          code: 'HardBounce',
          reason: 'smtp;550 5.1.1 The email account that you tried to reach does not exist.',
        },
        detail: {
          recordType: 'Bounce',
          tag: 'newsletter',
          type: 'HardBounce',
          typeCode: 1,
          details: 'smtp;550 5.1.1 The email account that you tried to reach does not exist.',
          inactive: true,
        },
      },
    ]);
  });

  it.each([
    ['SoftBounce', 4096, 'bounced', 'soft'],
    ['Transient', 2, 'bounced', 'soft'],
    ['BadEmailAddress', 100000, 'bounced', 'hard'],
    ['Blocked', 100006, 'failed', undefined],
    ['DMARCPolicy', 100009, 'failed', undefined],
    ['Unsubscribe', 16, 'unsubscribed', undefined],
  ])('maps bounce type %s to %s', (type, code, status, kind) => {
    const reports = parse(bounceRecord(type, code));
    expect(Array.isArray(reports) && reports.map((r) => [r.status, r.bounce?.kind])).toEqual([
      [status, kind],
    ]);
  });

  it('gives nothing for auto-responders and address changes', () => {
    expect(parse(bounceRecord('AutoResponder', 64))).toEqual([]);
    expect(parse(bounceRecord('AddressChange', 128))).toEqual([]);
  });

  it('maps SpamComplaint, Delivery, Open, Click and a manual SubscriptionChange', () => {
    const ids = { messageId: WASL_ID, providerMessageId: PM_ID };
    expect(
      parse({
        ...bounceRecord('SpamComplaint', 100001),
        RecordType: 'SpamComplaint',
        Details: 'Test spam complaint details',
      }),
    ).toEqual([
      {
        status: 'complained',
        at: AT_MS,
        ...ids,
        recipient: 'huda@example.com',
        detail: {
          recordType: 'SpamComplaint',
          tag: 'newsletter',
          type: 'SpamComplaint',
          typeCode: 100001,
          details: 'Test spam complaint details',
          inactive: true,
        },
      },
    ]);
    expect(
      parse({
        RecordType: 'Delivery',
        ServerID: 23,
        MessageStream: 'outbound',
        MessageID: PM_ID,
        Recipient: 'huda@example.com',
        Tag: 'newsletter',
        DeliveredAt: AT,
        Details: 'Test delivery webhook details',
        Metadata: { wasl_message_id: WASL_ID },
      }),
    ).toEqual([
      {
        status: 'delivered',
        at: AT_MS,
        ...ids,
        recipient: 'huda@example.com',
        detail: { recordType: 'Delivery', tag: 'newsletter', details: 'Test delivery webhook details' },
      },
    ]);
    const engagement = {
      MessageStream: 'outbound',
      Client: { Name: 'Chrome 35.0.1916.153', Company: 'Google', Family: 'Chrome' },
      OS: { Name: 'OS X 10.7 Lion', Company: 'Apple Computer, Inc.', Family: 'OS X 10' },
      Platform: 'WebMail',
      UserAgent: 'Mozilla/5.0 (Macintosh)',
      Geo: { CountryISOCode: 'SA', Country: 'Saudi Arabia', City: 'الرياض' },
      MessageID: PM_ID,
      Metadata: { wasl_message_id: WASL_ID },
      ReceivedAt: AT,
      Tag: 'newsletter',
      Recipient: 'huda@example.com',
    };
    expect(parse({ ...engagement, RecordType: 'Open', FirstOpen: true, ReadSeconds: 5 })).toEqual([
      {
        status: 'opened',
        at: AT_MS,
        ...ids,
        recipient: 'huda@example.com',
        detail: { recordType: 'Open', tag: 'newsletter', userAgent: 'Mozilla/5.0 (Macintosh)' },
      },
    ]);
    expect(
      parse({
        ...engagement,
        RecordType: 'Click',
        ClickLocation: 'HTML',
        OriginalLink: 'https://wasl.example/ar/عروض',
      }),
    ).toEqual([
      {
        status: 'clicked',
        at: AT_MS,
        ...ids,
        recipient: 'huda@example.com',
        url: 'https://wasl.example/ar/عروض',
        detail: { recordType: 'Click', tag: 'newsletter', userAgent: 'Mozilla/5.0 (Macintosh)' },
      },
    ]);
    const change = (SuppressSending: boolean, SuppressionReason: string | null) => ({
      RecordType: 'SubscriptionChange',
      MessageID: PM_ID,
      ServerID: 23,
      MessageStream: 'outbound',
      ChangedAt: AT,
      Recipient: 'huda@example.com',
      Origin: 'Recipient',
      SuppressSending,
      SuppressionReason,
      Tag: 'newsletter',
      Metadata: { wasl_message_id: WASL_ID },
    });
    expect(parse(change(true, 'ManualSuppression'))).toEqual([
      {
        status: 'unsubscribed',
        at: AT_MS,
        ...ids,
        recipient: 'huda@example.com',
        detail: {
          recordType: 'SubscriptionChange',
          tag: 'newsletter',
          suppressionReason: 'ManualSuppression',
        },
      },
    ]);
    expect(parse(change(true, 'HardBounce'))).toEqual([]);
    expect(parse(change(false, null))).toEqual([]);
  });

  it.each([
    [{}, 'RecordType', 'RecordType must be a non-empty string'],
    [{ RecordType: 'Inbound' }, 'RecordType', 'RecordType "Inbound" is not a Postmark webhook record'],
    [bounceRecord('Bogus', 0), 'Type', 'Type "Bogus" is not a Postmark bounce type'],
    [
      bounceRecord('HardBounce', 1, { BouncedAt: 'last Tuesday' }),
      'BouncedAt',
      'BouncedAt is not a date: "last Tuesday"',
    ],
    [bounceRecord('HardBounce', 1, { Email: '' }), 'Email', 'Email must be a non-empty string'],
    [
      { RecordType: 'Click', ReceivedAt: AT, Recipient: 'a@b.c' },
      'OriginalLink',
      'OriginalLink must be a non-empty string',
    ],
    [
      { RecordType: 'SubscriptionChange', ChangedAt: AT, Recipient: 'a@b.c' },
      'SuppressSending',
      'SuppressSending must be true or false',
    ],
  ])('refuses %j naming %s', (record, field, message) => {
    expect(parse(record)).toEqual({ code: 'invalid', message, field });
  });
});

describe('checkBasicAuth', () => {
  const basic = (credentials: string) => `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
  const refused = {
    ok: false,
    error: { code: 'unauthorized', message: 'the webhook credentials do not match', field: 'Authorization' },
  };

  it('accepts the credentials from the webhook URL, including a colon in the password', () => {
    expect(checkBasicAuth(basic('postmark:s3cr:et'), 'postmark', 's3cr:et')).toEqual({
      ok: true,
      value: true,
    });
  });

  it('refuses wrong credentials, other schemes and a missing header', () => {
    expect(checkBasicAuth(basic('postmark:wrong'), 'postmark', 's3cr:et')).toEqual(refused);
    expect(checkBasicAuth(basic('someone:s3cr:et'), 'postmark', 's3cr:et')).toEqual(refused);
    expect(checkBasicAuth(basic('postmarks3cr'), 'postmark', '')).toEqual(refused);
    const notBasic = {
      ok: false,
      error: {
        code: 'unauthorized',
        message: 'Authorization must be HTTP Basic credentials',
        field: 'Authorization',
      },
    };
    expect(checkBasicAuth('Bearer abc', 'postmark', 's3cr:et')).toEqual(notBasic);
    expect(checkBasicAuth(undefined, 'postmark', 's3cr:et')).toEqual(notBasic);
  });
});
