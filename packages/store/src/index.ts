export * from './oltp/connect.ts';
export * from './oltp/migrate.ts';
export { OLTP_MIGRATIONS } from './oltp/migrations/index.ts';
export type * from './oltp/schema.ts';
