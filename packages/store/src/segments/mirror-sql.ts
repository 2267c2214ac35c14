import { randomUUID } from 'node:crypto';
import type { MirrorAccount, MirrorContact } from './mirror.ts';

/** Contact columns in table order, with how each is read from a MirrorContact. */
export const CONTACT_COLUMNS: readonly {
  name: string;
  kind: 'text' | 'json' | 'date' | 'int' | 'time';
  of(c: MirrorContact): string | number | Date | null;
}[] = [
  { name: 'id', kind: 'text', of: (c) => c.id },
  { name: 'email', kind: 'text', of: (c) => c.email ?? null },
  { name: 'phone', kind: 'text', of: (c) => c.phone ?? null },
  { name: 'first_name', kind: 'text', of: (c) => c.firstName ?? null },
  { name: 'last_name', kind: 'text', of: (c) => c.lastName ?? null },
  { name: 'locale', kind: 'text', of: (c) => c.locale ?? null },
  { name: 'timezone', kind: 'text', of: (c) => c.timezone ?? null },
  { name: 'country', kind: 'text', of: (c) => c.country ?? null },
  { name: 'city', kind: 'text', of: (c) => c.city ?? null },
  { name: 'birth_date', kind: 'date', of: (c) => c.birthDate ?? null },
  { name: 'gender', kind: 'text', of: (c) => c.gender ?? null },
  { name: 'income_band', kind: 'text', of: (c) => c.incomeBand ?? null },
  { name: 'interests', kind: 'json', of: (c) => JSON.stringify(c.interests ?? []) },
  { name: 'source', kind: 'text', of: (c) => c.source ?? null },
  { name: 'lifecycle_stage', kind: 'text', of: (c) => c.lifecycleStage ?? null },
  { name: 'account_id', kind: 'text', of: (c) => c.accountId ?? null },
  { name: 'lead_score', kind: 'int', of: (c) => c.leadScore ?? 0 },
  { name: 'attributes', kind: 'json', of: (c) => JSON.stringify(c.attributes ?? {}) },
  { name: 'consent', kind: 'json', of: (c) => JSON.stringify(c.consent ?? {}) },
  { name: 'created_at', kind: 'time', of: (c) => c.createdAt },
  { name: 'updated_at', kind: 'time', of: (c) => c.updatedAt },
];

export const ACCOUNT_COLUMNS: readonly {
  name: string;
  kind: 'text' | 'json';
  of(a: MirrorAccount): string | null;
}[] = [
  { name: 'id', kind: 'text', of: (a) => a.id },
  { name: 'name', kind: 'text', of: (a) => a.name ?? null },
  { name: 'domain', kind: 'text', of: (a) => a.domain ?? null },
  { name: 'industry', kind: 'text', of: (a) => a.industry ?? null },
  { name: 'size', kind: 'text', of: (a) => a.size ?? null },
  { name: 'region', kind: 'text', of: (a) => a.region ?? null },
  { name: 'attributes', kind: 'json', of: (a) => JSON.stringify(a.attributes ?? {}) },
];

/** The last row per id wins: one upsert statement may not touch a key twice. */
export function lastPerId<T extends { id: string }>(rows: readonly T[]): T[] {
  return [...new Map(rows.map((r) => [r.id, r])).values()];
}

/** How an engine unpacks JSON array parameters into rows. */
export interface JsonLists {
  /** Rows of one text column `v` from the JSON array in $n. */
  list(n: number): string;
  /** Rows (a, b) zipping the JSON arrays in $n and $m. */
  pairs(n: number, m: number): string;
}

const WS = 'cast($1 as varchar)';

/** Statements both engines run alike, $1 always the workspace id. */
export function mirrorStatements({ list, pairs }: JsonLists) {
  const ids = `(select v from ${list(2)} t)`;
  return {
    /** $2 contact ids. */
    deleteContacts: [
      `delete from audience_list_members where workspace_id = ${WS} and contact_id in ${ids}`,
      `delete from audience_identities where workspace_id = ${WS} and contact_id in ${ids}`,
      `delete from audience_contacts where workspace_id = ${WS} and id in ${ids}`,
    ],
    /** $2 anonymous ids, $3 contact ids (same order). */
    linkIdentities: `insert into audience_identities (workspace_id, anonymous_id, contact_id)
      select ${WS}, l.a, l.b from ${pairs(2, 3)} l
      on conflict (workspace_id, anonymous_id) do update set contact_id = excluded.contact_id`,
    /** $2 list id. */
    clearList: `delete from audience_list_members where workspace_id = ${WS} and list_id = cast($2 as varchar)`,
    /** $2 contact ids, $3 list id. */
    addMembers: `insert into audience_list_members (workspace_id, list_id, contact_id)
      select distinct ${WS}, cast($3 as varchar), v from ${list(2)} t on conflict do nothing`,
    removeMembers: `delete from audience_list_members where workspace_id = ${WS} and list_id = cast($3 as varchar)
      and contact_id in ${ids}`,
    /** $2 from, $3 into. */
    merge: [
      `insert into audience_list_members (workspace_id, list_id, contact_id)
        select workspace_id, list_id, cast($3 as varchar) from audience_list_members
        where workspace_id = ${WS} and contact_id = cast($2 as varchar)
        on conflict do nothing`,
      `delete from audience_list_members where workspace_id = ${WS} and contact_id = cast($2 as varchar)`,
      `update audience_identities set contact_id = cast($3 as varchar) where workspace_id = ${WS} and contact_id = cast($2 as varchar)`,
      `update events set contact_id = cast($3 as varchar) where workspace_id = ${WS} and contact_id = cast($2 as varchar)`,
      `delete from audience_contacts where workspace_id = ${WS} and id = cast($2 as varchar)`,
    ],
    /** $2 contact: its anonymous ids. */
    identitiesOf: `select anonymous_id from audience_identities where workspace_id = ${WS} and contact_id = cast($2 as varchar)`,
    /** $2 anonymous ids, $3 their replacements (same order). */
    replaceAnonymousIds: `update events set anonymous_id = m.b from ${pairs(2, 3)} m
      where events.workspace_id = ${WS} and events.anonymous_id = m.a`,
    /** $2 contact. */
    erase: [
      `update events set contact_id = null where workspace_id = ${WS} and contact_id = cast($2 as varchar)`,
      `delete from audience_identities where workspace_id = ${WS} and contact_id = cast($2 as varchar)`,
      `delete from audience_list_members where workspace_id = ${WS} and contact_id = cast($2 as varchar)`,
      `delete from audience_contacts where workspace_id = ${WS} and id = cast($2 as varchar)`,
    ],
  };
}

/** The leading parameters a statement uses: DuckDB refuses values for placeholders it lacks. */
export function paramsFor<T>(sql: string, params: readonly T[]): T[] {
  const used = Math.max(0, ...[...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
  return params.slice(0, used);
}

/** Erasure's replacement anonymous ids: random, and the mapping is never stored. */
export const erasedIds = (count: number): string[] =>
  Array.from({ length: count }, () => `erased-${randomUUID()}`);
