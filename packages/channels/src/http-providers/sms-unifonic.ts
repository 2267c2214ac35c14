/**
 * SMS through Unifonic's REST API (POST /rest/SMS/messages on
 * el.cloud.unifonic.com), form-encoded, authenticated by the AppSid field.
 */
import type { ChannelAdapter, SendContext, SendResult, SmsMessage } from '../types.ts';
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
} from './http.ts';

export interface UnifonicOptions extends HttpOptions {
  appSid: string;
  /** Default https://el.cloud.unifonic.com. */
  baseUrl?: string;
}

/** Unifonic errorCode values and HTTP statuses that say the destination number is unusable. */
const HARD_BOUNCE_CODES = new Set([
  'ER-02', // Invalid destination number
  'ER-03', // Invalid destination number (too long)
  'ER-04', // Invalid destination number (too short)
  'http_410', // Invalid recipient format
  'http_482', // Invalid dest num
]);

export class UnifonicSmsAdapter implements ChannelAdapter<SmsMessage> {
  readonly channel = 'sms' as const;
  readonly provider = 'unifonic';
  private readonly http: ProviderHttp;

  constructor(private readonly options: UnifonicOptions) {
    this.http = new ProviderHttp(options.baseUrl ?? 'https://el.cloud.unifonic.com', options);
  }

  async send(message: SmsMessage, ctx: SendContext): Promise<SendResult> {
    const recipient = e164Digits(message.to);
    if (recipient === undefined) return notE164(message.to);
    const form = new URLSearchParams({
      AppSid: this.options.appSid,
      SenderID: e164Digits(message.from) ?? message.from,
      Recipient: recipient,
      Body: message.text,
      responseType: 'JSON',
      CorrelationID: message.id,
    });
    const outcome = await this.http.post(
      {
        path: '/rest/SMS/messages',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      },
      ctx,
    );
    if (outcome.kind === 'refused') return outcome.refusal;
    return readUnifonicAnswer(outcome.status, outcome.body);
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

/**
 * Maps Unifonic's answer: {success: true, data: {MessageID, Status, …}} or
 * {success: false, errorCode: "ER-nn", message}. Request-level errors come
 * with their own HTTP status (401, 402, 410, 429, …).
 */
export function readUnifonicAnswer(status: number, body: string): SendResult {
  const json = parseJson(body);
  const answer = isRecord(json) ? json : {};
  const success = answer.success === true || answer.success === 'true';
  const data = isRecord(answer.data) ? answer.data : {};
  const id = data.MessageID;
  if (status >= 200 && status < 300 && success) {
    if ((typeof id === 'number' || typeof id === 'string') && String(id) !== '') {
      return {
        ok: true,
        providerMessageId: String(id),
        response: `${status} ${String(data.Status ?? '')}`.trim(),
      };
    }
    return refused(false, 'bad_response', `success without a MessageID: ${excerpt(body)}`);
  }
  const errorCode = typeof answer.errorCode === 'string' && answer.errorCode !== '' ? answer.errorCode : '';
  const code = errorCode && errorCode !== 'ER-00' ? errorCode : `http_${status}`;
  const reason =
    typeof answer.message === 'string' && answer.message !== ''
      ? answer.message
      : excerpt(body) || `HTTP ${status}`;
  if (retryableStatus(status)) return refused(true, code, reason);
  const hard = HARD_BOUNCE_CODES.has(code) || HARD_BOUNCE_CODES.has(`http_${status}`);
  return refused(false, code, reason, hard ? 'hard' : undefined);
}
