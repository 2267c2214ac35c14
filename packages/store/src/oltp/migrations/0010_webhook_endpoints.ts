import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Migration } from '../migrate.ts';

const ws = (c: ColumnDefinitionBuilder) => c.notNull().references('workspaces.id').onDelete('cascade');

/**
 * Outgoing webhooks: the URLs a workspace has Wasl deliver its events to,
 * with the signing secret (and the previous one while a rotation is under
 * way). Each delivery is a message on the 'webhook' channel, so the delivery
 * engine retries it and the messages table is its delivery log.
 */
export const webhookEndpoints: Migration = {
  version: '0010_webhook_endpoints',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('webhook_endpoints')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      /** JSON array of event types: exact ('contact.created'), a prefix ('message.*') or '*'. */
      .addColumn('event_types', 'text', (c) => c.notNull())
      /** "whsec_…" (Standard Webhooks). */
      .addColumn('secret', 'text', (c) => c.notNull())
      /** The secret before the last rotation, still signed with until previous_until. */
      .addColumn('previous_secret', 'text')
      .addColumn('previous_until', 'bigint')
      .addColumn('enabled', 'integer', (c) => c.notNull())
      /** Why it was switched off: by a person, or 'gone' when the receiver answered 410. */
      .addColumn('disabled_reason', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('webhook_endpoints_workspace')
      .on('webhook_endpoints')
      .columns(['workspace_id', 'enabled'])
      .execute();
  },
};
