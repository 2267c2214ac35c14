import { randomBytes } from 'node:crypto';
import type { Config } from '@wasl/core';
import { type Database, migrate, OLTP_MIGRATIONS, type Oltp } from '@wasl/store';
import type { Kysely } from 'kysely';
import { CliError } from './errors.ts';
import { describeError, openOltpStore, openStores, type Stores } from './stores.ts';

/**
 * Opens both stores and brings their schemas up to date (under a lock, so
 * processes starting together do not race). A failed migration was rolled
 * back by the migrator; the process stops instead of serving.
 */
export async function openMigratedStores(config: Config): Promise<Stores> {
  const stores = await openStores(config);
  try {
    await migrate(stores.oltp.db, stores.oltp.dialect, OLTP_MIGRATIONS);
    await stores.events.migrate();
  } catch (error) {
    await stores.close();
    throw migrationFailed(error);
  }
  return stores;
}

/** The OLTP store, migrated: for admin commands that must not open the events store. */
export async function openMigratedOltp(config: Config): Promise<Oltp> {
  const { oltp } = await openOltpStore(config);
  try {
    await migrate(oltp.db, oltp.dialect, OLTP_MIGRATIONS);
  } catch (error) {
    await oltp.close();
    throw migrationFailed(error);
  }
  return oltp;
}

const migrationFailed = (error: unknown) =>
  new CliError(`database migration failed and was rolled back: ${describeError(error)}`);

/**
 * The key that signs password-reset links: WASL_SECRET when set, otherwise a
 * random one made once and kept in the OLTP store, so every process of one
 * installation agrees without any configuration.
 */
export async function instanceSecret(db: Kysely<Database>, config: Config): Promise<string> {
  if (config.secret) return config.secret;
  const key = 'instance_secret';
  await db
    .insertInto('settings')
    .values({ key, value: randomBytes(32).toString('base64url'), updated_at: Date.now() })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  return row.value;
}
