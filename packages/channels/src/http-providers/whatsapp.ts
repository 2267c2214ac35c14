/**
 * WhatsApp through Meta's WhatsApp Business Cloud API: the send adapter
 * (templates, free-form text and media), the parser for the signed
 * `whatsapp_business_account` webhooks (statuses and inbound messages), and
 * the GET subscription handshake.
 */
import { createHmac } from 'node:crypto';
import { err, ok, type Problem, problem, type Result } from '@wasl/core';
import type { ChannelAdapter, SendContext, SendResult, StatusReport, WhatsAppMessage } from '../types.ts';
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

export interface WhatsAppOptions extends HttpOptions {
  /** A system-user access token with whatsapp_business_messaging. */
  accessToken: string;
  /** The sending number's id in the Cloud API (not the number itself). */
  phoneNumberId: string;
  /** Default v21.0. */
  apiVersion?: string;
  /** Default https://graph.facebook.com. */
  baseUrl?: string;
}

/** Error codes worth another try later: throttling and Meta-side trouble. */
const RETRYABLE_CODES = new Set([
  '4', // Application request limit reached
  '80007', // WhatsApp Business Account rate limit
  '130429', // Cloud API throughput rate limit hit
  '131056', // Pair rate limit: too many messages to the same number
  '131000', // Something went wrong
  '131016', // Service unavailable
  '133004', // Server temporarily unavailable
]);

/** Error codes that say the recipient cannot get WhatsApp messages at all. */
const HARD_BOUNCE_CODES = new Set([
  '131026', // Message undeliverable: not a WhatsApp user, or terms not accepted
]);

type Body = Record<string, unknown>;

/** The JSON body of POST /{phone-number-id}/messages, or a problem naming the field at fault. */
export function whatsAppRequestBody(message: WhatsAppMessage): Result<Body> {
  const base: Body = { messaging_product: 'whatsapp', recipient_type: 'individual', to: message.to };
  const kinds = [message.template, message.text, message.media].filter((part) => part !== undefined).length;
  if (kinds !== 1) {
    return err(problem('invalid', 'exactly one of template, text or media must be given', 'template'));
  }
  if (message.template) {
    const { name, language, parameters, headerMedia } = message.template;
    if (!name) return err(problem('invalid', 'template.name is empty', 'template.name'));
    if (!language) return err(problem('invalid', 'template.language is empty', 'template.language'));
    const components: Body[] = [];
    if (headerMedia) {
      components.push({
        type: 'header',
        parameters: [{ type: headerMedia.kind, [headerMedia.kind]: { link: headerMedia.link } }],
      });
    }
    if (parameters.length > 0) {
      components.push({ type: 'body', parameters: parameters.map((text) => ({ type: 'text', text })) });
    }
    const template: Body = { name, language: { code: language } };
    if (components.length > 0) template.components = components;
    return ok({ ...base, type: 'template', template });
  }
  if (message.text !== undefined) {
    if (message.text.trim() === '') return err(problem('invalid', 'text is empty', 'text'));
    return ok({ ...base, type: 'text', text: { preview_url: false, body: message.text } });
  }
  const media = message.media!;
  const object: Body = { link: media.link };
  if (media.caption !== undefined) {
    if (media.kind === 'audio')
      return err(problem('invalid', 'audio media cannot have a caption', 'media.caption'));
    object.caption = media.caption;
  }
  return ok({ ...base, type: media.kind, [media.kind]: object });
}

export class WhatsAppAdapter implements ChannelAdapter<WhatsAppMessage> {
  readonly channel = 'whatsapp' as const;
  readonly provider = 'whatsapp-cloud';
  private readonly http: ProviderHttp;

  constructor(private readonly options: WhatsAppOptions) {
    this.http = new ProviderHttp(options.baseUrl ?? 'https://graph.facebook.com', options);
  }

  async send(message: WhatsAppMessage, ctx: SendContext): Promise<SendResult> {
    if (e164Digits(message.to) === undefined) return notE164(message.to);
    const body = whatsAppRequestBody(message);
    if (!body.ok) return refused(false, 'invalid_message', `${body.error.field}: ${body.error.message}`);
    const version = this.options.apiVersion ?? 'v21.0';
    const outcome = await this.http.post(
      {
        path: `/${version}/${encodeURIComponent(this.options.phoneNumberId)}/messages`,
        headers: {
          authorization: `Bearer ${this.options.accessToken}`,
          'content-type': 'application/json',
          accept: 'application/json',
        },
        body: JSON.stringify(body.value),
      },
      ctx,
    );
    if (outcome.kind === 'refused') return outcome.refusal;
    return readWhatsAppAnswer(outcome.status, outcome.body);
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

/** Maps the Graph API answer: {messages:[{id}]} or {error:{code, message, error_subcode}}. */
export function readWhatsAppAnswer(status: number, body: string): SendResult {
  const json = parseJson(body);
  const answer = isRecord(json) ? json : {};
  if (status >= 200 && status < 300) {
    const first = Array.isArray(answer.messages) ? answer.messages[0] : undefined;
    if (isRecord(first) && typeof first.id === 'string' && first.id !== '') {
      const state = typeof first.message_status === 'string' ? ` ${first.message_status}` : '';
      return { ok: true, providerMessageId: first.id, response: `${status}${state}` };
    }
    return refused(false, 'bad_response', `HTTP ${status} without messages[0].id: ${excerpt(body)}`);
  }
  const error = isRecord(answer.error) ? answer.error : undefined;
  if (!error || error.code === undefined) {
    return refused(retryableStatus(status), `http_${status}`, excerpt(body) || `HTTP ${status}`);
  }
  const code = String(error.code);
  const sub = error.error_subcode === undefined ? '' : ` (subcode ${String(error.error_subcode)})`;
  const reason = `${typeof error.message === 'string' ? error.message : `error ${code}`}${sub}`;
  if (RETRYABLE_CODES.has(code) || retryableStatus(status)) return refused(true, code, reason);
  return refused(false, code, reason, HARD_BOUNCE_CODES.has(code) ? 'hard' : undefined);
}

// ---- Webhooks ------------------------------------------------------------

/** The X-Hub-Signature-256 header Meta sends for a body. */
export const whatsAppSignature = (rawBody: string | Buffer, appSecret: string): string =>
  `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;

/** A tiny opt-out check for inbound replies; the SMS keyword module has the full list. */
const STOP_WORDS = new Set(['stop', 'unsubscribe', 'إلغاء', 'الغاء', 'إيقاف', 'ايقاف']);
export const isStopWord = (text: string): boolean => STOP_WORDS.has(text.trim().toLowerCase());

const invalid = (field: string, message: string): { ok: false; error: Problem } =>
  err(problem('invalid', `${field}: ${message}`, field));

/** Epoch ms from a Graph timestamp (epoch seconds, as a string). */
function epochMs(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const seconds = Number(value);
  return String(value).trim() !== '' && Number.isInteger(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

function readStatus(value: unknown, at: string): Result<StatusReport | undefined> {
  if (!isRecord(value)) return invalid(at, 'is not an object');
  const { id, status, recipient_id: recipientId } = value;
  if (typeof id !== 'string' || id === '') return invalid(`${at}.id`, 'is missing');
  if (typeof status !== 'string') return invalid(`${at}.status`, 'is missing');
  const time = epochMs(value.timestamp);
  if (time === undefined)
    return invalid(`${at}.timestamp`, `'${String(value.timestamp)}' is not epoch seconds`);
  if (typeof recipientId !== 'string' || !/^\d+$/.test(recipientId)) {
    return invalid(`${at}.recipient_id`, `'${String(recipientId)}' is not a phone number`);
  }
  const report: StatusReport = {
    status: 'delivered',
    at: time,
    providerMessageId: id,
    recipient: `+${recipientId}`,
    detail: { event: status },
  };
  switch (status) {
    case 'delivered':
      return ok(report);
    case 'read':
      return ok({ ...report, status: 'opened' });
    case 'failed': {
      const first = Array.isArray(value.errors) ? value.errors[0] : undefined;
      const code = isRecord(first) && first.code !== undefined ? String(first.code) : '';
      const title = isRecord(first) && typeof first.title === 'string' ? first.title : 'failed';
      const detail = { event: status, ...(code ? { errorCode: code, error: title } : {}) };
      if (HARD_BOUNCE_CODES.has(code)) {
        return ok({ ...report, status: 'bounced', bounce: { kind: 'hard', code, reason: title }, detail });
      }
      return ok({ ...report, status: 'failed', detail });
    }
    default:
      // 'sent' is already known; statuses Meta may add later are not Wasl's business.
      return ok(undefined);
  }
}

/** The words of an inbound message: its text, a quick-reply button, or an interactive choice. */
function inboundText(value: Record<string, unknown>): string | undefined {
  const pick = (object: unknown, key: string): string | undefined =>
    isRecord(object) && typeof object[key] === 'string' ? object[key] : undefined;
  switch (value.type) {
    case 'text':
      return pick(value.text, 'body');
    case 'button':
      return pick(value.button, 'text');
    case 'interactive': {
      const interactive = isRecord(value.interactive) ? value.interactive : {};
      return pick(interactive.button_reply, 'title') ?? pick(interactive.list_reply, 'title');
    }
    default:
      return undefined;
  }
}

function readInbound(value: unknown, at: string): Result<StatusReport> {
  if (!isRecord(value)) return invalid(at, 'is not an object');
  const { from, id, type } = value;
  if (typeof from !== 'string' || !/^\d+$/.test(from)) {
    return invalid(`${at}.from`, `'${String(from)}' is not a phone number`);
  }
  if (typeof id !== 'string' || id === '') return invalid(`${at}.id`, 'is missing');
  if (typeof type !== 'string') return invalid(`${at}.type`, 'is missing');
  const time = epochMs(value.timestamp);
  if (time === undefined)
    return invalid(`${at}.timestamp`, `'${String(value.timestamp)}' is not epoch seconds`);
  const text = inboundText(value);
  if (type === 'text' && text === undefined) return invalid(`${at}.text.body`, 'is missing');
  const report: StatusReport = {
    status: text !== undefined && isStopWord(text) ? 'unsubscribed' : 'replied',
    at: time,
    recipient: `+${from}`,
    detail: { event: 'message', type, inboundId: id, ...(text !== undefined ? { text } : {}) },
  };
  const context = isRecord(value.context) ? value.context : undefined;
  if (context && typeof context.id === 'string') report.providerMessageId = context.id;
  return ok(report);
}

/**
 * Verifies X-Hub-Signature-256 over the raw body (timing-safe) and turns a
 * `whatsapp_business_account` webhook into reports: delivered, read →
 * opened, failed (131026 → hard bounce), inbound messages → replied, or
 * unsubscribed for a stop word. `sent` gives no report.
 */
export function parseWhatsAppWebhook(
  rawBody: string | Buffer,
  signatureHeader: string | undefined,
  appSecret: string,
): Result<StatusReport[]> {
  if (!signatureHeader) {
    return err(problem('unauthorized', 'X-Hub-Signature-256 header is missing', 'X-Hub-Signature-256'));
  }
  if (!safeEqual(whatsAppSignature(rawBody, appSecret), signatureHeader)) {
    return err(problem('unauthorized', 'X-Hub-Signature-256 does not match the body', 'X-Hub-Signature-256'));
  }
  const json = parseJson(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'));
  if (!isRecord(json)) return invalid('body', 'is not a JSON object');
  if (json.object !== 'whatsapp_business_account') {
    return invalid('object', `'${String(json.object)}' is not 'whatsapp_business_account'`);
  }
  if (!Array.isArray(json.entry)) return invalid('entry', 'is not an array');
  const reports: StatusReport[] = [];
  for (const [e, entry] of json.entry.entries()) {
    const changes = isRecord(entry) ? entry.changes : undefined;
    if (!Array.isArray(changes)) return invalid(`entry[${e}].changes`, 'is not an array');
    for (const [c, change] of changes.entries()) {
      const at = `entry[${e}].changes[${c}]`;
      if (!isRecord(change) || !isRecord(change.value)) return invalid(`${at}.value`, 'is not an object');
      if (change.field !== undefined && change.field !== 'messages') continue;
      const { statuses = [], messages = [] } = change.value;
      if (!Array.isArray(statuses)) return invalid(`${at}.value.statuses`, 'is not an array');
      if (!Array.isArray(messages)) return invalid(`${at}.value.messages`, 'is not an array');
      for (const [s, status] of statuses.entries()) {
        const report = readStatus(status, `${at}.value.statuses[${s}]`);
        if (!report.ok) return report;
        if (report.value) reports.push(report.value);
      }
      for (const [m, message] of messages.entries()) {
        const report = readInbound(message, `${at}.value.messages[${m}]`);
        if (!report.ok) return report;
        reports.push(report.value);
      }
    }
  }
  return ok(reports);
}

/**
 * The GET handshake Meta makes when the webhook is set up: answers the
 * challenge when hub.mode is 'subscribe' and hub.verify_token matches.
 */
export function verifyWhatsAppSubscription(
  query: URLSearchParams | Record<string, string | undefined>,
  expectedToken: string,
): Result<string> {
  const get = (name: string) =>
    query instanceof URLSearchParams ? (query.get(name) ?? undefined) : query[name];
  const mode = get('hub.mode');
  if (mode !== 'subscribe') return invalid('hub.mode', `'${mode ?? ''}' is not 'subscribe'`);
  const token = get('hub.verify_token') ?? '';
  if (!safeEqual(token, expectedToken)) {
    return err(problem('forbidden', 'hub.verify_token does not match', 'hub.verify_token'));
  }
  const challenge = get('hub.challenge');
  if (!challenge) return invalid('hub.challenge', 'is missing');
  return ok(challenge);
}
