export type CsvCell = string | number | null | undefined;

/** Excel reads a file as UTF-8 (and so shows Arabic) only when it starts with the byte order mark. */
export const CSV_BOM = '\uFEFF';
/**
 * A spreadsheet treats text starting with these as a formula: a referrer or
 * UTM value such as `=HYPERLINK(…)` would run when the export is opened.
 * Such text gets a leading apostrophe (OWASP's advice); numbers are ours and
 * are written as they are.
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

function cell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * RFC 4180 CSV: a header row, CRLF line ends, fields with a comma, quote or
 * line break in double quotes (quotes doubled), UTF-8 with a byte order mark.
 *
 * @example toCsv(['page', 'visits'], [['/عروض', 3]]) // '\uFEFFpage,visits\r\n/عروض,3\r\n'
 */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header, ...rows].map(csvLine);
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}

/** One CSV record without its line end, for files written a row at a time. */
export const csvLine = (row: readonly CsvCell[]): string => row.map(cell).join(',');
