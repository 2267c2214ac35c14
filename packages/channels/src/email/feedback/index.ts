/**
 * Email feedback: what mail servers and email providers report after (or at)
 * sending — SMTP refusals, DSN bounces, ARF complaints, and the webhooks of
 * Amazon SES (via SNS), SendGrid, Mailgun and Postmark — turned into Wasl's
 * StatusReport values, with each provider's authentication check.
 */
export { parseArf } from './arf.ts';
export { parseDsn } from './dsn.ts';
export { MAX_WEBHOOK_AGE_MS } from './freshness.ts';
export { WASL_MESSAGE_ID_KEY, waslIdFromMessageId } from './ids.ts';
export type { RawReport, WebhookBody } from './inputs.ts';
export { type MailgunVerifyOptions, parseMailgunWebhook, verifyMailgunSignature } from './mailgun.ts';
export { checkBasicAuth, parsePostmarkWebhook } from './postmark.ts';
export {
  parseSendGridEvents,
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
  type SendGridVerifyInput,
  type SendGridVerifyOptions,
  verifySendGridSignature,
} from './sendgrid.ts';
export { parseSesWebhook } from './ses.ts';
export {
  classifySmtpReply,
  classifyStatus,
  parseSmtpReply,
  type SmtpReply,
  type StatusClass,
  type StatusOutcome,
} from './smtp-reply.ts';
export {
  parseSnsEnvelope,
  SNS_TYPES,
  type SnsEnvelope,
  type SnsType,
  type SnsVerifyOptions,
  snsStringToSign,
  verifySnsSignature,
} from './sns.ts';
