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
    const template = await o.db
      .selectFrom('message_templates')
      .selectAll()
      .where('workspace_id', '=', row.workspace_id)
      .where('id', '=', content.templateId)
      .where('channel', '=', 'sms')
      .executeTakeFirst();
    if (!template)
      return { reason: `template_not_found: no sms template has the id "${content.templateId}"` };
    const compiled = await o.templates.compiledSms(template);
    if (!compiled.ok) return { reason: `template_invalid: ${compiled.error.message}` };
    const rendered = renderSmsTemplate(compiled.value, context);
    if (!rendered.ok) return { reason: `render_failed: ${rendered.error.message}` };
    text = rendered.value;
  } else if (isSmsText(content)) {
    text = content.text;
  } else {
    return { reason: 'invalid_content: an sms message needs templateId or text' };
  }
  if (text.trim() === '') return { reason: 'empty_text: the rendered SMS has no text' };
  return { message: { id: row.id, from: o.sender, to, text } };
}
