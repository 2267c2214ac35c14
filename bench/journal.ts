import { closeSync, fdatasync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { WaslEvent } from '@wasl/core';
import { openJournal, startJournalWriter } from '../packages/ingest/src/index.ts';
import { encodeRecord } from '../packages/ingest/src/journal/record.ts';
import { openDuckDbEventStore } from '../packages/store/src/index.ts';
import { makeEvents } from '../packages/store/test/fixtures/events.ts';

// The ingest journal (decision 0006): N concurrent appenders, each appending
// one event at a time and waiting for its acknowledgement (what N concurrent
// collect requests do), for SECONDS after a warm-up. Figures per run:
// acknowledged events/s, append latency p50/p99, syncs/s and events per sync,
// and the CPU the process spent per event (what the journal takes from the
// HTTP path's budget on 2 cores).
//
// The physical limits, measured in the same run on the same directory:
// - fdatasync/s: one record-sized write appended to a file, then fdatasync,
//   in a loop (what one group commit costs at least, however few records);
// - write MB/s: 256 MiB in 1 MiB writes, then one fdatasync (bandwidth;
//   divided by the bytes of one record it caps the events/s of any log).
//
// One more run adds the background writer flushing into a DuckDB file, to see
// whether the journal and the store together keep up, and how long the
// writer then takes to drain. Usage:
//   npm run bench -- journal            (4 s per run by default)
//   JOURNAL_BENCH_SECONDS=10 npm run bench -- journal
const SECONDS = Number(process.env.JOURNAL_BENCH_SECONDS ?? 4);
const WARMUP_MS = 500;
interface Run {
  appenders: number;
  syncIntervalMs: number;
  /** Open loop: offer this many events/s (each append launched on time, not after the last answer). */
  rate?: number;
  /** Run the background writer into a DuckDB file, with this batch size. */
  writerBatch?: number;
}
const RUNS: readonly Run[] = [
  { appenders: 1, syncIntervalMs: 0 },
  { appenders: 16, syncIntervalMs: 0 },
  { appenders: 64, syncIntervalMs: 0 },
  { appenders: 256, syncIntervalMs: 0 },
  { appenders: 1024, syncIntervalMs: 0 },
  { appenders: 256, syncIntervalMs: 2 },
  { appenders: 256, syncIntervalMs: 0, writerBatch: 5000 },
  { appenders: 0, rate: 20_000, syncIntervalMs: 0, writerBatch: 5000 },
  { appenders: 0, rate: 20_000, syncIntervalMs: 0, writerBatch: 2000 },
  { appenders: 0, rate: 20_000, syncIntervalMs: 0, writerBatch: 1000 },
];

const syncData = promisify(fdatasync);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const round = (n: number, digits = 0) => Number(n.toFixed(digits));
const percentile = (sorted: Float64Array, p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

// The events-append bench's dataset (seed 42), each sent with a fresh id.
const POOL = makeEvents({ workspaceId: 'bench', count: 10_000, seed: 42 });
let sent = 0;
const nextEvent = (): WaslEvent => {
  const n = sent++;
  return { ...(POOL[n % POOL.length] as WaslEvent), id: `j-${n}` };
};
const recordBytes = Math.round(
  POOL.slice(0, 1000).reduce((sum, e) => sum + encodeRecord([e]).length, 0) / 1000,
);

async function fdatasyncLimit(dir: string) {
  const fd = openSync(join(dir, 'limit-sync'), 'w');
  const record = Buffer.alloc(recordBytes, 'x');
  try {
    let position = 0;
    let syncs = 0;
    const cpu0 = cpuMs();
    const started = performance.now();
    while (performance.now() - started < 2000) {
      writeSync(fd, record, 0, record.length, position);
      position += record.length;
      await syncData(fd);
      syncs += 1;
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      fdatasync_per_s: round(syncs / seconds),
      fdatasync_us: round((seconds * 1e6) / syncs),
      fdatasync_cpu_us: round(((cpuMs() - cpu0) * 1000) / syncs),
    };
  } finally {
    closeSync(fd);
  }
}

async function writeLimit(dir: string) {
  const fd = openSync(join(dir, 'limit-write'), 'w');
  const chunk = Buffer.alloc(1024 * 1024, 'x');
  const total = 256;
  try {
    const started = performance.now();
    for (let i = 0; i < total; i++) writeSync(fd, chunk, 0, chunk.length, i * chunk.length);
    await syncData(fd);
    const seconds = (performance.now() - started) / 1000;
    return {
      write_mb_per_s: round(total / seconds),
      disk_ceiling_events_per_s: round((total * 1024 * 1024) / seconds / recordBytes),
    };
  } finally {
    closeSync(fd);
  }
}

async function measure(dir: string, run: Run) {
  const journalDir = join(dir, 'journal');
  const storeFile = join(dir, 'events.duckdb');
  const journal = await openJournal({
    dir: journalDir,
    maxPendingBytes: 4 * 1024 ** 3,
    syncIntervalMs: run.syncIntervalMs,
  });
  const store = run.writerBatch ? await openDuckDbEventStore(storeFile) : undefined;
  await store?.migrate();
  const writer = store ? startJournalWriter(journal, store, { batchSize: run.writerBatch }) : undefined;

  const measureFrom = performance.now() + WARMUP_MS;
  const measureTo = measureFrom + SECONDS * 1000;
  const latencies: number[] = [];
  let refused = 0;
  let acknowledged = 0;
  let syncs0 = 0;
  let cpu0 = 0;
  // With the writer: the journal's backlog each second. Flat means the writer keeps up.
  const backlogMb: number[] = [];
  const sampler = setInterval(() => backlogMb.push(round(journal.stats().pendingBytes / 1024 ** 2, 1)), 1000);
  const startMeasuring = setTimeout(() => {
    syncs0 = journal.stats().syncs;
    cpu0 = cpuMs();
  }, WARMUP_MS);
  const appendOne = async () => {
    const started = performance.now();
    const taken = await journal.append([nextEvent()]);
    if (!taken.ok) {
      refused += 1;
      return;
    }
    acknowledged += 1;
    if (started >= measureFrom && started < measureTo) latencies.push(performance.now() - started);
  };
  const appender = async () => {
    while (performance.now() < measureTo) await appendOne();
  };
  const offer = async (rate: number) => {
    const inFlight = new Set<Promise<void>>();
    const started = performance.now();
    for (let launched = 0; ; ) {
      const now = performance.now();
      if (now >= measureTo) break;
      for (const due = ((now - started) / 1000) * rate; launched < due; launched++) {
        const appended = appendOne().finally(() => inFlight.delete(appended));
        inFlight.add(appended);
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(inFlight);
  };
  await (run.rate === undefined
    ? Promise.all(Array.from({ length: run.appenders }, appender))
    : offer(run.rate));
  clearTimeout(startMeasuring);
  clearInterval(sampler);
  const cpu = cpuMs() - cpu0;
  const stats = journal.stats();
  const seconds = SECONDS;
  const sorted = Float64Array.from(latencies).sort();
  const figure: Record<string, unknown> = {
    ...(run.rate === undefined ? { appenders: run.appenders } : { offered_per_s: run.rate }),
    sync_interval_ms: run.syncIntervalMs,
    writer_batch: run.writerBatch ?? null,
    events_per_s: round(sorted.length / seconds),
    p50_ms: round(percentile(sorted, 50), 2),
    p99_ms: round(percentile(sorted, 99), 2),
    syncs_per_s: round((stats.syncs - syncs0) / seconds),
    events_per_sync: round(sorted.length / (stats.syncs - syncs0), 1),
    cpu_us_per_event: round((cpu * 1000) / sorted.length, 1),
    refused,
  };
  if (writer && store) {
    figure.flushed_per_s_while_appending = round(stats.eventsFlushed / (SECONDS + WARMUP_MS / 1000));
    figure.pending_mb_at_end = round(stats.pendingBytes / 1024 ** 2, 1);
    figure.backlog_mb_each_s = backlogMb;
    const drainStarted = performance.now();
    await writer.stop();
    figure.drain_ms = round(performance.now() - drainStarted);
    const counts = await store.countByType('bench', new Date(0), new Date('3000-01-01'));
    const stored = Object.values(counts).reduce((sum, n) => sum + n, 0);
    if (stored !== acknowledged) throw new Error(`stored ${stored} events, acknowledged ${acknowledged}`);
    figure.stored = stored;
    await store.close();
  }
  await journal.close();
  rmSync(journalDir, { recursive: true, force: true });
  rmSync(storeFile, { force: true });
  rmSync(`${storeFile}.wal`, { force: true });
  return figure;
}

const result: Record<string, unknown> = {
  bench: 'journal',
  seconds: SECONDS,
  cpus: availableParallelism(),
  node: process.version,
  load_1m_before: round(loadavg()[0] ?? 0, 2),
  record_bytes: recordBytes,
};
const dir = mkdtempSync(join(tmpdir(), 'wasl-bench-journal-'));
try {
  // The disk is shared with other work: its sync rate is measured before and after the runs.
  result.limit = { ...(await fdatasyncLimit(dir)), ...(await writeLimit(dir)) };
  rmSync(join(dir, 'limit-write'));
  const runs = [];
  for (const run of RUNS) {
    const figure = await measure(dir, run);
    process.stderr.write(`${JSON.stringify(figure)}\n`);
    runs.push(figure);
  }
  result.runs = runs;
  result.limit_after = await fdatasyncLimit(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
result.load_1m_after = round(loadavg()[0] ?? 0, 2);
console.log(JSON.stringify(result));
