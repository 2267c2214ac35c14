import pg from 'pg';
import type { AudienceMirror } from './mirror.ts';
import {
  ACCOUNT_COLUMNS,
  CONTACT_COLUMNS,
  erasedIds,
  lastPerId,
  mirrorStatements,
  paramsFor,
} from './mirror-sql.ts';

const CAST = { text: '', json: '::jsonb', date: '::date', int: '::int4', time: '::timestamptz' } as const;
/** Rows per statement: each column travels as one JSON array (as events do, see events/postgres.ts). */
const BATCH = 10_000;

function upsertSql(table: string, columns: readonly { name: string; kind: keyof typeof CAST }[]): string {
  const names = columns.map((c) => c.name);
  return `insert into ${table} (workspace_id, ${names.join(', ')})
    select $1, ${columns.map((c) => `${c.name}${CAST[c.kind]}`).join(', ')}
    from rows from (${columns.map((_, i) => `json_array_elements_text($${i + 2}::json)`).join(', ')}) as batch(${names.join(', ')})
    on conflict (workspace_id, id) do update set ${names
      .filter((n) => n !== 'id')
      .map((n) => `${n} = excluded.${n}`)
      .join(', ')}`;
}
const UPSERT_CONTACTS = upsertSql('audience_contacts', CONTACT_COLUMNS);
const UPSERT_ACCOUNTS = upsertSql('audience_accounts', ACCOUNT_COLUMNS);

const SQL = mirrorStatements({
  list: (n) => `(select json_array_elements_text($${n}::json) as v)`,
  pairs: (n, m) =>
    `(select * from rows from (json_array_elements_text($${n}::json), json_array_elements_text($${m}::json)) as p(a, b))`,
});

const columnParams = <R>(
  rows: readonly R[],
  columns: readonly { of(row: R): string | number | Date | null }[],
) =>
  columns.map((c) =>
    JSON.stringify(
      rows.map((r) => {
        const v = c.of(r);
        return v instanceof Date ? v.toISOString() : v;
      }),
    ),
  );

/** The audience mirror in the PostgreSQL events store, through its own pool. */
export function openPostgresAudienceMirror(url: string, options: { poolSize?: number } = {}): AudienceMirror {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 4,
    connectionTimeoutMillis: 5000,
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  let closed = false;

  async function transaction(work: (c: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('begin');
      try {
        await work(client);
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      }
    } finally {
      client.release();
    }
  }
  const runAll = (statements: readonly string[], params: unknown[]) =>
    transaction(async (c) => {
      for (const sql of statements) await c.query(sql, paramsFor(sql, params));
    });

  return {
    upsertContacts: (ws, rows) =>
      transaction(async (c) => {
        const unique = lastPerId(rows);
        for (let i = 0; i < unique.length; i += BATCH) {
          await c.query(UPSERT_CONTACTS, [ws, ...columnParams(unique.slice(i, i + BATCH), CONTACT_COLUMNS)]);
        }
      }),
    upsertAccounts: (ws, rows) =>
      transaction(async (c) => {
        const unique = lastPerId(rows);
        for (let i = 0; i < unique.length; i += BATCH) {
          await c.query(UPSERT_ACCOUNTS, [ws, ...columnParams(unique.slice(i, i + BATCH), ACCOUNT_COLUMNS)]);
        }
      }),
    deleteContacts: (ws, ids) => runAll(SQL.deleteContacts, [ws, JSON.stringify(ids)]),
    linkIdentities: (ws, links) =>
      runAll(
        [SQL.linkIdentities],
        [ws, JSON.stringify(links.map((l) => l.anonymousId)), JSON.stringify(links.map((l) => l.contactId))],
      ),
    setListMembers: (ws, listId, ids) =>
      transaction(async (c) => {
        await c.query(SQL.clearList, [ws, listId]);
        await c.query(SQL.addMembers, [ws, JSON.stringify(ids), listId]);
      }),
    addListMembers: (ws, listId, ids) => runAll([SQL.addMembers], [ws, JSON.stringify(ids), listId]),
    removeListMembers: (ws, listId, ids) => runAll([SQL.removeMembers], [ws, JSON.stringify(ids), listId]),
    mergeContacts: (ws, fromId, intoId) => runAll(SQL.merge, [ws, fromId, intoId]),
    eraseContact: (ws, id) =>
      transaction(async (c) => {
        const old = (await c.query<{ anonymous_id: string }>(SQL.identitiesOf, [ws, id])).rows.map(
          (r) => r.anonymous_id,
        );
        await c.query(SQL.replaceAnonymousIds, [
          ws,
          JSON.stringify(old),
          JSON.stringify(erasedIds(old.length)),
        ]);
        for (const sql of SQL.erase) await c.query(sql, [ws, id]);
      }),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
