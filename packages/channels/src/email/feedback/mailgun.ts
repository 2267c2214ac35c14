/**
 * Mailgun webhooks (JSON): `signature` {timestamp, token, signature} —
 * HMAC-SHA256 of timestamp followed by token under the webhook signing key,
 * as hex — and `event-data` with the event.
 *
 * | event-data.event | report |
 * | ---------------- | ------ |
 * | delivered        | delivered |
 * | opened / clicked | opened / clicked (url) |
 * | complained       | complained |
 * | unsubscribed     | unsubscribed |
 * | rejected         | failed (Mailgun did not accept the message) |
 * | failed, severity temporary | none: Mailgun retries; a delay, see dsn.ts |
 * | failed, severity permanent | by reason: suppress-bounce → hard bounce; suppress-complaint, suppress-unsubscribe, esp-block → failed; old (retries ran out) → soft bounce; otherwise by the reply code and enhanced code in delivery-status through the table in smtp-reply.ts, and without one, reason bounce → hard, anything else → soft |
 * | accepted, stored, list_member_uploaded, … | none |
 *
 * messageId comes from the user variable `wasl_message_id`; providerMessageId
 * is message.headers.message-id, the id the send API returns, without the
 * angle brackets the API puts around it.
 */
import { createHmac } from 'node:crypto';
import { err, ok, problem, type Result } from '@wasl/core';
import type { BounceKind, ReportParser, StatusReport } from '../../types.ts';
import { checkFresh, sameSecret } from './freshness.ts';
import { WASL_MESSAGE_ID_KEY } from './ids.ts';
import type { WebhookBody } from './inputs.ts';
import { stripAngles } from './mime-parse.ts';
import {
  type DetailValue,
  defined,
  details,
  epochSeconds,
  guard,
  isObject,
  type Json,
  Malformed,
  object,
  optionalString,
  parseJson,
  string,
} from './read.ts';
import { classifyStatus, parseSmtpReply } from './smtp-reply.ts';

const IGNORED = new Set([
  'accepted',
  'stored',
  'list_member_uploaded',
  'list_member_upload_error',
  'list_uploaded',
]);

export const parseMailgunWebhook: ReportParser<WebhookBody> = (input): Result<StatusReport[]> =>
  guard(() => {
    const body = object(parseJson(input.body, 'body'), 'body');
    const data = object(body['event-data'], 'event-data');
    const name = string(data.event, 'event-data.event');
    if (IGNORED.has(name)) return [];
    const message = isObject(data.message) ? data.message : {};
    const headers = isObject(message.headers) ? message.headers : {};
    const providerId = optionalString(headers['message-id'], 'event-data.message.headers.message-id');
    const variables = isObject(data['user-variables']) ? data['user-variables'] : {};
    const base = defined({
      at: epochSeconds(data.timestamp, 'event-data.timestamp'),
      messageId: optionalString(
        variables[WASL_MESSAGE_ID_KEY],
        `event-data.user-variables.${WASL_MESSAGE_ID_KEY}`,
      ),
      providerMessageId: providerId === undefined ? undefined : stripAngles(providerId),
      recipient: optionalString(data.recipient, 'event-data.recipient'),
    });
    const detail = (extra: Record<string, string | number | undefined>) =>
      details({ event: name, eventId: optionalString(data.id, 'event-data.id'), ...extra });
    const userAgent = () => {
      const client = isObject(data['client-info']) ? data['client-info'] : {};
      return optionalString(client['user-agent'], 'event-data.client-info.user-agent');
    };
    switch (name) {
      case 'delivered':
        return [{ status: 'delivered', ...base, detail: detail({}) }];
      case 'opened':
        return [{ status: 'opened', ...base, detail: detail({ userAgent: userAgent() }) }];
      case 'clicked':
        return [
          {
            status: 'clicked',
            ...base,
            url: string(data.url, 'event-data.url'),
            detail: detail({ userAgent: userAgent() }),
          },
        ];
      case 'complained':
        return [{ status: 'complained', ...base, detail: detail({}) }];
      case 'unsubscribed':
        return [{ status: 'unsubscribed', ...base, detail: detail({}) }];
      case 'rejected': {
        const reject = isObject(data.reject) ? data.reject : {};
        return [
          {
            status: 'failed',
            ...base,
            detail: detail({ reason: optionalString(reject.reason, 'event-data.reject.reason') }),
          },
        ];
      }
      case 'failed':
        return failure(data, base, detail);
      default:
        throw new Malformed('event-data.event', `event-data.event "${name}" is not a Mailgun event`);
    }
  });

function failure(
  data: Json,
  base: Omit<StatusReport, 'status'>,
  detail: (extra: Record<string, string | number | undefined>) => Record<string, DetailValue>,
): StatusReport[] {
  const severity = string(data.severity, 'event-data.severity');
  if (severity !== 'permanent' && severity !== 'temporary') {
    throw new Malformed(
      'event-data.severity',
      `event-data.severity must be permanent or temporary, got "${severity}"`,
    );
  }
  if (severity === 'temporary') return [];
  const reason = optionalString(data.reason, 'event-data.reason') ?? 'generic';
  const status = isObject(data['delivery-status']) ? data['delivery-status'] : {};
  const code = typeof status.code === 'number' ? status.code : undefined;
  const text =
    optionalString(status.message, 'event-data.delivery-status.message') ??
    optionalString(status.description, 'event-data.delivery-status.description') ??
    reason;
  const enhanced =
    optionalString(status['enhanced-code'], 'event-data.delivery-status.enhanced-code') ??
    (code === undefined ? undefined : enhancedIn(`${code} ${text}`));
  const { outcome, rule } = decide(reason, code, enhanced);
  const extra = detail({ severity, reason, code, enhancedCode: enhanced, rule });
  if (outcome === 'failed') return [{ status: 'failed', ...base, detail: extra }];
  const bounce = defined({
    kind: outcome,
    code: enhanced ?? (code === undefined ? undefined : String(code)),
    reason: text,
  });
  return [{ status: 'bounced', ...base, bounce, detail: extra }];
}

function decide(
  reason: string,
  code: number | undefined,
  enhanced: string | undefined,
): { outcome: BounceKind | 'failed'; rule: string } {
  switch (reason) {
    case 'suppress-bounce':
      return { outcome: 'hard', rule: 'suppress-bounce: the address bounced before' };
    case 'suppress-complaint':
    case 'suppress-unsubscribe':
    case 'esp-block':
      return { outcome: 'failed', rule: `${reason}: not sent` };
    case 'old':
      return { outcome: 'soft', rule: 'old: retries ran out' };
  }
  if (code !== undefined && code >= 500 && code <= 599) {
    const klass = classifyStatus(defined({ code, enhancedCode: enhanced }));
    if (klass.ok) {
      const { outcome, rule } = klass.value;
      return { outcome: outcome === 'retry' ? 'soft' : outcome, rule };
    }
  }
  return reason === 'bounce'
    ? { outcome: 'hard', rule: 'bounce without a reply code' }
    : { outcome: 'soft', rule: `${reason} without a reply code` };
}

function enhancedIn(reply: string): string | undefined {
  const parsed = parseSmtpReply(reply);
  return parsed.ok ? parsed.value.enhancedCode : undefined;
}

export interface MailgunVerifyOptions {
  /** The HTTP webhook signing key from Mailgun's settings. */
  signingKey: string;
  /** Epoch ms; defaults to Date.now. */
  now?: () => number;
}

/**
 * Checks body.signature. 'invalid' when the body or its signature object is
 * malformed, 'unauthorized' when the timestamp is outside the replay window
 * or the HMAC does not match. (Mailgun also suggests refusing a token seen
 * before; that needs a store and is left to the caller.)
 */
export function verifyMailgunSignature(body: string, options: MailgunVerifyOptions): Result<true> {
  const parsed = guard(() => {
    const signature = object(object(parseJson(body, 'body'), 'body').signature, 'signature');
    return {
      timestamp: string(signature.timestamp, 'signature.timestamp'),
      token: string(signature.token, 'signature.token'),
      signature: string(signature.signature, 'signature.signature'),
    };
  });
  if (!parsed.ok) return parsed;
  const { timestamp, token, signature } = parsed.value;
  const fresh = checkFresh(timestamp, (options.now ?? Date.now)(), 'signature.timestamp');
  if (!fresh.ok) return fresh;
  const expected = createHmac('sha256', options.signingKey)
    .update(timestamp + token)
    .digest('hex');
  return sameSecret(expected, signature.toLowerCase())
    ? ok(true)
    : err(problem('unauthorized', 'the signature does not match', 'signature.signature'));
}
