/** Where the events live: DuckDB (embedded, one process) or PostgreSQL (scale mode). */
export type EventStoreTarget = { kind: 'duckdb'; file: string } | { kind: 'postgres'; url: string };
