import type { WaslEvent } from '@wasl/core';
import pg from 'pg';
import { applyEventMigrations, EVENT_MIGRATIONS_TABLE, type EventMigration } from './migration.ts';
import { type EventStore, MAX_HISTORY_IDS } from './port.ts';
import { POSTGRES_EVENT_MIGRATIONS } from './postgres-migrations.ts';
import { EVENT_COLUMNS, type EventRow, MAX_TIME, MIN_TIME, toRows } from './row.ts';
import { fromStored } from './stored.ts';
import { FIRST_EVENT_FIELDS, postgresVisitsOf, upsertVisits } from './visits-sql.ts';

/** Not the OLTP migrator's key: the two stores may share a database and migrate independently. */
const PG_LOCK_KEY = 7_243_391_078;

const COLUMN_LIST = EVENT_COLUMNS.map((c) => c.name).join(', ');
const CAST = { text: '', time: '::timestamptz', json: '::jsonb', int: '::int8', bool: '::boolean' } as const;
/**
 * Each column travels as one JSON array of strings and is unpacked by
 * json_array_elements_text. JSON.stringify runs natively where pg's own array
 * encoding escapes element by element in JavaScript (measured: a quarter of
 * the client CPU). One parameter per column, whatever the batch size, so no
 * 65,535-parameter limit to split around, and one statement keeps the batch
 * atomic.
 */
const INSERT = `insert into events (${COLUMN_LIST})
  select ${EVENT_COLUMNS.map((c) => `${c.name}${CAST[c.kind]}`).join(', ')}
  from rows from (${EVENT_COLUMNS.map((_, i) => `json_array_elements_text($${i + 1}::json)`).join(', ')})
    as batch(${COLUMN_LIST})
  on conflict (workspace_id, id) do nothing`;

/**
 * The batch's insert, then the visits of the rows it inserted (RETURNING
 * gives only new rows, so a re-delivered event never counts twice) merged
 * into the visits table: one statement, so one transaction. Visits go in key
 * order, so concurrent appends lock shared visits in the same order rather
 * than deadlock. Returns the number of events inserted.
 */
const APPEND = `with ins as (${INSERT}
  returning ${['workspace_id', 'site_id', 'session_id', 'id', 'type', 'name', 'anonymous_id', 'occurred_at', 'path', 'engaged_ms', 'bot', ...FIRST_EVENT_FIELDS].join(', ')}),
upserted as (${upsertVisits(`select * from (${postgresVisitsOf('ins')}) v order by workspace_id, site_id, session_id`)}
  returning 1)
select count(*) as inserted from ins`;

/** Times as ISO 8601 text, which timestamptz parses exactly (years 1–9999, see row.ts). */
function columnParams(rows: readonly EventRow[]): string[] {
  return EVENT_COLUMNS.map((column) =>
    JSON.stringify(
      rows.map((row) => {
        const value = row[column.name];
        return column.kind === 'time' ? new Date(value as number).toISOString() : value;
      }),
    ),
  );
}

/**
 * A window bound as timestamptz text. Stored times lie in years 1–9999, so a
 * bound outside them (any JavaScript Date may be asked for) is as good as
 * infinity, which PostgreSQL accepts where it would reject year 10000.
 */
function bound(date: Date): string {
  const ms = date.getTime();
  if (Number.isNaN(ms)) throw new RangeError('a window bound must be a valid date');
  if (ms > MAX_TIME) return 'infinity';
  if (ms < MIN_TIME) return '-infinity';
  return date.toISOString();
}

interface RecentRow {
  id: string;
  workspace_id: string;
  type: string;
  name: string;
  anonymous_id: string | null;
  contact_id: string | null;
  occurred_ms: string;
  received_ms: string;
  properties: unknown;
  context: unknown;
}

export interface PostgresEventStoreOptions {
  poolSize?: number;
  /** For tests of the migration runner; defaults to Wasl's migrations. */
  migrations?: readonly EventMigration[];
}

/**
 * The events store for scale mode: any number of processes append through
 * their own pools; the primary key (workspace_id, id) makes re-delivery a no-op.
 *
 * @example
 * const events = openPostgresEventStore(process.env.WASL_EVENTS_URL);
 * await events.migrate();
 */
export function openPostgresEventStore(url: string, options: PostgresEventStoreOptions = {}): EventStore {
  const migrations = options.migrations ?? POSTGRES_EVENT_MIGRATIONS;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  let closed = false;

  return {
    async migrate() {
      const client = await pool.connect();
      try {
        await client.query('begin');
        try {
          await client.query('select pg_advisory_xact_lock($1)', [PG_LOCK_KEY]);
          await applyEventMigrations(
            {
              exec: async (sql) => void (await client.query(sql)),
              appliedVersions: async () =>
                (
                  await client.query<{ version: string }>(`select version from ${EVENT_MIGRATIONS_TABLE}`)
                ).rows.map((r) => r.version),
              record: async (version, at) =>
                void (await client.query(`insert into ${EVENT_MIGRATIONS_TABLE} values ($1, $2)`, [
                  version,
                  at,
                ])),
            },
            migrations,
          );
          await client.query('commit');
        } catch (error) {
          await client.query('rollback');
          throw error;
        }
      } finally {
        client.release();
      }
    },

    async append(events: readonly WaslEvent[]) {
      const rows = toRows(events);
      if (rows.length === 0) return { inserted: 0 };
      const result = await pool.query<{ inserted: string }>(APPEND, columnParams(rows));
      return { inserted: Number(result.rows[0]?.inserted ?? 0) };
    },

    async countByType(workspaceId, from, to) {
      const { rows } = await pool.query<{ type: string; n: string }>(
        `select type, count(*) as n from events
         where workspace_id = $1 and occurred_at >= $2 and occurred_at < $3
         group by type`,
        [workspaceId, bound(from), bound(to)],
      );
      return Object.fromEntries(rows.map((r) => [r.type, Number(r.n)]));
    },

    async recent(workspaceId, limit) {
      if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`limit must be a whole number ≥ 0`);
      const { rows } = await pool.query<RecentRow>(
        `select ${STORED_COLUMNS} from events where workspace_id = $1
         order by occurred_at desc, id desc
         limit $2`,
        [workspaceId, limit],
      );
      return rows.map(storedEvent);
    },

    async history(workspaceId, ids, { limit, before }) {
      if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`limit must be a whole number ≥ 0`);
      if (ids.length === 0) return [];
      if (ids.length > MAX_HISTORY_IDS)
        throw new RangeError(`at most ${MAX_HISTORY_IDS} ids per history query`);
      const params: unknown[] = [workspaceId, ids, limit];
      let older = '';
      if (before) {
        params.push(before.occurredAt.toISOString(), before.id);
        older = 'and (occurred_at < $4 or (occurred_at = $4 and id < $5))';
      }
      const { rows } = await pool.query<RecentRow>(
        `select ${STORED_COLUMNS} from events
         where workspace_id = $1 and (contact_id = any($2) or anonymous_id = any($2)) ${older}
         order by occurred_at desc, id desc
         limit $3`,
        params,
      );
      return rows.map(storedEvent);
    },

    async ping() {
      await pool.query('select 1');
    },

    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}

// Epoch milliseconds computed by the server: exact for every year, where
// parsing timestamp text in JavaScript is not (years below 100).
const STORED_COLUMNS = `id, workspace_id, type, name, anonymous_id, contact_id,
  (extract(epoch from occurred_at) * 1000)::int8 as occurred_ms,
  (extract(epoch from received_at) * 1000)::int8 as received_ms,
  properties, context`;

const storedEvent = (r: RecentRow): WaslEvent =>
  fromStored({ ...r, occurred_ms: Number(r.occurred_ms), received_ms: Number(r.received_ms) });
