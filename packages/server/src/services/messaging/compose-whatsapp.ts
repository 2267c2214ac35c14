/**
 * The WhatsApp half of the composer, and the customer-service window it
 * needs. Once compose.ts has run the checks every channel shares (contact,
 * `sendableAddress` — for WhatsApp consent is required even for
 * transactional messages — frequency cap, quiet hours), builds the
 * WhatsAppMessage:
 *
 * - `{ whatsappTemplate }`: an approved template by name and language code,
 *   its body parameters rendered per contact. Allowed at any time. A
 *   parameter that renders empty skips the message (WhatsApp refuses empty
 *   parameters, and "مرحبًا ،" is worse than nothing).
 * - free-form: a 'whatsapp' message template (Liquid text), `{ text }` or
 *   `{ media }`. Allowed only inside the customer-service window: the phone
 *   sent the workspace a WhatsApp message within the last 24 hours (recorded
 *   from the inbound webhook by `openServiceWindows`). Outside it the message
 *   is skipped `outside_service_window`, judged when it is about to be sent,
 *   not when it was queued: the window opens and closes while messages wait.
 */
import type { StatusReport, WhatsAppMessage } from '@wasl/channels';
import {
  type CompiledSmsTemplate,
  compileSmsTemplate,
  renderSmsTemplate,
  type TemplateProblem,
} from '@wasl/channels/templates';
import { err, ok, problem, type Result } from '@wasl/core';
import type { Database, MessageRow } from '@wasl/store';
import type { Kysely } from 'kysely';
import { renderTextTemplate } from './compose-sms.ts';
import {
  isSmsText,
  isTemplateContent,
  isWhatsAppMedia,
  isWhatsAppTemplate,
  type MessageContent,
  type WhatsAppTemplateContent,
} from './content.ts';
import { TEMPLATE_FIELDS, type TemplateCache } from './template-cache.ts';

/** WhatsApp's customer-service window: 24 hours from the person's latest message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** The Cloud API's limit on a text message's body. */
const MAX_TEXT = 4096;

export interface WhatsAppComposition {
  db: Kysely<Database>;
  templates: TemplateCache;
  clock: () => number;
}

/** The WhatsAppMessage for a checked row, or the reason to skip it. */
export async function composeWhatsApp(
  o: WhatsAppComposition,
  row: MessageRow,
  content: MessageContent,
  to: string,
  context: Record<string, unknown>,
): Promise<{ message: WhatsAppMessage } | { reason: string }> {
  if (isWhatsAppTemplate(content)) {
    const template = renderApproved(content, context);
    return 'reason' in template ? template : { message: { id: row.id, to, template } };
  }
  if (!isTemplateContent(content) && !isSmsText(content) && !isWhatsAppMedia(content))
    return {
      reason: 'invalid_content: a whatsapp message needs templateId, whatsappTemplate, text or media',
    };

  const closed = await outsideWindow(o.db, row.workspace_id, to, o.clock());
  if (closed) return { reason: closed };
  if (isWhatsAppMedia(content)) return { message: { id: row.id, to, media: content.media } };
  let text: string;
  if (isTemplateContent(content)) {
    const rendered = await renderTextTemplate(o, row, 'whatsapp', content.templateId, context);
    if ('reason' in rendered) return rendered;
    text = rendered.text;
  } else {
    text = content.text;
  }
  if (text.trim() === '') return { reason: 'empty_text: the rendered WhatsApp message has no text' };
  if (text.length > MAX_TEXT)
    return { reason: `text_too_long: ${text.length} characters; WhatsApp takes at most ${MAX_TEXT}` };
  return { message: { id: row.id, to, text } };
}

/** Why a free-form message to `phone` may not go now, or undefined when its window is open. */
async function outsideWindow(
  db: Kysely<Database>,
  workspaceId: string,
  phone: string,
  now: number,
): Promise<string | undefined> {
  const window = await db
    .selectFrom('whatsapp_windows')
    .select('last_inbound_at')
    .where('workspace_id', '=', workspaceId)
    .where('phone', '=', phone)
    .executeTakeFirst();
  const last = window === undefined ? undefined : Number(window.last_inbound_at);
  if (last !== undefined && now - last < SERVICE_WINDOW_MS) return undefined;
  const since =
    last === undefined
      ? 'has never written to this workspace on WhatsApp'
      : `last wrote at ${new Date(last).toISOString()}, more than 24 hours ago`;
  return `outside_service_window: ${phone} ${since}; free-form messages go only within 24 hours of the person's last message (send an approved template, whatsappTemplate, instead)`;
}

type ApprovedTemplate = NonNullable<WhatsAppMessage['template']>;

/** The approved template with its parameters rendered for one contact, or the reason to skip. */
function renderApproved(
  content: WhatsAppTemplateContent,
  context: Record<string, unknown>,
): ApprovedTemplate | { reason: string } {
  const { name, language, parameters, headerMedia } = content.whatsappTemplate;
  const values: string[] = [];
  for (const [i, source] of parameters.entries()) {
    const field = `whatsappTemplate.parameters[${i}]`;
    const compiled = compiledParameter(source, language, field);
    if (!compiled.ok) return { reason: `invalid_content: ${compiled.error.message}` };
    const rendered = renderSmsTemplate(compiled.value, context);
    if (!rendered.ok) return { reason: `render_failed: ${field}: ${rendered.error.message}` };
    const value = oneLine(rendered.value);
    if (value === '')
      return {
        reason: `missing_parameter: ${field} ({{${i + 1}}} of the approved template "${name}") is empty for this contact: ${source}`,
      };
    values.push(value);
  }
  return { name, language, parameters: values, ...(headerMedia ? { headerMedia } : {}) };
}

/**
 * WhatsApp refuses a parameter with a line break, a tab or more than four
 * spaces in a row (error 132018); the approved template fixes the layout, so
 * these become single spaces rather than a failed send.
 */
const oneLine = (text: string): string =>
  text
    .replace(/[ \t]*[\r\n\t]+[ \t]*/g, ' ')
    .replace(/ {5,}/g, '    ')
    .trim();

/** Compiled parameters by language and source: a campaign renders the same few for every contact. */
const compiledParameters = new Map<string, Result<CompiledSmsTemplate, TemplateProblem>>();
const MAX_COMPILED_PARAMETERS = 500;

function compiledParameter(
  source: string,
  language: string,
  field: string,
): Result<CompiledSmsTemplate, TemplateProblem> {
  const key = `${language}\u0000${source}`;
  let compiled = compiledParameters.get(key);
  if (!compiled) {
    // WhatsApp writes en_US; BCP 47 (what numbers, dates and plurals follow) writes en-US.
    compiled = compileSmsTemplate(
      { body: source, lang: language.replace('_', '-') },
      { fields: TEMPLATE_FIELDS },
    );
    if (compiledParameters.size >= MAX_COMPILED_PARAMETERS) {
      const oldest = compiledParameters.keys().next().value;
      if (oldest !== undefined) compiledParameters.delete(oldest);
    }
    compiledParameters.set(key, compiled);
  }
  return compiled.ok ? compiled : err({ ...compiled.error, message: `${field}: ${compiled.error.message}` });
}

/**
 * The send API's check of an approved template's parameters: each must be
 * Liquid over the fields a template may read; the problem names the
 * parameter (`content.whatsappTemplate.parameters.1`).
 */
export function checkWhatsAppTemplate(content: WhatsAppTemplateContent): Result<void> {
  for (const [i, source] of content.whatsappTemplate.parameters.entries()) {
    const field = `content.whatsappTemplate.parameters.${i}`;
    const compiled = compiledParameter(source, content.whatsappTemplate.language, field);
    if (!compiled.ok) return err(problem('invalid', compiled.error.message, field));
  }
  return ok(undefined);
}

/**
 * Opens (or extends) the customer-service window of every phone that sent
 * the workspace a message in these webhook reports (inbound messages carry
 * `detail.event: 'message'`), at the message's own time but never later than
 * its arrival; windows that have closed are dropped, so the table keeps only
 * phones that wrote in the last 24 hours.
 */
export async function openServiceWindows(
  db: Kysely<Database>,
  workspaceId: string,
  reports: readonly StatusReport[],
  now: number,
): Promise<number> {
  const latest = new Map<string, number>();
  for (const report of reports) {
    if (report.detail?.event !== 'message' || !report.recipient) continue;
    const at = Math.min(report.at, now);
    latest.set(report.recipient, Math.max(at, latest.get(report.recipient) ?? 0));
  }
  if (latest.size === 0) return 0;
  // The URL names the workspace; one that does not exist gets nothing recorded.
  const workspace = await db
    .selectFrom('workspaces')
    .select('id')
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  if (!workspace) return 0;
  for (const [phone, at] of latest) {
    if (now - at >= SERVICE_WINDOW_MS) continue;
    await db
      .insertInto('whatsapp_windows')
      .values({ workspace_id: workspaceId, phone, last_inbound_at: at })
      .onConflict((oc) =>
        oc
          .columns(['workspace_id', 'phone'])
          .doUpdateSet({ last_inbound_at: at })
          .where('whatsapp_windows.last_inbound_at', '<', at),
      )
      .execute();
  }
  await db
    .deleteFrom('whatsapp_windows')
    .where('workspace_id', '=', workspaceId)
    .where('last_inbound_at', '<=', now - SERVICE_WINDOW_MS)
    .execute();
  return latest.size;
}
