import { err, newId, ok, problem, type Result } from '@wasl/core';
import type { Contact, Database, ListTable as List } from '@wasl/store';
import type { Kysely } from 'kysely';
import { isUniqueViolation } from './db-errors.ts';
import { inTransaction } from './transaction.ts';

/** Ids per statement: well under both engines' bound-parameter limits. */
const CHUNK = 500;
/** Most ids one request may add or remove. */
export const MAX_LIST_IDS = 10_000;

/**
 * Told after a list's membership changed, so the events store's copy and
 * live segments follow. AudienceSync implements it; the server's default
 * hooks do not, and then the copy is not kept (no events store).
 */
export interface ListHooks {
  listChanged?(workspaceId: string, listId: string, touched: readonly string[]): void;
}

export interface ListView {
  id: string;
  name: string;
  memberCount: number;
  createdAt: number;
}

const notFound = problem('not_found', 'list not found');
const taken = (name: string) => problem('conflict', `a list named "${name}" already exists`, 'name');

async function memberCounts(db: Kysely<Database>, listIds: readonly string[]): Promise<Map<string, number>> {
  if (listIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('list_members')
    .select(['list_id', (eb) => eb.fn.countAll<number | string | bigint>().as('n')])
    .where('list_id', 'in', listIds)
    .groupBy('list_id')
    .execute();
  return new Map(rows.map((r) => [r.list_id, Number(r.n)]));
}

const view = (row: List, count: number): ListView => ({
  id: row.id,
  name: row.name,
  memberCount: count,
  createdAt: Number(row.created_at),
});

export async function listLists(db: Kysely<Database>, workspaceId: string): Promise<ListView[]> {
  const rows = await db
    .selectFrom('lists')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('name')
    .execute();
  const counts = await memberCounts(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => view(r, counts.get(r.id) ?? 0));
}

async function findList(
  db: Kysely<Database>,
  workspaceId: string,
  listId: string,
): Promise<List | undefined> {
  return db
    .selectFrom('lists')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', listId)
    .executeTakeFirst();
}

export async function getList(
  db: Kysely<Database>,
  workspaceId: string,
  listId: string,
): Promise<ListView | undefined> {
  const row = await findList(db, workspaceId, listId);
  if (!row) return undefined;
  return view(row, (await memberCounts(db, [row.id])).get(row.id) ?? 0);
}

export async function createList(
  db: Kysely<Database>,
  input: { workspaceId: string; name: string; now: number },
): Promise<Result<ListView>> {
  const row: List = {
    id: newId(input.now),
    workspace_id: input.workspaceId,
    name: input.name,
    created_at: input.now,
  };
  try {
    await db.insertInto('lists').values(row).execute();
  } catch (e) {
    if (isUniqueViolation(e)) return err(taken(input.name));
    throw e;
  }
  return ok(view(row, 0));
}

export async function renameList(
  db: Kysely<Database>,
  input: { workspaceId: string; listId: string; name: string },
): Promise<Result<ListView>> {
  try {
    const done = await db
      .updateTable('lists')
      .set({ name: input.name })
      .where('workspace_id', '=', input.workspaceId)
      .where('id', '=', input.listId)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) return err(notFound);
  } catch (e) {
    if (isUniqueViolation(e)) return err(taken(input.name));
    throw e;
  }
  const list = await getList(db, input.workspaceId, input.listId);
  return list ? ok(list) : err(notFound);
}

/** Deletes the list; returns its former members (their segment membership may change). */
export async function deleteList(
  db: Kysely<Database>,
  workspaceId: string,
  listId: string,
): Promise<Result<string[]>> {
  return inTransaction(db, async (trx) => {
    const list = await findList(trx, workspaceId, listId);
    if (!list) return err(notFound);
    const members = await trx
      .selectFrom('list_members')
      .select('contact_id')
      .where('list_id', '=', listId)
      .execute();
    await trx.deleteFrom('list_members').where('list_id', '=', listId).execute();
    await trx.deleteFrom('lists').where('id', '=', listId).execute();
    return ok(members.map((m) => m.contact_id));
  });
}

export interface MembershipResult {
  /** Contacts whose membership this call changed. */
  changed: string[];
  /** Ids that are no contact of the workspace (reported, not fatal). */
  unknown: string[];
}

async function existingContacts(
  db: Kysely<Database>,
  workspaceId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('contacts')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) found.add(r.id);
  }
  return found;
}

/** Adds (or removes) the contacts; ids already in (or not in) the list change nothing. */
export async function changeListMembers(
  db: Kysely<Database>,
  input: { workspaceId: string; listId: string; contactIds: readonly string[]; add: boolean; now: number },
): Promise<Result<MembershipResult>> {
  const ids = [...new Set(input.contactIds)];
  return inTransaction(db, async (trx) => {
    if (!(await findList(trx, input.workspaceId, input.listId))) return err(notFound);
    const known = await existingContacts(trx, input.workspaceId, ids);
    const unknown = ids.filter((id) => !known.has(id));
    const valid = ids.filter((id) => known.has(id));
    const changed: string[] = [];
    for (let i = 0; i < valid.length; i += CHUNK) {
      const part = valid.slice(i, i + CHUNK);
      const rows = input.add
        ? await trx
            .insertInto('list_members')
            .values(part.map((id) => ({ list_id: input.listId, contact_id: id, added_at: input.now })))
            .onConflict((oc) => oc.columns(['list_id', 'contact_id']).doNothing())
            .returning('contact_id')
            .execute()
        : await trx
            .deleteFrom('list_members')
            .where('list_id', '=', input.listId)
            .where('contact_id', 'in', part)
            .returning('contact_id')
            .execute();
      changed.push(...rows.map((r) => r.contact_id));
    }
    return ok({ changed, unknown });
  });
}

/** Members in id order (`after` is the last id of the previous page). */
export async function listMembersPage(
  db: Kysely<Database>,
  q: { listId: string; limit: number; after?: string },
): Promise<{ rows: Contact[]; next: string | null }> {
  let query = db
    .selectFrom('list_members')
    .innerJoin('contacts', 'contacts.id', 'list_members.contact_id')
    .selectAll('contacts')
    .where('list_members.list_id', '=', q.listId);
  if (q.after) query = query.where('contacts.id', '>', q.after);
  const rows = await query
    .orderBy('contacts.id')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  return { rows: page, next: rows.length > q.limit ? (page[page.length - 1]?.id ?? null) : null };
}
