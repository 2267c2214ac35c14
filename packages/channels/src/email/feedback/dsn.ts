/**
 * Delivery Status Notifications (RFC 3464): the bounce messages mail servers
 * send back, taken from an inbound endpoint or a bounce mailbox. Each
 * per-recipient block becomes at most one StatusReport:
 *
 * - Action failed → 'bounced' (hard or soft) or 'failed', by the same table
 *   as refusals at send time (smtp-reply.ts), fed the Status field and the
 *   reply code of an smtp Diagnostic-Code. So 5.1.1 is a hard bounce, 5.2.2
 *   (mailbox full) soft, and a 5.7.x policy or spam block is 'failed', never
 *   a bounce that would suppress the address. A failed action with a 4.X.X
 *   status (the server gave up after temporary errors) is a soft bounce.
 * - Action delayed → no report: the server is still trying, and the message
 *   may yet be delivered; a soft bounce now would be undone by a later
 *   'delivered'. The final DSN (failed or delivered) reports the outcome.
 * - Action delivered, expanded (delivered, then forwarded) → 'delivered'.
 * - Action relayed (handed to a system that sends no DSNs) → no report: the
 *   outcome is unknown.
 *
 * The time is the block's Last-Attempt-Date, else the report's Arrival-Date,
 * else the DSN's Date header, else the time of receipt. The original
 * Message-ID (from the returned headers; no angle brackets) goes into
 * detail.messageIdHeader, and into messageId only when it follows Wasl's
 * convention (`wasl-<id>@…`, see ids.ts).
 */
import type { Result } from '@wasl/core';
import type { ReportParser, StatusReport } from '../../types.ts';
import type { RawReport } from './inputs.ts';
import { type Header, header, parseFieldGroups, stripAngles } from './mime-parse.ts';
import { type DetailValue, defined, details, guard, Malformed, unwrap } from './read.ts';
import { optionalDate, originalMessageId, readReportFrame } from './report.ts';
import { classifyStatus, parseSmtpReply } from './smtp-reply.ts';

const ACTIONS = ['failed', 'delayed', 'delivered', 'relayed', 'expanded'] as const;
type Action = (typeof ACTIONS)[number];

const STATUS = /^([245])\.\d{1,3}\.\d{1,3}/;

export const parseDsn: ReportParser<RawReport> = (input): Result<StatusReport[]> =>
  guard(() => {
    const frame = readReportFrame(input.raw, 'delivery-status', [
      'message/delivery-status',
      'message/global-delivery-status',
    ]);
    const groups = parseFieldGroups(frame.report.body);
    const first = groups[0] ?? [];
    const hasPerMessage =
      header(first, 'Final-Recipient') === undefined && header(first, 'Action') === undefined;
    const perMessage = hasPerMessage ? first : [];
    const recipients = hasPerMessage ? groups.slice(1) : groups;
    if (recipients.length === 0) {
      throw new Malformed('Final-Recipient', 'the delivery-status part has no per-recipient fields');
    }
    const fallbackAt =
      optionalDate(perMessage, 'Arrival-Date') ?? optionalDate(frame.headers, 'Date') ?? input.receivedAt;
    const ids = originalMessageId(frame.original, header(perMessage, 'Original-Message-ID'));
    const common = details({
      reportingMta: header(perMessage, 'Reporting-MTA'),
      envelopeId: header(perMessage, 'Original-Envelope-Id'),
      messageIdHeader: ids.messageIdHeader,
    });
    return recipients.flatMap((fields) => recipientReport(fields, fallbackAt, common, ids.messageId));
  });

function recipientReport(
  fields: Header[],
  fallbackAt: number,
  common: Record<string, DetailValue>,
  messageId: string | undefined,
): StatusReport[] {
  const finalRecipient = header(fields, 'Final-Recipient');
  if (finalRecipient === undefined) {
    throw new Malformed('Final-Recipient', 'a recipient block has no Final-Recipient');
  }
  const recipient = addressOf(finalRecipient);
  const actionValue = header(fields, 'Action');
  if (actionValue === undefined) throw new Malformed('Action', `the block for ${recipient} has no Action`);
  const action = actionValue.split(/[\s(]/)[0]?.toLowerCase();
  if (!ACTIONS.includes(action as Action)) {
    throw new Malformed(
      'Action',
      `Action for ${recipient} must be one of ${ACTIONS.join(', ')}, got "${actionValue}"`,
    );
  }
  const statusValue = header(fields, 'Status');
  const status = statusValue === undefined ? undefined : STATUS.exec(statusValue)?.[0];
  if (statusValue !== undefined && status === undefined) {
    throw new Malformed('Status', `Status for ${recipient} must look like 5.1.1, got "${statusValue}"`);
  }
  const diagnostic = header(fields, 'Diagnostic-Code');
  const at = optionalDate(fields, 'Last-Attempt-Date') ?? fallbackAt;
  const detail = details({
    ...common,
    action: action as string,
    status,
    diagnosticCode: diagnostic,
    remoteMta: header(fields, 'Remote-MTA'),
  });
  const base = defined({ at, messageId, recipient, detail });
  switch (action as Action) {
    case 'delayed':
    case 'relayed':
      return [];
    case 'delivered':
    case 'expanded':
      return [{ status: 'delivered', ...base }];
    case 'failed':
      return [failedReport(base, status, diagnostic, recipient)];
  }
}

function failedReport(
  base: Omit<StatusReport, 'status'>,
  status: string | undefined,
  diagnostic: string | undefined,
  recipient: string,
): StatusReport {
  if (status === undefined) {
    throw new Malformed('Status', `Status is required for the failed recipient ${recipient}`);
  }
  const reply = smtpDiagnostic(diagnostic);
  const code = reply !== undefined && String(reply.code)[0] === status[0] ? reply.code : undefined;
  const { outcome, rule } = unwrap(classifyStatus(defined({ code, enhancedCode: status })));
  const reason = diagnosticText(diagnostic) ?? `delivery failed with status ${status}`;
  const detail = { ...base.detail, rule };
  if (outcome === 'failed') return { status: 'failed', ...base, detail };
  const kind = outcome === 'hard' ? 'hard' : 'soft';
  return { status: 'bounced', ...base, bounce: { kind, code: status, reason }, detail };
}

/** The reply in "smtp; 550 5.1.1 …"; undefined for other diagnostic types or unreadable text. */
function smtpDiagnostic(diagnostic: string | undefined): { code: number } | undefined {
  const match = diagnostic === undefined ? null : /^\s*smtp\s*;\s*(.*)$/is.exec(diagnostic);
  if (match === null) return undefined;
  const reply = parseSmtpReply(match[1] ?? '');
  return reply.ok ? reply.value : undefined;
}

/** "smtp; 550 5.1.1 user unknown" → "550 5.1.1 user unknown". */
function diagnosticText(diagnostic: string | undefined): string | undefined {
  if (diagnostic === undefined) return undefined;
  const text = diagnostic.replace(/^[^;]*;\s*/, '').trim();
  return text === '' ? undefined : text;
}

/** "rfc822; bob@example.com" → "bob@example.com" (also utf-8 addresses, RFC 6533). */
function addressOf(value: string): string {
  const semicolon = value.indexOf(';');
  const address = stripAngles(semicolon < 0 ? value : value.slice(semicolon + 1));
  if (address === '') throw new Malformed('Final-Recipient', `Final-Recipient has no address: "${value}"`);
  return address;
}
