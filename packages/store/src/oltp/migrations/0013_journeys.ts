import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely';
import type { Migration } from '../migrate.ts';

const ws = (c: ColumnDefinitionBuilder) => c.notNull().references('workspaces.id').onDelete('cascade');

/**
 * Journeys (decision 0011): a journey's editable draft and its published
 * versions; one enrollment per contact's walk through a version, holding the
 * step to run next and when (the due time is the timer: an indexed column,
 * not process memory); and a log of every step a contact went through, one
 * row per (enrollment, seq), which both counts the steps for the editor and
 * makes executing a step twice impossible (the second insert conflicts).
 */
export const journeys: Migration = {
  version: '0013_journeys',
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('journeys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
      /** draft (never published), live, paused (nobody enters, nobody moves), archived. */
      .addColumn('status', 'text', (c) => c.notNull())
      /** The definition being edited (JSON), published as the next version. */
      .addColumn('draft', 'text', (c) => c.notNull())
      /** The live version; null until the first publish. */
      .addColumn('version', 'integer')
      /** The trigger's event name when the live version starts on an event: the lookup on each event. */
      .addColumn('trigger_event', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('journeys_workspace_name')
      .on('journeys')
      .columns(['workspace_id', 'name'])
      .unique()
      .execute();
    await db.schema
      .createIndex('journeys_trigger')
      .on('journeys')
      .columns(['workspace_id', 'status', 'trigger_event'])
      .execute();

    await db.schema
      .createTable('journey_versions')
      .addColumn('journey_id', 'text', (c) => c.notNull().references('journeys.id').onDelete('cascade'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('published_at', 'bigint', (c) => c.notNull())
      .addColumn('published_by', 'text')
      .addPrimaryKeyConstraint('journey_versions_pk', ['journey_id', 'version'])
      .execute();

    await db.schema
      .createTable('journey_enrollments')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('journey_id', 'text', (c) => c.notNull().references('journeys.id').onDelete('cascade'))
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('contact_id', 'text', (c) => c.notNull())
      /** active, completed (walked to the end), exited (goal, unsubscribe, removed). */
      .addColumn('status', 'text', (c) => c.notNull())
      /** Where the contact is: the step to run (phase 'run') or the wait step it is in. */
      .addColumn('step_id', 'text')
      /**
       * run: run step_id at due_at. sleep: in a wait step; at due_at, go on to its next.
       * await: in a wait_event step; the event moves it on, or due_at (the timeout) does.
       */
      .addColumn('phase', 'text', (c) => c.notNull().defaultTo('run'))
      .addColumn('due_at', 'bigint')
      /** While waiting at a wait_event step: the event's name (resumed by it, or by due_at as the timeout). */
      .addColumn('wait_event', 'text')
      /** 'event' once the awaited event came. */
      .addColumn('wait_result', 'text')
      /** Steps executed so far: the guard on every move (UPDATE … WHERE seq = ?). */
      .addColumn('seq', 'integer', (c) => c.notNull().defaultTo(0))
      /** What let the contact in, unique per journey: the same event never enrolls twice. */
      .addColumn('trigger_key', 'text', (c) => c.notNull())
      .addColumn('lease_until', 'bigint')
      .addColumn('entered_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('ended_at', 'bigint')
      .addColumn('exit_reason', 'text')
      /** When the contact reached the journey's goal. */
      .addColumn('goal_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('journey_enrollments_trigger')
      .on('journey_enrollments')
      .columns(['journey_id', 'trigger_key'])
      .unique()
      .execute();
    // At most one walk per contact and journey at a time, enforced by the database.
    await db.schema
      .createIndex('journey_enrollments_one_active')
      .on('journey_enrollments')
      .columns(['journey_id', 'contact_id'])
      .unique()
      .where(sql.ref('status'), '=', 'active')
      .execute();
    await db.schema
      .createIndex('journey_enrollments_due')
      .on('journey_enrollments')
      .columns(['due_at'])
      .where(sql.ref('status'), '=', 'active')
      .execute();
    await db.schema
      .createIndex('journey_enrollments_contact')
      .on('journey_enrollments')
      .columns(['contact_id', 'status'])
      .execute();
    await db.schema
      .createIndex('journey_enrollments_journey')
      .on('journey_enrollments')
      .columns(['journey_id', 'status', 'step_id'])
      .execute();

    await db.schema
      .createTable('journey_steps')
      .addColumn('enrollment_id', 'text', (c) =>
        c.notNull().references('journey_enrollments.id').onDelete('cascade'),
      )
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('workspace_id', 'text', ws)
      .addColumn('journey_id', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('step_id', 'text', (c) => c.notNull())
      /** What the step did: done, sent, capped, waiting, skipped (and why, in detail). */
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('journey_steps_pk', ['enrollment_id', 'seq'])
      .execute();
    await db.schema
      .createIndex('journey_steps_journey')
      .on('journey_steps')
      .columns(['journey_id', 'version', 'step_id'])
      .execute();
  },
};
