import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Migration } from '../migrate.ts';

const ws = (c: ColumnDefinitionBuilder) => c.notNull().references('workspaces.id').onDelete('cascade');

/**
 * WhatsApp's customer-service windows: when a phone last sent the workspace a
 * WhatsApp message (from the Cloud API's inbound webhook). Free-form messages
 * (text, media, 'whatsapp' templates) may only go within 24 hours of it;
 * approved templates may go at any time. One row per phone; rows older than
 * a window are pruned as new inbound messages arrive.
 */
export const whatsappWindows: Migration = {
  version: '0011_whatsapp_windows',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('whatsapp_windows')
      .addColumn('workspace_id', 'text', ws)
      /** E.164, as contacts.phone holds it. */
      .addColumn('phone', 'text', (c) => c.notNull())
      /** Epoch ms of the latest inbound message (its WhatsApp timestamp, never later than its arrival). */
      .addColumn('last_inbound_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('whatsapp_windows_pk', ['workspace_id', 'phone'])
      .execute();
    await db.schema
      .createIndex('whatsapp_windows_age')
      .on('whatsapp_windows')
      .columns(['workspace_id', 'last_inbound_at'])
      .execute();
  },
};
