import { describe, expect, it } from 'vitest';
import { parseArf } from '../../../src/email/feedback/index.ts';
import { crlf, fixture } from './helpers.ts';

const receivedAt = Date.UTC(2026, 10, 23, 7, 0, 0);

describe('parseArf', () => {
  it('turns a Yahoo abuse report into a complaint with the recipient and our message id', () => {
    expect(parseArf({ raw: crlf(fixture('yahoo-abuse.eml')), receivedAt })).toEqual({
      ok: true,
      value: [
        {
          status: 'complained',
          at: Date.UTC(2026, 10, 23, 5, 58, 1),
          messageId: '01935c7e-aaaa-7c4e-9f2d-8a1b2c3d4e5f',
          recipient: 'complainer@yahoo.example',
          detail: {
            feedbackType: 'abuse',
            userAgent: 'Yahoo!-Mail-Feedback/2.0',
            originalMailFrom: 'bounces@news.wasl.example',
            reportingMta: 'dns; mta1007.mail.yahoo.example',
            sourceIp: '198.51.100.7',
            messageIdHeader: 'wasl-01935c7e-aaaa-7c4e-9f2d-8a1b2c3d4e5f@news.wasl.example',
          },
        },
      ],
    });
  });

  it('falls back to the original To and the report Date when the loop redacts the fields', () => {
    expect(parseArf({ raw: fixture('redacted-fraud.eml'), receivedAt })).toEqual({
      ok: true,
      value: [
        {
          status: 'complained',
          at: Date.UTC(2026, 10, 22, 18, 0, 0),
          recipient: 'layla@hotmail.example',
          detail: {
            feedbackType: 'fraud',
            userAgent: 'Hotmail FBL',
            messageIdHeader: 'CAF=xyz@mail.example.com',
          },
        },
      ],
    });
  });

  const report = (feedbackType: string) =>
    [
      'Content-Type: multipart/report; report-type=feedback-report; boundary="b"',
      '',
      '--b',
      'Content-Type: message/feedback-report',
      '',
      `Feedback-Type: ${feedbackType}`,
      'User-Agent: test/1',
      'Version: 1',
      'Original-Rcpt-To: <ريم@example.sa>',
      '--b--',
    ].join('\n');

  it('treats an unknown feedback type as other, and keeps an Arabic address', () => {
    expect(parseArf({ raw: report('opt-out'), receivedAt })).toEqual({
      ok: true,
      value: [
        {
          status: 'complained',
          at: receivedAt,
          recipient: 'ريم@example.sa',
          detail: { feedbackType: 'opt-out', treatedAs: 'other', userAgent: 'test/1' },
        },
      ],
    });
  });

  it('gives no report for not-spam and auth-failure', () => {
    expect(parseArf({ raw: report('not-spam'), receivedAt })).toEqual({ ok: true, value: [] });
    expect(parseArf({ raw: report('auth-failure'), receivedAt })).toEqual({ ok: true, value: [] });
  });

  it('names the field at fault', () => {
    expect(parseArf({ raw: report(''), receivedAt })).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'the feedback report has no Feedback-Type', field: 'Feedback-Type' },
    });
    expect(parseArf({ raw: fixture('postfix-user-unknown.eml'), receivedAt })).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: 'report-type must be feedback-report, got "delivery-status"',
        field: 'Content-Type.report-type',
      },
    });
    const noReportPart =
      'Content-Type: multipart/report; report-type=feedback-report; boundary=b\n\n--b\n\nhi\n--b--';
    expect(parseArf({ raw: noReportPart, receivedAt })).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: 'the report has no message/feedback-report part',
        field: 'message/feedback-report',
      },
    });
  });
});
