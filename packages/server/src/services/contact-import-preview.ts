import {
  type ColumnMapping,
  ImportFormatError,
  mappingSignature,
  readContactsCsv,
  sniffCsv,
  suggestMapping,
} from '@wasl/audience';
import { type ContactDraft, err, ok, problem, type Result } from '@wasl/core';
import type { Database } from '@wasl/store';
import type { Kysely } from 'kysely';
import { rememberedMapping } from './contact-import.ts';
import { contactDefaults } from './contacts.ts';

export interface ImportPreview {
  encoding: string;
  delimiter: string;
  headers: string[];
  mapping: ColumnMapping;
  /** True when the mapping is the one remembered from an earlier file with these headers. */
  remembered: boolean;
  /** The first rows as they would import, with their problems. */
  sample: { line: number; contact: Partial<ContactDraft> }[];
  problems: { line: number; column?: string; value?: string; reason: string; warning: boolean }[];
}

const SAMPLE_ROWS = 10;

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** What the dashboard shows before an upload: how the file reads, how its columns map, how its first rows import. */
export async function previewContactsCsv(
  db: Kysely<Database>,
  workspaceId: string,
  firstBytes: Uint8Array,
): Promise<Result<ImportPreview>> {
  const defaults = await contactDefaults(db, workspaceId);
  if (!defaults) return err(problem('not_found', 'workspace not found'));
  const shape = await sniffCsv(firstBytes, false);
  if (!shape.ok) return err(problem('invalid', shape.error.message));
  const reader = readContactsCsv(once(firstBytes), {
    defs: defaults.defs,
    defaultCountry: defaults.defaultCountry,
    batchSize: SAMPLE_ROWS,
    mappingFor: (signature) => rememberedMapping(db, workspaceId, signature),
  });
  let batch: Awaited<ReturnType<typeof reader.next>>;
  try {
    batch = await reader.next();
  } catch (e) {
    if (e instanceof ImportFormatError) return err(problem('invalid', e.message));
    throw e;
  }
  const { headers } = shape.value;
  const signatureMapping = await rememberedMapping(db, workspaceId, mappingSignature(headers));
  const mapping = signatureMapping ?? suggestMapping(headers, defaults.defs);
  const rows = batch.done ? [] : batch.value.rows.slice(0, SAMPLE_ROWS);
  const problems = batch.done
    ? []
    : [
        ...batch.value.errors.map((e) => ({ ...e, warning: false })),
        ...batch.value.warnings.map((w) => ({ ...w, warning: true })),
      ].sort((a, b) => a.line - b.line);
  return ok({
    encoding: shape.value.encoding,
    delimiter: shape.value.delimiter,
    headers,
    mapping,
    remembered: signatureMapping !== undefined,
    sample: rows.map((r) => ({ line: r.line, contact: r.contact })),
    problems,
  });
}
