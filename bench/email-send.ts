// Personalised email through the whole delivery engine, next to the raw SMTP
// rate to the same sink in the same run.
//
// The sink is Postfix's smtp-sink (Debian package `postfix`): a sink written
// in Node would saturate before Wasl does. Three figures, same sink, same
// number of SMTP connections:
//   smtpSource    Postfix's smtp-source, messages of the same size: the machine's limit.
//   raw           Wasl's SMTP adapter sending one pre-rendered message over and over.
//   personalised  the delivery engine on embedded storage (SQLite): claim, render the
//                 Arabic newsletter (precompiled MJML, Liquid per recipient), build the
//                 MIME, commit before the dot, record the outcome.
// Run: npm run bench -- email-send            (20,000 messages)
//      EMAIL_BENCH_MESSAGES=50000 EMAIL_BENCH_CONNECTIONS=10 npm run bench -- email-send
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EmailMessage, SmtpAdapter } from '@wasl/channels';
import { migrate, OLTP_MIGRATIONS, openOltp } from '@wasl/store';
import { compileTemplate, render } from '../packages/channels/src/templates/index.ts';
import { newsletterContext, newsletterFields } from '../packages/channels/test/templates/newsletter.ts';
import { DeliveryEngine } from '../packages/worker/src/delivery/engine.ts';
import { enqueueMessages, type NewMessage } from '../packages/worker/src/delivery/message-store.ts';

const MESSAGES = Number(process.env.EMAIL_BENCH_MESSAGES ?? 20_000);
const CONNECTIONS = Number(process.env.EMAIL_BENCH_CONNECTIONS ?? 10);
const SINK = process.env.SMTP_SINK ?? '/usr/sbin/smtp-sink';
const SOURCE = process.env.SMTP_SOURCE ?? '/usr/sbin/smtp-source';

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });

async function startSink(port: number): Promise<ChildProcess> {
  const sink = spawn(SINK, ['-u', 'nobody', `127.0.0.1:${port}`, '1024'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(true));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
    });
    if (up) return sink;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`smtp-sink did not start on ${port} (is postfix installed? apt-get install postfix)`);
}

// promo: a typical one-screen promotional email (about 20 KB on the wire, the size the
// machine's SMTP limit in ARCHITECTURE.md is measured with); newsletter: the 14.5 KB-source
// Arabic newsletter of the template tests (about 75 KB on the wire).
const TEMPLATE = process.env.EMAIL_BENCH_TEMPLATE ?? 'promo';
const mjml = readFileSync(
  TEMPLATE === 'newsletter'
    ? new URL('../packages/channels/test/templates/fixtures/newsletter.ar.mjml', import.meta.url)
    : new URL('./fixtures/promo.ar.mjml', import.meta.url),
  'utf8',
);
const compiled = await compileTemplate(
  { subject: '{{ campaign.name }}: أخبار {{ contact.first_name }}', mjml, dir: 'rtl', lang: 'ar-SA' },
  { fields: newsletterFields },
);
if (!compiled.ok) throw new Error(compiled.error.message);
const template = compiled.value;

function emailFor(id: string, i: number): EmailMessage {
  const out = render(template, newsletterContext(i));
  if (!out.ok) throw new Error(out.error.message);
  return {
    id,
    messageId: `wasl-${id}@mail.example.sa`,
    from: { address: 'news@mail.example.sa', name: 'متجر التمور' },
    to: { address: `user${i}@example.sa`, name: 'نورة' },
    subject: out.value.subject,
    html: out.value.html,
    text: out.value.text,
    headers: {
      'List-Unsubscribe': `<https://wasl.example.sa/unsubscribe/${id}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function raw(
  port: number,
  sample: EmailMessage,
): Promise<{ perSecond: number; cpuUsPerMessage: number }> {
  const smtp = new SmtpAdapter({ host: '127.0.0.1', port, ignoreTLS: true, maxConnections: CONNECTIONS });
  const signal = new AbortController().signal;
  const commit = async () => {};
  let next = 0;
  const worker = async () => {
    while (next < MESSAGES) {
      const i = next++;
      const r = await smtp.send(
        { ...sample, id: `r${i}`, messageId: `raw-${i}@mail.example.sa` },
        { signal, commit },
      );
      if (!r.ok) throw new Error(`${r.code} ${r.reason}`);
    }
  };
  const c0 = cpuMs();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS * 4 }, worker));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuMs() - c0;
  await smtp.close();
  return { perSecond: Math.round(MESSAGES / seconds), cpuUsPerMessage: Math.round((cpu * 1000) / MESSAGES) };
}

async function personalised(port: number) {
  const dir = mkdtempSync(join(tmpdir(), 'wasl-email-bench-'));
  const oltp = openOltp({ kind: 'sqlite', file: join(dir, 'oltp.sqlite') });
  await migrate(oltp.db, oltp.dialect, OLTP_MIGRATIONS);
  const now = Date.now();
  await oltp.db
    .insertInto('workspaces')
    .values({ id: 'ws-bench', name: 'bench', locale: 'ar', timezone: 'Asia/Riyadh', created_at: now })
    .execute();
  const messages: NewMessage[] = Array.from({ length: MESSAGES }, (_, i) => ({
    id: `m${String(i).padStart(7, '0')}`,
    workspaceId: 'ws-bench',
    idempotencyKey: `campaign:bench:contact:${i}:email`,
    channel: 'email',
    address: `user${i}@example.sa`,
    sourceKind: 'campaign',
    sourceId: 'bench',
    marketing: true,
    content: { i },
  }));
  const e0 = performance.now();
  await enqueueMessages(oltp.db, messages, now);
  const enqueueMs = performance.now() - e0;

  const smtp = new SmtpAdapter({ host: '127.0.0.1', port, ignoreTLS: true, maxConnections: CONNECTIONS });
  let done = 0;
  let failed = 0;
  let finished: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const engine = new DeliveryEngine({
    db: oltp.db,
    dialect: oltp.dialect,
    adapters: { email: smtp },
    concurrency: CONNECTIONS * 4,
    prepare: async (row) => ({
      kind: 'send',
      message: emailFor(row.id, (JSON.parse(row.content) as { i: number }).i),
    }),
    onOutcome: (_row, outcome) => {
      done += 1;
      if (outcome.kind !== 'sent') failed += 1;
      if (done === MESSAGES) finished();
    },
  });
  const c0 = cpuMs();
  const t0 = performance.now();
  engine.start();
  await all;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuMs() - c0;
  await engine.stop();
  await smtp.close();
  const sent = await oltp.db
    .selectFrom('messages')
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .where('status', '=', 'sent')
    .executeTakeFirstOrThrow();
  await oltp.close();
  rmSync(dir, { recursive: true, force: true });
  if (failed > 0 || Number(sent.n) !== MESSAGES)
    throw new Error(`${failed} failed, ${sent.n} recorded as sent`);
  return {
    perSecond: Math.round(MESSAGES / seconds),
    cpuUsPerMessage: Math.round((cpu * 1000) / MESSAGES),
    enqueuePerSecond: Math.round(MESSAGES / (enqueueMs / 1000)),
  };
}

function smtpSource(port: number, size: number): number {
  const t0 = performance.now();
  const r = spawnSync(
    SOURCE,
    [
      '-s',
      String(CONNECTIONS),
      '-l',
      String(size),
      '-m',
      String(MESSAGES),
      '-f',
      'a@example.sa',
      '-t',
      'b@example.sa',
      `127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  if (r.status !== 0) throw new Error(`smtp-source failed: ${r.status}`);
  return Math.round(MESSAGES / ((performance.now() - t0) / 1000));
}

const port = await freePort();
const sink = await startSink(port);
try {
  const sample = emailFor('sample', 1);
  const { buildMime } = await import('@wasl/channels');
  const size = buildMime(sample, Date.now()).length;
  // Warm up the JIT and the sink on both paths.
  const source = smtpSource(port, size);
  const rawResult = await raw(port, sample);
  const result = await personalised(port);
  const line = {
    name: 'email-send',
    template: TEMPLATE,
    messages: MESSAGES,
    connections: CONNECTIONS,
    messageBytes: size,
    perSecond: result.perSecond,
    rawPerSecond: rawResult.perSecond,
    ofRaw: Number((result.perSecond / rawResult.perSecond).toFixed(2)),
    smtpSourcePerSecond: source,
    cpuUsPerMessage: result.cpuUsPerMessage,
    rawCpuUsPerMessage: rawResult.cpuUsPerMessage,
    enqueuePerSecond: result.enqueuePerSecond,
    node: process.version,
  };
  console.log(JSON.stringify(line));
} finally {
  sink.kill('SIGTERM');
}
