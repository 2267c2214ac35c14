import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnalyticsReader, WaslEvent } from '@wasl/core';
import {
  type AudienceMirror,
  type EventStore,
  type EventStoreTarget,
  openAnalyticsReader,
  openAudienceMirror,
  openEventStore,
  openSegmentEvaluator,
  type SegmentEvaluator,
  type SegmentSources,
} from '@wasl/store';
import { freshPgSchema, TEST_PG_URL } from '@wasl/store/testing';

/** The events store behind a test server: what tests append to, and the real reader the reports use. */
export interface TestEvents {
  reader: AnalyticsReader;
  /** The store itself, opened on first use (closing it is `close()`'s job). */
  store: EventStore;
  /** Its copy of contacts (what segments read), opened on first use. */
  mirror: AudienceMirror;
  /** Where it is (opens it). */
  target(): Promise<EventStoreTarget>;
  /** Segment evaluation over it, opened on first use. */
  segments(sources: SegmentSources): SegmentEvaluator;
  append(events: readonly WaslEvent[]): Promise<number>;
  close(): Promise<void>;
}

interface Opened {
  target: EventStoreTarget;
  mirror: AudienceMirror;
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
  const evaluators: Promise<SegmentEvaluator & { close(): Promise<void> }>[] = [];
  const open = () => {
    opened ??= (async () => {
      const { target, drop } = await openTarget(engine);
      const events = await openEventStore(target);
      await events.migrate();
      const reader = await openAnalyticsReader(target);
      const mirror = await openAudienceMirror(target);
      return {
        target,
        mirror,
        store: events,
        reader,
        async dispose() {
          await Promise.all(evaluators.map(async (e) => (await e).close()));
          await mirror.close();
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
  const store: EventStore = {
    migrate: async () => {},
    append: async (events) => (await open()).store.append(events),
    countByType: async (ws, from, to) => (await open()).store.countByType(ws, from, to),
    recent: async (ws, limit) => (await open()).store.recent(ws, limit),
    history: async (ws, ids, options) => (await open()).store.history(ws, ids, options),
    ping: async () => (await open()).store.ping(),
    close: async () => {},
  };
  const mirror: AudienceMirror = {
    upsertContacts: async (ws, rows) => (await open()).mirror.upsertContacts(ws, rows),
    deleteContacts: async (ws, ids) => (await open()).mirror.deleteContacts(ws, ids),
    upsertAccounts: async (ws, rows) => (await open()).mirror.upsertAccounts(ws, rows),
    linkIdentities: async (ws, links) => (await open()).mirror.linkIdentities(ws, links),
    setListMembers: async (ws, list, ids) => (await open()).mirror.setListMembers(ws, list, ids),
    addListMembers: async (ws, list, ids) => (await open()).mirror.addListMembers(ws, list, ids),
    removeListMembers: async (ws, list, ids) => (await open()).mirror.removeListMembers(ws, list, ids),
    mergeContacts: async (ws, from, into) => (await open()).mirror.mergeContacts(ws, from, into),
    eraseContact: async (ws, id) => (await open()).mirror.eraseContact(ws, id),
    close: async () => {},
  };
  const segments = (sources: SegmentSources): SegmentEvaluator => {
    let evaluator: Promise<SegmentEvaluator & { close(): Promise<void> }> | undefined;
    const get = () => {
      evaluator ??= open().then((o) => openSegmentEvaluator(o.target, sources));
      if (!evaluators.includes(evaluator)) evaluators.push(evaluator);
      return evaluator;
    };
    return {
      members: async (ws, def) => (await get()).members(ws, def),
      count: async (ws, def) => (await get()).count(ws, def),
      isMember: async (ws, def, id) => (await get()).isMember(ws, def, id),
      membersAmong: async (ws, def, ids) => (await get()).membersAmong(ws, def, ids),
    };
  };
  return {
    reader,
    store,
    mirror,
    segments,
    target: async () => (await open()).target,
    append: async (events) => (await (await open()).store.append(events)).inserted,
    close: async () => {
      if (opened) await (await opened).dispose();
    },
  };
}
