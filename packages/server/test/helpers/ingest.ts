import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { type Config, parseConfig, type WaslEvent } from '@wasl/core';
import type { IngestSink } from '@wasl/ingest';
import { type Database, type EventStore, type Oltp, openDuckDbEventStore, type Site } from '@wasl/store';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { pino } from 'pino';
import {
  buildServer,
  createSite,
  createUser,
  createWorkspace,
  type IngestLimits,
  type LoggerInput,
} from '../../src/index.ts';
import { SQLITE } from './engines.ts';

export interface IngestApp {
  app: FastifyInstance;
  oltp: Oltp;
  db: Kysely<Database>;
  /** The real events store (DuckDB in a temp directory) the sink writes to. */
  events: EventStore;
  clock: { now: number };
  workspaceId: string;
  site: Site;
  /** A second site of the same workspace. */
  otherSite: Site;
  /** Everything stored for the workspace, oldest first. */
  stored(): Promise<WaslEvent[]>;
  close(): Promise<void>;
}

export interface IngestAppOptions {
  limits?: Partial<IngestLimits>;
  /** The sink over the events store; by default straight into it (acknowledged once stored). */
  sink?: (events: EventStore) => IngestSink;
  logger?: LoggerInput;
  config?: Partial<Config>;
  /** Runs on the migrated OLTP store before the server starts (salts of earlier days…). */
  before?: (db: Kysely<Database>) => Promise<void>;
}

export const INGEST_START = Date.UTC(2026, 0, 15, 9, 0, 0);

const unwrap = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

/** A server with the collection endpoints over a fresh SQLite OLTP store and a real DuckDB events store. */
export async function startIngestApp(options: IngestAppOptions = {}): Promise<IngestApp> {
  const store = await SQLITE.open();
  const dir = mkdtempSync(join(tmpdir(), 'wasl-ingest-test-'));
  const events = await openDuckDbEventStore(join(dir, 'events.duckdb'));
  await events.migrate();
  const db = store.oltp.db;
  const clock = { now: INGEST_START };
  const owner = unwrap(
    await createUser(db, { email: `owner-${dir.slice(-6)}@example.test`, name: 'Owner', now: clock.now }),
  );
  const workspace = unwrap(
    await createWorkspace(db, { name: 'متجر', ownerUserId: owner.id, now: clock.now }),
  );
  const newSite = (name: string, domain: string) =>
    createSite(db, { workspaceId: workspace.id, name, domain, actor: { type: 'system' }, now: clock.now });
  const site = unwrap(await newSite('المتجر', 'matjar.sa'));
  const otherSite = unwrap(await newSite('Blog', 'blog.example.com'));
  await options.before?.(db);
  const parsed = parseConfig({ env: {} });
  if (!parsed.ok) throw new Error(parsed.error.join('; '));
  const app = buildServer({
    // trustProxy: tests over real HTTP name the client by X-Forwarded-For (inject by remoteAddress).
    config: { ...parsed.value, logLevel: 'silent', trustProxy: true, ...options.config },
    oltp: store.oltp,
    secret: 'x'.repeat(32),
    logger: options.logger ?? { level: 'silent' },
    clock: () => clock.now,
    surfaces: { api: true, ingest: true },
    ingest: {
      sink: options.sink?.(events) ?? storeSink(events),
      ...(options.limits ? { limits: options.limits } : {}),
    },
  });
  await app.ready();
  return {
    app,
    oltp: store.oltp,
    db,
    events,
    clock,
    workspaceId: workspace.id,
    site,
    otherSite,
    async stored() {
      return (await events.recent(workspace.id, 10_000)).reverse();
    },
    async close() {
      await app.close();
      await events.close();
      await store.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Appends straight to the events store: an event is acknowledged once it is stored. */
export function storeSink(events: EventStore): IngestSink {
  return {
    async append(batch) {
      await events.append(batch);
    },
  };
}

/** A pino logger writing JSON lines into `lines`. */
export function capturedLogger(level = 'info') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, logger: pino({ level }, stream) };
}

export const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
export const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
