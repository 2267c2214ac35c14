import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalyticsReader, WaslEvent } from '@wasl/core';
import { type EventStore, type EventStoreTarget, openAnalyticsReader, openEventStore } from '@wasl/store';
import { freshPgSchema, TEST_PG_URL } from '@wasl/store/testing';

/** The events store behind a test server: what tests append to, and the real reader the reports use. */
export interface TestEvents {
  reader: AnalyticsReader;
  append(events: readonly WaslEvent[]): Promise<number>;
  close(): Promise<void>;
}

interface Opened {
  store: EventStore;
  reader: AnalyticsReader & { close(): Promise<void> };
  dispose(): Promise<void>;
}

async function openTarget(
  engine: 'sqlite' | 'postgres',
): Promise<{ target: EventStoreTarget; drop(): Promise<void> }> {
  if (engine === 'postgres') {
    if (!TEST_PG_URL) throw new Error('WASL_TEST_PG_URL is not set');
    const schema = await freshPgSchema(TEST_PG_URL);
    return { target: { kind: 'postgres', url: schema.url }, drop: () => schema.drop() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'wasl-server-events-'));
  return {
    target: { kind: 'duckdb', file: join(dir, 'events.duckdb') },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The engine's events store (DuckDB next to SQLite, PostgreSQL next to
 * PostgreSQL, as deployments pair them), opened and migrated on first use:
 * most server tests never read a report and should not pay for it. The
 * reader is the store's own implementation, only opened late.
 */
export function testEvents(engine: 'sqlite' | 'postgres'): TestEvents {
  let opened: Promise<Opened> | undefined;
  const open = () => {
    opened ??= (async () => {
      const { target, drop } = await openTarget(engine);
      const events = await openEventStore(target);
      await events.migrate();
      const reader = await openAnalyticsReader(target);
      return {
        store: events,
        reader,
        async dispose() {
          await reader.close();
          await events.close();
          await drop();
        },
      };
    })();
    return opened;
  };
  const reader: AnalyticsReader = {
    summary: async (scope) => (await open()).reader.summary(scope),
    timeseries: async (scope, interval) => (await open()).reader.timeseries(scope, interval),
    breakdown: async (scope, by, page) => (await open()).reader.breakdown(scope, by, page),
    goal: async (scope, goal) => (await open()).reader.goal(scope, goal),
    ctr: async (scope, definition) => (await open()).reader.ctr(scope, definition),
    funnel: async (scope, definition) => (await open()).reader.funnel(scope, definition),
    retention: async (scope) => (await open()).reader.retention(scope),
    realtime: async (workspaceId, siteId, now) => (await open()).reader.realtime(workspaceId, siteId, now),
  };
  return {
    reader,
    append: async (events) => (await (await open()).store.append(events)).inserted,
    close: async () => {
      if (opened) await (await opened).dispose();
    },
  };
}
