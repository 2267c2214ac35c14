import type { ColumnMapping, ImportBatch, ImportRowError } from '@wasl/audience';
import { readContactsCsv } from '@wasl/audience';
import { type ContactDraft, newId } from '@wasl/core';
import type { Contact, ContactImport, Database } from '@wasl/store';
import { CompiledQuery, type Kysely, sql } from 'kysely';
import { CONTACT_COLUMNS, draftColumns, newContactRow } from './contact-rows.ts';
import { contactDefaults } from './contacts.ts';
import { inTransaction } from './transaction.ts';

/** What to do with a row whose email or phone matches an existing contact, and with one that matches none. */
export const IMPORT_POLICIES = ['upsert', 'insert_only', 'update_only'] as const;
export type ImportPolicy = (typeof IMPORT_POLICIES)[number];

/** Row problems kept per import; the counts stay exact beyond it. */
export const MAX_STORED_ROW_ERRORS = 10_000;

export interface ImportProgress {
  bytesRead: number;
  bytesTotal: number | null;
  rowsRead: number;
  inserted: number;
  updated: number;
  skipped: number;
  failed: number;
}

// SQLite allows 32,766 bound values; 21 columns × 500 rows stays well under.
const INSERT_CHUNK = 500;
const LOOKUP_CHUNK = 500;

type Existing = Pick<Contact, 'id' | 'email' | 'phone' | 'attributes'>;

async function existingContacts(
  db: Kysely<Database>,
  workspaceId: string,
  field: 'email' | 'phone',
  values: string[],
): Promise<Existing[]> {
  const found: Existing[] = [];
  for (let i = 0; i < values.length; i += LOOKUP_CHUNK) {
    const chunk = values.slice(i, i + LOOKUP_CHUNK);
    found.push(
      ...(await db
        .selectFrom('contacts')
        .select(['id', 'email', 'phone', 'attributes'])
        .where('workspace_id', '=', workspaceId)
        .where(field, 'in', chunk)
        .execute()),
    );
  }
  return found;
}

interface BatchOutcome {
  inserted: number;
  updated: number;
  skipped: number;
  ids: string[];
}

/**
 * Writes one batch in one transaction, in file order: a row that matches a
 * contact by email (else by phone) updates it, or is skipped under
 * insert_only; one that matches none is inserted, or skipped under
 * update_only. A later row of the same file updates what an earlier one wrote.
 */
async function writeBatch(
  db: Kysely<Database>,
  workspaceId: string,
  rows: ImportBatch['rows'],
  policy: ImportPolicy,
  now: number,
): Promise<BatchOutcome> {
  return inTransaction(db, async (trx) => {
    const emails = [...new Set(rows.flatMap((r) => (r.contact.email ? [r.contact.email] : [])))];
    const phones = [...new Set(rows.flatMap((r) => (r.contact.phone ? [r.contact.phone] : [])))];
    const byEmail = new Map<string, Existing>();
    const byPhone = new Map<string, Existing>();
    for (const c of await existingContacts(trx, workspaceId, 'email', emails)) byEmail.set(c.email ?? '', c);
    for (const c of await existingContacts(trx, workspaceId, 'phone', phones)) byPhone.set(c.phone ?? '', c);

    const inserts: Contact[] = [];
    const outcome: BatchOutcome = { inserted: 0, updated: 0, skipped: 0, ids: [] };
    for (const { contact } of rows) {
      const match =
        (contact.email ? byEmail.get(contact.email) : undefined) ??
        (contact.phone ? byPhone.get(contact.phone) : undefined);
      if (match) {
        if (policy === 'insert_only') {
          outcome.skipped += 1;
          continue;
        }
        const current = JSON.parse(match.attributes) as Record<string, string | number | boolean | null>;
        const columns = draftColumns(withoutClashes(contact, match, byEmail, byPhone), current);
        const pending = inserts.find((r) => r.id === match.id);
        if (pending) Object.assign(pending, columns);
        else
          await trx
            .updateTable('contacts')
            .set({ ...columns, updated_at: now })
            .where('id', '=', match.id)
            .execute();
        if (columns.attributes !== undefined) match.attributes = columns.attributes;
        // Every row counts once: inserted + updated + skipped + failed = rows read.
        outcome.updated += 1;
        outcome.ids.push(match.id);
        continue;
      }
      if (policy === 'update_only') {
        outcome.skipped += 1;
        continue;
      }
      const row = newContactRow(newId(now), workspaceId, draftColumns(contact), now);
      inserts.push(row);
      const seen: Existing = { id: row.id, email: row.email, phone: row.phone, attributes: row.attributes };
      if (row.email) byEmail.set(row.email, seen);
      if (row.phone) byPhone.set(row.phone, seen);
      outcome.inserted += 1;
      outcome.ids.push(row.id);
    }
    for (let i = 0; i < inserts.length; i += INSERT_CHUNK)
      await insertRows(trx, inserts.slice(i, i + INSERT_CHUNK));
    return outcome;
  });
}

const insertSqlCache = new Map<string, string>();

/**
 * One multi-row insert, its SQL text built once per engine and row count, so
 * the engine reuses the prepared statement; Kysely's builder took as long to
 * assemble 500 rows as SQLite took to store them.
 */
async function insertRows(db: Kysely<Database>, rows: Contact[]): Promise<void> {
  const numbered = db.selectNoFrom(sql<number>`${1}`.as('x')).compile().sql.includes('$1');
  const key = `${numbered}:${rows.length}`;
  let text = insertSqlCache.get(key);
  if (!text) {
    let n = 0;
    const tuple = () => `(${CONTACT_COLUMNS.map(() => (numbered ? `$${++n}` : '?')).join(', ')})`;
    text = `insert into contacts (${CONTACT_COLUMNS.join(', ')}) values ${rows.map(tuple).join(', ')}`;
    insertSqlCache.set(key, text);
  }
  const params: unknown[] = [];
  for (const row of rows) for (const column of CONTACT_COLUMNS) params.push(row[column]);
  await db.executeQuery(CompiledQuery.raw(text, params));
}

/**
 * A row matched by email may carry a phone that another contact owns (or the
 * reverse): the unique index would refuse the whole batch, so that value is
 * left out and the rest of the row applies.
 */
function withoutClashes(
  contact: Partial<ContactDraft>,
  match: Existing,
  byEmail: Map<string, Existing>,
  byPhone: Map<string, Existing>,
): Partial<ContactDraft> {
  const out = { ...contact };
  if (out.phone && byPhone.get(out.phone) && byPhone.get(out.phone)?.id !== match.id) delete out.phone;
  if (out.email && byEmail.get(out.email) && byEmail.get(out.email)?.id !== match.id) delete out.email;
  return out;
}

async function storeRowProblems(
  db: Kysely<Database>,
  importId: string,
  problems: ImportRowError[],
  warning: boolean,
  room: number,
): Promise<number> {
  const kept = problems.slice(0, Math.max(0, room));
  for (let i = 0; i < kept.length; i += INSERT_CHUNK) {
    await db
      .insertInto('contact_import_errors')
      .values(
        kept.slice(i, i + INSERT_CHUNK).map((p) => ({
          import_id: importId,
          line: p.line,
          column_name: p.column ?? null,
          value: p.value === undefined ? null : p.value.slice(0, 500),
          reason: p.reason,
          warning: warning ? 1 : 0,
        })),
      )
      .execute();
  }
  return kept.length;
}

export interface ImportRecordInput {
  workspaceId: string;
  fileName: string;
  policy: ImportPolicy;
  bytesTotal?: number;
  createdBy: string | null;
  now: number;
}

/** The import's row, before any row is read: the API answers with its id and the dashboard polls it. */
export async function createImportRecord(
  db: Kysely<Database>,
  input: ImportRecordInput,
): Promise<ContactImport> {
  const record: ContactImport = {
    id: newId(input.now),
    workspace_id: input.workspaceId,
    file_name: input.fileName,
    status: 'running',
    policy: input.policy,
    bytes_total: input.bytesTotal ?? null,
    bytes_read: 0,
    rows_read: 0,
    inserted: 0,
    updated: 0,
    skipped: 0,
    failed: 0,
    summary: null,
    error: null,
    created_by: input.createdBy,
    created_at: input.now,
    finished_at: null,
  };
  await db.insertInto('contact_imports').values(record).execute();
  return record;
}

export interface ImportRun {
  source: AsyncIterable<Uint8Array>;
  /** Header → field; when absent, the workspace's remembered mapping for these headers, else a suggestion. */
  mapping?: ColumnMapping;
  clock: () => number;
  /** Country of local phone numbers without one of their own; default: from the workspace's time zone. */
  defaultCountry?: string;
  onProgress?: (p: ImportProgress) => void;
  /** Called with the ids written by each batch, after it commits (the events mirror and segments catch up). */
  onWritten?: (contactIds: string[]) => void;
  signal?: AbortSignal;
}

/**
 * Imports a CSV of any size in constant memory: the parser yields batches,
 * and each batch, its row problems and the import's counts are one
 * transaction, so a crash loses at most the batch in flight and the counts
 * say exactly how far it got.
 */
export async function processContactImport(
  db: Kysely<Database>,
  started: ContactImport,
  run: ImportRun,
): Promise<ContactImport> {
  const record = { ...started };
  const defaults = await contactDefaults(db, record.workspace_id);
  if (!defaults) return finish(db, record, 'failed', run.clock(), 'workspace not found');

  let stored = 0;
  const reader = readContactsCsv(run.source, {
    defs: defaults.defs,
    defaultCountry: run.defaultCountry ?? defaults.defaultCountry,
    ...(run.mapping ? { mapping: run.mapping } : {}),
    ...(run.signal ? { signal: run.signal } : {}),
    mappingFor: (signature: string) => rememberedMapping(db, record.workspace_id, signature),
  });
  try {
    for (;;) {
      const next = await reader.next();
      if (next.done) {
        record.summary = JSON.stringify(next.value);
        await rememberMapping(db, record.workspace_id, next.value.signature, next.value.mapping, run.clock());
        break;
      }
      const batch = next.value;
      const failedRows = countRows(batch.errors);
      const outcome = await inTransaction(db, async (trx) => {
        const written = await writeBatch(
          trx,
          record.workspace_id,
          batch.rows,
          record.policy as ImportPolicy,
          run.clock(),
        );
        stored += await storeRowProblems(trx, record.id, batch.errors, false, MAX_STORED_ROW_ERRORS - stored);
        stored += await storeRowProblems(
          trx,
          record.id,
          batch.warnings,
          true,
          MAX_STORED_ROW_ERRORS - stored,
        );
        record.bytes_read = batch.bytesRead;
        record.rows_read += batch.rows.length + failedRows;
        record.inserted += written.inserted;
        record.updated += written.updated;
        record.skipped += written.skipped;
        record.failed += failedRows;
        await trx
          .updateTable('contact_imports')
          .set({
            bytes_read: record.bytes_read,
            rows_read: record.rows_read,
            inserted: record.inserted,
            updated: record.updated,
            skipped: record.skipped,
            failed: record.failed,
          })
          .where('id', '=', record.id)
          .execute();
        return written;
      });
      run.onWritten?.(outcome.ids);
      run.onProgress?.({
        bytesRead: record.bytes_read,
        bytesTotal: record.bytes_total,
        rowsRead: record.rows_read,
        inserted: record.inserted,
        updated: record.updated,
        skipped: record.skipped,
        failed: record.failed,
      });
    }
  } catch (e) {
    const cancelled = run.signal?.aborted === true;
    return finish(db, record, cancelled ? 'cancelled' : 'failed', run.clock(), (e as Error).message);
  }
  return finish(db, record, 'done', run.clock(), null);
}

/** Creates the import and runs it to the end (the CLI's way). */
export async function runContactImport(
  db: Kysely<Database>,
  input: Omit<ImportRecordInput, 'now'> & ImportRun,
): Promise<ContactImport> {
  const record = await createImportRecord(db, { ...input, now: input.clock() });
  return processContactImport(db, record, input);
}

/** A row can fail on several columns; it counts once. */
const countRows = (errors: readonly ImportRowError[]): number => new Set(errors.map((e) => e.line)).size;

async function finish(
  db: Kysely<Database>,
  record: ContactImport,
  status: 'done' | 'failed' | 'cancelled',
  now: number,
  error: string | null,
): Promise<ContactImport> {
  const done: ContactImport = { ...record, status, error, finished_at: now };
  await db
    .updateTable('contact_imports')
    .set({
      status,
      error,
      finished_at: now,
      summary: done.summary,
      bytes_read: done.bytes_read,
      rows_read: done.rows_read,
      inserted: done.inserted,
      updated: done.updated,
      skipped: done.skipped,
      failed: done.failed,
    })
    .where('id', '=', record.id)
    .execute();
  return done;
}

export async function rememberedMapping(
  db: Kysely<Database>,
  workspaceId: string,
  signature: string,
): Promise<ColumnMapping | undefined> {
  const row = await db
    .selectFrom('column_mappings')
    .select('mapping')
    .where('workspace_id', '=', workspaceId)
    .where('signature', '=', signature)
    .executeTakeFirst();
  return row ? (JSON.parse(row.mapping) as ColumnMapping) : undefined;
}

async function rememberMapping(
  db: Kysely<Database>,
  workspaceId: string,
  signature: string,
  mapping: ColumnMapping,
  now: number,
): Promise<void> {
  await db
    .insertInto('column_mappings')
    .values({ workspace_id: workspaceId, signature, mapping: JSON.stringify(mapping), updated_at: now })
    .onConflict((oc) =>
      oc
        .columns(['workspace_id', 'signature'])
        .doUpdateSet({ mapping: JSON.stringify(mapping), updated_at: now }),
    )
    .execute();
}
