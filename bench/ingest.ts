import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createSite, createUser, createWorkspace } from '../packages/server/src/index.ts';
import { openDuckDbEventStore, openOltp } from '../packages/store/src/index.ts';

// Ingestion through HTTP, as the tracker sends it: POST /api/collect with a
// text/plain JSON pageview, from many visitors (X-Forwarded-For varies over
// 20,000 addresses, WASL_TRUST_PROXY=true), against a real `wasl start` on
// embedded storage (SQLite + DuckDB in a temp data dir). Each 2xx means the
// event is durable (see decision 0006). The load generator (autocannon) runs
// in this process on the same 2-core machine, the server in a child process.
//
// Next to it, in the same run, the limit: a bare Node HTTP server (node:http,
// no framework) that reads the body and answers 204, loaded the same way.
//
// Figures: sustained events/s at saturation (CONNECTIONS connections for
// DURATION s), then p99 latency at half the sustained rate, then — after a
// graceful stop — the events counted in the store, which must equal the 2xx
// answers (nothing acknowledged is lost). Also /v1/batch (Segment) with 100
// events per request, the path server-side sources use.
//   npm run bench -- ingest            (BENCH_DURATION=10 seconds per phase)

const root = join(import.meta.dirname, '..');
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const IPS = 20_000;
const BATCH = 100;
const UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server not ready at ${url}:\n${output()}`);
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

const BARE_SERVER = `
const http = require('node:http');
http.createServer((req, res) => {
  req.resume();
  req.on('end', () => { res.writeHead(204, { 'access-control-allow-origin': '*' }); res.end(); });
}).listen(Number(process.argv[1]), '127.0.0.1');
`;

let ipCounter = 0;
const nextIp = () => {
  ipCounter = (ipCounter + 1) % IPS;
  return `203.0.${(ipCounter >> 8) & 255}.${ipCounter & 255}`;
};
let pageCounter = 0;

function pageview(siteKey: string): string {
  pageCounter++;
  return JSON.stringify({
    type: 'pageview',
    site: siteKey,
    url: `https://shop.example.sa/ar/products/${pageCounter % 500}?utm_source=newsletter&utm_medium=email&utm_campaign=ramadan`,
    referrer: pageCounter % 3 === 0 ? 'https://www.google.com/' : '',
    lang: 'ar-SA',
    screen: '1366x768',
    webdriver: false,
    ts: Date.now(),
    title: 'عروض رمضان',
  });
}

function segmentBatch(): string {
  const now = new Date().toISOString();
  const batch = [];
  for (let i = 0; i < BATCH; i++) {
    pageCounter++;
    batch.push({
      type: 'track',
      event: 'Order Completed',
      anonymousId: `anon-${pageCounter % 50_000}`,
      messageId: `m-${process.pid}-${pageCounter}`,
      properties: { revenue: 120.5, currency: 'SAR' },
      timestamp: now,
    });
  }
  return JSON.stringify({ batch, sentAt: now });
}

interface Load {
  url: string;
  path: string;
  contentType: string;
  body: () => string;
  headers?: Record<string, string>;
  rate?: number;
}

async function load(l: Load) {
  const result = await autocannon({
    url: l.url,
    connections: CONNECTIONS,
    duration: DURATION,
    ...(l.rate ? { overallRate: l.rate } : {}),
    requests: [
      {
        method: 'POST',
        path: l.path,
        setupRequest: (req) => ({
          ...req,
          headers: {
            'content-type': l.contentType,
            'user-agent': UA,
            'x-forwarded-for': nextIp(),
            ...l.headers,
          },
          body: l.body(),
        }),
      },
    ],
  });
  const seconds = result.duration;
  return {
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    requests_per_s: Math.round(result['2xx'] / seconds),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
  };
}

async function main() {
  const load1Before = loadavg()[0] ?? 0;
  // --- the limit: a bare node:http server answering 204 ----------------------
  const barePort = await freePort();
  const bare = spawn(process.execPath, ['-e', BARE_SERVER, String(barePort)], { stdio: 'inherit' });
  await new Promise((r) => setTimeout(r, 500));
  process.stderr.write(`bare node:http 204 server, ${DURATION}s at ${CONNECTIONS} connections…\n`);
  const bareLoad = await load({
    url: `http://127.0.0.1:${barePort}`,
    path: '/api/collect',
    contentType: 'text/plain',
    body: () => pageview('x'),
  });
  await stop(bare);

  // --- Wasl: migrate, one workspace and site, then start ---------------------
  const dataDir = mkdtempSync(join(tmpdir(), 'wasl-bench-ingest-'));
  const env = {
    ...process.env,
    WASL_DATA_DIR: dataDir,
    WASL_TRUST_PROXY: 'true',
    WASL_LOG_LEVEL: 'warn',
    // The journal's backlog after the batch phase takes a while to drain into DuckDB;
    // a graceful stop waits for all of it, so the count below sees everything.
    WASL_SHUTDOWN_TIMEOUT_MS: '600000',
  };
  const wasl = join(root, 'bin', 'wasl.mjs');
  const migrated = spawnSync(process.execPath, [wasl, 'migrate'], { env, encoding: 'utf8' });
  if (migrated.status !== 0) throw new Error(`wasl migrate failed:\n${migrated.stderr}`);
  const oltp = openOltp({ kind: 'sqlite', file: join(dataDir, 'wasl.sqlite') });
  const user = await createUser(oltp.db, { email: 'bench@example.com', name: 'Bench', locale: 'ar' });
  if (!user.ok) throw new Error(user.error.message);
  const ws = await createWorkspace(oltp.db, {
    name: 'Bench',
    ownerUserId: user.value.id,
    timezone: 'Asia/Riyadh',
  });
  if (!ws.ok) throw new Error(ws.error.message);
  const site = await createSite(oltp.db, {
    workspaceId: ws.value.id,
    name: 'متجر',
    domain: 'shop.example.sa',
    timezone: 'Asia/Riyadh',
    actor: { type: 'system' },
  });
  if (!site.ok) throw new Error(site.error.message);
  await oltp.close();
  const siteKey = site.value.key;

  const port = await freePort();
  let output = '';
  const server = spawn(process.execPath, [wasl, 'start'], {
    env: { ...env, WASL_PORT: String(port), WASL_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout?.on('data', (d) => (output = (output + d).slice(-4000)));
  server.stderr?.on('data', (d) => (output = (output + d).slice(-4000)));
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/readyz`, server, () => output);

  process.stderr.write(`wasl /api/collect, ${DURATION}s at ${CONNECTIONS} connections…\n`);
  const collect = () => ({
    url: base,
    path: '/api/collect',
    contentType: 'text/plain',
    body: () => pageview(siteKey),
  });
  const saturated = await load(collect());
  const halfRate = Math.max(1, Math.round(saturated.requests_per_s / 2));
  process.stderr.write(`wasl /api/collect at half that rate (${halfRate}/s)…\n`);
  const half = await load({ ...collect(), rate: halfRate });

  process.stderr.write(`wasl /v1/batch (${BATCH} events per request)…\n`);
  const batch = await load({
    url: base,
    path: '/v1/batch',
    contentType: 'application/json',
    body: segmentBatch,
    headers: { authorization: `Basic ${Buffer.from(`${siteKey}:`).toString('base64')}` },
  });

  const stopStarted = performance.now();
  const stopped = await stop(server);
  const drainSeconds = (performance.now() - stopStarted) / 1000;
  if (stopped !== 0) throw new Error(`wasl start exited with ${stopped}:\n${output}`);
  const events = await openDuckDbEventStore(join(dataDir, 'events.duckdb'));
  const counts = await events.countByType(ws.value.id, new Date(0), new Date(Date.now() + 86_400_000));
  await events.close();
  rmSync(dataDir, { recursive: true, force: true });

  const acknowledged = saturated.ok + half.ok + batch.ok * BATCH;
  const stored = (counts.page ?? 0) + (counts.track ?? 0);
  console.log(
    JSON.stringify({
      bench: 'ingest',
      cpus: availableParallelism(),
      load_1m_before: Number(load1Before.toFixed(2)),
      duration_s: DURATION,
      connections: CONNECTIONS,
      collect_events_per_s: saturated.requests_per_s,
      collect_p99_ms_saturated: saturated.p99_ms,
      collect_half_rate_per_s: halfRate,
      collect_p50_ms_at_half: half.p50_ms,
      collect_p99_ms_at_half: half.p99_ms,
      collect_non2xx: saturated.non2xx + half.non2xx,
      batch_events_per_s: batch.requests_per_s * BATCH,
      batch_p99_ms: batch.p99_ms,
      limit_bare_204_per_s: bareLoad.requests_per_s,
      limit_bare_p99_ms: bareLoad.p99_ms,
      ratio_to_bare: Number((saturated.requests_per_s / bareLoad.requests_per_s).toFixed(2)),
      acknowledged_events: acknowledged,
      // Graceful stop: wait for the journal's backlog to reach DuckDB (the writer's pace, not the endpoint's).
      drain_after_load_s: Number(drainSeconds.toFixed(1)),
      stored_events: stored,
      // In-flight requests when a phase ends are stored but never counted as acknowledged,
      // so stored ≥ acknowledged; lost counts acknowledged events missing from the store.
      lost: Math.max(0, acknowledged - stored),
      errors: saturated.errors + half.errors + batch.errors,
    }),
  );
}

await main();
