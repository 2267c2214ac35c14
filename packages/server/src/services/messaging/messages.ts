/**
 * The message log and sending from the API: enqueue one message for a
 * contact (idempotent on its key), read the log, hold sending back and let it
 * go again. The delivery engine does the rest.
 */
import { err, newId, ok, problem, type Result } from '@wasl/core';
import type { Database, MessageRow } from '@wasl/store';
import { enqueueMessages, type NewMessage, pauseDelivery, resumeDelivery } from '@wasl/worker';
import type { Kysely } from 'kysely';
import { checkWhatsAppTemplate } from './compose-whatsapp.ts';
import { contentFits, isTemplateContent, isWhatsAppTemplate, type MessageContent } from './content.ts';

/** What routes send through: the queue, and which channels this installation can deliver. */
export interface MessagingHandle {
  enqueue(messages: readonly NewMessage[]): Promise<number>;
  /** Channels with a provider configured; a message on another channel waits in the queue. */
  readonly channels: ReadonlySet<string>;
}

export function messagingHandle(
  db: Kysely<Database>,
  channels: readonly string[],
  clock: () => number,
): MessagingHandle {
  return {
    enqueue: (messages) => enqueueMessages(db, messages, clock()),
    channels: new Set(channels),
  };
}

/** Why a queued message is not moving, for people reading the log; null when nothing holds it. */
export function waitingReason(row: MessageRow, channels: ReadonlySet<string>): string | null {
  if (row.status !== 'queued') return null;
  if (!channels.has(row.channel)) return `no ${row.channel} provider configured`;
  return row.last_error;
}

/** What a channel's content may be, when the content given does not fit it. */
const UNFIT: Record<SendInput['channel'], string> = {
  email: 'an email has templateId or subject, html and text (text alone is for sms and whatsapp)',
  sms: 'an sms message has templateId or text (subject and html are for email)',
  whatsapp:
    'a whatsapp message has templateId, whatsappTemplate, text or media (subject and html are for email)',
  webpush: 'a web push message has templateId (of a webpush template) or title and body',
};

export interface SendInput {
  workspaceId: string;
  channel: 'email' | 'sms' | 'whatsapp' | 'webpush';
  contactId: string;
  marketing: boolean;
  content: MessageContent;
  idempotencyKey?: string;
  sendAt?: number;
  now: number;
}

/**
 * Queues one email, SMS or WhatsApp message for a contact; the same
 * idempotency key gives back the message queued first. Whether a free-form
 * WhatsApp message is inside the customer-service window is judged when it is
 * sent, not here (see compose-whatsapp.ts).
 */
export async function sendMessage(
  db: Kysely<Database>,
  messaging: MessagingHandle,
  input: SendInput,
): Promise<Result<MessageRow>> {
  const contact = await db
    .selectFrom('contacts')
    .select(['id', 'email', 'phone'])
    .where('workspace_id', '=', input.workspaceId)
    .where('id', '=', input.contactId)
    .executeTakeFirst();
  if (!contact) return err(problem('not_found', `no contact has the id "${input.contactId}"`, 'contactId'));
  if (!contentFits(input.content, input.channel))
    return err(problem('invalid', UNFIT[input.channel], 'content'));
  if (isWhatsAppTemplate(input.content)) {
    const checked = checkWhatsAppTemplate(input.content);
    if (!checked.ok) return checked;
  }
  if (isTemplateContent(input.content)) {
    const template = await db
      .selectFrom('message_templates')
      .select('id')
      .where('workspace_id', '=', input.workspaceId)
      .where('id', '=', input.content.templateId)
      .where('channel', '=', input.channel)
      .executeTakeFirst();
    if (!template)
      return err(
        problem(
          'invalid',
          `no ${input.channel} template has the id "${input.content.templateId}"`,
          'content.templateId',
        ),
      );
  }
  const id = newId(input.now);
  const key = input.idempotencyKey ?? `api:${id}`;
  await messaging.enqueue([
    {
      id,
      workspaceId: input.workspaceId,
      idempotencyKey: key,
      channel: input.channel,
      contactId: contact.id,
      // A web push address (the newest subscription) is chosen when the message is composed.
      address: input.channel === 'email' ? contact.email : input.channel === 'webpush' ? null : contact.phone,
      sourceKind: input.marketing ? 'campaign' : 'transactional',
      sourceId: null,
      marketing: input.marketing,
      content: input.content,
      sendAt: input.sendAt ?? input.now,
    },
  ]);
  const row = await db
    .selectFrom('messages')
    .selectAll()
    .where('workspace_id', '=', input.workspaceId)
    .where('idempotency_key', '=', key)
    .executeTakeFirstOrThrow();
  if (row.contact_id !== contact.id)
    return err(
      problem('conflict', `the idempotency key "${key}" was used for another message`, 'Idempotency-Key'),
    );
  return ok(row);
}

export async function listMessages(
  db: Kysely<Database>,
  q: { workspaceId: string; contactId?: string; status?: string; limit: number; before?: string },
): Promise<{ messages: MessageRow[]; next: string | null }> {
  let query = db.selectFrom('messages').selectAll().where('workspace_id', '=', q.workspaceId);
  if (q.contactId) query = query.where('contact_id', '=', q.contactId);
  if (q.status) query = query.where('status', '=', q.status);
  if (q.before) query = query.where('id', '<', q.before);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  return { messages: page, next: rows.length > q.limit ? (page[page.length - 1]?.id ?? null) : null };
}

export const getMessage = (db: Kysely<Database>, workspaceId: string, id: string) =>
  db
    .selectFrom('messages')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();

/** The pause scope for a workspace, or for one of its sources (campaign, journey) it has messages from. */
async function scopeOf(
  db: Kysely<Database>,
  workspaceId: string,
  sourceId: string | undefined,
): Promise<Result<string>> {
  if (sourceId === undefined) return ok(`workspace:${workspaceId}`);
  const known = await db
    .selectFrom('messages')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('source_id', '=', sourceId)
    .limit(1)
    .executeTakeFirst();
  if (!known) return err(problem('not_found', `no messages come from the source "${sourceId}"`, 'sourceId'));
  return ok(`source:${sourceId}`);
}

export async function pause(
  db: Kysely<Database>,
  input: { workspaceId: string; sourceId?: string; reason: string; now: number },
): Promise<Result<string>> {
  const scope = await scopeOf(db, input.workspaceId, input.sourceId);
  if (!scope.ok) return scope;
  await pauseDelivery(db, { scope: scope.value, reason: input.reason, by: 'user' }, input.now);
  return scope;
}

export async function resume(
  db: Kysely<Database>,
  input: { workspaceId: string; sourceId?: string },
): Promise<Result<{ scope: string; wasPaused: boolean }>> {
  const scope = await scopeOf(db, input.workspaceId, input.sourceId);
  if (!scope.ok) return scope;
  return ok({ scope: scope.value, wasPaused: await resumeDelivery(db, scope.value) });
}
