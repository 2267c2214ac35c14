/**
 * The SMS half of the composer: once compose.ts has run the checks every
 * channel shares (contact, `sendableAddress`, frequency cap, quiet hours),
 * builds the SmsMessage from an 'sms' template (rendered per contact) or a
 * transactional `{ text }`. The sender is the instance's WASL_SMS_SENDER.
 * No opt-out text is added: a marketing SMS carries one only when its
 * template does, so Arabic messages are not lengthened or mixed with Latin.
 */
import type { SmsMessage } from '@wasl/channels';
import { renderSmsTemplate } from '@wasl/channels/templates';
import type { Database, MessageRow } from '@wasl/store';
import type { Kysely } from 'kysely';
import { isSmsText, isTemplateContent, type MessageContent } from './content.ts';
import type { TemplateCache } from './template-cache.ts';

export interface SmsComposition {
  db: Kysely<Database>;
  templates: TemplateCache;
  /** WASL_SMS_SENDER; without it SMS is skipped. */
  sender: string | undefined;
}

/** The SmsMessage for a checked row, or the reason to skip it. */
export async function composeSms(
  o: SmsComposition,
  row: MessageRow,
  content: MessageContent,
  to: string,
  context: Record<string, unknown>,
): Promise<{ message: SmsMessage } | { reason: string }> {
  if (!o.sender) return { reason: 'no_sender: WASL_SMS_SENDER is not set' };
  let text: string;
  if (isTemplateContent(content)) {
    const rendered = await renderTextTemplate(o, row, 'sms', content.templateId, context);
    if ('reason' in rendered) return rendered;
    text = rendered.text;
  } else if (isSmsText(content)) {
    text = content.text;
  } else {
    return { reason: 'invalid_content: an sms message needs templateId or text' };
  }
  if (text.trim() === '') return { reason: 'empty_text: the rendered SMS has no text' };
  return { message: { id: row.id, from: o.sender, to, text } };
}

/** A text template (SMS or WhatsApp) of the row's workspace, rendered for one contact, or why not. */
export async function renderTextTemplate(
  o: { db: Kysely<Database>; templates: TemplateCache },
  row: MessageRow,
  channel: 'sms' | 'whatsapp',
  templateId: string,
  context: Record<string, unknown>,
): Promise<{ text: string } | { reason: string }> {
  const template = await o.db
    .selectFrom('message_templates')
    .selectAll()
    .where('workspace_id', '=', row.workspace_id)
    .where('id', '=', templateId)
    .where('channel', '=', channel)
    .executeTakeFirst();
  if (!template) return { reason: `template_not_found: no ${channel} template has the id "${templateId}"` };
  const compiled = await o.templates.compiledSms(template);
  if (!compiled.ok) return { reason: `template_invalid: ${compiled.error.message}` };
  const rendered = renderSmsTemplate(compiled.value, context);
  return rendered.ok ? { text: rendered.value } : { reason: `render_failed: ${rendered.error.message}` };
}
