import type { EventMigration } from './migration.ts';

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
];
