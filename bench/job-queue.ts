import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import pg from 'pg';
import { newId } from '../packages/core/src/index.ts';
import {
  migrate,
  OLTP_MIGRATIONS,
  type Oltp,
  type OltpTarget,
  openOltp,
} from '../packages/store/src/index.ts';
import { freshPgSchema } from '../packages/store/src/testing/index.ts';
import { JobQueue } from '../packages/worker/src/index.ts';

// Throughput of the durable job queue, one caller at a time, on SQLite (a temp
// file, opened by openOltp) and PostgreSQL (WASL_TEST_PG_URL, a fresh schema):
// - enqueue: 10,000 jobs, each awaited before the next (one INSERT each, its own transaction);
// - drain: claim(limit 50) in a loop, then complete each claimed job, until none is left
//   (one UPDATE … RETURNING per 50 jobs in BEGIN [IMMEDIATE] … COMMIT, one UPDATE per job).
// Next to each, its limit, measured in the same run: the same number of bare
// single-row INSERTs, then single-row UPDATEs by primary key, on a plain
// three-column table, each statement its own (autocommit) transaction:
// - SQLite: better-sqlite3 prepared statements, same pragmas as openOltp, on another temp file;
// - PostgreSQL: pg.Pool with openOltp's options, pool.query per statement, in the same schema.
// Also the same bare statements sent through openOltp's Kysely (via_kysely_*),
// which shows what the driver and query layer add before the queue's own SQL.
// Figures are jobs (or statements) per second by the wall clock, and per
// CPU-second (this process, plus the PostgreSQL backends). Usage:
//   WASL_TEST_PG_URL=postgres://postgres@127.0.0.1:5432/test npm run bench -- job-queue
const JOBS = 10_000;
const CLAIM_LIMIT = 50;
const WORKER = 'bench-worker';
const PLAIN = 'create table plain (id text primary key, state text not null, updated_at bigint not null)';
const INSERT_PLAIN = 'insert into plain (id, state, updated_at) values ($1, $2, $3)';
const UPDATE_PLAIN = 'update plain set state = $1, updated_at = $2 where id = $3';
const sqlitePlaceholders = (text: string) => text.replace(/\$\d+/g, '?');

const processCpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
/** CPU time of another local process, from /proc (clock ticks of 10 ms). */
const otherCpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

interface Rate {
  per_s: number;
  per_cpu_s: number;
}

/** Times `work`, which does `count` operations; `backendCpuMs` adds a server's CPU. */
async function rate(count: number, work: () => Promise<void>, backendCpuMs = () => 0): Promise<Rate> {
  const cpu0 = processCpuMs() + backendCpuMs();
  const started = performance.now();
  await work();
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = (processCpuMs() + backendCpuMs() - cpu0) / 1000;
  return { per_s: Math.round(count / seconds), per_cpu_s: Math.round(count / cpuSeconds) };
}

const ids = () => Array.from({ length: JOBS }, () => newId());

// --- the queue -------------------------------------------------------------------

async function measureQueue(oltp: Oltp, backendCpuMs?: () => number) {
  const now = Date.now();
  const workspaceId = newId(now);
  await oltp.db
    .insertInto('workspaces')
    .values({ id: workspaceId, name: 'bench', locale: 'ar', timezone: 'Asia/Riyadh', created_at: now })
    .execute();
  const queue = new JobQueue({ db: oltp.db, dialect: oltp.dialect });
  const messages = ids();

  const enqueue = await rate(
    JOBS,
    async () => {
      // As the email sender enqueues: a workspace, a small payload, the message id as idempotency key.
      for (const messageId of messages) {
        await queue.enqueue({
          name: 'email.send',
          workspaceId,
          payload: { messageId },
          idempotencyKey: messageId,
        });
      }
    },
    backendCpuMs,
  );

  let claims = 0;
  let completed = 0;
  const drain = await rate(
    JOBS,
    async () => {
      for (;;) {
        const jobs = await queue.claim(WORKER, { limit: CLAIM_LIMIT, leaseMs: 60_000 });
        if (jobs.length === 0) break;
        claims += 1;
        for (const job of jobs) {
          if (!(await queue.complete(job.id, WORKER))) throw new Error(`job ${job.id} was not completed`);
          completed += 1;
        }
      }
    },
    backendCpuMs,
  );
  const depth = await queue.depth();
  if (completed !== JOBS || depth.done !== JOBS) {
    throw new Error(`completed ${completed}, done ${depth.done}, of ${JOBS} jobs`);
  }
  return { enqueue, drain, claims };
}

// --- the limits ------------------------------------------------------------------

interface Statements {
  insert: Rate;
  update: Rate;
}

/** `count` single-row INSERTs, then as many single-row UPDATEs by primary key. */
async function bareStatements(
  run: (text: string, params: (string | number)[]) => Promise<unknown> | unknown,
  backendCpuMs?: () => number,
): Promise<Statements> {
  await run(PLAIN, []);
  const keys = ids();
  const now = Date.now();
  const insert = await rate(
    JOBS,
    async () => {
      for (const id of keys) await run(INSERT_PLAIN, [id, 'queued', now]);
    },
    backendCpuMs,
  );
  const update = await rate(
    JOBS,
    async () => {
      for (const id of keys) await run(UPDATE_PLAIN, ['done', now + 1, id]);
    },
    backendCpuMs,
  );
  await run('drop table plain', []);
  return { insert, update };
}

/** The same statements through the store's Kysely instance, precompiled: no query building. */
function viaKysely(oltp: Oltp) {
  return (text: string, params: (string | number)[]) =>
    oltp.db.executeQuery(
      CompiledQuery.raw(oltp.dialect === 'sqlite' ? sqlitePlaceholders(text) : text, params),
    );
}

/** A raw better-sqlite3 connection set up exactly as openOltp sets up its own. */
function openBareSqlite(file: string): SQLite.Database {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  return db;
}

function sqliteRunner(db: SQLite.Database) {
  const statements = new Map<string, SQLite.Statement>();
  return (text: string, params: (string | number)[]) => {
    const source = sqlitePlaceholders(text);
    let statement = statements.get(source);
    if (statement === undefined) {
      statement = db.prepare(source);
      // DDL is not cached: the table it creates or drops changes what later statements compile to.
      if (!/^(create|drop)/.test(source)) statements.set(source, statement);
    }
    return statement.run(...params);
  };
}

// --- run -------------------------------------------------------------------------

const result: Record<string, unknown> = {
  bench: 'job-queue',
  jobs: JOBS,
  claim_limit: CLAIM_LIMIT,
  cpus: availableParallelism(),
  load_1m_before: Number(loadavg()[0]?.toFixed(2)),
};

const report = (
  queue: Awaited<ReturnType<typeof measureQueue>>,
  limit: Statements,
  kysely: Statements,
  method: string,
) => ({
  enqueue_jobs_per_s: queue.enqueue.per_s,
  enqueue_jobs_per_cpu_s: queue.enqueue.per_cpu_s,
  limit_insert_per_s: limit.insert.per_s,
  limit_insert_per_cpu_s: limit.insert.per_cpu_s,
  enqueue_ratio: Number((queue.enqueue.per_s / limit.insert.per_s).toFixed(3)),
  drain_jobs_per_s: queue.drain.per_s,
  drain_jobs_per_cpu_s: queue.drain.per_cpu_s,
  limit_update_per_s: limit.update.per_s,
  limit_update_per_cpu_s: limit.update.per_cpu_s,
  drain_ratio: Number((queue.drain.per_s / limit.update.per_s).toFixed(3)),
  claims: queue.claims,
  via_kysely_insert_per_s: kysely.insert.per_s,
  via_kysely_update_per_s: kysely.update.per_s,
  limit_method: method,
});

const dir = mkdtempSync(join(tmpdir(), 'wasl-bench-'));
try {
  const target: OltpTarget = { kind: 'sqlite', file: join(dir, 'oltp.sqlite') };
  const oltp = openOltp(target);
  await migrate(oltp.db, oltp.dialect, OLTP_MIGRATIONS);
  const queue = await measureQueue(oltp);
  const kysely = await bareStatements(viaKysely(oltp));
  await oltp.close();
  const bare = openBareSqlite(join(dir, 'plain.sqlite'));
  const limit = await bareStatements(sqliteRunner(bare));
  bare.close();
  result.sqlite = report(
    queue,
    limit,
    kysely,
    'better-sqlite3 prepared statements, WAL, synchronous=NORMAL, autocommit, on a plain table with a text primary key',
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const pgUrl = process.env.WASL_TEST_PG_URL;
if (pgUrl) {
  const schema = await freshPgSchema(pgUrl);
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  try {
    // Connections are named so their server processes can be found and their CPU counted.
    const named = (name: string) => {
      const url = new URL(schema.url);
      url.searchParams.set('application_name', name);
      return url.toString();
    };
    const pidsOf = async (name: string) =>
      (
        await admin.query<{ pid: number }>(
          'select pid from pg_stat_activity where application_name = $1 order by pid',
          [name],
        )
      ).rows.map((r) => r.pid);
    /** The CPU of `name`'s backends, summed, and a check that no other backend joined them since. */
    const backendsOf = async (name: string) => {
      const pids = await pidsOf(name);
      return {
        cpuMs: () => pids.reduce((sum, pid) => sum + otherCpuMs(pid), 0),
        async assertSame() {
          const now = await pidsOf(name);
          if (now.join() !== pids.join()) throw new Error(`${name}: backends ${pids} became ${now}`);
        },
      };
    };

    const oltp = openOltp({ kind: 'postgres', url: named('wasl-bench-queue') });
    await migrate(oltp.db, oltp.dialect, OLTP_MIGRATIONS);
    const queueBackends = await backendsOf('wasl-bench-queue');
    const queue = await measureQueue(oltp, queueBackends.cpuMs);
    await queueBackends.assertSame();
    const kysely = await bareStatements(viaKysely(oltp));
    await oltp.close();

    // openOltp's pool options (max 10, a 5 s connection timeout); its int8 parser does not matter here.
    const pool = new pg.Pool({
      connectionString: named('wasl-bench-plain'),
      max: 10,
      connectionTimeoutMillis: 5000,
    });
    await pool.query('select 1');
    const plainBackends = await backendsOf('wasl-bench-plain');
    const limit = await bareStatements((text, params) => pool.query(text, params), plainBackends.cpuMs);
    await plainBackends.assertSame();
    await pool.end();
    result.postgres = report(
      queue,
      limit,
      kysely,
      'pg.Pool, pool.query per statement, autocommit (synchronous_commit on), on a plain table with a text primary key',
    );
  } finally {
    await admin.end();
    await schema.drop();
  }
} else {
  result.postgres = 'skipped: set WASL_TEST_PG_URL';
}

result.load_1m_after = Number(loadavg()[0]?.toFixed(2));
console.log(JSON.stringify(result));
