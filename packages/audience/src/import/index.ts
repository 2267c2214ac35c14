export { type ColumnMapping, mappingSignature, suggestMapping } from './mapping.ts';
export {
  type ImportSummary,
  type ReadContactsOptions,
  readContactsCsv,
} from './read.ts';
export type { ImportBatch, ImportRow, ImportRowError } from './rows.ts';
export {
  type CsvDelimiter,
  type CsvEncoding,
  type CsvShape,
  type FormatIssue,
  type FormatProblem,
  ImportFormatError,
  sniffCsv,
} from './sniff.ts';
