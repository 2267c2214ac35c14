import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Migration } from '../migrate.ts';

const ws = (c: ColumnDefinitionBuilder) => c.notNull().references('workspaces.id').onDelete('cascade');

/**
 * Lead scoring: the rules that award points (for events, or once for a
 * profile attribute) and, per workspace, the decay and the thresholds that
 * move a lead to MQL and SQL. Scores themselves live in contacts.lead_score.
 */
export const leadScoring: Migration = {
  version: '0007_lead_scoring',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('lead_scoring_rules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('name', 'text', (c) => c.notNull())
      /** event | attribute */
      .addColumn('kind', 'text', (c) => c.notNull())
      /** JSON: what the rule matches (see packages/server/src/services/lead-scoring-rules.ts). */
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('points', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('lead_scoring_rules_workspace')
      .on('lead_scoring_rules')
      .column('workspace_id')
      .execute();
    await db.schema
      .createTable('lead_scoring_settings')
      .addColumn('workspace_id', 'text', (c) =>
        c.primaryKey().references('workspaces.id').onDelete('cascade'),
      )
      // Points an event earned halve every this many days after it happened; null: no decay.
      .addColumn('half_life_days', 'integer')
      .addColumn('mql_threshold', 'integer', (c) => c.notNull())
      .addColumn('sql_threshold', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
