import type { Database } from '@wasl/store';
import type { Kysely, Transaction } from 'kysely';

/**
 * Runs `work` in a transaction, or inside the caller's one when `db` already
 * is a transaction (Kysely cannot nest them), so services compose: the CLI
 * may wrap several calls in one transaction, a route calls one service alone.
 */
export function inTransaction<T>(
  db: Kysely<Database>,
  work: (trx: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (db.isTransaction) return work(db);
  return db.transaction().execute((trx: Transaction<Database>) => work(trx));
}
