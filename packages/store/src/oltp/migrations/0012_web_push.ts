import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Migration } from '../migrate.ts';

const ws = (c: ColumnDefinitionBuilder) => c.notNull().references('workspaces.id').onDelete('cascade');

/**
 * Web push: each workspace's VAPID key pair (made on first need; browsers
 * subscribe with its public key, so it never changes afterwards), and the
 * browsers' push subscriptions. A subscription belongs to the site it was
 * made on and, when the subscribe call named a visitor identity resolution
 * knows, to a contact. A contact merged away or erased leaves it unlinked
 * (the anonymous id still finds the survivor through contact_identities).
 */
export const webPush: Migration = {
  version: '0012_web_push',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('push_keys')
      .addColumn('workspace_id', 'text', (c) => ws(c).primaryKey())
      /** base64url, 65-byte uncompressed P-256 point: the browsers' applicationServerKey. */
      .addColumn('public_key', 'text', (c) => c.notNull())
      /** base64url, 32 bytes: signs the VAPID JWT. */
      .addColumn('private_key', 'text', (c) => c.notNull())
      /** mailto: or https: URL the push services may contact. */
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('push_subscriptions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
      .addColumn('contact_id', 'text', (c) => c.references('contacts.id').onDelete('set null'))
      /** The tracker's consent-mode visitor id (the events' anonymousId), when the call carried one. */
      .addColumn('anonymous_id', 'text')
      /** The push service URL the browser gave; unique per workspace. */
      .addColumn('endpoint', 'text', (c) => c.notNull())
      .addColumn('p256dh', 'text', (c) => c.notNull())
      .addColumn('auth', 'text', (c) => c.notNull())
      /** navigator.language of the browser, e.g. 'ar-SA'. */
      .addColumn('language', 'text')
      /** Browser family from the user agent ('Chrome', 'Firefox', …), never the whole string. */
      .addColumn('user_agent_family', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      /** When a push to it was last accepted by its push service. */
      .addColumn('last_success_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('push_subscriptions_endpoint')
      .unique()
      .on('push_subscriptions')
      .columns(['workspace_id', 'endpoint'])
      .execute();
    await db.schema
      .createIndex('push_subscriptions_contact')
      .on('push_subscriptions')
      .columns(['workspace_id', 'contact_id'])
      .execute();
    await db.schema
      .createIndex('push_subscriptions_anonymous')
      .on('push_subscriptions')
      .columns(['workspace_id', 'anonymous_id'])
      .execute();
  },
};
