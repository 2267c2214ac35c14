/**
 * The ingest process that journal-crash.test.ts kills with SIGKILL. It appends
 * events under load (APPENDERS concurrent callers, 1–3 events per call) to a
 * journal whose writer flushes into a DuckDB file, and prints on stdout:
 *   `ack <id> <id>…` once an append has resolved ok (stdout to a pipe is
 *                    synchronous on Linux, so the line is out before the next step),
 *   `flushed <n>`    every 50 ms: events the writer has put into the store.
 * Configured by JOURNAL_DIR, STORE_FILE and APPENDERS.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { openDuckDbEventStore } from '@wasl/store';
import { openJournal, startJournalWriter } from '../src/index.ts';
import { fullEvent } from './journal-fixtures.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const store = await openDuckDbEventStore(env('STORE_FILE'));
await store.migrate();
const journal = await openJournal({
  dir: env('JOURNAL_DIR'),
  maxPendingBytes: 32 * 1024 * 1024,
  segmentBytes: 256 * 1024,
  segmentMaxAgeMs: 100,
});
startJournalWriter(journal, store, {
  batchSize: 2000,
  onError: (error) => process.stderr.write(`journal writer: ${(error as Error).message}\n`),
});
setInterval(() => process.stdout.write(`flushed ${journal.stats().eventsFlushed}\n`), 50);

async function appender(a: number): Promise<void> {
  for (let i = 0; ; i++) {
    const batch = Array.from({ length: 1 + ((a + i) % 3) }, (_, k) => fullEvent(`c-${a}-${i}-${k}`, i + k));
    for (;;) {
      const taken = await journal.append(batch);
      if (taken.ok) break;
      if (taken.error.code === 'invalid') throw new Error(taken.error.message);
      await sleep(20);
    }
    process.stdout.write(`ack ${batch.map((e) => e.id).join(' ')}\n`);
  }
}

const appenders = Number(env('APPENDERS'));
for (let a = 0; a < appenders; a++) void appender(a);
