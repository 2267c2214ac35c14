import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBDataChunk, DuckDBInstance } from '@duckdb/node-api';
import pg from 'pg';
import { DUCKDB_COLUMN, duckDbCell } from '../packages/store/src/events/duckdb.ts';
import type { EventStore } from '../packages/store/src/events/port.ts';
import { type ColumnKind, EVENT_COLUMNS, type EventRow, toRows } from '../packages/store/src/events/row.ts';
import { openDuckDbEventStore, openPostgresEventStore } from '../packages/store/src/index.ts';
import { freshPgSchema } from '../packages/store/src/testing/index.ts';
import { makeEvents } from '../packages/store/test/fixtures/events.ts';

// Bulk append into the events store: 100,000 generated events in batches of
// 5,000, timed from the first append to the last. Prints one JSON line:
// rows/s by the wall clock, and rows per CPU-second (this process, plus the
// PostgreSQL backend when it is measured), which other work on a shared
// machine skews far less.
//
// Next to each engine's figure, its limit, measured in the same run: the same
// rows, already mapped by the store's own toRows (untimed: mapping events to
// rows is Wasl's work, not the engine's; map_rows_per_s times it alone), bulk
// loaded batch by batch the cheapest way the engine offers into a bare table
// with the same columns and types but no primary key, index or staging step:
// - DuckDB: the appender, whole columns per data chunk, straight into the
//   table; limit_append_rows_per_s counts only the time inside DuckDB's calls
//   (appendDataChunk and the closing flush), not building the chunks in JS;
// - PostgreSQL: pg-copy-streams is not installed, so the limit is one
//   INSERT … SELECT FROM unnest(column arrays) per batch, the arrays passed as
//   pg array parameters, into an unindexed table. pg encodes those arrays in
//   JavaScript, which costs more client CPU than the store's JSON transport,
//   so this "limit" can come out below the store. The run therefore also
//   measures COPY … FROM STDIN (text format, one COPY per batch, into another
//   unindexed table) through a small hand-written pg Submittable (copy_*):
//   the engine's real bulk path, with no package installed.
// ratio = figure / limit, by the wall clock. Usage:
//   WASL_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/test npm run bench -- events-append
const TOTAL = 100_000;
const BATCH = 5_000;
/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

const processCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** CPU time of another local process, from /proc (clock ticks of 10 ms). */
const otherCpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
};
const round2 = (n: number) => Number(n.toFixed(2));

interface Figure {
  rows_per_s: number;
  rows_per_cpu_s: number;
  /** CPU-seconds of the PostgreSQL backend, when one is measured. */
  server_cpu_s?: number;
}

const newEvents = () => makeEvents({ workspaceId: 'bench', count: TOTAL, seed: 42 });

/** Runs `load` on every batch (slices of `items`) and times the whole. */
async function timeBatches<T>(
  items: readonly T[],
  load: (batch: readonly T[]) => Promise<number>,
  backendCpuMs?: () => number,
): Promise<Figure> {
  const server0 = backendCpuMs?.() ?? 0;
  const cpu0 = processCpuMs();
  const started = performance.now();
  let inserted = 0;
  for (let i = 0; i < TOTAL; i += BATCH) inserted += await load(items.slice(i, i + BATCH));
  const seconds = (performance.now() - started) / 1000;
  const serverSeconds = ((backendCpuMs?.() ?? 0) - server0) / 1000;
  const cpuSeconds = (processCpuMs() - cpu0) / 1000 + serverSeconds;
  if (inserted !== TOTAL) throw new Error(`inserted ${inserted} of ${TOTAL}`);
  return {
    rows_per_s: Math.round(TOTAL / seconds),
    rows_per_cpu_s: Math.round(TOTAL / cpuSeconds),
    ...(backendCpuMs === undefined ? {} : { server_cpu_s: round2(serverSeconds) }),
  };
}

async function measure(store: EventStore, backendCpuMs?: () => number): Promise<Figure> {
  await store.migrate();
  const figure = await timeBatches(
    newEvents(),
    async (batch) => (await store.append(batch)).inserted,
    backendCpuMs,
  );
  await store.close();
  return figure;
}

const withLimit = (figure: Figure, limit: Figure & { append_rows_per_s?: number }, method: string) => {
  const { rows_per_s, rows_per_cpu_s, server_cpu_s, ...rest } = limit;
  return {
    ...figure,
    limit_rows_per_s: rows_per_s,
    limit_rows_per_cpu_s: rows_per_cpu_s,
    ...(server_cpu_s === undefined ? {} : { limit_server_cpu_s: server_cpu_s }),
    ...Object.fromEntries(Object.entries(rest).map(([k, v]) => [`limit_${k}`, v])),
    ratio: round2(figure.rows_per_s / rows_per_s),
    limit_method: method,
  };
};

/** The rows every limit loads: toRows per batch, exactly as an append maps them. */
function mappedRows(): EventRow[] {
  const events = newEvents();
  const rows: EventRow[] = [];
  for (let i = 0; i < TOTAL; i += BATCH) rows.push(...toRows(events.slice(i, i + BATCH)));
  return rows;
}

// --- DuckDB limit: the appender straight into a table without a key ---------

const DUCK_TYPES = EVENT_COLUMNS.map((c) => DUCKDB_COLUMN[c.kind].type);
/** The events table of duckdb-migrations.ts without its primary key. */
const DUCK_BARE = `create table events_bare (${EVENT_COLUMNS.map(
  (c) => `${c.name} ${DUCKDB_COLUMN[c.kind].sql}${c.nullable ? '' : ' not null'}`,
).join(', ')})`;

async function duckDbLimit(file: string, rows: readonly EventRow[]) {
  const instance = await DuckDBInstance.create(file);
  const conn = await instance.connect();
  try {
    await conn.run(DUCK_BARE);
    let appendMs = 0;
    const figure = await timeBatches(rows, async (batch) => {
      // One appender per batch, closed (flushed and committed) before the next, like an append.
      const appender = await conn.createAppender('events_bare');
      try {
        for (let start = 0; start < batch.length; start += CHUNK_ROWS) {
          const part = batch.slice(start, start + CHUNK_ROWS);
          const chunk = DuckDBDataChunk.create(DUCK_TYPES, part.length);
          chunk.setColumns(EVENT_COLUMNS.map((c) => part.map((row) => duckDbCell(c.kind, row[c.name]))));
          const t = performance.now();
          appender.appendDataChunk(chunk);
          appendMs += performance.now() - t;
        }
      } finally {
        const t = performance.now();
        appender.closeSync();
        appendMs += performance.now() - t;
      }
      return batch.length;
    });
    const counted = await conn.runAndReadAll('select count(*) from events_bare');
    const count = Number(counted.getRows()[0]?.[0]);
    if (count !== TOTAL) throw new Error(`events_bare holds ${count} rows, not ${TOTAL}`);
    return { ...figure, append_rows_per_s: Math.round(TOTAL / (appendMs / 1000)) };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

// --- PostgreSQL limit: one INSERT of unnested arrays per batch, no index ------

const PG_TYPE = { text: 'text', time: 'timestamptz', json: 'jsonb', int: 'int8', bool: 'boolean' } as const;
/** The events table of postgres-migrations.ts without its primary key and index. */
const PG_BARE = `create table events_bare (${EVENT_COLUMNS.map(
  (c) => `${c.name} ${PG_TYPE[c.kind]}${c.nullable ? '' : ' not null'}`,
).join(', ')})`;
const PG_INSERT = `insert into events_bare (${EVENT_COLUMNS.map((c) => c.name).join(', ')})
  select * from unnest(${EVENT_COLUMNS.map((c, i) => `$${i + 1}::${PG_TYPE[c.kind]}[]`).join(', ')})`;

/** One array per column; times as ISO 8601 text, as the store sends them. */
const pgArrays = (rows: readonly EventRow[]) =>
  EVENT_COLUMNS.map((c) =>
    rows.map((row) => {
      const value = row[c.name];
      return c.kind === 'time' ? new Date(value as number).toISOString() : value;
    }),
  );

// COPY text format: tab-separated, \N for NULL; backslash, tab, newline and
// carriage return escaped with a backslash.
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_SPECIAL_ALL = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const copyField = (kind: ColumnKind, value: string | number | boolean | null): string => {
  if (value === null) return '\\N';
  if (kind === 'time') return new Date(value as number).toISOString();
  if (typeof value !== 'string') return String(value);
  return COPY_SPECIAL.test(value) ? value.replace(COPY_SPECIAL_ALL, (c) => COPY_ESCAPES[c] ?? c) : value;
};
const copyText = (rows: readonly EventRow[]) => {
  let text = '';
  for (const row of rows) text += `${EVENT_COLUMNS.map((c) => copyField(c.kind, row[c.name])).join('\t')}\n`;
  return text;
};

/** The parts of pg's Connection a COPY FROM STDIN uses (pg-copy-streams drives the same ones). */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/**
 * Runs `copy … from stdin` on the client and sends `data` as its input. pg
 * calls these handlers for the query it is running; the promise settles at
 * ReadyForQuery, or at once on an error.
 */
function copyFrom(client: pg.Client, statement: string, data: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    let rowCount = 0;
    let settled = false;
    const copy = {
      submit: (connection: CopyConnection) => connection.query(statement),
      handleCopyInResponse(connection: CopyConnection) {
        connection.sendCopyFromChunk(data);
        connection.endCopyFrom();
      },
      handleCommandComplete(message: { text?: string }) {
        rowCount = Number(message.text?.split(' ')[1] ?? 0);
      },
      handleError(error: Error) {
        if (!settled) reject(error);
        settled = true;
      },
      handleReadyForQuery() {
        if (!settled) resolve(rowCount);
        settled = true;
      },
    };
    client.query(copy as unknown as pg.Submittable);
  });
}

async function postgresLimits(url: string, rows: readonly EventRow[]) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(PG_BARE);
    await client.query(PG_BARE.replace('events_bare', 'events_copy'));
    const { rows: found } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    const backend = found[0]?.pid;
    if (backend === undefined) throw new Error('no backend pid');
    const unnest = await timeBatches(
      rows,
      async (batch) => (await client.query(PG_INSERT, pgArrays(batch))).rowCount ?? 0,
      () => otherCpuMs(backend),
    );
    const COPY = `copy events_copy (${EVENT_COLUMNS.map((c) => c.name).join(', ')}) from stdin`;
    const copy = await timeBatches(
      rows,
      (batch) => copyFrom(client, COPY, Buffer.from(copyText(batch))),
      () => otherCpuMs(backend),
    );
    // Both loads hold the same values (jsonb compares by value).
    const { rows: diff } = await client.query<{ n: number }>(
      `select count(*)::int as n from ((table events_bare except all table events_copy)
        union all (table events_copy except all table events_bare)) d`,
    );
    if (diff[0]?.n !== 0) throw new Error(`COPY and unnest loaded different rows (${diff[0]?.n})`);
    return { unnest, copy };
  } finally {
    await client.end();
  }
}

// --- run -----------------------------------------------------------------------

const result: Record<string, unknown> = {
  bench: 'events-append',
  events: TOTAL,
  batch: BATCH,
  cpus: availableParallelism(),
  load_1m_before: Number(loadavg()[0]?.toFixed(2)),
};

// The mapping alone, timed; it also warms the JIT for it, so the first engine measured is not the slowest.
{
  const events = newEvents();
  mappedRows();
  const started = performance.now();
  for (let i = 0; i < TOTAL; i += BATCH) toRows(events.slice(i, i + BATCH));
  result.map_rows_per_s = Math.round(TOTAL / ((performance.now() - started) / 1000));
}
const rows = mappedRows();

const DUCK_METHOD = 'appender, data chunks, straight into a table without primary key';
const dir = mkdtempSync(join(tmpdir(), 'wasl-bench-'));
try {
  result.duckdb_file = withLimit(
    await measure(await openDuckDbEventStore(join(dir, 'events.duckdb'))),
    await duckDbLimit(join(dir, 'bare.duckdb'), rows),
    DUCK_METHOD,
  );
  result.duckdb_memory = withLimit(
    await measure(await openDuckDbEventStore(':memory:')),
    await duckDbLimit(':memory:', rows),
    DUCK_METHOD,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const pgUrl = process.env.WASL_TEST_PG_URL;
if (pgUrl) {
  const schema = await freshPgSchema(pgUrl);
  try {
    // One connection, named, so its server process can be found and its CPU counted.
    const url = new URL(schema.url);
    url.searchParams.set('application_name', 'wasl-bench-events');
    const store = openPostgresEventStore(url.toString(), { poolSize: 1 });
    await store.ping();
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    const { rows: found } = await admin.query<{ pid: number }>(
      `select pid from pg_stat_activity where application_name = 'wasl-bench-events'`,
    );
    await admin.end();
    const backend = found[0]?.pid;
    const figure = await measure(store, backend === undefined ? undefined : () => otherCpuMs(backend));
    const { unnest, copy } = await postgresLimits(schema.url, rows);
    result.postgres = {
      ...withLimit(
        figure,
        unnest,
        'insert … select from unnest(column arrays as pg array parameters), one per batch, into an unindexed table (pg-copy-streams is not installed)',
      ),
      copy_rows_per_s: copy.rows_per_s,
      copy_rows_per_cpu_s: copy.rows_per_cpu_s,
      copy_server_cpu_s: copy.server_cpu_s,
      ratio_to_copy: round2(figure.rows_per_s / copy.rows_per_s),
      copy_method:
        'copy … from stdin, text format, one per batch, into an unindexed table (hand-written pg Submittable)',
    };
  } finally {
    await schema.drop();
  }
} else {
  result.postgres = 'skipped: set WASL_TEST_PG_URL';
}

result.load_1m_after = Number(loadavg()[0]?.toFixed(2));
console.log(JSON.stringify(result));
