/**
 * What a message row's `content` JSON holds: a template reference with its
 * variables, or (for transactional and system messages) the message itself:
 * subject, HTML and text for email, `{ text }` for SMS.
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
    /** The SMS text as it goes out (long texts go as several parts). */
    text: z.string().min(1).max(1600),
    topicId: z.string().min(1).max(100).optional(),
  })
  .meta({ id: 'SmsTextMessageContent' });

/** Which form a content value means: 0 a template reference, 1 an inline email, 2 an SMS text. */
function meantForm(input: unknown): 0 | 1 | 2 {
  if (typeof input !== 'object' || input === null) return 1;
  if ('templateId' in input) return 0;
  return 'text' in input && !('subject' in input) && !('html' in input) ? 2 : 1;
}

/** Names the field at fault in the form the input meant (a template reference when it has templateId). */
export const MessageContent = z.union([TemplateContent, InlineContent, SmsTextContent], {
  error: (issue) => {
    if (issue.code !== 'invalid_union') return undefined;
    const input = issue.input;
    const meant = meantForm(input);
    const first = issue.errors[meant]?.[0];
    if (!first) return undefined;
    const field = first.path.map(String).join('.');
    const missing =
      first.code === 'invalid_type' &&
      typeof input === 'object' &&
      input !== null &&
      first.path.length === 1 &&
      !(String(first.path[0]) in input);
    if (missing)
      return meant === 0
        ? `${field} is required`
        : `${field} is required (or give templateId to send a template)`;
    return field ? `${field}: ${first.message}` : first.message;
  },
});
export type MessageContent = z.output<typeof MessageContent>;
export type TemplateContent = z.output<typeof TemplateContent>;
export type InlineContent = z.output<typeof InlineContent>;
export type SmsTextContent = z.output<typeof SmsTextContent>;

export const isTemplateContent = (c: MessageContent): c is TemplateContent => 'templateId' in c;
export const isSmsText = (c: MessageContent): c is SmsTextContent => !('templateId' in c) && !('html' in c);

/** Whether a content form fits a channel: templates fit any, inline email fits email, SMS text fits SMS. */
export function contentFits(c: MessageContent, channel: string): boolean {
  return isTemplateContent(c) || (isSmsText(c) ? channel === 'sms' : channel === 'email');
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
  const schema = [TemplateContent, InlineContent, SmsTextContent][meantForm(raw)] ?? InlineContent;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  const path = ['content', ...(issue?.path ?? []).map(String)].join('.');
  return err(problem('invalid', `${path}: ${issue?.message ?? 'invalid'}`, path));
}
