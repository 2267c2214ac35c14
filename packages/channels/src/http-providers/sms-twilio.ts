/**
 * SMS through Twilio's Programmable Messaging REST API (2010-04-01): the send
 * adapter and the parser for Twilio's signed status callbacks.
 */
import { createHmac } from 'node:crypto';
import { err, ok, problem, type Result } from '@wasl/core';
import type { ChannelAdapter, SendContext, SendResult, SmsMessage, StatusReport } from '../types.ts';
import {
  e164Digits,
  excerpt,
  type HttpOptions,
  isRecord,
  notE164,
  ProviderHttp,
  parseJson,
  refused,
  retryableStatus,
  safeEqual,
} from './http.ts';

export interface TwilioOptions extends HttpOptions {
  accountSid: string;
  authToken: string;
  /** Send through a Messaging Service instead of the message's `from`. */
  messagingServiceSid?: string;
  /** Where Twilio posts status callbacks; Wasl's message id is added as the `wasl_id` query parameter. */
  statusCallbackUrl?: string;
  /** Default https://api.twilio.com. */
  baseUrl?: string;
}

/** Twilio error codes that say the destination number itself is unusable. */
const HARD_BOUNCE_CODES = new Set([
  '21211', // Invalid 'To' phone number
  '21614', // 'To' number is not a valid mobile number
]);

/** Twilio's "Too Many Requests" error code, sent with HTTP 429. */
const TOO_MANY_REQUESTS = '20429';

export class TwilioSmsAdapter implements ChannelAdapter<SmsMessage> {
  readonly channel = 'sms' as const;
  readonly provider = 'twilio';
  private readonly http: ProviderHttp;

  constructor(private readonly options: TwilioOptions) {
    this.http = new ProviderHttp(options.baseUrl ?? 'https://api.twilio.com', options);
  }

  async send(message: SmsMessage, ctx: SendContext): Promise<SendResult> {
    if (e164Digits(message.to) === undefined) return notE164(message.to);
    const form = new URLSearchParams({ To: message.to });
    if (this.options.messagingServiceSid) form.set('MessagingServiceSid', this.options.messagingServiceSid);
    else form.set('From', message.from);
    form.set('Body', message.text);
    if (this.options.statusCallbackUrl) {
      const callback = new URL(this.options.statusCallbackUrl);
      callback.searchParams.set('wasl_id', message.id);
      form.set('StatusCallback', callback.href);
    }
    const { accountSid, authToken } = this.options;
    const outcome = await this.http.post(
      {
        path: `/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`,
        headers: {
          authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: form.toString(),
      },
      ctx,
    );
    if (outcome.kind === 'refused') return outcome.refusal;
    return readTwilioAnswer(outcome.status, outcome.body);
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

/** Maps Twilio's answer: 201 with the Message resource, or an error object {code, message, status}. */
export function readTwilioAnswer(status: number, body: string): SendResult {
  const json = parseJson(body);
  if (status >= 200 && status < 300) {
    if (isRecord(json) && typeof json.sid === 'string' && json.sid !== '') {
      return {
        ok: true,
        providerMessageId: json.sid,
        response: `${status} ${String(json.status ?? '')}`.trim(),
      };
    }
    return refused(false, 'bad_response', `HTTP ${status} without a message sid: ${excerpt(body)}`);
  }
  const code = isRecord(json) && json.code !== undefined && json.code !== null ? String(json.code) : '';
  const reason = isRecord(json) && typeof json.message === 'string' ? json.message : excerpt(body);
  if (code === '') return refused(retryableStatus(status), `http_${status}`, reason);
  if (retryableStatus(status) || code === TOO_MANY_REQUESTS) return refused(true, code, reason);
  return refused(false, code, reason, HARD_BOUNCE_CODES.has(code) ? 'hard' : undefined);
}

// ---- Status callbacks ----------------------------------------------------

/** The X-Twilio-Signature Twilio computes for a form POST to `url`. */
export function twilioSignature(url: string, params: Record<string, string>, authToken: string): string {
  const data =
    url +
    Object.keys(params)
      .sort()
      .map((key) => key + params[key])
      .join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Callback error codes (30xxx) that say the handset or number cannot take messages. */
const CALLBACK_BOUNCES: Record<string, 'hard' | 'soft'> = {
  '30003': 'soft', // Unreachable destination handset (switched off, out of coverage)
  '30005': 'hard', // Unknown destination handset
  '30006': 'hard', // Landline or unreachable carrier
};

/** Statuses before or at hand-off to the carrier: already known to Wasl, no report. */
const IN_FLIGHT = new Set(['accepted', 'scheduled', 'queued', 'sending', 'sent']);

/**
 * Verifies and reads one Twilio status callback. `url` is the full URL Twilio
 * posted to (scheme, host, path and query, as configured); `params` the
 * decoded form fields.
 */
export function parseTwilioStatus(
  url: string,
  params: Record<string, string>,
  signatureHeader: string | undefined,
  authToken: string,
  now: number = Date.now(),
): Result<StatusReport[]> {
  if (!signatureHeader) {
    return err(problem('unauthorized', 'X-Twilio-Signature header is missing', 'X-Twilio-Signature'));
  }
  if (!safeEqual(twilioSignature(url, params, authToken), signatureHeader)) {
    return err(
      problem('unauthorized', 'X-Twilio-Signature does not match the request', 'X-Twilio-Signature'),
    );
  }
  const sid = params.MessageSid;
  if (!sid) return err(problem('invalid', 'MessageSid is missing', 'MessageSid'));
  const status = params.MessageStatus;
  if (!status) return err(problem('invalid', 'MessageStatus is missing', 'MessageStatus'));
  const errorCode = params.ErrorCode ?? '';
  if (errorCode !== '' && !/^\d+$/.test(errorCode)) {
    return err(problem('invalid', `ErrorCode '${errorCode}' is not a number`, 'ErrorCode'));
  }
  const base: StatusReport = { status: 'delivered', at: now, providerMessageId: sid };
  const messageId = new URL(url).searchParams.get('wasl_id');
  if (messageId) base.messageId = messageId;
  if (params.To) base.recipient = params.To;
  const detail = { event: status, ...(errorCode ? { errorCode } : {}) };
  switch (status) {
    case 'delivered':
      return ok([{ ...base, status: 'delivered', detail }]);
    case 'read':
      return ok([{ ...base, status: 'opened', detail }]);
    case 'undelivered':
    case 'failed':
    case 'canceled': {
      const kind = CALLBACK_BOUNCES[errorCode];
      if (kind) {
        return ok([
          { ...base, status: 'bounced', bounce: { kind, code: errorCode, reason: status }, detail },
        ]);
      }
      return ok([{ ...base, status: 'failed', detail }]);
    }
    default:
      if (IN_FLIGHT.has(status)) return ok([]);
      return err(
        problem('invalid', `MessageStatus '${status}' is not a Twilio message status`, 'MessageStatus'),
      );
  }
}
