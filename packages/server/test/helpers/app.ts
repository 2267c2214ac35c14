import { type Config, parseConfig } from '@wasl/core';
import type { Database, Oltp } from '@wasl/store';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { buildServer, type ServerDeps } from '../../src/index.ts';
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
  return { ...parsed.value, logLevel: 'silent', loginAttemptsPerMinute: 10_000, ...overrides };
}

/** A server over a fresh store of the given engine, with a clock the test controls. */
export async function startTestApp(engine: Engine, options: TestAppOptions = {}): Promise<TestApp> {
  const { config: overrides, migrated, ...deps } = options;
  const store = await engine.open({ migrated });
  const clock = { now: Date.UTC(2026, 0, 15, 9, 0, 0) };
  const resetLinks: { email: string; url: string }[] = [];
  const config = testConfig(overrides);
  const events = testEvents(engine.name);
  const app = buildServer({
    config,
    oltp: store.oltp,
    secret: TEST_SECRET,
    logger: { level: 'silent' },
    clock: () => clock.now,
    passwordResetSink: (email, url) => resetLinks.push({ email, url }),
    analytics: events.reader,
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
    async close() {
      await app.close();
      await events.close();
      await store.dispose();
    },
  };
}
