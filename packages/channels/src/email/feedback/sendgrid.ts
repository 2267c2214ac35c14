/**
 * SendGrid Event Webhook: a JSON array of events, optionally signed (Signed
 * Event Webhook: ECDSA P-256 / SHA-256 over the timestamp header followed by
 * the raw body; the signature in X-Twilio-Email-Event-Webhook-Signature, the
 * timestamp in X-Twilio-Email-Event-Webhook-Timestamp, the public key shown in
 * SendGrid's settings as base64 DER).
 *
 * | event                          | report                                     |
 * | ------------------------------ | ------------------------------------------ |
 * | delivered                      | delivered                                  |
 * | open / click                   | opened / clicked (url)                     |
 * | bounce, type bounce (or none)  | bounced, hard (SendGrid suppresses it)     |
 * | bounce, type blocked           | failed: a block of the sender, like 5.7.x in smtp-reply.ts |
 * | dropped                        | failed (SendGrid did not send; reason kept) |
 * | spamreport                     | complained                                 |
 * | unsubscribe, group_unsubscribe | unsubscribed                               |
 * | processed, deferred, group_resubscribe | none ('sent' is ours; a deferral is a delay, see dsn.ts) |
 *
 * Our message id travels as the custom arg `wasl_message_id`, which SendGrid
 * puts at the top level of each event. providerMessageId is sg_message_id up
 * to ".filter…"/".recvd…", which is the X-Message-Id the send API returned.
 */
import { createPublicKey, verify } from 'node:crypto';
import { err, ok, problem, type Result } from '@wasl/core';
import type { ReportParser, StatusReport } from '../../types.ts';
import { checkFresh } from './freshness.ts';
import { WASL_MESSAGE_ID_KEY } from './ids.ts';
import type { WebhookBody } from './inputs.ts';
import {
  array,
  defined,
  details,
  epochSeconds,
  guard,
  type Json,
  Malformed,
  object,
  optionalString,
  parseJson,
  string,
} from './read.ts';

export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

export const parseSendGridEvents: ReportParser<WebhookBody> = (input): Result<StatusReport[]> =>
  guard(() =>
    array(parseJson(input.body, 'body'), 'body').flatMap((entry, i) =>
      eventReports(object(entry, `[${i}]`), `[${i}]`),
    ),
  );

function eventReports(event: Json, path: string): StatusReport[] {
  const name = string(event.event, `${path}.event`);
  const sgMessageId = optionalString(event.sg_message_id, `${path}.sg_message_id`);
  const base = defined({
    at: epochSeconds(event.timestamp, `${path}.timestamp`),
    messageId: optionalString(event[WASL_MESSAGE_ID_KEY], `${path}.${WASL_MESSAGE_ID_KEY}`),
    providerMessageId: sgMessageId?.replace(/\.(filter|recvd).*$/, ''),
    recipient: string(event.email, `${path}.email`),
  });
  const detail = (extra: Record<string, string | number | boolean | undefined>) =>
    details({
      event: name,
      sgEventId: optionalString(event.sg_event_id, `${path}.sg_event_id`),
      sgMessageId,
      ...extra,
    });
  const reason = () => optionalString(event.reason, `${path}.reason`);
  switch (name) {
    case 'processed':
    case 'deferred':
    case 'group_resubscribe':
      return [];
    case 'delivered':
      return [
        {
          status: 'delivered',
          ...base,
          detail: detail({ response: optionalString(event.response, `${path}.response`) }),
        },
      ];
    case 'open':
      return [
        {
          status: 'opened',
          ...base,
          detail: detail({
            userAgent: optionalString(event.useragent, `${path}.useragent`),
            ip: optionalString(event.ip, `${path}.ip`),
            machineOpen: typeof event.sg_machine_open === 'boolean' ? event.sg_machine_open : undefined,
          }),
        },
      ];
    case 'click':
      return [{ status: 'clicked', ...base, url: string(event.url, `${path}.url`), detail: detail({}) }];
    case 'bounce': {
      const type = optionalString(event.type, `${path}.type`) ?? 'bounce';
      const code = optionalString(event.status, `${path}.status`);
      const text = reason() ?? `SendGrid ${type}`;
      const extra = {
        bounceType: type,
        status: code,
        reason: text,
        classification: optionalString(event.bounce_classification, `${path}.bounce_classification`),
      };
      if (type === 'blocked') return [{ status: 'failed', ...base, detail: detail(extra) }];
      if (type !== 'bounce') {
        throw new Malformed(`${path}.type`, `${path}.type must be bounce or blocked, got "${type}"`);
      }
      return [
        {
          status: 'bounced',
          ...base,
          bounce: defined({ kind: 'hard' as const, code, reason: text }),
          detail: detail(extra),
        },
      ];
    }
    case 'dropped':
      return [{ status: 'failed', ...base, detail: detail({ reason: reason() }) }];
    case 'spamreport':
      return [{ status: 'complained', ...base, detail: detail({}) }];
    case 'unsubscribe':
    case 'group_unsubscribe':
      return [
        {
          status: 'unsubscribed',
          ...base,
          detail: detail({
            asmGroupId: typeof event.asm_group_id === 'number' ? event.asm_group_id : undefined,
          }),
        },
      ];
    default:
      throw new Malformed(`${path}.event`, `${path}.event "${name}" is not a SendGrid event`);
  }
}

export interface SendGridVerifyInput {
  /** The raw request body, byte for byte. */
  body: string | Uint8Array;
  /** The X-Twilio-Email-Event-Webhook-Signature header. */
  signature: string | undefined;
  /** The X-Twilio-Email-Event-Webhook-Timestamp header. */
  timestamp: string | undefined;
}

export interface SendGridVerifyOptions {
  /** The verification key from SendGrid's Mail Settings, base64 DER (SubjectPublicKeyInfo). */
  publicKey: string;
  /** Epoch ms; defaults to Date.now. */
  now?: () => number;
}

/** 'unauthorized' for a missing, stale or wrong signature; 'invalid' (field publicKey) for an unusable key. */
export function verifySendGridSignature(
  input: SendGridVerifyInput,
  options: SendGridVerifyOptions,
): Result<true> {
  if (input.signature === undefined || input.signature === '') {
    return err(problem('unauthorized', 'the signature header is missing', SENDGRID_SIGNATURE_HEADER));
  }
  const fresh = checkFresh(input.timestamp, (options.now ?? Date.now)(), SENDGRID_TIMESTAMP_HEADER);
  if (!fresh.ok) return fresh;
  let key: ReturnType<typeof createPublicKey>;
  try {
    key = createPublicKey({ key: Buffer.from(options.publicKey, 'base64'), format: 'der', type: 'spki' });
  } catch {
    return err(problem('invalid', 'publicKey is not a base64 DER public key', 'publicKey'));
  }
  const signed = Buffer.concat([Buffer.from(input.timestamp ?? '', 'utf8'), Buffer.from(input.body)]);
  const signature = Buffer.from(input.signature, 'base64');
  let good: boolean;
  try {
    good = verify('sha256', signed, { key, dsaEncoding: 'der' }, signature);
  } catch {
    good = false;
  }
  return good
    ? ok(true)
    : err(problem('unauthorized', 'the signature does not match the body', SENDGRID_SIGNATURE_HEADER));
}
