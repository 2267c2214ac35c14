import type { Kysely } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * What a site's reports are configured with: saved goals, funnels and calls to
 * action (their definitions as JSON text, validated by the API against the
 * core schemas), and read-only public share links (only the token's SHA-256
 * is kept; a revoked link keeps its row so the list says when it stopped).
 */
export const analyticsSettings: Migration = {
  version: '0004_analytics_settings',
  async up(db: Kysely<unknown>) {
    for (const table of ['goals', 'funnels', 'ctas'] as const) {
      await db.schema
        .createTable(table)
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
        .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      // One name per site, so a report row or a CSV line names one thing.
      await db.schema
        .createIndex(`${table}_site_name`)
        .on(table)
        .columns(['site_id', 'name'])
        .unique()
        .execute();
    }
    await db.schema
      .createTable('share_links')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', (c) => c.notNull().references('workspaces.id').onDelete('cascade'))
      .addColumn('site_id', 'text', (c) => c.notNull().references('sites.id').onDelete('cascade'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('prefix', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.createIndex('share_links_site').on('share_links').column('site_id').execute();
  },
};
