/**
 * The delivery engine's `prepare` for email, SMS, WhatsApp and web push: from a claimed message
 * row to the EmailMessage (or, through compose-sms.ts, the SmsMessage) to
 * hand to the provider, or the reason not to send it
 * (skip) or not yet (defer). The checks come first, in this order: the
 * contact, the one send check (suppression, consent, topic: `sendableAddress`;
 * transactional mail skips consent, never suppression), the frequency cap
 * and the quiet hours (marketing only), the same for every channel. Then, for
 * email, the sender, the template and the headers: Message-ID `wasl-<message id>@<sender domain>` (what the bounce
 * parsers read back) and, for marketing, RFC 8058 one-click unsubscribe.
 */

import { createPrivateKey } from 'node:crypto';
import type { DkimKey, EmailMessage, Mailbox } from '@wasl/channels';
import { render } from '@wasl/channels/templates';
import { insertBeforeBodyEnd, openPixel, rewriteLinks, signTrackingToken } from '@wasl/channels/tracking';
import type { ConsentChannel } from '@wasl/core';
import { isTimeZone, quietHoursEnd } from '@wasl/core';
import type { Contact, Database, MessageRow } from '@wasl/store';
import type { Prepared } from '@wasl/worker';
import type { Kysely } from 'kysely';
import { sendableAddress } from '../consent.ts';
import { getContact } from '../contacts.ts';
import { trackingSecret } from '../message-tracking.ts';
import { preferenceToken } from '../preferences.ts';
import { composeSms } from './compose-sms.ts';
import { composeWebPush } from './compose-webpush.ts';
import { composeWhatsApp } from './compose-whatsapp.ts';
import {
  contentFits,
  type InlineContent,
  isEmailContent,
  isTemplateContent,
  type MessageContent,
  parseContent,
  type TemplateContent,
} from './content.ts';
import { loadPolicy, type SendingPolicy } from './policy.ts';
import { TemplateCache } from './template-cache.ts';

export interface ComposerOptions {
  db: Kysely<Database>;
  /** Signs the unsubscribe and preference links. */
  secret: string;
  /** Where the hosted unsubscribe and preference pages are, e.g. https://wasl.example.sa */
  publicUrl: string;
  /** The sender when a workspace has no sender identity (WASL_MAIL_FROM). */
  defaultFrom?: Mailbox;
  /** The sender id of SMS (WASL_SMS_SENDER). */
  smsSender?: string;
  clock?: () => number;
  /** Compiled templates kept in memory; defaults to 200. */
  cacheSize?: number;
}

export interface Composer {
  prepare(row: MessageRow): Promise<Prepared>;
  /** The address a prepared message went to, until its outcome is handled (then forgotten). */
  addressOf(messageId: string): string | undefined;
  /** The sender identity's DKIM key for a prepared message (the SMTP adapter's `dkimFor`). */
  dkimOf(messageId: string): DkimKey | undefined;
  forget(messageId: string): void;
  readonly templates: TemplateCache;
}

const skip = (reason: string): Prepared => ({ kind: 'skip', reason });

/** What a channel's builder gets: a row that passed the shared checks, its contact, content and address. */
export interface BuildInput {
  row: MessageRow;
  contact: Contact;
  content: MessageContent;
  /** Where it goes (email address, E.164 phone), as `sendableAddress` returned it. */
  address: string;
  links: { unsubscribe_url: string; preferences_url: string };
}

/** One channel's message for the adapter (with the DKIM key for email), or the reason to skip it. */
export type ChannelBuilder = (
  input: BuildInput,
) => Promise<{ message: unknown; dkim?: DkimKey } | { reason: string }>;

export function createComposer(o: ComposerOptions): Composer {
  const clock = o.clock ?? Date.now;
  const templates = new TemplateCache(o.cacheSize ?? 200);
  const trackingKey = trackingSecret(o.secret);
  const addresses = new Map<string, string>();
  const dkim = new Map<string, DkimKey>();
  // Marketing messages prepared to send and not yet recorded, per contact and channel: the cap counts
  // them, and one contact's marketing messages are prepared one at a time, so that two prepared at
  // once cannot both pass the cap. This holds within one worker process; workers running side by
  // side can each pass one message over the cap for the same contact at the same moment.
  const inFlight = new Map<string, Set<string>>();
  const queues = new Map<string, Promise<unknown>>();
  const capKey = (row: MessageRow) => `${row.workspace_id}:${row.contact_id}:${row.channel}`;

  function prepare(row: MessageRow): Promise<Prepared> {
    if (row.marketing !== 1 || !row.contact_id) return prepareOne(row);
    const key = capKey(row);
    const run = (queues.get(key) ?? Promise.resolve()).then(() => prepareOne(row));
    const settled = run.catch(() => undefined);
    queues.set(key, settled);
    void settled.then(() => {
      if (queues.get(key) === settled) queues.delete(key);
    });
    return run;
  }

  // Each channel's builder, run once the checks every channel shares have passed.
  const builders: Record<string, ChannelBuilder> = {
    email: (a) => composeEmail(a.row, a.contact, a.content, a.address, a.links),
    sms: (a) =>
      composeSms(
        { db: o.db, templates, sender: o.smsSender },
        a.row,
        a.content,
        a.address,
        templateContext(a.row, a.contact, a.content, a.links),
      ),
    whatsapp: (a) =>
      composeWhatsApp(
        { db: o.db, templates, clock },
        a.row,
        a.content,
        a.address,
        templateContext(a.row, a.contact, a.content, a.links),
      ),
    webpush: (a) =>
      composeWebPush(
        { db: o.db, templates },
        a.row,
        a.content,
        a.address,
        templateContext(a.row, a.contact, a.content, a.links),
      ),
  };

  async function prepareOne(row: MessageRow): Promise<Prepared> {
    const build = builders[row.channel];
    if (!build) return skip(`unsupported_channel: ${row.channel} is not composed yet`);
    const content = parseContent(row.content);
    if (!content.ok) return skip(`invalid_content: ${content.error.message}`);
    if (!contentFits(content.value, row.channel))
      return skip(`invalid_content: this content cannot be sent as ${row.channel}`);
    if (!row.contact_id) return skip('contact_not_found');
    const contact = await getContact(o.db, row.workspace_id, row.contact_id);
    if (!contact) return skip('contact_not_found');
    const marketing = row.marketing === 1;
    const sendable = await sendableAddress(o.db, {
      workspaceId: row.workspace_id,
      contactId: contact.id,
      channel: row.channel as ConsentChannel,
      ...(content.value.topicId ? { topicId: content.value.topicId } : {}),
      // WhatsApp's rules: opt-in before any message, transactional ones too.
      marketing: marketing || row.channel === 'whatsapp',
    });
    if (!sendable.ok) return skip(sendable.error);

    if (marketing) {
      const policy = await loadPolicy(o.db, row.workspace_id);
      if (!policy.ok) return skip(`invalid_policy: ${policy.error.message}`);
      const pending = new Set(inFlight.get(capKey(row)));
      pending.delete(row.id);
      if (await overCap(o.db, row, pending, policy.value, clock())) return skip('frequency_cap');
      const until = await quietUntil(o.db, row, contact, policy.value, clock());
      if (until !== undefined) return { kind: 'defer', until, reason: 'quiet_hours' };
    }

    const token = preferenceToken(o.secret, row.workspace_id, contact.id);
    const links = {
      unsubscribe_url: `${o.publicUrl}/unsubscribe/${token}`,
      preferences_url: `${o.publicUrl}/preferences/${token}`,
    };
    const built = await build({ row, contact, content: content.value, address: sendable.value, links });
    if ('reason' in built) return skip(built.reason);
    addresses.set(row.id, sendable.value);
    if (built.dkim) dkim.set(row.id, built.dkim);
    if (marketing) {
      const key = capKey(row);
      inFlight.set(key, (inFlight.get(key) ?? new Set()).add(row.id));
    }
    return { kind: 'send', message: built.message };
  }

  async function composeEmail(
    row: MessageRow,
    contact: Contact,
    content: MessageContent,
    address: string,
    links: { unsubscribe_url: string; preferences_url: string },
  ): Promise<{ message: EmailMessage; dkim?: DkimKey } | { reason: string }> {
    if (!isEmailContent(content))
      return { reason: 'invalid_content: an email needs templateId or subject, html and text' };
    const marketing = row.marketing === 1;
    const from = await senderOf(o.db, row.workspace_id, content, o.defaultFrom);
    if ('reason' in from) return from;
    const parts = isTemplateContent(content)
      ? await renderTemplate(content, row, templateContext(row, contact, content, links))
      : inlineParts(content);
    if ('reason' in parts) return parts;
    if (marketing && isTemplateContent(content) && content.track !== false)
      parts.html = tracked(parts.html, row, content);

    const headers: Record<string, string> = {};
    if (marketing) {
      headers['List-Unsubscribe'] = `<${links.unsubscribe_url}>`;
      headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
    }
    const name = [contact.first_name, contact.last_name].filter(Boolean).join(' ');
    const message: EmailMessage = {
      id: row.id,
      messageId: `wasl-${row.id}@${domainOf(from.mailbox.address)}`,
      from: from.mailbox,
      to: name ? { address, name } : { address },
      ...(from.replyTo ? { replyTo: { address: from.replyTo } } : {}),
      subject: parts.subject,
      html: parts.html,
      text: parts.text,
      headers,
    };
    return { message, ...(from.dkim ? { dkim: from.dkim } : {}) };
  }

  /**
   * Click tracking through signed redirect links (the destination is inside
   * the signature: no open redirect), UTM parameters on every link that lacks
   * them, and the open pixel. Unsubscribe and preference links stay as they are.
   */
  function tracked(html: string, row: MessageRow, content: TemplateContent): string {
    const sign = (kind: 'click' | 'open', url?: string) =>
      signTrackingToken(
        { kind, workspaceId: row.workspace_id, messageId: row.id, ...(url ? { url } : {}) },
        trackingKey,
      );
    const utm =
      content.utm ??
      (row.source_kind === 'campaign' && row.source_id
        ? { source: 'wasl', medium: 'email', campaign: row.source_id }
        : undefined);
    const linked = rewriteLinks(html, {
      trackUrl: (url) => {
        const token = sign('click', url);
        return token.ok ? `${o.publicUrl}/t/c/${token.value}` : url;
      },
      ...(utm ? { utm } : {}),
    });
    const pixel = sign('open');
    return pixel.ok ? insertBeforeBodyEnd(linked, openPixel(`${o.publicUrl}/t/o/${pixel.value}`)) : linked;
  }

  async function renderTemplate(
    content: TemplateContent,
    row: MessageRow,
    context: Record<string, unknown>,
  ): Promise<{ subject: string; html: string; text: string } | { reason: string }> {
    const template = await o.db
      .selectFrom('message_templates')
      .selectAll()
      .where('workspace_id', '=', row.workspace_id)
      .where('id', '=', content.templateId)
      .where('channel', '=', 'email')
      .executeTakeFirst();
    if (!template)
      return { reason: `template_not_found: no email template has the id "${content.templateId}"` };
    const compiled = await templates.compiled(template);
    if (!compiled.ok) return { reason: `template_invalid: ${compiled.error.message}` };
    const rendered = render(compiled.value, context);
    if (!rendered.ok) return { reason: `render_failed: ${rendered.error.message}` };
    return rendered.value;
  }

  return {
    prepare,
    templates,
    addressOf: (id) => addresses.get(id),
    dkimOf: (id) => dkim.get(id),
    forget: (id) => {
      addresses.delete(id);
      dkim.delete(id);
      for (const [key, ids] of inFlight) {
        if (ids.delete(id) && ids.size === 0) inFlight.delete(key);
      }
    },
  };
}

/** What a template of any channel is rendered with for one contact (see TEMPLATE_FIELDS). */
export function templateContext(
  row: MessageRow,
  contact: Contact,
  content: MessageContent,
  links: { unsubscribe_url: string; preferences_url: string },
): Record<string, unknown> {
  return {
    contact: contactFields(contact),
    ...links,
    campaign: { id: row.source_id, ...(isTemplateContent(content) ? content.variables : {}) },
    message: { id: row.id },
  };
}

const inlineParts = (c: InlineContent) => ({ subject: c.subject, html: c.html, text: c.text });

/** What a template sees of a contact: its columns, with attributes and interests as values. */
export function contactFields(c: Contact): Record<string, unknown> {
  const { workspace_id: _, attributes, interests, ...columns } = c;
  return {
    ...columns,
    interests: JSON.parse(interests) as unknown,
    attributes: JSON.parse(attributes) as Record<string, unknown>,
  };
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** Marketing messages sent (or being sent) to this contact on this channel within the cap's period. */
async function overCap(
  db: Kysely<Database>,
  row: MessageRow,
  pending: ReadonlySet<string>,
  policy: SendingPolicy,
  now: number,
) {
  const sent = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .where('workspace_id', '=', row.workspace_id)
    .where('contact_id', '=', row.contact_id)
    .where('channel', '=', row.channel)
    .where('marketing', '=', 1)
    .where('status', '=', 'sent')
    .where('sent_at', '>=', now - policy.frequencyCap.periodMs)
    .where('id', 'not in', [row.id, ...pending])
    .executeTakeFirstOrThrow();
  return Number(sent.n) + pending.size >= policy.frequencyCap.count;
}

/** The end of the quiet hours in the contact's time zone (else the workspace's), if now is in them. */
async function quietUntil(
  db: Kysely<Database>,
  row: MessageRow,
  contact: Contact,
  policy: SendingPolicy,
  now: number,
): Promise<number | undefined> {
  const window = policy.quietHours[row.channel];
  if (!window) return undefined;
  let zone = contact.timezone && isTimeZone(contact.timezone) ? contact.timezone : undefined;
  if (!zone) {
    const ws = await db
      .selectFrom('workspaces')
      .select('timezone')
      .where('id', '=', row.workspace_id)
      .executeTakeFirst();
    zone = ws && isTimeZone(ws.timezone) ? ws.timezone : 'UTC';
  }
  return quietHoursEnd(now, zone, window);
}

/** A sender identity's DKIM key with its algorithm; undefined (unsigned) when the stored key is not a usable PEM. */
function dkimKey(domain: string, selector: string, pem: string): DkimKey | undefined {
  try {
    const type = createPrivateKey(pem).asymmetricKeyType;
    const algorithm = type === 'rsa' ? 'rsa-sha256' : type === 'ed25519' ? 'ed25519-sha256' : undefined;
    return algorithm ? { domain, selector, privateKeyPem: pem, algorithm } : undefined;
  } catch {
    return undefined;
  }
}

/** The identity named in the content, else the workspace's first, else the instance's default. */
async function senderOf(
  db: Kysely<Database>,
  workspaceId: string,
  content: TemplateContent | InlineContent,
  fallback: Mailbox | undefined,
): Promise<{ mailbox: Mailbox; replyTo?: string; dkim?: DkimKey } | { reason: string }> {
  if (!isTemplateContent(content) && content.from) return { mailbox: content.from };
  const named = isTemplateContent(content) ? content.senderId : undefined;
  let query = db.selectFrom('sender_identities').selectAll().where('workspace_id', '=', workspaceId);
  if (named) query = query.where('id', '=', named);
  const identity = await query.orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  if (!identity && named) return { reason: `sender_not_found: no sender identity has the id "${named}"` };
  if (identity) {
    const mailbox: Mailbox = identity.from_name
      ? { address: identity.from_address, name: identity.from_name }
      : { address: identity.from_address };
    const key = dkimKey(identity.domain, identity.dkim_selector, identity.dkim_private_key);
    return {
      mailbox,
      ...(identity.reply_to ? { replyTo: identity.reply_to } : {}),
      ...(key ? { dkim: key } : {}),
    };
  }
  return fallback
    ? { mailbox: fallback }
    : { reason: 'no_sender: the workspace has no sender identity and WASL_MAIL_FROM is not set' };
}
