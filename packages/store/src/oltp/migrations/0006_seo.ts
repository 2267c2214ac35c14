import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Migration } from '../migrate.ts';

const ws = (c: ColumnDefinitionBuilder) => c.notNull().references('workspaces.id').onDelete('cascade');
const audit = (c: ColumnDefinitionBuilder) => c.notNull().references('seo_audits.id').onDelete('cascade');

/**
 * SEO audits: one row per audit run, its crawl frontier and pages (never the
 * page bodies: what the checks need is extracted when a page is saved), and
 * its findings, one row per finding as the audit library produced it.
 */
export const seo: Migration = {
  version: '0006_seo',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('seo_audits')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      // Null for any other URL (a competitor); a deleted site keeps its audits.
      .addColumn('site_id', 'text', (c) => c.references('sites.id').onDelete('set null'))
      .addColumn('start_url', 'text', (c) => c.notNull())
      .addColumn('options', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('pages_done', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('pages_queued', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('errors', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('score', 'integer')
      .addColumn('summary', 'text')
      .addColumn('error', 'text')
      .addColumn('created_by', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('started_at', 'bigint')
      .addColumn('finished_at', 'bigint')
      .addColumn('cancelled_at', 'bigint')
      .addColumn('compare_to', 'text')
      .execute();
    await db.schema
      .createIndex('seo_audits_workspace')
      .on('seo_audits')
      .columns(['workspace_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('seo_audits_site')
      .on('seo_audits')
      .columns(['site_id', 'created_at'])
      .execute();

    await db.schema
      .createTable('seo_crawl_urls')
      .addColumn('audit_id', 'text', audit)
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('depth', 'integer', (c) => c.notNull())
      .addColumn('discovered_from', 'text')
      .addColumn('in_sitemap', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('saved_seq', 'integer')
      .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('transfer_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('page', 'text')
      .addColumn('analysis', 'text')
      .addPrimaryKeyConstraint('seo_crawl_urls_pk', ['audit_id', 'url'])
      .execute();
    await db.schema
      .createIndex('seo_crawl_urls_queue')
      .on('seo_crawl_urls')
      .columns(['audit_id', 'state', 'seq'])
      .execute();

    await db.schema
      .createTable('seo_findings')
      .addColumn('audit_id', 'text', audit)
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('check_id', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('url', 'text')
      .addColumn('urls', 'text', (c) => c.notNull())
      .addColumn('url_count', 'integer', (c) => c.notNull())
      .addColumn('details', 'text')
      .addColumn('message_en', 'text', (c) => c.notNull())
      .addColumn('message_ar', 'text', (c) => c.notNull())
      .addColumn('fix_en', 'text', (c) => c.notNull())
      .addColumn('fix_ar', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('seo_findings_pk', ['audit_id', 'seq'])
      .execute();
    await db.schema
      .createIndex('seo_findings_severity')
      .on('seo_findings')
      .columns(['audit_id', 'severity'])
      .execute();
  },
};
