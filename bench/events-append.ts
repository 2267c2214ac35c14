import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { EventStore } from '../packages/store/src/events/port.ts';
import { openDuckDbEventStore, openPostgresEventStore } from '../packages/store/src/index.ts';
import { freshPgSchema } from '../packages/store/src/testing/index.ts';
import { makeEvents } from '../packages/store/test/fixtures/events.ts';

// Bulk append into the events store: 100,000 generated events in batches of
// 5,000, timed from the first append to the last. Prints one JSON line:
// rows/s by the wall clock, and rows per CPU-second (this process, plus the
// PostgreSQL backend when it is measured), which other work on a shared
// machine skews far less. Usage:
//   WASL_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/test npx tsx bench/events-append.ts
const TOTAL = 100_000;
const BATCH = 5_000;

const processCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** CPU time of another local process, from /proc (clock ticks of 10 ms). */
const otherCpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

async function measure(store: EventStore, extraCpuMs: () => number = () => 0) {
  await store.migrate();
  const events = makeEvents({ workspaceId: 'bench', count: TOTAL, seed: 42 });
  const cpu0 = processCpuMs() + extraCpuMs();
  const started = performance.now();
  let inserted = 0;
  for (let i = 0; i < TOTAL; i += BATCH)
    inserted += (await store.append(events.slice(i, i + BATCH))).inserted;
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = (processCpuMs() + extraCpuMs() - cpu0) / 1000;
  if (inserted !== TOTAL) throw new Error(`inserted ${inserted} of ${TOTAL}`);
  await store.close();
  return { rows_per_s: Math.round(TOTAL / seconds), rows_per_cpu_s: Math.round(TOTAL / cpuSeconds) };
}

const result: Record<string, unknown> = {
  bench: 'events-append',
  events: TOTAL,
  batch: BATCH,
  cpus: availableParallelism(),
  load_1m_before: Number(loadavg()[0]?.toFixed(2)),
};

const dir = mkdtempSync(join(tmpdir(), 'wasl-bench-'));
try {
  result.duckdb_file = await measure(await openDuckDbEventStore(join(dir, 'events.duckdb')));
  result.duckdb_memory = await measure(await openDuckDbEventStore(':memory:'));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const pgUrl = process.env.WASL_TEST_PG_URL;
if (pgUrl) {
  const schema = await freshPgSchema(pgUrl);
  try {
    // One connection, named, so its server process can be found and its CPU counted.
    const url = new URL(schema.url);
    url.searchParams.set('application_name', 'wasl-bench-events');
    const store = openPostgresEventStore(url.toString(), { poolSize: 1 });
    await store.ping();
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    const { rows } = await admin.query<{ pid: number }>(
      `select pid from pg_stat_activity where application_name = 'wasl-bench-events'`,
    );
    await admin.end();
    const backend = rows[0]?.pid;
    result.postgres = await measure(store, backend === undefined ? undefined : () => otherCpuMs(backend));
  } finally {
    await schema.drop();
  }
} else {
  result.postgres = 'skipped: set WASL_TEST_PG_URL';
}

result.load_1m_after = Number(loadavg()[0]?.toFixed(2));
console.log(JSON.stringify(result));
