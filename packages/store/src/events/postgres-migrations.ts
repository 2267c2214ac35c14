import type { EventMigration } from './migration.ts';
import { backfillVisits, createVisitsTable, postgresVisitsOf } from './visits-sql.ts';

/**
 * Keys use the "C" collation: byte order is cheaper to index than a
 * language's and sorts ids the way DuckDB does, so both engines agree.
 */
export const POSTGRES_EVENT_MIGRATIONS: readonly EventMigration[] = [
  {
    version: '0001_events',
    statements: [
      `create table events (
        workspace_id text collate "C" not null,
        id text collate "C" not null,
        type text not null,
        name text not null,
        anonymous_id text,
        contact_id text,
        occurred_at timestamptz not null,
        received_at timestamptz not null,
        path text,
        referrer text,
        utm_source text,
        utm_medium text,
        utm_campaign text,
        source text,
        medium text,
        country text,
        device_type text,
        session_id text,
        properties jsonb not null,
        context jsonb not null,
        primary key (workspace_id, id)
      )`,
      'create index events_workspace_time on events (workspace_id, occurred_at)',
    ],
  },
  {
    version: '0002_analytics',
    statements: [
      'alter table events add column site_id text',
      'alter table events add column region text',
      'alter table events add column browser text',
      'alter table events add column os text',
      'alter table events add column locale text',
      'alter table events add column utm_term text',
      'alter table events add column utm_content text',
      'alter table events add column referrer_host text',
      'alter table events add column identity text',
      'alter table events add column engaged_ms bigint',
      'alter table events add column bot boolean not null default false',
      'create index events_site_time on events (site_id, occurred_at) where site_id is not null',
    ],
  },
  {
    // One row per visit, kept by every append (visits-sql.ts); built here from
    // the events already stored. Appends mostly update a visit's totals, which
    // are not indexed: room left in each page lets those be HOT updates.
    version: '0003_visits',
    statements: [
      `${createVisitsTable('text', 'timestamptz', 'text collate "C"')} with (fillfactor = 90)`,
      'create index visits_site_start on visits (workspace_id, site_id, started_at)',
      backfillVisits(postgresVisitsOf('events')),
    ],
  },
  {
    // The audience mirror: a current copy of contacts, accounts, identities and
    // static lists beside the events, so one query answers a segment
    // (packages/store/src/segments). Events are looked up per contact and per
    // anonymous id when one contact is evaluated, hence those two indexes.
    version: '0004_audience',
    statements: [
      `create table audience_contacts (
        workspace_id text collate "C" not null,
        id text not null,
        email text,
        phone text,
        first_name text,
        last_name text,
        locale text,
        timezone text,
        country text,
        city text,
        birth_date date,
        gender text,
        income_band text,
        interests jsonb not null default '[]',
        source text,
        lifecycle_stage text,
        account_id text,
        lead_score integer not null default 0,
        attributes jsonb not null default '{}',
        consent jsonb not null default '{}',
        created_at timestamptz not null,
        updated_at timestamptz not null,
        primary key (workspace_id, id)
      )`,
      `create table audience_accounts (
        workspace_id text collate "C" not null,
        id text not null,
        name text,
        domain text,
        industry text,
        size text,
        region text,
        attributes jsonb not null default '{}',
        primary key (workspace_id, id)
      )`,
      `create table audience_identities (
        workspace_id text collate "C" not null,
        anonymous_id text not null,
        contact_id text not null,
        primary key (workspace_id, anonymous_id)
      )`,
      'create index audience_identities_contact on audience_identities (workspace_id, contact_id)',
      `create table audience_list_members (
        workspace_id text collate "C" not null,
        list_id text not null,
        contact_id text not null,
        primary key (workspace_id, list_id, contact_id)
      )`,
      'create index audience_list_members_contact on audience_list_members (workspace_id, contact_id)',
      'create index events_contact on events (workspace_id, contact_id) where contact_id is not null',
      'create index events_anonymous on events (workspace_id, anonymous_id) where anonymous_id is not null',
    ],
  },
];
