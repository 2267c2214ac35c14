import { migrate, OLTP_MIGRATIONS, pendingMigrations } from '@wasl/store';
import { loadConfig } from '../config.ts';
import { progress } from '../progress.ts';
import { openStores } from '../stores.ts';

/** `wasl migrate`: applies pending migrations to both stores and reports what it did. */
export async function migrateCommand(): Promise<void> {
  const config = loadConfig();
  const stores = await openStores(config);
  try {
    const pending = await pendingMigrations(stores.oltp.db, OLTP_MIGRATIONS);
    const bar = progress('migrating', 2);
    const report = await migrate(stores.oltp.db, stores.oltp.dialect, OLTP_MIGRATIONS);
    bar.tick(`OLTP (${stores.describe.oltp})`);
    await stores.events.migrate();
    bar.tick(`events (${stores.describe.events})`);
    bar.stop();
    const applied = report.applied.length === 0 ? 'none pending' : report.applied.join(', ');
    process.stdout.write(`OLTP migrations applied: ${applied} (was ${pending.length} pending)\n`);
    process.stdout.write('events store schema is current\n');
  } finally {
    await stores.close();
  }
}
