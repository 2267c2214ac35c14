import type { Kysely } from 'kysely';
import type { Migration } from '../migrate.ts';

/**
 * The random daily salts of cookieless visitor ids (packages/ingest,
 * `saltPlan`): at most today's and yesterday's exist. `day` is the primary key,
 * so when several processes create a day's salt at once, one insert wins and
 * the others read it back.
 */
export const visitorSalts: Migration = {
  version: '0003_visitor_salts',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('visitor_salts')
      .addColumn('day', 'text', (c) => c.primaryKey())
      .addColumn('salt', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
