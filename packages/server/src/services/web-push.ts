/**
 * Web push on Wasl's side: each workspace's VAPID key pair (made on first
 * need), and the browsers' subscriptions, stored by the public subscribe call
 * served with the tracker, removed by the unsubscribe call or when the push
 * service answers 404/410. Consent on the 'webpush' channel follows them: a
 * new subscription is the browser's permission prompt answered yes (granted);
 * losing a contact's last subscription withdraws it.
 */
import { generateVapidKeys, type VapidDetails } from '@wasl/channels/webpush';
import { newId } from '@wasl/core';
import { consentVisitor, parseUserAgent } from '@wasl/ingest';
import type { Consent, Database, PushKey, PushSubscriptionRow } from '@wasl/store';
import type { Kysely } from 'kysely';
import { setConsent } from './consent.ts';
import { newestSubscription } from './push-subscriptions.ts';
import { inTransaction } from './transaction.ts';

/**
 * The workspace's VAPID details, its key pair made and stored on first need.
 * The subject is the configured one (WASL_VAPID_SUBJECT) when given, else the
 * one stored with the keys: the owner's mailto: at the time they were made.
 */
export async function vapidDetails(
  db: Kysely<Database>,
  workspaceId: string,
  o: { subject?: string; now: number },
): Promise<VapidDetails | undefined> {
  const keys = await vapidKeys(db, workspaceId, o.now);
  if (!keys) return undefined;
  return { publicKey: keys.public_key, privateKey: keys.private_key, subject: o.subject ?? keys.subject };
}

/** The stored key pair, made now if the workspace has none; undefined when the workspace does not exist. */
export async function vapidKeys(
  db: Kysely<Database>,
  workspaceId: string,
  now: number,
): Promise<PushKey | undefined> {
  const stored = await keysOf(db, workspaceId);
  if (stored) return stored;
  const owner = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select('users.email')
    .where('memberships.workspace_id', '=', workspaceId)
    .where('memberships.role', '=', 'owner')
    .orderBy('users.created_at')
    .limit(1)
    .executeTakeFirst();
  const workspace = await db
    .selectFrom('workspaces')
    .select('id')
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  if (!workspace) return undefined;
  const made = generateVapidKeys();
  // Two first needs at once: the first insert wins and both read it back.
  await db
    .insertInto('push_keys')
    .values({
      workspace_id: workspaceId,
      public_key: made.publicKey,
      private_key: made.privateKey,
      // Push services want a way to reach the sender; a workspace has at least one owner.
      subject: owner ? `mailto:${owner.email}` : 'mailto:postmaster@localhost',
      created_at: now,
    })
    .onConflict((oc) => oc.column('workspace_id').doNothing())
    .execute();
  return keysOf(db, workspaceId);
}

/**
 * The WebPushAdapter's `vapidFor`: the VAPID details of the workspace a
 * message belongs to, found by the message id. A workspace's keys never
 * change once made, so they are kept in memory after the first message.
 */
export function vapidForMessages(db: Kysely<Database>, o: { subject?: string; clock: () => number }) {
  const known = new Map<string, VapidDetails>();
  return async (message: { id: string }): Promise<VapidDetails> => {
    const row = await db
      .selectFrom('messages')
      .select('workspace_id')
      .where('id', '=', message.id)
      .executeTakeFirst();
    const cached = row && known.get(row.workspace_id);
    if (cached) return cached;
    const details = row
      ? await vapidDetails(db, row.workspace_id, {
          ...(o.subject ? { subject: o.subject } : {}),
          now: o.clock(),
        })
      : undefined;
    // Empty details are refused by the adapter, naming the field (invalid_vapid).
    if (!row || !details) return { subject: '', publicKey: '', privateKey: '' };
    known.set(row.workspace_id, details);
    return details;
  };
}

const keysOf = (db: Kysely<Database>, workspaceId: string) =>
  db.selectFrom('push_keys').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();

export interface SubscribeInput {
  site: { id: string; workspace_id: string; domain: string };
  endpoint: string;
  keys: { p256dh: string; auth: string };
  /** The tracker's consent-mode id (localStorage.wasl_uid), which identity resolution may know. */
  uid?: string;
  language?: string;
  userAgent?: string;
  /** Kept as the consent's proof. */
  ip: string;
  page?: string;
  now: number;
}

export interface Subscribed {
  subscription: PushSubscriptionRow;
  /** The consent recorded, when this call linked a new subscription to a contact. */
  consent?: Consent;
}

/**
 * Stores or refreshes a browser's subscription. It is linked to the contact
 * the tracker's visitor id is known as; a browser-supplied contact id is not
 * accepted (anyone could then receive another person's messages). Consent is
 * granted only when the subscription is new to that contact: a refresh of
 * the same one is no new opt-in, and must not undo an unsubscribe.
 */
export async function subscribe(db: Kysely<Database>, input: SubscribeInput): Promise<Subscribed> {
  const workspaceId = input.site.workspace_id;
  const anonymousId = input.uid === undefined ? null : consentVisitor(input.site.id, input.uid).id;
  return inTransaction(db, async (trx) => {
    const known = anonymousId
      ? await trx
          .selectFrom('contact_identities')
          .select('contact_id')
          .where('workspace_id', '=', workspaceId)
          .where('anonymous_id', '=', anonymousId)
          .executeTakeFirst()
      : undefined;
    const before = await trx
      .selectFrom('push_subscriptions')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('endpoint', '=', input.endpoint)
      .executeTakeFirst();
    const contactId = known?.contact_id ?? before?.contact_id ?? null;
    const fields = {
      site_id: input.site.id,
      contact_id: contactId,
      anonymous_id: anonymousId ?? before?.anonymous_id ?? null,
      p256dh: input.keys.p256dh,
      auth: input.keys.auth,
      language: input.language ?? before?.language ?? null,
      user_agent_family: parseUserAgent(input.userAgent).browser ?? before?.user_agent_family ?? null,
      updated_at: input.now,
    };
    if (before) {
      await trx.updateTable('push_subscriptions').set(fields).where('id', '=', before.id).execute();
    } else {
      await trx
        .insertInto('push_subscriptions')
        .values({
          id: newId(input.now),
          workspace_id: workspaceId,
          endpoint: input.endpoint,
          created_at: input.now,
          last_success_at: null,
          ...fields,
        })
        .execute();
    }
    const subscription = await trx
      .selectFrom('push_subscriptions')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('endpoint', '=', input.endpoint)
      .executeTakeFirstOrThrow();
    if (contactId === null || before?.contact_id === contactId) return { subscription };
    const granted = await setConsent(trx, {
      workspaceId,
      contactId,
      channel: 'webpush',
      status: 'granted',
      source: 'push_permission',
      proof: {
        ip: input.ip,
        userAgent: input.userAgent ?? '',
        site: input.site.domain,
        page: input.page ?? '',
        pushService: new URL(input.endpoint).origin,
      },
      now: input.now,
    });
    return granted.ok ? { subscription, consent: granted.value } : { subscription };
  });
}

/**
 * Removes a subscription by its endpoint: the browser unsubscribed, or its
 * push service said it is gone (404/410). When it was the contact's last
 * one, webpush consent is withdrawn (recorded with `source`). Resolves to
 * whether a subscription was removed, and the consent change if any.
 */
export async function removeSubscription(
  db: Kysely<Database>,
  input: { workspaceId: string; endpoint: string; source: string; reason: string; now: number },
): Promise<{ removed: boolean; consent?: Consent }> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom('push_subscriptions')
      .selectAll()
      .where('workspace_id', '=', input.workspaceId)
      .where('endpoint', '=', input.endpoint)
      .executeTakeFirst();
    if (!row) return { removed: false };
    await trx.deleteFrom('push_subscriptions').where('id', '=', row.id).execute();
    const contactId = row.contact_id ?? (await contactOfAnonymous(trx, row));
    if (!contactId) return { removed: true };
    if (await newestSubscription(trx, input.workspaceId, contactId)) return { removed: true };
    const withdrawn = await setConsent(trx, {
      workspaceId: input.workspaceId,
      contactId,
      channel: 'webpush',
      status: 'unsubscribed',
      source: input.source,
      proof: { reason: input.reason, pushService: new URL(row.endpoint).origin },
      now: input.now,
    });
    return withdrawn.ok ? { removed: true, consent: withdrawn.value } : { removed: true };
  });
}

async function contactOfAnonymous(db: Kysely<Database>, row: PushSubscriptionRow) {
  if (!row.anonymous_id) return undefined;
  const known = await db
    .selectFrom('contact_identities')
    .select('contact_id')
    .where('workspace_id', '=', row.workspace_id)
    .where('anonymous_id', '=', row.anonymous_id)
    .executeTakeFirst();
  return known?.contact_id;
}
