// The delivery engine's own cost per message, without a provider: claim, prepare, commit
// before the (null) provider call, record the outcome. An adapter that accepts at once
// stands in for the provider, so the figure is what the engine can carry at most.
// Run: npm run bench -- delivery-engine                 (SQLite, 20,000 messages)
//      WASL_TEST_PG_URL=postgres://… npm run bench -- delivery-engine   (adds PostgreSQL)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChannelAdapter } from '@wasl/channels';
import { migrate, OLTP_MIGRATIONS, type OltpTarget, openOltp } from '@wasl/store';
import { freshPgSchema } from '@wasl/store/testing';
import { DeliveryEngine } from '../packages/worker/src/delivery/engine.ts';
import { enqueueMessages } from '../packages/worker/src/delivery/message-store.ts';

const MESSAGES = Number(process.env.DELIVERY_BENCH_MESSAGES ?? 20_000);

const nullAdapter: ChannelAdapter<unknown> = {
  channel: 'email',
  provider: 'null',
  close: async () => {},
  send: async (_message, ctx) => {
    await ctx.commit();
    await new Promise((resolve) => setImmediate(resolve));
    return { ok: true, providerMessageId: 'null' };
  },
};

async function run(target: OltpTarget) {
  const oltp = openOltp(target);
  await migrate(oltp.db, oltp.dialect, OLTP_MIGRATIONS);
  await oltp.db
    .insertInto('workspaces')
    .values({ id: 'w', name: 'bench', locale: 'ar', timezone: 'Asia/Riyadh', created_at: Date.now() })
    .execute();
  const messages = Array.from({ length: MESSAGES }, (_, i) => ({
    id: `m${String(i).padStart(7, '0')}`,
    workspaceId: 'w',
    idempotencyKey: `campaign:bench:contact:${i}:email`,
    channel: 'email',
    sourceKind: 'campaign' as const,
    marketing: true,
    content: {},
  }));
  await enqueueMessages(oltp.db, messages, Date.now(), oltp.dialect);
  let done = 0;
  let finish: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const engine = new DeliveryEngine({
    db: oltp.db,
    dialect: oltp.dialect,
    adapters: { email: nullAdapter },
    concurrency: 40,
    prepare: async () => ({ kind: 'send', message: {} }),
    onOutcome: () => {
      done += 1;
      if (done === MESSAGES) finish();
    },
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  engine.start();
  await all;
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await engine.stop();
  await oltp.close();
  return {
    perSecond: Math.round(MESSAGES / seconds),
    cpuUsPerMessage: Math.round((cpu.user + cpu.system) / MESSAGES),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'wasl-delivery-bench-'));
const line: Record<string, unknown> = { name: 'delivery-engine', messages: MESSAGES };
try {
  line.sqlite = await run({ kind: 'sqlite', file: join(dir, 'oltp.sqlite') });
  const pgUrl = process.env.WASL_TEST_PG_URL;
  if (pgUrl) {
    const schema = await freshPgSchema(pgUrl);
    try {
      line.postgres = await run({ kind: 'postgres', url: schema.url });
    } finally {
      await schema.drop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
line.node = process.version;
console.log(JSON.stringify(line));
