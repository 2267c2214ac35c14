/**
 * Amazon SES feedback delivered by SNS: identity notifications
 * (`notificationType`) and configuration-set event publishing (`eventType`).
 *
 * - Bounce: bounceType Permanent → hard, Transient and Undetermined → soft;
 *   one report per bouncedRecipients entry, with its status and diagnosticCode.
 * - Complaint → 'complained' per complainedRecipients entry.
 * - Delivery → 'delivered' per delivery.recipients entry.
 * - Open, Click (event publishing) → 'opened', 'clicked' (with the link).
 * - Reject (SES refused the message, e.g. a virus) and Rendering Failure → 'failed'.
 * - Subscription with newTopicPreferences.unsubscribeAll → 'unsubscribed'.
 * - Send, DeliveryDelay, other Subscription changes, and SES's
 *   AmazonSnsSubscriptionSucceeded test message → no report (DeliveryDelay:
 *   SES is still trying, see dsn.ts for why delays are not reported).
 *
 * providerMessageId is mail.messageId (what the SES send API returns).
 * messageId is the `wasl_message_id` message tag (event publishing), else
 * read from the Message-ID header by the convention in ids.ts.
 * SubscriptionConfirmation and UnsubscribeConfirmation give no reports: the
 * HTTP layer verifies them (sns.ts) and visits SubscribeURL.
 */
import type { Result } from '@wasl/core';
import type { BounceKind, ReportParser, StatusReport } from '../../types.ts';
import { WASL_MESSAGE_ID_KEY, waslIdFromMessageId } from './ids.ts';
import type { WebhookBody } from './inputs.ts';
import {
  array,
  type DetailValue,
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
  unwrap,
} from './read.ts';
import { parseSnsEnvelope } from './sns.ts';

export const parseSesWebhook: ReportParser<WebhookBody> = (input): Result<StatusReport[]> =>
  guard(() => {
    const envelope = unwrap(parseSnsEnvelope(input.body));
    if (envelope.type !== 'Notification') return [];
    return sesReports(object(parseJson(envelope.message, 'Message'), 'Message'));
  });

type Base = Pick<StatusReport, 'messageId' | 'providerMessageId'>;

function sesReports(message: Json): StatusReport[] {
  const kind = message.notificationType ?? message.eventType;
  const field = message.notificationType === undefined ? 'Message.eventType' : 'Message.notificationType';
  const name = string(kind, field);
  if (name === 'AmazonSnsSubscriptionSucceeded') return [];
  const mail = object(message.mail, 'Message.mail');
  const base: Base = defined({
    providerMessageId: string(mail.messageId, 'Message.mail.messageId'),
    messageId: waslId(mail),
  });
  switch (name) {
    case 'Bounce':
      return bounces(object(message.bounce, 'Message.bounce'), base);
    case 'Complaint':
      return complaints(object(message.complaint, 'Message.complaint'), base);
    case 'Delivery':
      return deliveries(object(message.delivery, 'Message.delivery'), base);
    case 'Open':
    case 'Click':
      return [engagement(name, message, mail, base)];
    case 'Reject': {
      const reject = object(message.reject, 'Message.reject');
      const reason = string(reject.reason, 'Message.reject.reason');
      return [failed(mail, base, { event: 'Reject', reason })];
    }
    case 'Rendering Failure': {
      const failure = object(message.failure, 'Message.failure');
      const reason = string(failure.errorMessage, 'Message.failure.errorMessage');
      const templateName = optionalString(failure.templateName, 'Message.failure.templateName');
      return [failed(mail, base, details({ event: 'Rendering Failure', reason, templateName }))];
    }
    case 'Subscription':
      return unsubscribes(object(message.subscription, 'Message.subscription'), mail, base);
    case 'Send':
    case 'DeliveryDelay':
      return [];
    default:
      throw new Malformed(field, `${field} "${name}" is not an SES notification or event type`);
  }
}

function waslId(mail: Json): string | undefined {
  const tags = isObject(mail.tags) ? mail.tags : {};
  const tagged = tags[WASL_MESSAGE_ID_KEY];
  if (Array.isArray(tagged) && typeof tagged[0] === 'string') return tagged[0];
  const headers = Array.isArray(mail.headers) ? mail.headers : [];
  const header = headers.find((h) => isObject(h) && String(h.name).toLowerCase() === 'message-id');
  const common = isObject(mail.commonHeaders) ? mail.commonHeaders.messageId : undefined;
  const value = isObject(header) ? header.value : common;
  return typeof value === 'string' ? waslIdFromMessageId(value) : undefined;
}

function bounces(bounce: Json, base: Base): StatusReport[] {
  const bounceType = string(bounce.bounceType, 'Message.bounce.bounceType');
  if (!['Permanent', 'Transient', 'Undetermined'].includes(bounceType)) {
    throw new Malformed(
      'Message.bounce.bounceType',
      `bounceType must be Permanent, Transient or Undetermined, got "${bounceType}"`,
    );
  }
  const bounceSubType = optionalString(bounce.bounceSubType, 'Message.bounce.bounceSubType');
  const at = date(bounce.timestamp, 'Message.bounce.timestamp');
  const kind: BounceKind = bounceType === 'Permanent' ? 'hard' : 'soft';
  const recipients = array(bounce.bouncedRecipients, 'Message.bounce.bouncedRecipients');
  return recipients.map((entry, i) => {
    const field = `Message.bounce.bouncedRecipients[${i}]`;
    const r = object(entry, field);
    const code = optionalString(r.status, `${field}.status`);
    const diagnosticCode = optionalString(r.diagnosticCode, `${field}.diagnosticCode`);
    const reason = diagnosticCode ?? `${bounceType}${bounceSubType === undefined ? '' : `/${bounceSubType}`}`;
    return defined({
      status: 'bounced' as const,
      at,
      ...base,
      recipient: string(r.emailAddress, `${field}.emailAddress`),
      bounce: defined({ kind, code, reason }),
      detail: details({
        event: 'Bounce',
        bounceType,
        bounceSubType,
        diagnosticCode,
        feedbackId: optionalString(bounce.feedbackId, 'Message.bounce.feedbackId'),
        reportingMta: optionalString(bounce.reportingMTA, 'Message.bounce.reportingMTA'),
      }),
    });
  });
}

function complaints(complaint: Json, base: Base): StatusReport[] {
  const at = date(complaint.timestamp, 'Message.complaint.timestamp');
  const detail = details({
    event: 'Complaint',
    feedbackType: optionalString(complaint.complaintFeedbackType, 'Message.complaint.complaintFeedbackType'),
    complaintSubType: optionalString(complaint.complaintSubType, 'Message.complaint.complaintSubType'),
    userAgent: optionalString(complaint.userAgent, 'Message.complaint.userAgent'),
    feedbackId: optionalString(complaint.feedbackId, 'Message.complaint.feedbackId'),
  });
  const recipients = array(complaint.complainedRecipients, 'Message.complaint.complainedRecipients');
  return recipients.map((entry, i) => {
    const field = `Message.complaint.complainedRecipients[${i}]`;
    const recipient = string(object(entry, field).emailAddress, `${field}.emailAddress`);
    return { status: 'complained', at, ...base, recipient, detail };
  });
}

function deliveries(delivery: Json, base: Base): StatusReport[] {
  const at = date(delivery.timestamp, 'Message.delivery.timestamp');
  const detail = details({
    event: 'Delivery',
    smtpResponse: optionalString(delivery.smtpResponse, 'Message.delivery.smtpResponse'),
    reportingMta: optionalString(delivery.reportingMTA, 'Message.delivery.reportingMTA'),
  });
  const recipients = array(delivery.recipients, 'Message.delivery.recipients');
  return recipients.map((r, i) => ({
    status: 'delivered',
    at,
    ...base,
    recipient: string(r, `Message.delivery.recipients[${i}]`),
    detail,
  }));
}

function engagement(name: 'Open' | 'Click', message: Json, mail: Json, base: Base): StatusReport {
  const key = name === 'Open' ? 'open' : 'click';
  const event = object(message[key], `Message.${key}`);
  const url = name === 'Click' ? string(event.link, 'Message.click.link') : undefined;
  return defined({
    status: name === 'Open' ? ('opened' as const) : ('clicked' as const),
    at: date(event.timestamp, `Message.${key}.timestamp`),
    ...base,
    recipient: soleDestination(mail),
    url,
    detail: details({
      event: name,
      userAgent: optionalString(event.userAgent, `Message.${key}.userAgent`),
      ipAddress: optionalString(event.ipAddress, `Message.${key}.ipAddress`),
    }),
  });
}

function failed(mail: Json, base: Base, detail: Record<string, DetailValue>): StatusReport {
  return defined({
    status: 'failed' as const,
    at: date(mail.timestamp, 'Message.mail.timestamp'),
    ...base,
    recipient: soleDestination(mail),
    detail,
  });
}

function unsubscribes(subscription: Json, mail: Json, base: Base): StatusReport[] {
  const preferences = subscription.newTopicPreferences;
  if (!isObject(preferences) || preferences.unsubscribeAll !== true) return [];
  return [
    defined({
      status: 'unsubscribed' as const,
      at: date(subscription.timestamp, 'Message.subscription.timestamp'),
      ...base,
      recipient: soleDestination(mail),
      detail: details({
        event: 'Subscription',
        contactList: optionalString(subscription.contactList, 'Message.subscription.contactList'),
        source: optionalString(subscription.source, 'Message.subscription.source'),
      }),
    }),
  ];
}

/** Open, click and the like name no recipient: it is the message's only destination, if it has one. */
function soleDestination(mail: Json): string | undefined {
  const destination = Array.isArray(mail.destination) ? mail.destination : [];
  return destination.length === 1 && typeof destination[0] === 'string' ? destination[0] : undefined;
}
