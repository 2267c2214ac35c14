import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Migration } from '../migrate.ts';

const ws = (c: ColumnDefinitionBuilder) => c.notNull().references('workspaces.id').onDelete('cascade');

/**
 * What messages are made of: templates per channel (validated and compiled at
 * save time; the source is kept, compiled forms are cached by workers per
 * version) and the sender identities a workspace sends email as, with their
 * DKIM keys and the last DNS check.
 */
export const messageContent: Migration = {
  version: '0009_message_content',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('message_templates')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      /** email | sms | whatsapp */
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      /** Email: the Liquid subject line; '' for other channels. */
      .addColumn('subject', 'text', (c) => c.notNull())
      /** Email: MJML with Liquid; SMS/WhatsApp: Liquid text. */
      .addColumn('body', 'text', (c) => c.notNull())
      /** rtl | ltr */
      .addColumn('dir', 'text', (c) => c.notNull())
      .addColumn('lang', 'text', (c) => c.notNull())
      /** JSON: digits, time zone and other render settings. */
      .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
      /** Bumped on every change; workers cache compiled templates by (id, version). */
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('message_templates_workspace')
      .on('message_templates')
      .columns(['workspace_id', 'channel', 'name'])
      .execute();

    await db.schema
      .createTable('sender_identities')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('from_address', 'text', (c) => c.notNull())
      .addColumn('from_name', 'text')
      .addColumn('reply_to', 'text')
      /** The domain of from_address, lower-case (IDN as entered and as punycode in dns_status). */
      .addColumn('domain', 'text', (c) => c.notNull())
      .addColumn('dkim_selector', 'text', (c) => c.notNull())
      /** PEM (PKCS#8). */
      .addColumn('dkim_private_key', 'text', (c) => c.notNull())
      /** The base64 SubjectPublicKeyInfo that goes into the DNS TXT record. */
      .addColumn('dkim_public_key', 'text', (c) => c.notNull())
      /** JSON: the last DNS check, record by record (SPF, DKIM, DMARC): expected, found, ok. */
      .addColumn('dns_status', 'text')
      .addColumn('dns_checked_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('sender_identities_address')
      .unique()
      .on('sender_identities')
      .columns(['workspace_id', 'from_address'])
      .execute();
  },
};
