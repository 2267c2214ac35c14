/**
 * SMS through the Vonage (Nexmo) SMS API, POST /sms/json: the send adapter,
 * and the parser for its delivery receipts (DLR webhooks), with the optional
 * signed-webhook check (`sig`, per Vonage's signature secret).
 */
import { createHash, createHmac } from 'node:crypto';
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

export interface VonageOptions extends HttpOptions {
  apiKey: string;
  apiSecret: string;
  /** Per-message DLR webhook URL; the account's default is used when absent. */
  callbackUrl?: string;
  /** Default https://rest.nexmo.com. */
  baseUrl?: string;
}

// GSM 03.38 default alphabet and its extension table (the extension characters cost two septets).
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '\f^{}\\[~]|€';
const GSM7 = new Set([...GSM7_BASIC, ...GSM7_EXTENSION]);

/** True when every character is in the GSM-7 alphabet, so Vonage can send it as `type=text`. */
export const isGsm7 = (text: string): boolean => [...text].every((ch) => GSM7.has(ch));

/** Send-response statuses worth another try later. */
const RETRYABLE_STATUSES = new Set([
  '1', // Throttled
  '5', // Internal Error
  '9', // Partner Quota Violation: out of credit until the balance is topped up
]);

/** Send-response statuses that say the destination number itself is unusable. */
const HARD_BOUNCE_STATUSES = new Set([
  '6', // Invalid Message: unrecognised number prefix (unroutable)
  '7', // Number Barred
  '33', // Number De-activated
]);

export class VonageSmsAdapter implements ChannelAdapter<SmsMessage> {
  readonly channel = 'sms' as const;
  readonly provider = 'vonage';
  private readonly http: ProviderHttp;

  constructor(private readonly options: VonageOptions) {
    this.http = new ProviderHttp(options.baseUrl ?? 'https://rest.nexmo.com', options);
  }

  async send(message: SmsMessage, ctx: SendContext): Promise<SendResult> {
    const to = e164Digits(message.to);
    if (to === undefined) return notE164(message.to);
    const form = new URLSearchParams({
      api_key: this.options.apiKey,
      api_secret: this.options.apiSecret,
      from: e164Digits(message.from) ?? message.from,
      to,
      text: message.text,
      type: isGsm7(message.text) ? 'text' : 'unicode',
      'client-ref': message.id,
    });
    if (this.options.callbackUrl) form.set('callback', this.options.callbackUrl);
    const outcome = await this.http.post(
      {
        path: '/sms/json',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      },
      ctx,
    );
    if (outcome.kind === 'refused') return outcome.refusal;
    return readVonageAnswer(outcome.status, outcome.body);
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

/**
 * Maps Vonage's answer: HTTP 200 with {message-count, messages:[{status,
 * message-id, error-text}]}, one entry per SMS part; status "0" is success.
 * A long text gives several parts: the first part's id is the provider id.
 */
export function readVonageAnswer(status: number, body: string): SendResult {
  const json = parseJson(body);
  const parts = isRecord(json) && Array.isArray(json.messages) ? json.messages.filter(isRecord) : [];
  if (status < 200 || status >= 300 || parts.length === 0) {
    const reason = parts.length === 0 ? excerpt(body) : `HTTP ${status}`;
    return refused(retryableStatus(status), `http_${status}`, reason || `HTTP ${status}`);
  }
  const failed = parts.find((part) => String(part.status) !== '0');
  if (failed) {
    const code = String(failed.status);
    const reason = typeof failed['error-text'] === 'string' ? failed['error-text'] : `status ${code}`;
    if (RETRYABLE_STATUSES.has(code)) return refused(true, code, reason);
    return refused(false, code, reason, HARD_BOUNCE_STATUSES.has(code) ? 'hard' : undefined);
  }
  const ids = parts.map((part) => part['message-id']).filter((id) => typeof id === 'string' && id !== '');
  const first = ids[0];
  if (typeof first !== 'string') return refused(false, 'bad_response', `no message-id: ${excerpt(body)}`);
  return { ok: true, providerMessageId: first, response: `${parts.length} part(s): ${ids.join(' ')}` };
}

// ---- Delivery receipts ---------------------------------------------------

export type VonageSignatureMethod = 'md5hash' | 'md5' | 'sha1' | 'sha256' | 'sha512';

export interface VonageReceiptOptions {
  /** When set, the receipt must carry a valid `sig` and a fresh `timestamp`. */
  signatureSecret?: string;
  /** The method chosen in the Vonage dashboard. Default md5hash. */
  signatureMethod?: VonageSignatureMethod;
  /** Accepted distance between `timestamp` and now. Default 300 s. */
  maxSkewSeconds?: number;
  now?: number;
}

/**
 * Vonage's request signature: the parameters except `sig`, sorted by name, as
 * `&name=value` with '&' and '=' in values replaced by '_'. md5hash is the
 * lowercase MD5 of that string followed by the secret; the HMAC methods are
 * the uppercase HMAC of the string keyed with the secret.
 */
export function vonageSignature(
  params: Record<string, string>,
  secret: string,
  method: VonageSignatureMethod = 'md5hash',
): string {
  const query = Object.keys(params)
    .filter((key) => key !== 'sig')
    .sort()
    .map((key) => `&${key}=${(params[key] ?? '').replace(/[&=]/g, '_')}`)
    .join('');
  if (method === 'md5hash')
    return createHash('md5')
      .update(query + secret, 'utf8')
      .digest('hex');
  return createHmac(method, secret).update(query, 'utf8').digest('hex').toUpperCase();
}

/** DLR err-code values that say the number itself cannot take messages. */
const DLR_BOUNCES: Record<string, 'hard' | 'soft'> = {
  '2': 'soft', // Absent Subscriber - Temporary
  '3': 'hard', // Absent Subscriber - Permanent
  '7': 'soft', // Handset Busy
  '9': 'hard', // Illegal Number
};

const bounceOf = (kind: 'hard' | 'soft', code: string, reason: string) =>
  code === '' ? { kind, reason } : { kind, code, reason };

/** Intermediate DLR statuses: nothing to report yet. */
const INTERMEDIATE = new Set(['accepted', 'buffered', 'unknown']);

function checkSignature(params: Record<string, string>, options: VonageReceiptOptions, secret: string) {
  const sig = params.sig;
  if (!sig) return err(problem('unauthorized', 'sig is missing from a signed receipt', 'sig'));
  const timestamp = Number(params.timestamp);
  if (!params.timestamp || !Number.isInteger(timestamp)) {
    return err(problem('invalid', `timestamp '${params.timestamp ?? ''}' is not epoch seconds`, 'timestamp'));
  }
  const expected = vonageSignature(params, secret, options.signatureMethod);
  if (!safeEqual(expected.toLowerCase(), sig.toLowerCase())) {
    return err(problem('unauthorized', 'sig does not match the receipt', 'sig'));
  }
  const skew = Math.abs((options.now ?? Date.now()) / 1000 - timestamp);
  if (skew > (options.maxSkewSeconds ?? 300)) {
    return err(
      problem('unauthorized', `timestamp ${timestamp} is ${Math.round(skew)} s away from now`, 'timestamp'),
    );
  }
  return undefined;
}

/** When the receipt says it was sent ("YYYY-MM-DD HH:MM:SS", UTC), or undefined. */
function receiptTime(value: string | undefined): number | undefined {
  if (!value || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return undefined;
  const at = Date.parse(`${value.replace(' ', 'T')}Z`);
  return Number.isNaN(at) ? undefined : at;
}

/**
 * Reads one Vonage delivery receipt, from the query string (GET) or the
 * form/JSON body (POST), as a flat record of strings.
 */
export function parseVonageReceipt(
  params: Record<string, string>,
  options: VonageReceiptOptions = {},
): Result<StatusReport[]> {
  if (options.signatureSecret !== undefined) {
    const bad = checkSignature(params, options, options.signatureSecret);
    if (bad) return bad;
  }
  const providerMessageId = params.messageId;
  if (!providerMessageId) return err(problem('invalid', 'messageId is missing', 'messageId'));
  const status = params.status;
  if (!status) return err(problem('invalid', 'status is missing', 'status'));
  const errCode = params['err-code'] ?? '';
  if (errCode !== '' && !/^\d+$/.test(errCode)) {
    return err(problem('invalid', `err-code '${errCode}' is not a number`, 'err-code'));
  }
  const stamp = params['message-timestamp'];
  const at = receiptTime(stamp);
  if (stamp !== undefined && at === undefined) {
    return err(
      problem('invalid', `message-timestamp '${stamp}' is not YYYY-MM-DD HH:MM:SS`, 'message-timestamp'),
    );
  }
  const base: StatusReport = { status: 'delivered', at: at ?? options.now ?? Date.now(), providerMessageId };
  if (params['client-ref']) base.messageId = params['client-ref'];
  if (params.msisdn) base.recipient = `+${params.msisdn}`;
  const detail = { event: status, ...(errCode ? { errCode } : {}) };
  switch (status) {
    case 'delivered':
      return ok([{ ...base, status: 'delivered', detail }]);
    case 'expired':
      return ok([{ ...base, status: 'bounced', bounce: bounceOf('soft', errCode, status), detail }]);
    case 'failed':
    case 'rejected': {
      const kind = DLR_BOUNCES[errCode];
      if (kind) return ok([{ ...base, status: 'bounced', bounce: bounceOf(kind, errCode, status), detail }]);
      return ok([{ ...base, status: 'failed', detail }]);
    }
    default:
      if (INTERMEDIATE.has(status)) return ok([]);
      return err(problem('invalid', `status '${status}' is not a Vonage DLR status`, 'status'));
  }
}
