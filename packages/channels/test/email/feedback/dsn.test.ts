import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDsn } from '../../../src/email/feedback/index.ts';
import { crlf, fixture, type Inbox, startInbox } from './helpers.ts';

const receivedAt = Date.UTC(2026, 10, 23, 5, 0, 0);

describe('parseDsn', () => {
  it('turns a Postfix "user unknown" DSN into a hard bounce carrying our message id', () => {
    expect(parseDsn({ raw: fixture('postfix-user-unknown.eml'), receivedAt })).toEqual({
      ok: true,
      value: [
        {
          status: 'bounced',
          at: Date.UTC(2026, 10, 23, 4, 41, 10),
          messageId: '01935c7e-3b1a-7c4e-9f2d-8a1b2c3d4e5f',
          recipient: 'no-such-user@example.net',
          bounce: {
            kind: 'hard',
            code: '5.1.1',
            reason:
              '550 5.1.1 <no-such-user@example.net>: Recipient address rejected: User unknown in virtual mailbox table',
          },
          detail: {
            reportingMta: 'dns; mail.example.net',
            messageIdHeader: 'wasl-01935c7e-3b1a-7c4e-9f2d-8a1b2c3d4e5f@news.wasl.example',
            action: 'failed',
            status: '5.1.1',
            diagnosticCode:
              'smtp; 550 5.1.1 <no-such-user@example.net>: Recipient address rejected: User unknown in virtual mailbox table',
            remoteMta: 'dns; mx.example.net',
            rule: '5.1.x bad destination address (RFC 3463 §3.2, RFC 7505)',
          },
        },
      ],
    });
  });

  it('reports each recipient of a mixed Exim DSN by its own action and status', () => {
    const result = parseDsn({ raw: fixture('exim-mixed.eml'), receivedAt });
    const dated = Date.UTC(2026, 10, 22, 21, 15, 3);
    const common = {
      reportingMta: 'dns; relay.example.org',
      messageIdHeader: 'A1B2C3@mta.other-esp.example',
    };
    expect(result).toEqual({
      ok: true,
      value: [
        {
          status: 'bounced',
          at: Date.UTC(2026, 10, 22, 21, 15, 2),
          recipient: 'full@example.org',
          bounce: { kind: 'soft', code: '5.2.2', reason: '552 5.2.2 Mailbox full: quota exceeded' },
          detail: {
            ...common,
            action: 'failed',
            status: '5.2.2',
            diagnosticCode: 'smtp; 552 5.2.2 Mailbox full: quota exceeded',
            remoteMta: 'dns; mx1.example.org',
            rule: '5.2.2 mailbox full (RFC 3463 §3.3): soft by common practice',
          },
        },
        {
          status: 'failed',
          at: dated,
          recipient: 'blocked@example.org',
          detail: {
            ...common,
            action: 'failed',
            status: '5.7.1',
            diagnosticCode: 'smtp; 550 5.7.1 Message rejected as spam by Content Filtering',
            remoteMta: 'dns; mx1.example.org',
            rule: '5.7.x security or policy block (RFC 3463 §3.8): not a bounce of the address',
          },
        },
        {
          status: 'delivered',
          at: dated,
          recipient: 'happy@example.org',
          detail: {
            ...common,
            action: 'delivered',
            status: '2.0.0',
            diagnosticCode: 'smtp; 250 2.0.0 OK id=1tEa3F-0001xY-2k',
            remoteMta: 'dns; mx1.example.org',
          },
        },
        // slow@example.org is only delayed: no report.
        {
          status: 'bounced',
          at: dated,
          recipient: 'expired@example.org',
          bounce: { kind: 'soft', code: '4.4.7', reason: 'retry timeout exceeded' },
          detail: {
            ...common,
            action: 'failed',
            status: '4.4.7',
            diagnosticCode: 'X-Exim; retry timeout exceeded',
            rule: '4xx transient (RFC 5321 §4.2.1, RFC 3463 §3.1)',
          },
        },
      ],
    });
  });

  it('keeps Arabic through a base64 global DSN and quoted-printable returned headers', () => {
    expect(parseDsn({ raw: Buffer.from(fixture('global-arabic.eml'), 'utf8'), receivedAt })).toEqual({
      ok: true,
      value: [
        {
          status: 'bounced',
          at: Date.UTC(2026, 10, 23, 4, 59, 58),
          messageId: '0193aa00-0000-7000-8000-000000000001',
          recipient: 'سارة@example.sa',
          bounce: { kind: 'hard', code: '5.1.1', reason: '550 5.1.1 المستخدم غير موجود' },
          detail: {
            reportingMta: 'dns; mail.example.sa',
            messageIdHeader: 'wasl-0193aa00-0000-7000-8000-000000000001@news.wasl.example',
            action: 'failed',
            status: '5.1.1',
            diagnosticCode: 'smtp; 550 5.1.1 المستخدم غير موجود',
            rule: '5.1.x bad destination address (RFC 3463 §3.2, RFC 7505)',
          },
        },
      ],
    });
  });

  it('uses the time of receipt when the DSN gives no date at all', () => {
    const raw = [
      'Content-Type: multipart/report; report-type=delivery-status; boundary=b',
      '',
      '--b',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.example',
      '',
      'Final-Recipient: rfc822; a@example.com',
      'Action: delivered',
      'Status: 2.0.0',
      '--b--',
    ].join('\r\n');
    expect(parseDsn({ raw, receivedAt })).toEqual({
      ok: true,
      value: [
        {
          status: 'delivered',
          at: receivedAt,
          recipient: 'a@example.com',
          detail: { reportingMta: 'dns; mx.example', action: 'delivered', status: '2.0.0' },
        },
      ],
    });
  });

  describe('malformed reports are errors naming the field', () => {
    const report = (
      statusBlock: string,
      contentType = 'multipart/report; report-type=delivery-status; boundary=b',
    ) =>
      [
        `Content-Type: ${contentType}`,
        '',
        '--b',
        'Content-Type: message/delivery-status',
        '',
        statusBlock,
        '--b--',
      ].join('\n');
    const cases: Array<[string, string, string, string]> = [
      [
        'not a report',
        'Content-Type: text/plain\n\nhello',
        'Content-Type',
        'Content-Type must be multipart/report, got "text/plain"',
      ],
      [
        'a feedback report',
        report('x: y', 'multipart/report; report-type=feedback-report; boundary=b'),
        'Content-Type.report-type',
        'report-type must be delivery-status, got "feedback-report"',
      ],
      [
        'no boundary',
        'Content-Type: multipart/report; report-type=delivery-status\n\nx',
        'Content-Type.boundary',
        'Content-Type has no boundary parameter',
      ],
      [
        'no recipients',
        report('Reporting-MTA: dns; mx.example'),
        'Final-Recipient',
        'the delivery-status part has no per-recipient fields',
      ],
      [
        'an unknown action',
        report(
          'Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; a@b.example\nAction: bounced\nStatus: 5.1.1',
        ),
        'Action',
        'Action for a@b.example must be one of failed, delayed, delivered, relayed, expanded, got "bounced"',
      ],
      [
        'a bad status',
        report('Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 550'),
        'Status',
        'Status for a@b.example must look like 5.1.1, got "550"',
      ],
      [
        'a failure without status',
        report('Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; a@b.example\nAction: failed'),
        'Status',
        'Status is required for the failed recipient a@b.example',
      ],
      [
        'a bad date',
        report(
          'Reporting-MTA: dns; x\nArrival-Date: yesterday\n\nFinal-Recipient: rfc822; a@b.example\nAction: delayed',
        ),
        'Arrival-Date',
        'Arrival-Date is not a date: "yesterday"',
      ],
      [
        'no delivery-status part',
        'Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\nContent-Type: text/plain\n\nhi\n--b--',
        'message/delivery-status',
        'the report has no message/delivery-status or message/global-delivery-status part',
      ],
    ];
    it.each(cases)('%s', (_name, raw, field, message) => {
      expect(parseDsn({ raw, receivedAt })).toEqual({
        ok: false,
        error: { code: 'invalid', message, field },
      });
    });
  });
});

describe('a DSN received over SMTP at the inbound endpoint', () => {
  let inbox: Inbox;
  beforeAll(async () => {
    inbox = await startInbox();
  });
  afterAll(async () => {
    await inbox.close();
  });

  it('parses the bytes as received, and agrees with mailparser on the returned headers', async () => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: inbox.port,
      secure: false,
      ignoreTLS: true,
    });
    const received = inbox.next();
    await transport.sendMail({
      envelope: { from: '', to: 'bounces@news.wasl.example' },
      raw: crlf(fixture('postfix-user-unknown.eml')),
    });
    transport.close();
    const raw = await received;
    const result = parseDsn({ raw, receivedAt });
    expect(
      result.ok && result.value.map((r) => [r.status, r.bounce?.kind, r.recipient, r.messageId]),
    ).toEqual([['bounced', 'hard', 'no-such-user@example.net', '01935c7e-3b1a-7c4e-9f2d-8a1b2c3d4e5f']]);
    // An independent MIME parser finds the same returned headers part and Message-ID.
    const parsed = await simpleParser(raw);
    const returned = parsed.attachments.find((a) => a.contentType === 'text/rfc822-headers');
    const headersPart = returned?.content.toString('utf8') ?? '';
    expect(headersPart).toContain(
      'Message-ID: <wasl-01935c7e-3b1a-7c4e-9f2d-8a1b2c3d4e5f@news.wasl.example>',
    );
  });
});
