import { CONSENT_CHANNELS, type ConsentChannel } from '@wasl/core';
import type { Consent, Database, Topic } from '@wasl/store';
import type { Kysely } from 'kysely';
import { hmacBase64Url, sameSecret } from './crypto.ts';

/**
 * Links a person follows from a message to manage their subscriptions or to
 * unsubscribe in one click. They never expire (an unsubscribe link must work
 * years later) and carry no personal data: the workspace and contact ids,
 * signed with the instance secret.
 */
export function preferenceToken(secret: string, workspaceId: string, contactId: string): string {
  const payload = packIds(workspaceId, contactId);
  return `${payload}.${hmacBase64Url(secret, `preferences:${payload}`).slice(0, 22)}`;
}

export function readPreferenceToken(
  secret: string,
  token: string,
): { workspaceId: string; contactId: string } | undefined {
  const dot = token.lastIndexOf('.');
  if (dot < 1) return undefined;
  const payload = token.slice(0, dot);
  const expected = hmacBase64Url(secret, `preferences:${payload}`).slice(0, 22);
  if (!sameSecret(token.slice(dot + 1), expected)) return undefined;
  return unpackIds(payload);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const dashed = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;

/** Two UUIDs as 32 bytes (43 characters), so a link stays short; other ids as text. */
function packIds(a: string, b: string): string {
  if (UUID.test(a) && UUID.test(b))
    return Buffer.from(`${a}${b}`.replaceAll('-', ''), 'hex').toString('base64url');
  return `~${Buffer.from(`${a}.${b}`).toString('base64url')}`;
}

function unpackIds(payload: string): { workspaceId: string; contactId: string } | undefined {
  if (payload.startsWith('~')) {
    const [workspaceId, contactId] = Buffer.from(payload.slice(1), 'base64url').toString('utf8').split('.');
    return workspaceId && contactId ? { workspaceId, contactId } : undefined;
  }
  const hex = Buffer.from(payload, 'base64url').toString('hex');
  if (hex.length !== 64) return undefined;
  return { workspaceId: dashed(hex.slice(0, 32)), contactId: dashed(hex.slice(32)) };
}

/** The channels a preference page offers: those the person can be reached on. */
export const PAGE_CHANNELS: readonly ConsentChannel[] = CONSENT_CHANNELS.filter((c) => c !== 'webpush');

export interface PreferenceView {
  locale: 'ar' | 'en';
  workspaceName: string;
  firstName: string | null;
  channels: { channel: ConsentChannel; address: string; subscribed: boolean }[];
  topics: { id: string; name: string; subscribed: boolean }[];
}

/** What the page shows: each reachable channel and each email topic, subscribed or not. */
export async function preferenceView(
  db: Kysely<Database>,
  workspaceId: string,
  contactId: string,
): Promise<PreferenceView | undefined> {
  const contact = await db
    .selectFrom('contacts')
    .innerJoin('workspaces', 'workspaces.id', 'contacts.workspace_id')
    .select([
      'contacts.email',
      'contacts.phone',
      'contacts.first_name',
      'contacts.locale',
      'workspaces.name as workspace_name',
      'workspaces.locale as workspace_locale',
    ])
    .where('contacts.workspace_id', '=', workspaceId)
    .where('contacts.id', '=', contactId)
    .executeTakeFirst();
  if (!contact) return undefined;
  const consents: Consent[] = await db
    .selectFrom('consents')
    .selectAll()
    .where('contact_id', '=', contactId)
    .execute();
  const topics: Topic[] = await db
    .selectFrom('topics')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('name')
    .execute();
  const status = (channel: string, topicId = '') =>
    consents.find((c) => c.channel === channel && c.topic_id === topicId)?.status;
  const locale = (contact.locale ?? contact.workspace_locale).startsWith('en') ? 'en' : 'ar';
  const channels = PAGE_CHANNELS.flatMap((channel) => {
    const address = channel === 'email' ? contact.email : contact.phone;
    return address ? [{ channel, address, subscribed: status(channel) === 'granted' }] : [];
  });
  return {
    locale,
    workspaceName: contact.workspace_name,
    firstName: contact.first_name,
    channels,
    // A topic is on unless the person left it (consent to email covers its topics).
    topics: contact.email
      ? topics.map((t) => {
          const answer = status('email', t.id);
          return { id: t.id, name: t.name, subscribed: answer === undefined || answer === 'granted' };
        })
      : [],
  };
}
