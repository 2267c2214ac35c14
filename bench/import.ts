// Importing 1,000,000 contacts from CSV with the real CLI (`wasl contacts import`)
// on embedded storage: wall time and peak memory of the importing process, next
// to what reading the file and only parsing its CSV cost in the same run.
// Run: npm run bench -- import [rows]. Prints one JSON line last.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse';
import { openMigratedOltp } from '../packages/cli/src/boot.ts';
import { parseConfig } from '../packages/core/src/index.ts';
import { createAttributeDefinition, createWorkspace } from '../packages/server/src/index.ts';

const ROWS = Number(process.argv[2] ?? 1_000_000);
const log = (line: string) => process.stderr.write(`${line}\n`);

const FIRST = ['محمد', 'فاطمة', 'أحمد', 'نورة', 'عبدالله', 'سارة', 'خالد', 'ريم', 'Omar', 'Lina'];
const LAST = ['العتيبي', 'القحطاني', 'الشمري', 'حسن', 'المصري', 'الدوسري', 'Haddad', 'Khoury'];
const CITIES = ['الرياض', 'جدة', 'الدمام', 'مكة', 'المدينة', 'القاهرة', 'دبي', 'عمّان'];
const PLANS = ['basic', 'pro', 'enterprise'];

async function generate(file: string): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string) =>
    out.write(s) ? undefined : new Promise<void>((r) => out.once('drain', () => r()));
  await write('email,phone,first_name,last_name,city,country,budget,plan\r\n');
  for (let i = 1; i <= ROWS; i++) {
    // Local Saudi mobile numbers (05…), as people type them.
    const phone = `05${5 + (i % 5)}${String(i).padStart(7, '0')}`;
    const line = `person${i}@example.com,${phone},${FIRST[i % 10]},${LAST[i % 8]},${CITIES[i % 8]},SA,${i % 5000},${PLANS[i % 3]}\r\n`;
    const wait = write(line);
    if (wait) await wait;
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

async function readAll(file: string): Promise<number> {
  let bytes = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) bytes += chunk.length;
  return bytes;
}

async function parseOnly(file: string): Promise<number> {
  let rows = 0;
  for await (const _ of createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(parse({ from_line: 2 })))
    rows++;
  return rows;
}

/** Peak resident memory of a running process, read from /proc while it runs (VmHWM only grows). */
async function peakRssMb(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return Math.round(kb / 1024);
  } catch {
    return 0;
  }
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'wasl-bench-import-'));
  const file = join(dir, 'contacts.csv');
  let t = performance.now();
  log(`generating ${ROWS.toLocaleString('en')} rows…`);
  await generate(file);
  const bytes = (await stat(file)).size;
  log(`  ${(bytes / 1024 / 1024).toFixed(0)} MB in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  t = performance.now();
  await readAll(file);
  const readMs = performance.now() - t;
  t = performance.now();
  const parsedRows = await parseOnly(file);
  const parseMs = performance.now() - t;
  log(
    `read only: ${(readMs / 1000).toFixed(2)} s; csv-parse only: ${(parseMs / 1000).toFixed(2)} s (${parsedRows} rows)`,
  );

  const env = { ...process.env, WASL_DATA_DIR: join(dir, 'data'), WASL_LOG_LEVEL: 'silent' };
  const parsed = parseConfig({ env });
  if (!parsed.ok) throw new Error(parsed.error.join('; '));
  const oltp = await openMigratedOltp(parsed.value);
  const owner = await oltp.db
    .insertInto('users')
    .values({
      id: 'bench-owner',
      email: 'owner@bench.test',
      name: 'Bench',
      password_hash: null,
      locale: 'ar',
      created_at: Date.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const ws = await createWorkspace(oltp.db, { name: 'Bench', ownerUserId: owner.id, now: Date.now() });
  if (!ws.ok) throw new Error(ws.error.message);
  for (const definition of [
    { key: 'budget', label: 'Budget', type: 'number' },
    { key: 'plan', label: 'Plan', type: 'list', options: PLANS },
  ]) {
    const made = await createAttributeDefinition(oltp.db, {
      workspaceId: ws.value.id,
      definition,
      actor: { type: 'system' },
      now: Date.now(),
    });
    if (!made.ok) throw new Error(made.error.message);
  }
  await oltp.close();

  log('importing with `wasl contacts import`…');
  t = performance.now();
  const child = spawn(
    process.execPath,
    ['bin/wasl.mjs', 'contacts', 'import', file, '--workspace', ws.value.id],
    {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  let peak = 0;
  const poll = setInterval(async () => {
    if (child.pid) peak = Math.max(peak, await peakRssMb(child.pid));
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(poll);
  const importMs = performance.now() - t;
  if (code !== 0) throw new Error(`wasl contacts import exited with ${code}: ${stdout}`);
  log(stdout.trim());

  const check = await openMigratedOltp(parsed.value);
  const count = await check.db
    .selectFrom('contacts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  await check.close();
  await rm(dir, { recursive: true, force: true });

  const result = {
    bench: 'import',
    rows: ROWS,
    fileMb: Math.round(bytes / 1024 / 1024),
    contactsStored: Number(count.n),
    importSeconds: Number((importMs / 1000).toFixed(2)),
    rowsPerSec: Math.round(ROWS / (importMs / 1000)),
    peakRssMb: peak,
    readOnlySeconds: Number((readMs / 1000).toFixed(2)),
    parseOnlySeconds: Number((parseMs / 1000).toFixed(2)),
    node: process.version,
  };
  console.log(JSON.stringify(result));
}

await main();
