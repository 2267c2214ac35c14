import type { EventMigration } from './migration.ts';
import { backfillVisits, createVisitsTable, duckDbVisitsOf } from './visits-sql.ts';

/**
 * DuckDB keeps no secondary index on time: its min/max zone maps already skip
 * row groups outside a window, and an ART index would slow every insert.
 * The primary key is what makes re-delivery a no-op.
 *
 * properties and context are varchar holding JSON, not the json type: the
 * cast to json re-parses every document (measured: the insert step took
 * about twice as long), our writer only ever stores JSON.stringify output, and DuckDB's
 * json functions read varchar all the same.
 */
export const DUCKDB_EVENT_MIGRATIONS: readonly EventMigration[] = [
  {
    version: '0001_events',
    statements: [
      `create table events (
        workspace_id varchar not null,
        id varchar not null,
        type varchar not null,
        name varchar not null,
        anonymous_id varchar,
        contact_id varchar,
        occurred_at timestamptz not null,
        received_at timestamptz not null,
        path varchar,
        referrer varchar,
        utm_source varchar,
        utm_medium varchar,
        utm_campaign varchar,
        source varchar,
        medium varchar,
        country varchar,
        device_type varchar,
        session_id varchar,
        properties varchar not null,
        context varchar not null,
        primary key (workspace_id, id)
      )`,
    ],
  },
  {
    version: '0002_analytics',
    statements: [
      'alter table events add column site_id varchar',
      'alter table events add column region varchar',
      'alter table events add column browser varchar',
      'alter table events add column os varchar',
      'alter table events add column locale varchar',
      'alter table events add column utm_term varchar',
      'alter table events add column utm_content varchar',
      'alter table events add column referrer_host varchar',
      'alter table events add column identity varchar',
      'alter table events add column engaged_ms bigint',
      'alter table events add column bot boolean default false',
    ],
  },
  {
    // One row per visit, kept by every append (visits-sql.ts); built here from
    // the events already stored.
    version: '0003_visits',
    statements: [createVisitsTable('varchar', 'timestamptz'), backfillVisits(duckDbVisitsOf('events'))],
  },
  {
    // The audience mirror: a current copy of contacts, accounts, identities and
    // static lists beside the events, so one query answers a segment
    // (packages/store/src/segments). JSON columns are varchar, as for events.
    version: '0004_audience',
    statements: [
      `create table audience_contacts (
        workspace_id varchar not null,
        id varchar not null,
        email varchar,
        phone varchar,
        first_name varchar,
        last_name varchar,
        locale varchar,
        timezone varchar,
        country varchar,
        city varchar,
        birth_date date,
        gender varchar,
        income_band varchar,
        interests varchar not null default '[]',
        source varchar,
        lifecycle_stage varchar,
        account_id varchar,
        lead_score integer not null default 0,
        attributes varchar not null default '{}',
        consent varchar not null default '{}',
        created_at timestamptz not null,
        updated_at timestamptz not null,
        primary key (workspace_id, id)
      )`,
      `create table audience_accounts (
        workspace_id varchar not null,
        id varchar not null,
        name varchar,
        domain varchar,
        industry varchar,
        size varchar,
        region varchar,
        attributes varchar not null default '{}',
        primary key (workspace_id, id)
      )`,
      `create table audience_identities (
        workspace_id varchar not null,
        anonymous_id varchar not null,
        contact_id varchar not null,
        primary key (workspace_id, anonymous_id)
      )`,
      `create table audience_list_members (
        workspace_id varchar not null,
        list_id varchar not null,
        contact_id varchar not null,
        primary key (workspace_id, list_id, contact_id)
      )`,
    ],
  },
];
