import type { Kysely } from 'kysely';
import type { Migration } from '../migrate.ts';

/** Websites a workspace tracks; each has a public key the tracker sends. */
export const sites: Migration = {
  version: '0002_sites',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sites')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('domain', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull().unique())
      .addColumn('timezone', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('sites_workspace').on('sites').column('workspace_id').execute();
  },
};
