import {
  BIGINT,
  BOOLEAN,
  type DuckDBAppender,
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBTimestampTZValue,
  type DuckDBType,
  type DuckDBValue,
  TIMESTAMPTZ,
  VARCHAR,
} from '@duckdb/node-api';
import type { WaslEvent } from '@wasl/core';
import { acquireDuckDb, type DuckDbEngine, releaseDuckDb } from './duckdb-engine.ts';
import { DUCKDB_EVENT_MIGRATIONS } from './duckdb-migrations.ts';
import { applyEventMigrations, EVENT_MIGRATIONS_TABLE, type EventMigration } from './migration.ts';
import { type EventStore, MAX_HISTORY_IDS } from './port.ts';
import { type ColumnKind, EVENT_COLUMNS, type EventRow, toRows } from './row.ts';
import { fromStored } from './stored.ts';
import { duckDbVisitsOf, upsertVisits } from './visits-sql.ts';

/** How each column kind travels into DuckDB (the staging table, and the bench's bare table). */
export const DUCKDB_COLUMN: Record<ColumnKind, { type: DuckDBType; sql: string }> = {
  text: { type: VARCHAR, sql: 'varchar' },
  json: { type: VARCHAR, sql: 'varchar' },
  time: { type: TIMESTAMPTZ, sql: 'timestamptz' },
  int: { type: BIGINT, sql: 'bigint' },
  bool: { type: BOOLEAN, sql: 'boolean' },
};
const STAGING_TYPES = EVENT_COLUMNS.map((c) => DUCKDB_COLUMN[c.kind].type);
const COLUMN_LIST = EVENT_COLUMNS.map((c) => c.name).join(', ');
const CREATE_STAGING = `create temp table if not exists events_staging (${EVENT_COLUMNS.map(
  (c) => `${c.name} ${DUCKDB_COLUMN[c.kind].sql}`,
).join(', ')})`;
const INSERT_FROM_STAGING = `insert into events (${COLUMN_LIST}) select ${COLUMN_LIST} from temp.events_staging`;
/** Inserts the staged rows events does not hold yet (probing the primary key), naming them. */
const INSERT_NEW_FROM_STAGING = `${INSERT_FROM_STAGING} on conflict do nothing returning workspace_id, id`;
/** Leaves in staging only the rows named by $1 (workspace ids) and $2 (ids), two JSON arrays. */
const KEEP_IN_STAGING = `delete from temp.events_staging s where not exists (
  select 1 from (select unnest(from_json(cast($1 as varchar), '["VARCHAR"]')) as w,
      unnest(from_json(cast($2 as varchar), '["VARCHAR"]')) as i) n
  where n.w = s.workspace_id and n.i = s.id)`;
/** The staged rows' visits, merged into the visits table (staging then holds only new events). */
const UPSERT_VISITS = upsertVisits(duckDbVisitsOf('temp.events_staging'));
const DUPLICATE_KEY = /Constraint Error: Duplicate key/;
const CLEAR_STAGING = 'delete from temp.events_staging';
/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

const micros = (ms: number) => new DuckDBTimestampTZValue(BigInt(ms) * 1000n);
export function duckDbCell(kind: ColumnKind, value: string | number | boolean | null): DuckDBValue {
  if (value === null) return null;
  if (kind === 'time') return micros(value as number);
  if (kind === 'int') return BigInt(value as number);
  return value;
}

/**
 * Whole columns per data chunk rather than value by value: times go in as a
 * typed array and rows need no endRow call. Measured on 100,000 events, this
 * used the least CPU of the row appender, one INSERT unnesting JSON arrays
 * (from_json), and one INSERT splitting packed strings (string_split).
 */
function fill(appender: DuckDBAppender, rows: readonly EventRow[]): void {
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const part = rows.slice(start, start + CHUNK_ROWS);
    const chunk = DuckDBDataChunk.create(STAGING_TYPES, part.length);
    chunk.setColumns(EVENT_COLUMNS.map((c) => part.map((row) => duckDbCell(c.kind, row[c.name]))));
    appender.appendDataChunk(chunk);
  }
}

/**
 * Moves the staged batch into events, skipping ids already there, and merges
 * its visits into the visits table, in one transaction. The visits must be
 * aggregated from the new rows only, so a re-delivered event never counts
 * twice. A plain INSERT first: the primary key still refuses duplicates,
 * atomically, and it took half the time of ON CONFLICT DO NOTHING, which
 * must probe the index for every row; when it succeeds every staged row is
 * new. Re-deliveries are rare: then the transaction is rolled back and
 * redone with ON CONFLICT DO NOTHING, whose RETURNING names the rows it
 * inserted; staging keeps only those for the visits. (An anti-join of
 * staging against events would read the whole events table: 1.6 s at only
 * 100,000 events.)
 */
async function moveStaging(writer: DuckDBConnection): Promise<number> {
  try {
    return await inTransaction(writer, async () => {
      const { rowsChanged } = await writer.run(INSERT_FROM_STAGING);
      await writer.run(UPSERT_VISITS);
      return rowsChanged;
    });
  } catch (error) {
    if (!DUPLICATE_KEY.test((error as Error).message)) throw error;
    return inTransaction(writer, async () => {
      const inserted = (await writer.runAndReadAll(INSERT_NEW_FROM_STAGING)).getRows();
      await writer.run(KEEP_IN_STAGING, [
        JSON.stringify(inserted.map((r) => String(r[0]))),
        JSON.stringify(inserted.map((r) => String(r[1]))),
      ]);
      await writer.run(UPSERT_VISITS);
      return inserted.length;
    });
  }
}

async function inTransaction<T>(conn: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await conn.run('begin transaction');
  try {
    const result = await work();
    await conn.run('commit');
    return result;
  } catch (error) {
    await conn.run('rollback');
    throw error;
  }
}

export interface DuckDbEventStoreOptions {
  /** For tests of the migration runner; defaults to Wasl's migrations. */
  migrations?: readonly EventMigration[];
}

/**
 * The embedded events store. Writes go through one connection, one at a time:
 * a batch is appended (DuckDB's bulk path) into a temporary staging table and
 * moved with one INSERT, its new rows' visits merged into the visits table in
 * the same transaction (see moveStaging), so the batch is atomic and
 * re-delivered ids are skipped. Reads each take their own connection and run
 * alongside writes.
 *
 * @example
 * const events = await openDuckDbEventStore('data/events.duckdb');
 * await events.migrate();
 */
export async function openDuckDbEventStore(
  file: string,
  options: DuckDbEventStoreOptions = {},
): Promise<EventStore> {
  const migrations = options.migrations ?? DUCKDB_EVENT_MIGRATIONS;
  const engine: DuckDbEngine = await acquireDuckDb(file);
  let closed = false;

  async function read(sql: string, params: DuckDBValue[]): Promise<Record<string, DuckDBValue>[]> {
    if (closed) throw new Error(`events store ${file} is closed`);
    const conn = await engine.instance.connect();
    try {
      return (await conn.runAndReadAll(sql, params)).getRowObjects();
    } finally {
      conn.closeSync();
    }
  }

  return {
    migrate: () =>
      engine.write(() =>
        inTransaction(engine.writer, async () => {
          await applyEventMigrations(
            {
              exec: async (sql) => void (await engine.writer.run(sql)),
              appliedVersions: async () =>
                (await engine.writer.runAndReadAll(`select version from ${EVENT_MIGRATIONS_TABLE}`))
                  .getRowObjects()
                  .map((r) => String(r.version)),
              record: async (version, at) =>
                void (await engine.writer.run(`insert into ${EVENT_MIGRATIONS_TABLE} values ($1, $2)`, [
                  version,
                  BigInt(at),
                ])),
            },
            migrations,
          );
        }),
      ),

    async append(events: readonly WaslEvent[]) {
      if (closed) throw new Error(`events store ${file} is closed`);
      const rows = toRows(events);
      if (rows.length === 0) return { inserted: 0 };
      return engine.write(async () => {
        const { writer } = engine;
        if (!engine.staging) {
          await writer.run(CREATE_STAGING);
          engine.staging = true;
        }
        try {
          const appender = await writer.createAppender('events_staging', 'main', 'temp');
          try {
            fill(appender, rows);
          } finally {
            appender.closeSync();
          }
          return { inserted: await moveStaging(writer) };
        } finally {
          await writer.run(CLEAR_STAGING);
        }
      });
    },

    async countByType(workspaceId, from, to) {
      const rows = await read(
        `select type, count(*) as n from events
         where workspace_id = $1 and occurred_at >= $2 and occurred_at < $3
         group by type`,
        [workspaceId, micros(from.getTime()), micros(to.getTime())],
      );
      return Object.fromEntries(rows.map((r) => [String(r.type), Number(r.n)]));
    },

    async recent(workspaceId, limit) {
      if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`limit must be a whole number ≥ 0`);
      const rows = await read(
        `select ${STORED_COLUMNS} from events where workspace_id = $1
         order by occurred_at desc, id desc
         limit ${limit}`,
        [workspaceId],
      );
      return rows.map(storedEvent);
    },

    async history(workspaceId, ids, { limit, before }) {
      if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`limit must be a whole number ≥ 0`);
      if (ids.length === 0) return [];
      if (ids.length > MAX_HISTORY_IDS)
        throw new RangeError(`at most ${MAX_HISTORY_IDS} ids per history query`);
      const params: DuckDBValue[] = [workspaceId, ...ids];
      const list = ids.map((_, i) => `$${i + 2}`).join(', ');
      let older = '';
      if (before) {
        params.push(micros(before.occurredAt.getTime()), before.id);
        const at = `$${params.length - 1}::timestamptz`;
        older = `and (occurred_at < ${at} or (occurred_at = ${at} and id < $${params.length}))`;
      }
      const rows = await read(
        `select ${STORED_COLUMNS} from events
         where workspace_id = $1 and (contact_id in (${list}) or anonymous_id in (${list})) ${older}
         order by occurred_at desc, id desc
         limit ${limit}`,
        params,
      );
      return rows.map(storedEvent);
    },

    async ping() {
      await read('select 1', []);
    },

    async close() {
      if (closed) return;
      closed = true;
      await releaseDuckDb(file, engine);
    },
  };
}

const STORED_COLUMNS = `id, workspace_id, type, name, anonymous_id, contact_id,
  epoch_ms(occurred_at) as occurred_ms, epoch_ms(received_at) as received_ms, properties, context`;

const storedEvent = (r: Record<string, DuckDBValue>): WaslEvent =>
  fromStored({
    id: String(r.id),
    workspace_id: String(r.workspace_id),
    type: String(r.type),
    name: String(r.name),
    anonymous_id: r.anonymous_id === null ? null : String(r.anonymous_id),
    contact_id: r.contact_id === null ? null : String(r.contact_id),
    occurred_ms: Number(r.occurred_ms),
    received_ms: Number(r.received_ms),
    properties: r.properties,
    context: r.context,
  });
