import { type ConsentChannel, err, newId, ok, problem, type Result, type WaslEvent } from '@wasl/core';
import type { Consent, Database, Suppression, Topic } from '@wasl/store';
import type { Kysely } from 'kysely';
import { type Actor, recordAudit } from './audit.ts';
import { getContact } from './contacts.ts';
import { isUniqueViolation } from './db-errors.ts';
import { newestSubscription } from './push-subscriptions.ts';
import { inTransaction } from './transaction.ts';

export const CONSENT_STATUSES = ['granted', 'denied', 'pending', 'unsubscribed'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export const SUPPRESSION_REASONS = ['hard_bounce', 'complaint', 'unsubscribed', 'manual', 'erased'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export interface ConsentChange {
  workspaceId: string;
  contactId: string;
  channel: ConsentChannel;
  /** A topic of the channel (a newsletter); absent for the channel itself. */
  topicId?: string;
  status: ConsentStatus;
  /** form, import, api, preference_page, unsubscribe_link, double_opt_in, sms_keyword… */
  source: string;
  /** What proves it: IP, user agent, form, time of confirmation. */
  proof?: Record<string, unknown>;
  now: number;
}

/**
 * Records a person's answer for a channel or topic. The contact's updated_at
 * moves too, so the events store's copy (which segments read) catches up.
 */
export async function setConsent(db: Kysely<Database>, change: ConsentChange): Promise<Result<Consent>> {
  return inTransaction(db, async (trx) => {
    const contact = await getContact(trx, change.workspaceId, change.contactId);
    if (!contact) return err(problem('not_found', 'contact not found'));
    const topicId = change.topicId ?? '';
    if (topicId !== '') {
      const topic = await trx
        .selectFrom('topics')
        .select('id')
        .where('workspace_id', '=', change.workspaceId)
        .where('id', '=', topicId)
        .executeTakeFirst();
      if (!topic) return err(problem('invalid', `no topic has the id "${topicId}"`, 'topicId'));
    }
    const row: Consent = {
      workspace_id: change.workspaceId,
      contact_id: contact.id,
      channel: change.channel,
      topic_id: topicId,
      status: change.status,
      source: change.source,
      proof: JSON.stringify(change.proof ?? {}),
      updated_at: change.now,
    };
    await trx
      .insertInto('consents')
      .values(row)
      .onConflict((oc) =>
        oc.columns(['contact_id', 'channel', 'topic_id']).doUpdateSet({
          status: row.status,
          source: row.source,
          proof: row.proof,
          updated_at: row.updated_at,
        }),
      )
      .execute();
    await trx.updateTable('contacts').set({ updated_at: change.now }).where('id', '=', contact.id).execute();
    return ok(row);
  });
}

export const listConsents = (
  db: Kysely<Database>,
  workspaceId: string,
  contactId: string,
): Promise<Consent[]> =>
  db
    .selectFrom('consents')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .orderBy('channel')
    .orderBy('topic_id')
    .execute();

export async function createTopic(
  db: Kysely<Database>,
  input: { workspaceId: string; name: string; description?: string; actor: Actor; now: number },
): Promise<Result<Topic>> {
  const topic: Topic = {
    id: newId(input.now),
    workspace_id: input.workspaceId,
    name: input.name.trim(),
    description: input.description?.trim() || null,
    created_at: input.now,
  };
  return inTransaction(db, async (trx) => {
    try {
      await trx.insertInto('topics').values(topic).execute();
    } catch (e) {
      if (isUniqueViolation(e))
        return err(problem('conflict', `a topic named "${topic.name}" exists`, 'name'));
      throw e;
    }
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'topic.created',
      target: `topic:${topic.id}`,
      details: { name: topic.name },
      now: input.now,
    });
    return ok(topic);
  });
}

export const listTopics = (db: Kysely<Database>, workspaceId: string): Promise<Topic[]> =>
  db.selectFrom('topics').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').execute();

/** The address a channel reaches: the email for email, the phone for SMS and WhatsApp (push: see sendableAddress). */
const addressColumn = (channel: string): 'email' | 'phone' => (channel === 'email' ? 'email' : 'phone');

/** Email addresses are compared lower-cased; phones are E.164 already; a push endpoint is a URL, kept as it is. */
const normaliseAddress = (channel: string, address: string): string =>
  channel === 'email'
    ? address.trim().toLowerCase()
    : channel === 'webpush'
      ? address.trim()
      : address.replace(/[\s-]/g, '');

export async function suppress(
  db: Kysely<Database>,
  input: {
    workspaceId: string;
    channel: ConsentChannel;
    address: string;
    reason: SuppressionReason;
    details?: string;
    now: number;
  },
): Promise<Suppression> {
  const row: Suppression = {
    workspace_id: input.workspaceId,
    channel: input.channel,
    address: normaliseAddress(input.channel, input.address),
    reason: input.reason,
    details: input.details ?? null,
    created_at: input.now,
  };
  // The first reason stays: a complaint later re-reported as a bounce is still a complaint.
  await db
    .insertInto('suppressions')
    .values(row)
    .onConflict((oc) => oc.columns(['workspace_id', 'channel', 'address']).doNothing())
    .execute();
  return row;
}

export async function unsuppress(
  db: Kysely<Database>,
  input: { workspaceId: string; channel: string; address: string; actor: Actor; now: number },
): Promise<Result<void>> {
  const address = normaliseAddress(input.channel, input.address);
  return inTransaction(db, async (trx) => {
    const removed = await trx
      .deleteFrom('suppressions')
      .where('workspace_id', '=', input.workspaceId)
      .where('channel', '=', input.channel)
      .where('address', '=', address)
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) === 0)
      return err(problem('not_found', 'this address is not suppressed'));
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'suppression.removed',
      target: `suppression:${input.channel}:${address}`,
      now: input.now,
    });
    return ok(undefined);
  });
}

export async function listSuppressions(
  db: Kysely<Database>,
  q: { workspaceId: string; channel?: string; limit: number; after?: string },
): Promise<{ suppressions: Suppression[]; next: string | null }> {
  let query = db.selectFrom('suppressions').selectAll().where('workspace_id', '=', q.workspaceId);
  if (q.channel) query = query.where('channel', '=', q.channel);
  if (q.after) query = query.where('address', '>', q.after);
  const rows = await query
    .orderBy('address')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  return {
    suppressions: page,
    next: rows.length > q.limit ? (page[page.length - 1]?.address ?? null) : null,
  };
}

/** Why a message may not go out; marketing sends need consent, every send respects suppression. */
export type NotSendable =
  | 'contact_not_found'
  | 'no_address'
  | 'suppressed'
  | 'no_consent'
  | 'topic_unsubscribed';

/**
 * The one check every send goes through (campaigns, journeys, tests): a
 * suppressed address is never reached, whatever its consent says; a marketing
 * message needs the channel granted and the topic not refused.
 */
export async function sendableAddress(
  db: Kysely<Database>,
  q: {
    workspaceId: string;
    contactId: string;
    channel: ConsentChannel;
    topicId?: string;
    marketing: boolean;
  },
): Promise<Result<string, NotSendable>> {
  const contact = await getContact(db, q.workspaceId, q.contactId);
  if (!contact) return err('contact_not_found');
  // A browser's push subscription is its address: the contact's newest one (see docs/messaging.md).
  const address =
    q.channel === 'webpush'
      ? (await newestSubscription(db, q.workspaceId, contact.id))?.endpoint
      : contact[addressColumn(q.channel)];
  if (!address) return err('no_address');
  const suppressed = await db
    .selectFrom('suppressions')
    .select('reason')
    .where('workspace_id', '=', q.workspaceId)
    .where('channel', '=', q.channel)
    .where('address', '=', normaliseAddress(q.channel, address))
    .executeTakeFirst();
  if (suppressed) return err('suppressed');
  if (!q.marketing) return ok(address);
  const answers = await db
    .selectFrom('consents')
    .select(['topic_id', 'status'])
    .where('contact_id', '=', contact.id)
    .where('channel', '=', q.channel)
    .where('topic_id', 'in', q.topicId ? ['', q.topicId] : [''])
    .execute();
  const channel = answers.find((a) => a.topic_id === '');
  if (channel?.status !== 'granted') return err('no_consent');
  const topic = q.topicId ? answers.find((a) => a.topic_id === q.topicId) : undefined;
  if (topic && topic.status !== 'granted') return err('topic_unsubscribed');
  return ok(address);
}

/** A consent answer as a fact in the events store: the contact's timeline shows it, segments may read it. */
export const consentEvent = (workspaceId: string, c: Consent): WaslEvent => ({
  id: newId(c.updated_at),
  workspaceId,
  type: 'track',
  name: 'consent.changed',
  anonymousId: null,
  contactId: c.contact_id,
  occurredAt: new Date(c.updated_at),
  receivedAt: new Date(c.updated_at),
  properties: {
    channel: c.channel,
    ...(c.topic_id === '' ? {} : { topicId: c.topic_id }),
    status: c.status,
    source: c.source,
  },
  context: {},
});
