/**
 * The web push half of the composer. Once compose.ts has run the checks every
 * channel shares (contact, `sendableAddress` — whose address for web push is
 * the contact's newest subscription, consent 'webpush' for marketing,
 * suppression of that endpoint —, frequency cap, quiet hours), builds the
 * WebPushMessage: the JSON the service worker shows ({ title, body, url,
 * icon, dir, lang }) from a 'webpush' template (subject = title, body =
 * text, both Liquid rendered per contact; dir and lang from the template) or
 * an inline `{ title, body }` sent as written.
 *
 * One device per message: the newest subscription. A message row is one
 * provider call with one outcome (sent, gone, in doubt), which the log, the
 * frequency cap and "never sent twice" all count on; a person who subscribed
 * on a second device is most likely using that one now.
 */

import type { WebPushMessage } from '@wasl/channels';
import { compileSmsTemplate, renderSmsTemplate } from '@wasl/channels/templates';
import { MAX_PUSH_PAYLOAD_BYTES } from '@wasl/channels/webpush';
import type { Database, MessageRow } from '@wasl/store';
import type { Outcome } from '@wasl/worker';
import type { Kysely } from 'kysely';
import { pushAccepted, subscriptionAt } from '../push-subscriptions.ts';
import { removeSubscription } from '../web-push.ts';
import { isTemplateContent, isWebPushContent, type MessageContent } from './content.ts';
import { TEMPLATE_FIELDS, type TemplateCache } from './template-cache.ts';

/** How long a push service keeps a message for a device that is offline: a day, then it is stale. */
export const PUSH_TTL_SECONDS = 86_400;

export interface WebPushComposition {
  db: Kysely<Database>;
  templates: TemplateCache;
}

interface Notification {
  title: string;
  body: string;
  url?: string;
  icon?: string;
  dir: 'rtl' | 'ltr';
  lang: string;
}

/** Strong right-to-left letters (Hebrew, Arabic and their presentation forms). */
const RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

/** The WebPushMessage for a checked row (`endpoint` from `sendableAddress`), or the reason to skip it. */
export async function composeWebPush(
  o: WebPushComposition,
  row: MessageRow,
  content: MessageContent,
  endpoint: string,
  context: Record<string, unknown>,
): Promise<{ message: WebPushMessage } | { reason: string }> {
  const subscription = await subscriptionAt(o.db, row.workspace_id, endpoint);
  if (!subscription) return { reason: 'no_address: the push subscription was removed' };
  let notification: Notification | { reason: string };
  if (isTemplateContent(content)) {
    notification = await fromTemplate(o, row, content.templateId, context);
    if (!('reason' in notification)) {
      if (content.url) notification.url = content.url;
      if (content.icon) notification.icon = content.icon;
    }
  } else if (isWebPushContent(content)) {
    const text = `${content.title}${content.body}`;
    notification = {
      title: content.title,
      body: content.body,
      ...(content.url ? { url: content.url } : {}),
      ...(content.icon ? { icon: content.icon } : {}),
      dir: content.dir ?? (RTL.test(text) ? 'rtl' : 'ltr'),
      lang: content.lang ?? subscription.language ?? '',
    };
  } else {
    return { reason: 'invalid_content: a web push message needs templateId or title and body' };
  }
  if ('reason' in notification) return notification;
  if (notification.title.trim() === '') return { reason: 'empty_text: the notification has no title' };
  const payload = JSON.stringify(notification);
  const bytes = Buffer.byteLength(payload);
  if (bytes > MAX_PUSH_PAYLOAD_BYTES)
    return {
      reason: `payload_too_large: the notification is ${bytes} bytes in UTF-8; push services take at most ${MAX_PUSH_PAYLOAD_BYTES}`,
    };
  return {
    message: {
      id: row.id,
      subscription: { endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
      payload,
      ttl: PUSH_TTL_SECONDS,
      // Something the person asked for (an order update) may wake a sleeping phone; marketing may wait.
      urgency: row.marketing === 1 ? 'normal' : 'high',
    },
  };
}

async function fromTemplate(
  o: WebPushComposition,
  row: MessageRow,
  templateId: string,
  context: Record<string, unknown>,
): Promise<Notification | { reason: string }> {
  const template = await o.db
    .selectFrom('message_templates')
    .selectAll()
    .where('workspace_id', '=', row.workspace_id)
    .where('id', '=', templateId)
    .where('channel', '=', 'webpush')
    .executeTakeFirst();
  if (!template) return { reason: `template_not_found: no webpush template has the id "${templateId}"` };
  const body = await o.templates.compiledSms(template);
  if (!body.ok) return { reason: `template_invalid: ${body.error.message}` };
  // A title is a line of Liquid: compiling it is cheap, so it is not cached.
  const title = compileSmsTemplate(
    { body: template.subject, lang: template.lang },
    { fields: TEMPLATE_FIELDS },
  );
  if (!title.ok) return { reason: `template_invalid: subject: ${title.error.message}` };
  const renderedTitle = renderSmsTemplate(title.value, context);
  if (!renderedTitle.ok) return { reason: `render_failed: subject: ${renderedTitle.error.message}` };
  const renderedBody = renderSmsTemplate(body.value, context);
  if (!renderedBody.ok) return { reason: `render_failed: ${renderedBody.error.message}` };
  return {
    title: renderedTitle.value,
    body: renderedBody.value,
    dir: template.dir === 'ltr' ? 'ltr' : 'rtl',
    lang: template.lang,
  };
}

/**
 * What a web push outcome changes besides the message log: a push service
 * that accepted it dates the subscription's last success; one that answered
 * 404/410 (the adapter's `subscription_gone`) means the browser dropped it,
 * so it is deleted, and the contact's webpush consent withdrawn when it was
 * their last. Resolves to the consent change to record, if any.
 */
export async function webPushOutcome(
  db: Kysely<Database>,
  row: MessageRow,
  outcome: Outcome,
  endpoint: string | undefined,
  now: number,
) {
  if (!endpoint) return undefined;
  if (outcome.kind === 'sent' && !outcome.inDoubt) {
    await pushAccepted(db, row.workspace_id, endpoint, now);
    return undefined;
  }
  if (outcome.kind !== 'failed' || !outcome.error.startsWith('subscription_gone:')) return undefined;
  const removed = await removeSubscription(db, {
    workspaceId: row.workspace_id,
    endpoint,
    source: 'push_service_gone',
    reason: outcome.error,
    now,
  });
  return removed.consent;
}
