import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Config, parseConfig } from '@wasl/core';
import type { Database, Oltp } from '@wasl/store';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import {
  AudienceSync,
  buildServer,
  SegmentEngine,
  type ServerDeps,
  segmentSources,
} from '../../src/index.ts';
import { type TestEvents, testEvents } from './analytics.ts';
import type { Engine } from './engines.ts';

export const TEST_SECRET = 'test-secret-that-is-at-least-32-characters-long';

export interface TestApp {
  app: FastifyInstance;
  oltp: Oltp;
  db: Kysely<Database>;
  config: Config;
  /** The server's clock; tests move it forward. */
  clock: { now: number };
  /** Links handed to passwordResetSink. */
  resetLinks: { email: string; url: string }[];
  /** The events store the reports read (opened on first use). */
  events: TestEvents;
  audience: AudienceSync;
  segmentEngine: SegmentEngine;
  /** Resolves when contact changes have reached the events store's copy and segment membership. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export interface TestAppOptions extends Partial<Omit<ServerDeps, 'config' | 'oltp'>> {
  config?: Partial<Config>;
  migrated?: boolean;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  const parsed = parseConfig({ env: {} });
  if (!parsed.ok) throw new Error(parsed.error.join('; '));
  // Many sign-ins from one test IP: the limit is raised except where a test is about it.
  // Uploads spool under dataDir: a temporary one per app, never the repository's ./data.
  const dataDir = mkdtempSync(join(tmpdir(), 'wasl-test-'));
  return { ...parsed.value, dataDir, logLevel: 'silent', loginAttemptsPerMinute: 10_000, ...overrides };
}

/** A server over a fresh store of the given engine, with a clock the test controls. */
export async function startTestApp(engine: Engine, options: TestAppOptions = {}): Promise<TestApp> {
  const { config: overrides, migrated, ...deps } = options;
  const store = await engine.open({ migrated });
  const clock = { now: Date.UTC(2026, 0, 15, 9, 0, 0) };
  const resetLinks: { email: string; url: string }[] = [];
  const config = testConfig(overrides);
  const events = testEvents(engine.name);
  // The audience copy and live segments, as `wasl start` wires them (opened on first use).
  const evaluator = events.segments(segmentSources(store.oltp.db, () => new Date(clock.now)));
  const segmentEngine = new SegmentEngine(store.oltp.db, evaluator, {
    clock: () => clock.now,
    onError: (error) => {
      throw error;
    },
    record: (facts) => events.store.append(facts),
  });
  const audience = new AudienceSync(store.oltp.db, events.mirror, {
    clock: () => clock.now,
    onError: (error) => {
      throw error;
    },
    synced: (ws, ids) => segmentEngine.contactsTouched(ws, ids),
  });
  const app = buildServer({
    config,
    oltp: store.oltp,
    secret: TEST_SECRET,
    logger: { level: 'silent' },
    clock: () => clock.now,
    passwordResetSink: (email, url) => resetLinks.push({ email, url }),
    analytics: events.reader,
    events: events.store,
    audience,
    segments: { evaluator, engine: segmentEngine },
    ...deps,
  });
  return {
    app,
    oltp: store.oltp,
    db: store.oltp.db,
    config,
    clock,
    resetLinks,
    events,
    audience,
    segmentEngine,
    async settled() {
      await audience.idle();
      await segmentEngine.idle();
      await audience.idle();
    },
    async close() {
      await app.close();
      await audience.stop();
      await segmentEngine.stop();
      await events.close();
      await store.dispose();
    },
  };
}
