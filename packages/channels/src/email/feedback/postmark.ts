/**
 * Postmark webhooks: one JSON record per request, told apart by RecordType.
 * Postmark does not sign webhooks; it sends the user name and password put in
 * the webhook URL (https://user:pass@host/…) as HTTP Basic credentials, which
 * checkBasicAuth compares in constant time.
 *
 * Bounce records by Type (Postmark's bounce types):
 * - hard: HardBounce, BadEmailAddress
 * - soft: SoftBounce, Transient, DnsError, Unknown
 * - complained: SpamComplaint; unsubscribed: Unsubscribe
 * - failed (not the address's fault, or Postmark did not send): Blocked,
 *   DMARCPolicy, SMTPApiError, TemplateRenderingFailed, VirusNotification,
 *   SpamNotification, ManuallyDeactivated, Unconfirmed
 * - none (not about delivery): Subscribe, AutoResponder, AddressChange,
 *   OpenRelayTest, ChallengeVerification, InboundError
 *
 * Other records: Delivery → delivered, SpamComplaint → complained, Open →
 * opened, Click → clicked (OriginalLink), SubscriptionChange → unsubscribed
 * when SuppressSending is true with SuppressionReason ManualSuppression (a
 * HardBounce or SpamComplaint suppression was already reported by its own
 * record; a reactivation gives nothing).
 *
 * messageId is Metadata.wasl_message_id; providerMessageId is MessageID.
 */
import { err, ok, problem, type Result } from '@wasl/core';
import type { ReportParser, StatusReport } from '../../types.ts';
import { sameSecret } from './freshness.ts';
import { WASL_MESSAGE_ID_KEY } from './ids.ts';
import type { WebhookBody } from './inputs.ts';
import {
  date,
  defined,
  details,
  guard,
  isObject,
  type Json,
  Malformed,
  object,
  optionalString,
  parseJson,
  string,
} from './read.ts';

type BounceOutcome = 'hard' | 'soft' | 'complained' | 'unsubscribed' | 'failed' | 'none';

const BOUNCE_TYPES: Record<string, BounceOutcome> = {
  HardBounce: 'hard',
  BadEmailAddress: 'hard',
  SoftBounce: 'soft',
  Transient: 'soft',
  DnsError: 'soft',
  Unknown: 'soft',
  SpamComplaint: 'complained',
  Unsubscribe: 'unsubscribed',
  Blocked: 'failed',
  DMARCPolicy: 'failed',
  SMTPApiError: 'failed',
  TemplateRenderingFailed: 'failed',
  VirusNotification: 'failed',
  SpamNotification: 'failed',
  ManuallyDeactivated: 'failed',
  Unconfirmed: 'failed',
  Subscribe: 'none',
  AutoResponder: 'none',
  AddressChange: 'none',
  OpenRelayTest: 'none',
  ChallengeVerification: 'none',
  InboundError: 'none',
};

export const parsePostmarkWebhook: ReportParser<WebhookBody> = (input): Result<StatusReport[]> =>
  guard(() => {
    const record = object(parseJson(input.body, 'body'), 'body');
    const recordType = string(record.RecordType, 'RecordType');
    const metadata = isObject(record.Metadata) ? record.Metadata : {};
    const base = defined({
      messageId: optionalString(metadata[WASL_MESSAGE_ID_KEY], `Metadata.${WASL_MESSAGE_ID_KEY}`),
      providerMessageId: optionalString(record.MessageID, 'MessageID'),
    });
    const detail = (extra: Record<string, string | number | boolean | undefined>) =>
      details({ recordType, tag: optionalString(record.Tag, 'Tag'), ...extra });
    switch (recordType) {
      case 'Delivery':
        return [
          {
            status: 'delivered',
            at: date(record.DeliveredAt, 'DeliveredAt'),
            ...base,
            recipient: string(record.Recipient, 'Recipient'),
            detail: detail({ details: optionalString(record.Details, 'Details') }),
          },
        ];
      case 'Bounce':
      case 'SpamComplaint':
        return bounceReports(record, base, detail);
      case 'Open':
      case 'Click': {
        const click = recordType === 'Click';
        return [
          defined({
            status: click ? ('clicked' as const) : ('opened' as const),
            at: date(record.ReceivedAt, 'ReceivedAt'),
            ...base,
            recipient: string(record.Recipient, 'Recipient'),
            url: click ? string(record.OriginalLink, 'OriginalLink') : undefined,
            detail: detail({ userAgent: optionalString(record.UserAgent, 'UserAgent') }),
          }),
        ];
      }
      case 'SubscriptionChange': {
        const at = date(record.ChangedAt, 'ChangedAt');
        const recipient = string(record.Recipient, 'Recipient');
        if (typeof record.SuppressSending !== 'boolean') {
          throw new Malformed('SuppressSending', 'SuppressSending must be true or false');
        }
        const reason = optionalString(record.SuppressionReason, 'SuppressionReason');
        if (!record.SuppressSending || reason !== 'ManualSuppression') return [];
        return [
          { status: 'unsubscribed', at, ...base, recipient, detail: detail({ suppressionReason: reason }) },
        ];
      }
      default:
        throw new Malformed('RecordType', `RecordType "${recordType}" is not a Postmark webhook record`);
    }
  });

function bounceReports(
  record: Json,
  base: Pick<StatusReport, 'messageId' | 'providerMessageId'>,
  detail: (
    extra: Record<string, string | number | boolean | undefined>,
  ) => Record<string, string | number | boolean>,
): StatusReport[] {
  const type = string(record.Type, 'Type');
  const outcome = BOUNCE_TYPES[type];
  if (outcome === undefined) throw new Malformed('Type', `Type "${type}" is not a Postmark bounce type`);
  if (outcome === 'none') return [];
  const at = date(record.BouncedAt, 'BouncedAt');
  const recipient = string(record.Email, 'Email');
  const description = optionalString(record.Description, 'Description');
  const details = optionalString(record.Details, 'Details');
  const extra = detail({
    type,
    typeCode: typeof record.TypeCode === 'number' ? record.TypeCode : undefined,
    details,
    inactive: typeof record.Inactive === 'boolean' ? record.Inactive : undefined,
  });
  const common = { at, ...base, recipient, detail: extra };
  if (outcome === 'hard' || outcome === 'soft') {
    const reason = details ?? description ?? type;
    return [{ status: 'bounced', ...common, bounce: { kind: outcome, code: type, reason } }];
  }
  return [{ status: outcome, ...common }];
}

/**
 * Checks an Authorization header against the credentials in the webhook URL.
 * Both parts are always compared, in constant time.
 */
export function checkBasicAuth(
  authorization: string | undefined,
  expectedUser: string,
  expectedPass: string,
): Result<true> {
  const match =
    authorization === undefined ? null : /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(authorization);
  if (match === null) {
    return err(problem('unauthorized', 'Authorization must be HTTP Basic credentials', 'Authorization'));
  }
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon < 0 ? decoded : decoded.slice(0, colon);
  const pass = colon < 0 ? '' : decoded.slice(colon + 1);
  const userOk = sameSecret(user, expectedUser);
  const passOk = sameSecret(pass, expectedPass);
  return userOk && passOk && colon >= 0
    ? ok(true)
    : err(problem('unauthorized', 'the webhook credentials do not match', 'Authorization'));
}
