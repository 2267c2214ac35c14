import { err, newId, ok, problem, type Result } from '@wasl/core';
import type { Account, Database } from '@wasl/store';
import type { Kysely } from 'kysely';
import { normaliseDomain } from './sites.ts';
import { inTransaction } from './transaction.ts';

const CHUNK = 500;
export const MAX_ACCOUNT_CONTACTS = 10_000;

type AttributeValue = string | number | boolean | null;

/**
 * Told after accounts were written, so the events store's copy follows and
 * their contacts are re-evaluated (account conditions). AudienceSync
 * implements it.
 */
export interface AccountHooks {
  accountsChanged?(workspaceId: string, accountIds: readonly string[]): void;
}

export interface AccountInput {
  name?: string;
  domain?: string | null;
  industry?: string | null;
  size?: string | null;
  region?: string | null;
  /** Merged over the current ones; a null value removes a key. */
  attributes?: Record<string, AttributeValue>;
}

export interface AccountView {
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  size: string | null;
  region: string | null;
  attributes: Record<string, AttributeValue>;
  contactCount: number;
  createdAt: number;
  updatedAt: number;
}

const notFound = problem('not_found', 'account not found');

const view = (a: Account, contactCount: number): AccountView => ({
  id: a.id,
  name: a.name,
  domain: a.domain,
  industry: a.industry,
  size: a.size,
  region: a.region,
  attributes: JSON.parse(a.attributes) as Record<string, AttributeValue>,
  contactCount,
  createdAt: Number(a.created_at),
  updatedAt: Number(a.updated_at),
});

/** The columns `input` sets, or the problem naming the field at fault. */
function columnsOf(input: AccountInput, current: Record<string, AttributeValue>): Result<Partial<Account>> {
  const set: Partial<Account> = {};
  if (input.name !== undefined) set.name = input.name;
  if (input.domain !== undefined) {
    if (input.domain === null) set.domain = null;
    else {
      const domain = normaliseDomain(input.domain);
      if (!domain) {
        return err(
          problem('invalid', `"${input.domain}" is not a domain; expected one such as example.com`, 'domain'),
        );
      }
      set.domain = domain;
    }
  }
  for (const field of ['industry', 'size', 'region'] as const) {
    if (input[field] !== undefined) set[field] = input[field];
  }
  if (input.attributes !== undefined) {
    const merged = { ...current };
    for (const [key, value] of Object.entries(input.attributes)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    set.attributes = JSON.stringify(merged);
  }
  return ok(set);
}

async function contactCounts(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('contacts')
    .select(['account_id', (eb) => eb.fn.countAll<number | string | bigint>().as('n')])
    .where('account_id', 'in', ids)
    .groupBy('account_id')
    .execute();
  return new Map(rows.map((r) => [r.account_id ?? '', Number(r.n)]));
}

async function findAccount(db: Kysely<Database>, workspaceId: string, id: string) {
  return db
    .selectFrom('accounts')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function getAccount(
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<AccountView | undefined> {
  const row = await findAccount(db, workspaceId, id);
  return row ? view(row, (await contactCounts(db, [row.id])).get(row.id) ?? 0) : undefined;
}

/** Accounts in id order (creation order), a page at a time. */
export async function listAccounts(
  db: Kysely<Database>,
  q: { workspaceId: string; limit: number; after?: string },
): Promise<{ accounts: AccountView[]; next: string | null }> {
  let query = db.selectFrom('accounts').selectAll().where('workspace_id', '=', q.workspaceId);
  if (q.after) query = query.where('id', '>', q.after);
  const rows = await query
    .orderBy('id')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const counts = await contactCounts(
    db,
    page.map((r) => r.id),
  );
  return {
    accounts: page.map((r) => view(r, counts.get(r.id) ?? 0)),
    next: rows.length > q.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}

export async function createAccount(
  db: Kysely<Database>,
  w: { workspaceId: string; input: AccountInput & { name: string }; now: number },
): Promise<Result<AccountView>> {
  const columns = columnsOf(w.input, {});
  if (!columns.ok) return columns;
  const row: Account = {
    id: newId(w.now),
    workspace_id: w.workspaceId,
    name: w.input.name,
    domain: null,
    industry: null,
    size: null,
    region: null,
    attributes: '{}',
    ...columns.value,
    created_at: w.now,
    updated_at: w.now,
  };
  await db.insertInto('accounts').values(row).execute();
  return ok(view(row, 0));
}

export async function updateAccount(
  db: Kysely<Database>,
  w: { workspaceId: string; accountId: string; input: AccountInput; now: number },
): Promise<Result<AccountView>> {
  return inTransaction(db, async (trx) => {
    const current = await findAccount(trx, w.workspaceId, w.accountId);
    if (!current) return err(notFound);
    const columns = columnsOf(w.input, JSON.parse(current.attributes) as Record<string, AttributeValue>);
    if (!columns.ok) return columns;
    await trx
      .updateTable('accounts')
      .set({ ...columns.value, updated_at: w.now })
      .where('id', '=', current.id)
      .execute();
    const count = (await contactCounts(trx, [current.id])).get(current.id) ?? 0;
    return ok(view({ ...current, ...columns.value, updated_at: w.now }, count));
  });
}

/** Deletes the account; its contacts stay, detached. Returns their ids. */
export async function deleteAccount(
  db: Kysely<Database>,
  w: { workspaceId: string; accountId: string; now: number },
): Promise<Result<string[]>> {
  return inTransaction(db, async (trx) => {
    const current = await findAccount(trx, w.workspaceId, w.accountId);
    if (!current) return err(notFound);
    const detached = await trx
      .updateTable('contacts')
      .set({ account_id: null, updated_at: w.now })
      .where('workspace_id', '=', w.workspaceId)
      .where('account_id', '=', current.id)
      .returning('id')
      .execute();
    await trx.deleteFrom('accounts').where('id', '=', current.id).execute();
    return ok(detached.map((r) => r.id));
  });
}

export interface AccountContactsResult {
  attached: string[];
  detached: string[];
  /** Ids that are no contact of the workspace (reported, not fatal). */
  unknown: string[];
}

/**
 * Makes the account's contacts exactly `contactIds`: listed contacts move to
 * it (from any other account), its other contacts are detached.
 */
export async function setAccountContacts(
  db: Kysely<Database>,
  w: { workspaceId: string; accountId: string; contactIds: readonly string[]; now: number },
): Promise<Result<AccountContactsResult>> {
  const ids = [...new Set(w.contactIds)];
  return inTransaction(db, async (trx) => {
    if (!(await findAccount(trx, w.workspaceId, w.accountId))) return err(notFound);
    const current = await trx
      .selectFrom('contacts')
      .select('id')
      .where('workspace_id', '=', w.workspaceId)
      .where('account_id', '=', w.accountId)
      .execute();
    const wanted = new Set<string>();
    const attached: string[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const part = ids.slice(i, i + CHUNK);
      const rows = await trx
        .selectFrom('contacts')
        .select(['id', 'account_id'])
        .where('workspace_id', '=', w.workspaceId)
        .where('id', 'in', part)
        .execute();
      for (const r of rows) {
        wanted.add(r.id);
        if (r.account_id !== w.accountId) attached.push(r.id);
      }
    }
    const detached = current.map((r) => r.id).filter((id) => !wanted.has(id));
    for (const [list, value] of [
      [attached, w.accountId],
      [detached, null],
    ] as const) {
      for (let i = 0; i < list.length; i += CHUNK) {
        await trx
          .updateTable('contacts')
          .set({ account_id: value, updated_at: w.now })
          .where('workspace_id', '=', w.workspaceId)
          .where('id', 'in', list.slice(i, i + CHUNK))
          .execute();
      }
    }
    return ok({ attached, detached, unknown: ids.filter((id) => !wanted.has(id)) });
  });
}
