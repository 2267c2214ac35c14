import type { AttributeDefinition, ContactDraft, ContactInput } from '@wasl/core';
import { STANDARD_FIELD_NAMES, type ValidateOptions, validateContactInput } from '@wasl/core';
import type { ColumnMapping } from './mapping.ts';
import { SeenKeys } from './seen.ts';

export interface ImportRowError {
  /** The row number a spreadsheet shows: the header is 1, and a cell with line breaks stays in one row. */
  line: number;
  column?: string;
  value?: string;
  reason: string;
}

export interface ImportRow {
  line: number;
  contact: Partial<ContactDraft>;
  /** The earlier line with the same email or phone; the later row is meant to win. */
  duplicateOf?: number;
}

export interface ImportBatch {
  rows: ImportRow[];
  errors: ImportRowError[];
  warnings: ImportRowError[];
  /** Bytes of the source consumed so far, for progress. */
  bytesRead: number;
}

export interface RowOptions {
  defs: readonly AttributeDefinition[];
  defaultCountry?: string;
  signal?: AbortSignal;
}

function blankFrom(record: string[], start: number): boolean {
  for (let i = start; i < record.length; i++) if (record[i]!.trim() !== '') return false;
  return true;
}

type Column = { index: number; header: string } & ({ field: keyof ContactInput } | { attribute: string });

/** Turns parsed records into checked rows, and collects them into batches. */
export class RowReader {
  private readonly columns: Column[];
  private readonly headerOf = new Map<string, string>();
  private readonly seen = new SeenKeys();
  private readonly validateOptions: ValidateOptions;
  private rows: ImportRow[] = [];
  private errors: ImportRowError[] = [];
  private warnings: ImportRowError[] = [];
  private rowsInBatch = 0;
  private ready: ImportBatch[] = [];
  private header = true;
  private rowsValid = 0;
  private rowsWithErrors = 0;
  private rowsWithWarnings = 0;
  private duplicates = 0;

  constructor(
    private readonly headers: string[],
    mapping: ColumnMapping,
    private readonly opts: RowOptions,
    private readonly batchSize: number,
  ) {
    this.validateOptions = { partial: true, defaultCountry: opts.defaultCountry };
    this.columns = [];
    headers.forEach((header, index) => {
      const target = mapping[header] ?? 'ignore';
      if (target === 'ignore') return;
      if (target.startsWith('attributes.')) {
        const attribute = target.slice('attributes.'.length);
        this.columns.push({ index, header, attribute });
        this.headerOf.set(target, header);
      } else {
        const field = STANDARD_FIELD_NAMES[target]!;
        this.columns.push({ index, header, field });
        this.headerOf.set(field, header);
      }
    });
  }

  add(record: string[], line: number): void {
    this.check(record, line);
    if (this.rowsInBatch >= this.batchSize) this.seal();
  }

  private check(record: string[], line: number): void {
    if (this.header) {
      this.header = false;
      return;
    }
    if (blankFrom(record, 0)) return;
    this.rowsInBatch++;
    const expected = this.headers.length;
    // Spreadsheets sometimes leave empty cells past the last column; those are harmless.
    if (record.length < expected || !blankFrom(record, expected)) {
      this.rowsWithErrors++;
      this.errors.push({
        line,
        reason: `expected ${expected} column${expected === 1 ? '' : 's'}, found ${record.length}`,
      });
      return;
    }
    const input: ContactInput = {};
    let attributes: Record<string, string> | undefined;
    for (const column of this.columns) {
      const cell = record[column.index]!;
      if (cell.trim() === '') continue;
      if ('field' in column) input[column.field] = cell;
      else {
        attributes ??= {};
        attributes[column.attribute] = cell;
      }
    }
    if (attributes !== undefined) input.attributes = attributes;
    const checked = validateContactInput(input, this.opts.defs, this.validateOptions);
    if (checked.warnings.length > 0) {
      this.rowsWithWarnings++;
      for (const w of checked.warnings) this.warnings.push(this.rowProblem(line, w.field, w.value, w.reason));
    }
    if (!checked.ok) {
      this.rowsWithErrors++;
      for (const e of checked.errors) this.errors.push(this.rowProblem(line, e.field, e.value, e.reason));
      return;
    }
    const contact = checked.value;
    if (!contact.email && !contact.phone) {
      this.rowsWithErrors++;
      this.errors.push({
        line,
        reason: 'the row has no email and no phone number; a contact needs one of them',
      });
      return;
    }
    this.rowsValid++;
    const byEmail = contact.email ? this.seen.firstLine(`e${contact.email}`, line) : undefined;
    const byPhone = contact.phone ? this.seen.firstLine(`p${contact.phone}`, line) : undefined;
    const duplicateOf = byEmail ?? byPhone;
    if (duplicateOf === undefined) this.rows.push({ line, contact });
    else {
      this.duplicates++;
      this.rows.push({ line, contact, duplicateOf });
    }
  }

  private rowProblem(line: number, field: string, value: string | undefined, reason: string): ImportRowError {
    const column = this.headerOf.get(field);
    return {
      line,
      ...(column === undefined ? {} : { column }),
      ...(value === undefined ? {} : { value }),
      reason,
    };
  }

  /** The batches filled so far, and at the end whatever is left. */
  *take(bytesRead: number, end: boolean): Generator<ImportBatch> {
    if (end && this.rowsInBatch > 0) this.seal();
    for (const batch of this.ready) {
      // Cancelling takes effect at the next batch, even when the source is already read.
      this.opts.signal?.throwIfAborted();
      yield { ...batch, bytesRead };
    }
    this.ready = [];
  }

  private seal(): void {
    this.ready.push({ rows: this.rows, errors: this.errors, warnings: this.warnings, bytesRead: 0 });
    this.rows = [];
    this.errors = [];
    this.warnings = [];
    this.rowsInBatch = 0;
  }

  counts() {
    return {
      rowsRead: this.rowsValid + this.rowsWithErrors,
      rowsValid: this.rowsValid,
      rowsWithErrors: this.rowsWithErrors,
      rowsWithWarnings: this.rowsWithWarnings,
      duplicates: this.duplicates,
    };
  }
}
