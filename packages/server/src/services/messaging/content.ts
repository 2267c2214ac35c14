/**
 * What a message row's `content` JSON holds: a template reference with its
 * variables, or (for transactional and system messages) the message itself:
 * subject, HTML and text for email, `{ text }` for SMS and WhatsApp; for
 * WhatsApp also an approved template `{ whatsappTemplate }` or `{ media }`;
 * `{ title, body }` for web push.
 * Parsed with zod; a bad value is an error naming the field.
 */
import { err, ok, problem, type Result } from '@wasl/core';
import { z } from 'zod';

export const TemplateContent = z
  .strictObject({
    templateId: z.string().min(1).max(100),
    topicId: z.string().min(1).max(100).optional(),
    senderId: z.string().min(1).max(100).optional(),
    variables: z.record(z.string(), z.unknown()).optional(),
    /** Marketing email: rewrite links for click tracking and add the open pixel. Default true. */
    track: z.boolean().optional(),
    /** UTM parameters added to every link that lacks them; a campaign's own by default. */
    utm: z
      .strictObject({
        source: z.string().min(1).max(200),
        medium: z.string().min(1).max(200),
        campaign: z.string().min(1).max(200),
        content: z.string().min(1).max(200).optional(),
        term: z.string().min(1).max(200).optional(),
      })
      .optional(),
    /** Web push: the link the notification opens, and its icon. */
    url: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
    icon: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .optional(),
  })
  .meta({ id: 'TemplateMessageContent' });

export const Mailbox = z.strictObject({
  address: z.email(),
  name: z.string().max(200).optional(),
});

export const InlineContent = z
  .strictObject({
    subject: z.string().min(1).max(998),
    html: z.string().min(1).max(500_000),
    text: z.string().min(1).max(500_000),
    /** The sender; the workspace's sender identity (or the instance's default) when absent. */
    from: Mailbox.optional(),
    topicId: z.string().min(1).max(100).optional(),
  })
  .meta({ id: 'InlineMessageContent' });

export const SmsTextContent = z
  .strictObject({
    /** The text as it goes out: an SMS (long texts go as several parts) or a free-form WhatsApp message. */
    text: z.string().min(1).max(1600),
    topicId: z.string().min(1).max(100).optional(),
  })
  .meta({ id: 'SmsTextMessageContent' });

/** A link WhatsApp fetches the media from: public http(s). */
const MediaLink = z.url({ protocol: /^https?$/ }).max(2000);

/**
 * A template approved in WhatsApp Manager, sent by name and language code;
 * each parameter is Liquid rendered per contact into the body's {{1}}, {{2}}, ….
 * Allowed at any time (outside the 24-hour customer-service window too).
 */
export const WhatsAppTemplateContent = z
  .strictObject({
    whatsappTemplate: z.strictObject({
      name: z
        .string()
        .regex(/^[a-z0-9_]{1,512}$/, 'must be the approved template name: lower-case letters, digits and _'),
      language: z
        .string()
        .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a WhatsApp language code such as ar or en_US'),
      /** Liquid, one per body placeholder in order; a value that renders empty skips the message. */
      parameters: z.array(z.string().min(1).max(1024)).max(100).default([]),
      headerMedia: z
        .strictObject({ kind: z.enum(['image', 'video', 'document']), link: MediaLink })
        .optional(),
    }),
    topicId: z.string().min(1).max(100).optional(),
  })
  .meta({ id: 'WhatsAppTemplateMessageContent' });

/** A free-form WhatsApp media message (inside the customer-service window only); the caption is sent as written. */
export const WhatsAppMediaContent = z
  .strictObject({
    media: z
      .strictObject({
        kind: z.enum(['image', 'video', 'document', 'audio']),
        link: MediaLink,
        caption: z.string().min(1).max(1024).optional(),
      })
      .refine((m) => m.kind !== 'audio' || m.caption === undefined, {
        message: 'audio cannot have a caption',
        path: ['caption'],
      }),
    topicId: z.string().min(1).max(100).optional(),
  })
  .meta({ id: 'WhatsAppMediaMessageContent' });

/** A link a notification opens or shows: https (or http for a site still without TLS). */
const PushLink = z.url({ protocol: /^https?$/ }).max(2000);

/**
 * A web push notification as it goes out (not rendered): what the service
 * worker shows. Without `dir`, right-to-left when the text has Arabic
 * letters; without `lang`, the subscribing browser's language.
 */
export const WebPushContent = z
  .strictObject({
    title: z.string().min(1).max(250),
    body: z.string().max(2000),
    url: PushLink.optional().meta({ description: 'Opened when the notification is clicked' }),
    icon: PushLink.optional(),
    dir: z.enum(['rtl', 'ltr']).optional(),
    lang: z.string().min(2).max(35).optional(),
    topicId: z.string().min(1).max(100).optional(),
  })
  .meta({ id: 'WebPushMessageContent' });

/** The forms, in the order meantForm numbers them. */
const FORMS = [
  TemplateContent,
  InlineContent,
  SmsTextContent,
  WhatsAppTemplateContent,
  WhatsAppMediaContent,
  WebPushContent,
] as const;

/**
 * Which form a content value means: 0 a template reference, 1 an inline email,
 * 2 a text (SMS or WhatsApp), 3 a WhatsApp approved template, 4 WhatsApp media,
 * 5 a web push notification.
 */
function meantForm(input: unknown): 0 | 1 | 2 | 3 | 4 | 5 {
  if (typeof input !== 'object' || input === null) return 1;
  if ('templateId' in input) return 0;
  if ('whatsappTemplate' in input) return 3;
  if ('media' in input) return 4;
  if ('title' in input) return 5;
  return 'text' in input && !('subject' in input) && !('html' in input) ? 2 : 1;
}

/** Names the field at fault in the form the input meant (a template reference when it has templateId). */
export const MessageContent = z.union(FORMS, {
  error: (issue) => {
    if (issue.code !== 'invalid_union') return undefined;
    const input = issue.input;
    const meant = meantForm(input);
    const first = issue.errors[meant]?.[0];
    if (!first) return undefined;
    const field = first.path.map(String).join('.');
    const parent = first.path
      .slice(0, -1)
      .reduce<unknown>(
        (value, key) =>
          typeof value === 'object' && value !== null
            ? (value as Record<PropertyKey, unknown>)[key]
            : undefined,
        input,
      );
    const missing =
      first.code === 'invalid_type' &&
      typeof parent === 'object' &&
      parent !== null &&
      first.path.length > 0 &&
      !(String(first.path[first.path.length - 1]) in parent);
    if (missing)
      return meant !== 0 && first.path.length === 1
        ? `${field} is required (or give templateId to send a template)`
        : `${field} is required`;
    return field ? `${field}: ${first.message}` : first.message;
  },
});
export type MessageContent = z.output<typeof MessageContent>;
export type TemplateContent = z.output<typeof TemplateContent>;
export type InlineContent = z.output<typeof InlineContent>;
export type SmsTextContent = z.output<typeof SmsTextContent>;
export type WhatsAppTemplateContent = z.output<typeof WhatsAppTemplateContent>;
export type WhatsAppMediaContent = z.output<typeof WhatsAppMediaContent>;
export type WebPushContent = z.output<typeof WebPushContent>;

export const isTemplateContent = (c: MessageContent): c is TemplateContent => 'templateId' in c;
export const isSmsText = (c: MessageContent): c is SmsTextContent => 'text' in c && !('html' in c);
/** A template reference or an inline email: the forms an email can be built from. */
export const isEmailContent = (c: MessageContent): c is TemplateContent | InlineContent =>
  'templateId' in c || 'html' in c;
export const isWhatsAppTemplate = (c: MessageContent): c is WhatsAppTemplateContent =>
  'whatsappTemplate' in c;
export const isWhatsAppMedia = (c: MessageContent): c is WhatsAppMediaContent => 'media' in c;
export const isWebPushContent = (c: MessageContent): c is WebPushContent => 'title' in c;

/**
 * Whether a content form fits a channel: templates fit any, inline email fits
 * email, a text fits SMS and WhatsApp, approved templates and media fit WhatsApp,
 * a notification (and a template with url or icon) fits web push.
 */
export function contentFits(c: MessageContent, channel: string): boolean {
  if (isTemplateContent(c)) return (c.url === undefined && c.icon === undefined) || channel === 'webpush';
  if (isSmsText(c)) return channel === 'sms' || channel === 'whatsapp';
  if (isWhatsAppTemplate(c) || isWhatsAppMedia(c)) return channel === 'whatsapp';
  if (isWebPushContent(c)) return channel === 'webpush';
  return channel === 'email';
}

/** A stored content JSON as a value, or a problem naming the field at fault. */
export function parseContent(json: string): Result<MessageContent> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return err(problem('invalid', 'content is not JSON', 'content'));
  }
  // Picked by shape, so a problem names the field of the form meant rather than "no union member matched".
  const schema = FORMS[meantForm(raw)];
  const parsed = schema.safeParse(raw);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  const path = ['content', ...(issue?.path ?? []).map(String)].join('.');
  return err(problem('invalid', `${path}: ${issue?.message ?? 'invalid'}`, path));
}
