/**
 * Abuse Reporting Format (RFC 5965) complaints from feedback loops: a
 * multipart/report with report-type=feedback-report. Feedback-Type abuse,
 * fraud, virus and other become 'complained' (which suppresses the address);
 * an unknown type is treated as 'other' (the Feedback-Type registry is
 * open to new values). not-spam (RFC 6430) and auth-failure (RFC 6591, a DMARC/SPF/DKIM
 * failure report, not a person's complaint) give no report.
 *
 * The recipient is Original-Rcpt-To, else the original message's To when it
 * holds exactly one address (feedback loops often redact both). The time is
 * Arrival-Date (Received-Date in early drafts), else the report's Date, else
 * the time of receipt. Message-IDs as in dsn.ts.
 */
import type { Result } from '@wasl/core';
import type { ReportParser, StatusReport } from '../../types.ts';
import type { RawReport } from './inputs.ts';
import { type Header, header, parseHeaders, stripAngles } from './mime-parse.ts';
import { defined, details, guard, Malformed } from './read.ts';
import { optionalDate, originalMessageId, readReportFrame } from './report.ts';

const COMPLAINTS = new Set(['abuse', 'fraud', 'virus', 'other']);
const NOT_COMPLAINTS = new Set(['not-spam', 'auth-failure']);

export const parseArf: ReportParser<RawReport> = (input): Result<StatusReport[]> =>
  guard(() => {
    const frame = readReportFrame(input.raw, 'feedback-report', ['message/feedback-report']);
    // The feedback-report part is one block of fields (RFC 5965 §3.1).
    const fields = parseHeaders(frame.report.body);
    const feedbackType = header(fields, 'Feedback-Type')?.trim().toLowerCase();
    if (feedbackType === undefined || feedbackType === '') {
      throw new Malformed('Feedback-Type', 'the feedback report has no Feedback-Type');
    }
    if (NOT_COMPLAINTS.has(feedbackType)) return [];
    const at =
      optionalDate(fields, 'Arrival-Date') ??
      optionalDate(fields, 'Received-Date') ??
      optionalDate(frame.headers, 'Date') ??
      input.receivedAt;
    const ids = originalMessageId(frame.original);
    const recipient = recipientOf(fields, frame.original);
    const detail = details({
      feedbackType,
      treatedAs: COMPLAINTS.has(feedbackType) ? undefined : 'other',
      userAgent: header(fields, 'User-Agent'),
      originalMailFrom: bareAddress(header(fields, 'Original-Mail-From')),
      reportingMta: header(fields, 'Reporting-MTA'),
      sourceIp: header(fields, 'Source-IP'),
      messageIdHeader: ids.messageIdHeader,
    });
    return [defined({ status: 'complained' as const, at, messageId: ids.messageId, recipient, detail })];
  });

function recipientOf(fields: Header[], original: Header[] | undefined): string | undefined {
  const rcptTo = bareAddress(header(fields, 'Original-Rcpt-To'));
  if (rcptTo !== undefined) return rcptTo;
  const to = original === undefined ? undefined : header(original, 'To');
  if (to === undefined || to.includes(',')) return undefined;
  const angled = /<([^<>\s]+@[^<>\s]+)>/.exec(to)?.[1];
  return angled ?? (/^[^\s<>"]+@[^\s<>"]+$/.test(to.trim()) ? to.trim() : undefined);
}

function bareAddress(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const bare = stripAngles(value);
  return bare === '' ? undefined : bare;
}
