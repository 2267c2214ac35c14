/**
 * Reading web push subscriptions: a contact's newest one (its web push
 * address), one by endpoint, a workspace's list; and noting a push accepted.
 * Apart from web-push.ts so that consent.ts can read them without a cycle.
 */
import type { Database, PushSubscriptionRow } from '@wasl/store';
import type { Kysely } from 'kysely';

/**
 * A contact's newest subscription (last subscribed or refreshed): linked to
 * it, or made under a visitor id that is now known as it (the subscribe call
 * came before the person identified, or their contact was merged into this one).
 */
export const newestSubscription = (
  db: Kysely<Database>,
  workspaceId: string,
  contactId: string,
): Promise<PushSubscriptionRow | undefined> =>
  db
    .selectFrom('push_subscriptions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where((eb) =>
      eb.or([
        eb('contact_id', '=', contactId),
        eb(
          'anonymous_id',
          'in',
          eb
            .selectFrom('contact_identities')
            .select('anonymous_id')
            .where('workspace_id', '=', workspaceId)
            .where('contact_id', '=', contactId),
        ),
      ]),
    )
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();

export const subscriptionAt = (db: Kysely<Database>, workspaceId: string, endpoint: string) =>
  db
    .selectFrom('push_subscriptions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('endpoint', '=', endpoint)
    .executeTakeFirst();

/** Notes that the push service accepted a message for this subscription. */
export async function pushAccepted(
  db: Kysely<Database>,
  workspaceId: string,
  endpoint: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('push_subscriptions')
    .set({ last_success_at: now })
    .where('workspace_id', '=', workspaceId)
    .where('endpoint', '=', endpoint)
    .execute();
}

/** A workspace's subscriptions, newest first, optionally one contact's. */
export function listSubscriptions(
  db: Kysely<Database>,
  q: { workspaceId: string; contactId?: string; limit: number; before?: string },
): Promise<PushSubscriptionRow[]> {
  let query = db.selectFrom('push_subscriptions').selectAll().where('workspace_id', '=', q.workspaceId);
  if (q.contactId) query = query.where('contact_id', '=', q.contactId);
  if (q.before) query = query.where('id', '<', q.before);
  return query.orderBy('id', 'desc').limit(q.limit).execute();
}
