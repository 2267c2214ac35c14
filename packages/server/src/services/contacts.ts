import {
  type AttributeDefinition,
  type ContactInput,
  err,
  type FieldProblem,
  newId,
  ok,
  type Problem,
  problem,
  type Result,
  validateContactInput,
} from '@wasl/core';
import type { Contact, Database } from '@wasl/store';
import { type Kysely, sql } from 'kysely';
import { listAttributeDefinitions } from './attribute-definitions.ts';
import { type ContactView, draftColumns, newContactRow, viewContact } from './contact-rows.ts';
import { isUniqueViolation } from './db-errors.ts';
import { defaultCountryOf } from './default-country.ts';
import { inTransaction } from './transaction.ts';

/** One problem that names every field at fault (the first one is `field`), warnings aside. */
export function fieldProblems(errors: readonly FieldProblem[]): Problem {
  const [first] = errors;
  const text = errors
    .map((e) =>
      e.value === undefined ? `${e.field}: ${e.reason}` : `${e.field}: ${e.reason} ("${e.value}")`,
    )
    .join('; ');
  return problem('invalid', text, first?.field);
}

const notFound = problem('not_found', 'contact not found');

interface Defaults {
  defs: AttributeDefinition[];
  defaultCountry: string | undefined;
}

/** What validating a workspace's contacts needs: its custom attributes and the country local phone numbers belong to. */
export async function contactDefaults(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<Defaults | undefined> {
  const workspace = await db
    .selectFrom('workspaces')
    .select('timezone')
    .where('id', '=', workspaceId)
    .executeTakeFirst();
  if (!workspace) return undefined;
  return {
    defs: await listAttributeDefinitions(db, workspaceId),
    defaultCountry: defaultCountryOf(workspace.timezone),
  };
}

/** 409 naming the field and the contact that already has the value. */
async function duplicateOf(
  db: Kysely<Database>,
  workspaceId: string,
  columns: Partial<Contact>,
  exceptId?: string,
): Promise<Problem | undefined> {
  for (const field of ['email', 'phone'] as const) {
    const value = columns[field];
    if (value === undefined || value === null) continue;
    let q = db
      .selectFrom('contacts')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where(field, '=', value);
    if (exceptId) q = q.where('id', '!=', exceptId);
    const other = await q.executeTakeFirst();
    if (other)
      return problem('conflict', `another contact (${other.id}) already has ${field} "${value}"`, field);
  }
  return undefined;
}

export interface ContactWrite {
  workspaceId: string;
  input: ContactInput;
  now: number;
}

export interface ContactWritten {
  contact: ContactView;
  warnings: FieldProblem[];
}

export async function createContact(db: Kysely<Database>, w: ContactWrite): Promise<Result<ContactWritten>> {
  const defaults = await contactDefaults(db, w.workspaceId);
  if (!defaults) return err(problem('not_found', 'workspace not found'));
  const checked = validateContactInput(w.input, defaults.defs, { defaultCountry: defaults.defaultCountry });
  if (!checked.ok) return err(fieldProblems(checked.errors));
  const columns = draftColumns(checked.value);
  return inTransaction(db, async (trx) => {
    const duplicate = await duplicateOf(trx, w.workspaceId, columns);
    if (duplicate) return err(duplicate);
    const row = newContactRow(newId(w.now), w.workspaceId, columns, w.now);
    try {
      await trx.insertInto('contacts').values(row).execute();
    } catch (e) {
      if (isUniqueViolation(e)) return err(problem('conflict', 'another contact has this email or phone'));
      throw e;
    }
    return ok({ contact: viewContact(row), warnings: checked.warnings });
  });
}

export async function getContact(
  db: Kysely<Database>,
  workspaceId: string,
  contactId: string,
): Promise<Contact | undefined> {
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', contactId)
    .executeTakeFirst();
}

/** Changes the fields present in `input`; a null clears a field or removes a custom attribute. */
export async function updateContact(
  db: Kysely<Database>,
  w: ContactWrite & { contactId: string },
): Promise<Result<ContactWritten>> {
  const defaults = await contactDefaults(db, w.workspaceId);
  if (!defaults) return err(notFound);
  return inTransaction(db, async (trx) => {
    const current = await getContact(trx, w.workspaceId, w.contactId);
    if (!current) return err(notFound);
    const checked = validateContactInput(w.input, defaults.defs, {
      defaultCountry: current.country ?? defaults.defaultCountry,
      partial: true,
    });
    if (!checked.ok) return err(fieldProblems(checked.errors));
    const before = viewContact(current);
    const columns = draftColumns(checked.value, before.attributes);
    const email = columns.email === undefined ? current.email : columns.email;
    const phone = columns.phone === undefined ? current.phone : columns.phone;
    if (email === null && phone === null) {
      return err(
        problem('invalid', 'a contact needs an email or a phone; this change would remove both', 'email'),
      );
    }
    const duplicate = await duplicateOf(trx, w.workspaceId, columns, current.id);
    if (duplicate) return err(duplicate);
    const updated: Contact = { ...current, ...columns, updated_at: w.now };
    await trx
      .updateTable('contacts')
      .set({ ...columns, updated_at: w.now })
      .where('workspace_id', '=', w.workspaceId)
      .where('id', '=', current.id)
      .execute();
    return ok({ contact: viewContact(updated), warnings: checked.warnings });
  });
}

export interface ContactPageQuery {
  workspaceId: string;
  limit: number;
  /** The last id of the previous page (ids are time-ordered UUIDv7, so newest first is id descending). */
  before?: string;
  /** Matches the start of email, phone, first or last name (case-insensitive for Latin letters). */
  search?: string;
}

export async function listContacts(
  db: Kysely<Database>,
  q: ContactPageQuery,
): Promise<{ contacts: ContactView[]; next: string | null }> {
  let query = db.selectFrom('contacts').selectAll().where('workspace_id', '=', q.workspaceId);
  if (q.before) query = query.where('id', '<', q.before);
  const search = q.search?.trim();
  if (search) {
    const pattern = `${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    query = query.where((eb) =>
      eb.or(
        (['email', 'phone', 'first_name', 'last_name'] as const).map(
          (column) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`,
        ),
      ),
    );
  }
  const rows = await query
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit).map(viewContact);
  return { contacts: page, next: rows.length > q.limit ? (page[page.length - 1]?.id ?? null) : null };
}

export async function countContacts(db: Kysely<Database>, workspaceId: string): Promise<number> {
  const row = await db
    .selectFrom('contacts')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
