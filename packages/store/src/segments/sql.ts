import type { Dialect } from '../analytics/dialect.ts';
import type { Params } from '../analytics/params.ts';

/**
 * The SQL the segment compiler needs beyond the reports' Dialect. JSON
 * columns are varchar on DuckDB and jsonb on PostgreSQL; paths are bound
 * values, never text in the statement.
 */
export interface SegmentSql {
  /** Text at `path` in a JSON column (null when absent). */
  jsonText(column: string, path: readonly string[]): string;
  /** Whether the JSON array at `path` (or the column itself) holds a tag, compared lower-cased. */
  hasTag(column: string, path: readonly string[], tag: string): string;
  /** Whether that JSON array has at least one element. */
  tagsSet(column: string, path: readonly string[]): string;
  /** A 'YYYY-MM-DD' text as a date, null when it is not one. */
  dateOf(text: string): string;
  /** The UTC calendar day of a timestamptz. */
  utcDay(time: string): string;
}

const pointer = (path: readonly string[]) =>
  path.map((k) => `/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');

export function segmentSql(dialect: Dialect, p: Params): SegmentSql {
  if (dialect.name === 'duckdb') {
    const json = (column: string, path: readonly string[]) =>
      path.length === 0 ? column : `json_extract(${column}, ${p.text(pointer(path))})`;
    const array = (column: string, path: readonly string[]) => {
      const j = json(column, path);
      return `(case when json_type(${j}) = 'ARRAY' then from_json(${j}, '["VARCHAR"]') else [] end)`;
    };
    return {
      jsonText: (column, path) => `json_extract_string(${column}, ${p.text(pointer(path))})`,
      hasTag: (column, path, tag) =>
        `list_contains(list_transform(${array(column, path)}, t -> lower(t)), lower(${p.text(tag)}))`,
      tagsSet: (column, path) => `(len(${array(column, path)}) > 0)`,
      dateOf: (text) => `try_cast(${text} as date)`,
      utcDay: (time) => `cast(timezone('UTC', ${time}) as date)`,
    };
  }
  const json = (column: string, path: readonly string[]) =>
    path.length === 0 ? column : `(${column} #> array[${path.map((k) => p.text(k)).join(', ')}]::text[])`;
  const array = (column: string, path: readonly string[]) => {
    const j = json(column, path);
    return `(case when jsonb_typeof(${j}) = 'array' then ${j} else '[]'::jsonb end)`;
  };
  return {
    jsonText: (column, path) => `(${column} #>> array[${path.map((k) => p.text(k)).join(', ')}]::text[])`,
    hasTag: (column, path, tag) =>
      `exists (select 1 from jsonb_array_elements_text(${array(column, path)}) t where lower(t) = lower(${p.text(tag)}))`,
    tagsSet: (column, path) => `(jsonb_array_length(${array(column, path)}) > 0)`,
    // A date-shaped text that is no date (2026-02-30) would stop the query: the contact model stores valid ones.
    dateOf: (text) => `(case when ${text} ~ '^\\d{4}-\\d{2}-\\d{2}$' then cast(${text} as date) end)`,
    utcDay: (time) => `cast(${time} at time zone 'UTC' as date)`,
  };
}
