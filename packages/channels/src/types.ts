/**
 * The one interface every channel adapter implements: send one message, and
 * turn what the provider reports later (receipts, webhooks, bounce messages)
 * into Wasl's statuses. Adapters know nothing about contacts, consent or the
 * database; the delivery engine does the checks and keeps the state.
 */
import type { Result } from '@wasl/core';

export const CHANNELS = ['email', 'sms', 'whatsapp', 'webpush', 'webhook'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Wasl's message statuses; each one becomes a `message.<status>` event in the events store. */
export const MESSAGE_STATUSES = [
  'queued',
  'sent',
  'delivered',
  'opened',
  'clicked',
  'bounced',
  'complained',
  'failed',
  'unsubscribed',
  'replied',
] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export type BounceKind = 'hard' | 'soft';

/** What one send attempt came to. */
export type SendResult = SendAccepted | SendRefused;

export interface SendAccepted {
  ok: true;
  /** The provider's id for the message (SMTP queue id or Message-ID, SMPP message_id, API id). */
  providerMessageId: string;
  /** The provider's reply, kept in the delivery log, e.g. "250 2.0.0 Ok: queued as 4F1A". */
  response?: string;
}

export interface SendRefused {
  ok: false;
  /** True for temporary failures (SMTP 4xx, throttling, time-outs, a dropped connection): try again later. */
  retryable: boolean;
  /** Short machine code: the SMTP reply code, the SMPP command_status, the provider's error code, or 'timeout', 'connection'. */
  code: string;
  /** The provider's words, for people. */
  reason: string;
  /** Set when the refusal is a bounce of the address itself (SMTP 5.1.1 user unknown: hard). */
  bounce?: BounceKind;
}

export interface SendContext {
  /** Aborted when the worker stops: give up if nothing irrevocable has happened yet. */
  signal: AbortSignal;
  /**
   * Call exactly once, immediately before the point after which the provider
   * may have the message: before the SMTP end-of-data dot, before writing the
   * HTTP request or the submit_sm PDU. It resolves once the engine has
   * recorded that durably. A crash before it means the provider cannot have
   * the message (safe to send again); a crash after it leaves the message in
   * doubt, never sent twice (see docs/decisions/0010).
   */
  commit(): Promise<void>;
}

export interface ChannelAdapter<M> {
  readonly channel: Channel;
  /** The provider's name, used in the delivery log and for rate limits: 'smtp', 'smpp', 'twilio', … */
  readonly provider: string;
  send(message: M, ctx: SendContext): Promise<SendResult>;
  /** Closes pooled connections; sends in progress finish first. */
  close(): Promise<void>;
}

/** A status a provider reported after the send: a receipt, a webhook, a DSN or ARF report. */
export interface StatusReport {
  status: Exclude<MessageStatus, 'queued' | 'sent'>;
  /** Epoch ms when the provider says it happened (the time of receipt when it does not say). */
  at: number;
  /** Wasl's message id when the provider echoes it back (custom args, client_ref, our Message-ID). */
  messageId?: string;
  /** The provider's id, as returned in SendAccepted.providerMessageId. */
  providerMessageId?: string;
  /** The address concerned (email or E.164), when the report names it. */
  recipient?: string;
  bounce?: { kind: BounceKind; code?: string; reason: string };
  /** The clicked URL. */
  url?: string;
  /** Anything else worth keeping in the log (provider event name, diagnostic code, user agent). */
  detail?: Record<string, string | number | boolean>;
}

/**
 * Parses a provider's webhook or report. Malformed input is an error value
 * naming the field that is wrong, never a throw; the HTTP layer answers 400.
 */
export type ReportParser<I> = (input: I) => Result<StatusReport[]>;

// ---- Messages, one shape per channel ------------------------------------

export interface Mailbox {
  address: string;
  /** Display name; any script (Arabic names are encoded per RFC 2047 by the transport). */
  name?: string;
}

export interface EmailMessage {
  /** Wasl's message id. */
  id: string;
  /** The RFC 5322 Message-ID without angle brackets, derived from the idempotency key so a resend keeps it. */
  messageId: string;
  from: Mailbox;
  to: Mailbox;
  replyTo?: Mailbox;
  subject: string;
  html: string;
  text: string;
  /** Extra headers, e.g. List-Unsubscribe, List-Unsubscribe-Post, Feedback-ID. */
  headers: Record<string, string>;
  /** Envelope sender (Return-Path) for bounces; defaults to from.address. */
  returnPath?: string;
}

export interface SmsMessage {
  id: string;
  /** Alphanumeric sender id (at most 11 characters) or a number in E.164. */
  from: string;
  /** E.164, e.g. +966501234567. */
  to: string;
  text: string;
}

export interface WhatsAppMessage {
  id: string;
  /** E.164 */
  to: string;
  /** An approved template (required outside the 24-hour customer-service window). */
  template?: {
    name: string;
    /** e.g. 'ar', 'en_US' */
    language: string;
    /** Body parameters in order ({{1}}, {{2}}, …). */
    parameters: string[];
    /** Optional header media. */
    headerMedia?: { kind: 'image' | 'video' | 'document'; link: string };
  };
  /** A free-form text reply inside the customer-service window. */
  text?: string;
  /** A free-form media reply inside the customer-service window. */
  media?: { kind: 'image' | 'video' | 'document' | 'audio'; link: string; caption?: string };
}

export interface PushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export interface WebPushMessage {
  id: string;
  subscription: PushSubscription;
  /** JSON the service worker shows: title, body, url, icon, dir, lang. */
  payload: string;
  /** Seconds the push service keeps it for an offline device. */
  ttl: number;
  urgency?: 'very-low' | 'low' | 'normal' | 'high';
}

export interface WebhookMessage {
  id: string;
  url: string;
  /** The event type in the body, e.g. 'contact.created'. */
  type: string;
  /** The JSON body, exactly as signed and sent. */
  body: string;
  /** Epoch seconds, signed with the body (Standard Webhooks `webhook-timestamp`): the attempt's time. */
  timestamp: number;
  /** The endpoint's signing secrets ("whsec_…"), two while one is being rotated; else the adapter's secretsFor. */
  secrets?: readonly string[];
}
