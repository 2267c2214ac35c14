import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely';
import type { Migration } from '../migrate.ts';

const ws = (c: ColumnDefinitionBuilder) => c.notNull().references('workspaces.id').onDelete('cascade');

/**
 * The audience: contacts (the current profile; their history is in the events
 * store), accounts, custom attribute definitions, consent per channel and
 * topic, the suppression list, anonymous ids joined to contacts, merges,
 * static lists, segment definitions and their live membership, remembered
 * CSV column mappings and import runs with their row errors.
 *
 * Email and phone are unique per workspace when present (partial indexes, on
 * both engines): identity resolution relies on it.
 */
export const audience: Migration = {
  version: '0005_audience',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('accounts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('domain', 'text')
      .addColumn('industry', 'text')
      .addColumn('size', 'text')
      .addColumn('region', 'text')
      .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('accounts_workspace')
      .on('accounts')
      .columns(['workspace_id', 'name'])
      .execute();

    await db.schema
      .createTable('contacts')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('email', 'text')
      .addColumn('phone', 'text')
      .addColumn('first_name', 'text')
      .addColumn('last_name', 'text')
      .addColumn('locale', 'text')
      .addColumn('timezone', 'text')
      .addColumn('country', 'text')
      .addColumn('city', 'text')
      .addColumn('birth_date', 'text')
      .addColumn('gender', 'text')
      .addColumn('income_band', 'text')
      .addColumn('interests', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('source', 'text')
      .addColumn('lifecycle_stage', 'text')
      .addColumn('account_id', 'text', (c) => c.references('accounts.id').onDelete('set null'))
      .addColumn('lead_score', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('attributes', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    for (const field of ['email', 'phone'] as const) {
      await db.schema
        .createIndex(`contacts_${field}`)
        .on('contacts')
        .columns(['workspace_id', field])
        .unique()
        .where(sql.ref(field), 'is not', null)
        .execute();
    }
    // Newest first (ids are time-ordered) is how lists page; updated_at across all
    // workspaces is what the events store's copy catches up from.
    await db.schema.createIndex('contacts_newest').on('contacts').columns(['workspace_id', 'id']).execute();
    await db.schema.createIndex('contacts_updated').on('contacts').columns(['updated_at', 'id']).execute();

    await db.schema
      .createTable('attribute_definitions')
      .addColumn('workspace_id', 'text', ws)
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('options', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('attribute_definitions_pk', ['workspace_id', 'key'])
      .execute();

    await db.schema
      .createTable('topics')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('topics_name')
      .on('topics')
      .columns(['workspace_id', 'name'])
      .unique()
      .execute();

    // topic_id '' is the channel itself; a row per (channel, topic) the person answered.
    await db.schema
      .createTable('consents')
      .addColumn('workspace_id', 'text', ws)
      .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('topic_id', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('proof', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('consents_pk', ['contact_id', 'channel', 'topic_id'])
      .execute();
    await db.schema
      .createIndex('consents_workspace')
      .on('consents')
      .columns(['workspace_id', 'channel'])
      .execute();

    // Addresses, not contacts: a suppressed address stays suppressed when its contact is erased or re-imported.
    await db.schema
      .createTable('suppressions')
      .addColumn('workspace_id', 'text', ws)
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('details', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('suppressions_pk', ['workspace_id', 'channel', 'address'])
      .execute();

    await db.schema
      .createTable('contact_identities')
      .addColumn('workspace_id', 'text', ws)
      .addColumn('anonymous_id', 'text', (c) => c.notNull())
      .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('contact_identities_pk', ['workspace_id', 'anonymous_id'])
      .execute();
    await db.schema
      .createIndex('contact_identities_contact')
      .on('contact_identities')
      .column('contact_id')
      .execute();

    await db.schema
      .createTable('contact_merges')
      .addColumn('workspace_id', 'text', ws)
      .addColumn('from_id', 'text', (c) => c.notNull())
      .addColumn('into_id', 'text', (c) => c.notNull())
      .addColumn('rule', 'text', (c) => c.notNull())
      .addColumn('snapshot', 'text', (c) => c.notNull())
      .addColumn('merged_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('contact_merges_pk', ['workspace_id', 'from_id'])
      .execute();

    await db.schema
      .createTable('lists')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('lists_name')
      .on('lists')
      .columns(['workspace_id', 'name'])
      .unique()
      .execute();
    await db.schema
      .createTable('list_members')
      .addColumn('list_id', 'text', (c) => c.notNull().references('lists.id').onDelete('cascade'))
      .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
      .addColumn('added_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('list_members_pk', ['list_id', 'contact_id'])
      .execute();
    await db.schema.createIndex('list_members_contact').on('list_members').column('contact_id').execute();

    await db.schema
      .createTable('segments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      // When the last full evaluation ran and how many members it found.
      .addColumn('evaluated_at', 'bigint')
      .addColumn('member_count', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex('segments_name')
      .on('segments')
      .columns(['workspace_id', 'name'])
      .unique()
      .execute();
    await db.schema
      .createTable('segment_members')
      .addColumn('segment_id', 'text', (c) => c.notNull().references('segments.id').onDelete('cascade'))
      .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
      .addColumn('since', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('segment_members_pk', ['segment_id', 'contact_id'])
      .execute();
    await db.schema
      .createIndex('segment_members_contact')
      .on('segment_members')
      .column('contact_id')
      .execute();

    await db.schema
      .createTable('column_mappings')
      .addColumn('workspace_id', 'text', ws)
      .addColumn('signature', 'text', (c) => c.notNull())
      .addColumn('mapping', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('column_mappings_pk', ['workspace_id', 'signature'])
      .execute();

    await db.schema
      .createTable('contact_imports')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('file_name', 'text', (c) => c.notNull())
      /** running | done | failed | cancelled */
      .addColumn('status', 'text', (c) => c.notNull())
      /** upsert | insert_only | update_only */
      .addColumn('policy', 'text', (c) => c.notNull())
      .addColumn('bytes_total', 'bigint')
      .addColumn('bytes_read', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('rows_read', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('inserted', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('summary', 'text')
      .addColumn('error', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('contact_imports_workspace')
      .on('contact_imports')
      .columns(['workspace_id', 'created_at'])
      .execute();
    await db.schema
      .createTable('contact_import_errors')
      .addColumn('import_id', 'text', (c) => c.notNull().references('contact_imports.id').onDelete('cascade'))
      .addColumn('line', 'integer', (c) => c.notNull())
      .addColumn('column_name', 'text')
      .addColumn('value', 'text')
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('warning', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema
      .createIndex('contact_import_errors_import')
      .on('contact_import_errors')
      .columns(['import_id', 'line'])
      .execute();
  },
};
