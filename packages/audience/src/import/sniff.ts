import { err, ok, type Problem, type Result } from '@wasl/core';
import { suggestMapping } from './mapping.ts';

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1256';
export type CsvDelimiter = ',' | ';' | '\t' | '|';

export interface CsvShape {
  encoding: CsvEncoding;
  bom: boolean;
  delimiter: CsvDelimiter;
  headers: string[];
}

export type FormatIssue = 'empty' | 'not_csv' | 'no_columns' | 'duplicate_headers' | 'malformed' | 'mapping';

/** A file that cannot be imported at all, with a message a marketer can act on. */
export class ImportFormatError extends Error {
  constructor(
    readonly issue: FormatIssue,
    message: string,
  ) {
    super(message);
    this.name = 'ImportFormatError';
  }
}

export type FormatProblem = Problem & { issue: FormatIssue };

const fail = (issue: FormatIssue, message: string) =>
  err<FormatProblem>({ code: 'invalid', message, field: 'file', issue });

const SAVE_AS_CSV = "Save it as 'CSV UTF-8 (Comma delimited)' and upload again.";

const startsWith = (bytes: Uint8Array, ...magic: number[]) => magic.every((b, i) => bytes[i] === b);
const ascii = (bytes: Uint8Array, from: number, to: number) =>
  String.fromCharCode(...bytes.subarray(from, to));

// Files people upload by mistake, recognised by their first bytes.
function knownBinary(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, 0x50, 0x4b, 0x03, 0x04)) {
    const head = ascii(bytes, 0, Math.min(bytes.length, 2000));
    if (head.includes('xl/') || head.includes('[Content_Types].xml')) {
      return head.includes('word/')
        ? `This file looks like a Word document (.docx), not a spreadsheet. ${SAVE_AS_CSV}`
        : `This file looks like an Excel workbook (.xlsx). ${SAVE_AS_CSV}`;
    }
    return 'This file is a ZIP archive. Extract the CSV file from it and upload that.';
  }
  if (startsWith(bytes, 0xd0, 0xcf, 0x11, 0xe0))
    return `This file looks like an old Excel workbook (.xls). ${SAVE_AS_CSV}`;
  if (startsWith(bytes, 0x25, 0x50, 0x44, 0x46))
    return 'This file is a PDF. Export your contacts as a CSV file and upload that.';
  if (startsWith(bytes, 0x1f, 0x8b))
    return 'This file is compressed (gzip). Decompress it and upload the CSV file.';
  if (
    startsWith(bytes, 0x89, 0x50, 0x4e, 0x47) ||
    startsWith(bytes, 0xff, 0xd8, 0xff) ||
    startsWith(bytes, 0x47, 0x49, 0x46, 0x38)
  ) {
    return 'This file is an image. Export your contacts as a CSV file and upload that.';
  }
  return undefined;
}

/** The encoding from the byte order mark, else from where NUL bytes fall, else UTF-8 if it decodes. */
function detectEncoding(bytes: Uint8Array): { encoding: CsvEncoding; bom: boolean } | undefined {
  if (startsWith(bytes, 0xef, 0xbb, 0xbf)) return { encoding: 'utf-8', bom: true };
  if (startsWith(bytes, 0xff, 0xfe)) return { encoding: 'utf-16le', bom: true };
  if (startsWith(bytes, 0xfe, 0xff)) return { encoding: 'utf-16be', bom: true };
  // UTF-16 text without a BOM: the ASCII characters (digits, delimiters, line
  // ends) have a NUL high byte, and Arabic ones a 0x06 high byte.
  const n = Math.min(bytes.length, 4096) & ~1;
  let nulEven = 0;
  let nulOdd = 0;
  let highEven = 0;
  let highOdd = 0;
  for (let i = 0; i < n; i += 2) {
    const even = bytes[i]!;
    const odd = bytes[i + 1]!;
    if (even === 0) nulEven++;
    if (odd === 0) nulOdd++;
    if (even === 0 || even === 6) highEven++;
    if (odd === 0 || odd === 6) highOdd++;
  }
  const pairs = n / 2;
  if (nulEven + nulOdd === 0) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
      return { encoding: 'utf-8', bom: false };
    } catch {
      // Older Arabic Excel exports are in the Windows Arabic code page.
      return { encoding: 'windows-1256', bom: false };
    }
  }
  if (nulOdd > 0 && nulEven === 0 && highOdd > pairs * 0.9) return { encoding: 'utf-16le', bom: false };
  if (nulEven > 0 && nulOdd === 0 && highEven > pairs * 0.9) return { encoding: 'utf-16be', bom: false };
  return undefined;
}

const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t', '|'];

/** Splits the first records of `text` on `delimiter`, honouring quotes; the last, possibly cut, record is dropped unless `complete`. */
function splitRecords(text: string, delimiter: string, limit: number, complete: boolean): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  for (; i < text.length && records.length < limit; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === delimiter) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      if (record.length > 1 || record[0]!.trim() !== '') records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (complete && i >= text.length && !quoted && (record.length > 0 || field.trim() !== '')) {
    record.push(field);
    records.push(record);
  }
  return records;
}

/** The delimiter that splits the header into the most columns with the following rows agreeing. */
function detectDelimiter(text: string, complete: boolean): { delimiter: CsvDelimiter; headers: string[] } {
  let best: { delimiter: CsvDelimiter; headers: string[]; score: number } | undefined;
  for (const delimiter of DELIMITERS) {
    const records = splitRecords(text, delimiter, 30, complete);
    const header = records[0];
    if (header === undefined || header.length < 2) continue;
    const agreeing = records.filter((r) => r.length === header.length).length;
    const score = (agreeing / records.length) * 1000 + header.length;
    if (best === undefined || score > best.score) best = { delimiter, headers: header, score };
  }
  if (best !== undefined) return best;
  return { delimiter: ',', headers: splitRecords(text, ',', 1, complete)[0] ?? [] };
}

/**
 * The encoding, delimiter and header row of a CSV from its first bytes (64 KiB
 * is plenty), or one clear problem when it is not a CSV we can import.
 * `complete` says the bytes are the whole file.
 */
export async function sniffCsv(
  firstBytes: Uint8Array,
  complete = true,
): Promise<Result<CsvShape, FormatProblem>> {
  const binary = knownBinary(firstBytes);
  if (binary !== undefined) return fail('not_csv', binary);
  const found = detectEncoding(firstBytes);
  if (found === undefined) {
    return fail(
      'not_csv',
      'This file is not a text file. Export your contacts as a CSV file and upload that.',
    );
  }
  const text = new TextDecoder(found.encoding).decode(firstBytes, { stream: !complete });
  if (text.trim() === '')
    return fail('empty', 'This file is empty. Add a header row and one row per contact.');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for binary content
  const control = text.match(/[\x00-\x08\x0e-\x1f]/g)?.length ?? 0;
  if (control > text.length / 100) {
    return fail(
      'not_csv',
      'This file is not a text file. Export your contacts as a CSV file and upload that.',
    );
  }
  const { delimiter, headers: raw } = detectDelimiter(text, complete);
  const headers = raw.map((h) => h.trim());
  if (headers.length === 0)
    return fail('empty', 'This file has no header row. The first row must name the columns.');
  if (headers.length === 1 && suggestMapping(headers, [])[headers[0]!] === 'ignore') {
    return fail(
      'no_columns',
      `We could not find columns in this file: its first row "${headers[0]!.slice(0, 80)}" is not a header we know. ` +
        'The first row must name the columns (email, phone, first_name…), separated by commas.',
    );
  }
  const seen = new Set<string>();
  for (const header of headers) {
    const key = header.toLowerCase();
    if (key !== '' && seen.has(key)) {
      return fail(
        'duplicate_headers',
        `The column "${header}" appears twice in the header row. Rename one and upload again.`,
      );
    }
    seen.add(key);
  }
  return ok({ ...found, delimiter, headers });
}
