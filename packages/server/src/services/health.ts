import { type Database, OLTP_MIGRATIONS, pendingMigrations } from '@wasl/store';
import { type Kysely, sql } from 'kysely';

/** Throws unless the OLTP database answers a query. */
export async function pingOltp(db: Kysely<Database>): Promise<void> {
  await sql`select 1`.execute(db);
}

/** Throws, naming them, when migrations this build knows are not applied yet. */
export async function assertMigrationsCurrent(db: Kysely<Database>): Promise<void> {
  const pending = await pendingMigrations(db, OLTP_MIGRATIONS);
  if (pending.length > 0) throw new Error(`pending migrations: ${pending.join(', ')}; run \`wasl migrate\``);
}
