import {
  type DuckDBConnection,
  DuckDBDataChunk,
  DuckDBTimestampTZValue,
  type DuckDBType,
  type DuckDBValue,
  INTEGER,
  TIMESTAMPTZ,
  VARCHAR,
} from '@duckdb/node-api';
import { acquireDuckDb, releaseDuckDb } from '../events/duckdb-engine.ts';
import type { AudienceMirror } from './mirror.ts';
import {
  ACCOUNT_COLUMNS,
  CONTACT_COLUMNS,
  erasedIds,
  lastPerId,
  mirrorStatements,
  paramsFor,
} from './mirror-sql.ts';

const CHUNK_ROWS = 2048;
const STAGED: Record<'text' | 'json' | 'date' | 'int' | 'time', { type: DuckDBType; sql: string }> = {
  text: { type: VARCHAR, sql: 'varchar' },
  json: { type: VARCHAR, sql: 'varchar' },
  date: { type: VARCHAR, sql: 'varchar' },
  int: { type: INTEGER, sql: 'integer' },
  time: { type: TIMESTAMPTZ, sql: 'timestamptz' },
};

interface Table<R> {
  name: string;
  columns: readonly { name: string; kind: keyof typeof STAGED; of(row: R): string | number | Date | null }[];
}
const CONTACTS: Table<Parameters<(typeof CONTACT_COLUMNS)[number]['of']>[0]> = {
  name: 'audience_contacts',
  columns: CONTACT_COLUMNS,
};
const ACCOUNTS: Table<Parameters<(typeof ACCOUNT_COLUMNS)[number]['of']>[0]> = {
  name: 'audience_accounts',
  columns: ACCOUNT_COLUMNS,
};

const cell = (value: string | number | Date | null): DuckDBValue =>
  value instanceof Date ? new DuckDBTimestampTZValue(BigInt(value.getTime()) * 1000n) : value;

/**
 * Rows go through the appender into a temporary staging table (DuckDB's bulk
 * path, as for events), then one INSERT … ON CONFLICT DO UPDATE moves them.
 */
async function upsert<R extends { id: string }>(
  conn: DuckDBConnection,
  table: Table<R>,
  workspaceId: string,
  rows: readonly R[],
): Promise<void> {
  const staging = `${table.name}_staging`;
  const types = [VARCHAR, ...table.columns.map((c) => STAGED[c.kind].type)];
  await conn.run(
    `create temp table if not exists ${staging} (workspace_id varchar, ${table.columns.map((c) => `${c.name} ${STAGED[c.kind].sql}`).join(', ')})`,
  );
  const unique = lastPerId(rows);
  const appender = await conn.createAppender(staging, 'main', 'temp');
  try {
    for (let start = 0; start < unique.length; start += CHUNK_ROWS) {
      const part = unique.slice(start, start + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(types, part.length);
      chunk.setColumns([
        part.map(() => workspaceId),
        ...table.columns.map((c) => part.map((row) => cell(c.of(row)))),
      ]);
      appender.appendDataChunk(chunk);
    }
  } finally {
    appender.closeSync();
  }
  const names = table.columns.map((c) => c.name);
  const select = table.columns.map((c) => (c.kind === 'date' ? `cast(${c.name} as date)` : c.name));
  try {
    await conn.run(
      `insert into ${table.name} (workspace_id, ${names.join(', ')})
       select workspace_id, ${select.join(', ')} from temp.${staging}
       on conflict (workspace_id, id) do update set ${names
         .filter((n) => n !== 'id')
         .map((n) => `${n} = excluded.${n}`)
         .join(', ')}`,
    );
  } finally {
    await conn.run(`delete from temp.${staging}`);
  }
}

const SQL = mirrorStatements({
  list: (n) => `(select unnest(from_json(cast($${n} as varchar), '["VARCHAR"]')) as v)`,
  pairs: (n, m) =>
    `(select unnest(from_json(cast($${n} as varchar), '["VARCHAR"]')) as a, unnest(from_json(cast($${m} as varchar), '["VARCHAR"]')) as b)`,
});

/** The audience mirror in the embedded events store; writes share the events store's one writer. */
export async function openDuckDbAudienceMirror(file: string): Promise<AudienceMirror> {
  const engine = await acquireDuckDb(file);
  let closed = false;
  const write = <T>(work: (conn: DuckDBConnection) => Promise<T>): Promise<T> => {
    if (closed) return Promise.reject(new Error(`audience mirror on ${file} is closed`));
    return engine.write(async () => {
      const conn = engine.writer;
      await conn.run('begin transaction');
      try {
        const result = await work(conn);
        await conn.run('commit');
        return result;
      } catch (error) {
        await conn.run('rollback');
        throw error;
      }
    });
  };
  const runAll = (statements: readonly string[], params: DuckDBValue[]) =>
    write(async (conn) => {
      for (const sql of statements) await conn.run(sql, paramsFor(sql, params));
    });

  return {
    upsertContacts: (ws, rows) =>
      rows.length === 0 ? Promise.resolve() : write((conn) => upsert(conn, CONTACTS, ws, rows)),
    upsertAccounts: (ws, rows) =>
      rows.length === 0 ? Promise.resolve() : write((conn) => upsert(conn, ACCOUNTS, ws, rows)),
    deleteContacts: (ws, ids) => runAll(SQL.deleteContacts, [ws, JSON.stringify(ids)]),
    linkIdentities: (ws, links) =>
      runAll(
        [SQL.linkIdentities],
        [ws, JSON.stringify(links.map((l) => l.anonymousId)), JSON.stringify(links.map((l) => l.contactId))],
      ),
    setListMembers: (ws, listId, ids) =>
      write(async (conn) => {
        await conn.run(SQL.clearList, [ws, listId]);
        await conn.run(SQL.addMembers, [ws, JSON.stringify(ids), listId]);
      }),
    addListMembers: (ws, listId, ids) => runAll([SQL.addMembers], [ws, JSON.stringify(ids), listId]),
    removeListMembers: (ws, listId, ids) => runAll([SQL.removeMembers], [ws, JSON.stringify(ids), listId]),
    mergeContacts: (ws, fromId, intoId) => runAll(SQL.merge, [ws, fromId, intoId]),
    eraseContact: (ws, id) =>
      write(async (conn) => {
        const old = (await conn.runAndReadAll(SQL.identitiesOf, [ws, id])).getRows().map((r) => String(r[0]));
        await conn.run(SQL.replaceAnonymousIds, [
          ws,
          JSON.stringify(old),
          JSON.stringify(erasedIds(old.length)),
        ]);
        for (const sql of SQL.erase) await conn.run(sql, [ws, id]);
      }),
    async close() {
      if (closed) return;
      closed = true;
      await releaseDuckDb(file, engine);
    },
  };
}
