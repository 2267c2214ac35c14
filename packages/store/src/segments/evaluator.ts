import type { AttributeDef, Group, SegmentDefinition } from '@wasl/core';
import { isGroup, ok, type Result } from '@wasl/core';
import type { AnalyticsDb } from '../analytics/db.ts';
import { num, str } from '../analytics/db.ts';
import {
  type CompiledSegment,
  type CompileOptions,
  compileSegment,
  compileSegmentForContact,
  compileSegmentForContacts,
  countSegment,
} from './compile.ts';

/** Where the evaluator learns a workspace's attributes and saved segments (the OLTP store). */
export interface SegmentSources {
  attributeDefs(workspaceId: string): Promise<readonly AttributeDef[]>;
  segment(workspaceId: string, id: string): Promise<SegmentDefinition | undefined>;
  /** Defaults to the clock. */
  now?: () => Date;
}

export interface SegmentEvaluator {
  /** Member contact ids, in no particular order. */
  members(workspaceId: string, def: SegmentDefinition): Promise<Result<string[]>>;
  /** The exact member count (what the dashboard shows while a segment is edited). */
  count(workspaceId: string, def: SegmentDefinition): Promise<Result<number>>;
  isMember(workspaceId: string, def: SegmentDefinition, contactId: string): Promise<Result<boolean>>;
  /** Which of these contacts are members (one statement, however many). */
  membersAmong(
    workspaceId: string,
    def: SegmentDefinition,
    contactIds: readonly string[],
  ): Promise<Result<string[]>>;
}

/** Referenced segments, fetched ahead so the compiler resolves them synchronously. */
async function referenced(
  ws: string,
  root: Group,
  sources: SegmentSources,
): Promise<Map<string, SegmentDefinition>> {
  const found = new Map<string, SegmentDefinition>();
  const pending: Group[] = [root];
  for (let group = pending.pop(); group; group = pending.pop()) {
    for (const node of group.conditions) {
      if (isGroup(node)) pending.push(node);
      else if (node.kind === 'segment' && !found.has(node.segmentId)) {
        const def = await sources.segment(ws, node.segmentId);
        if (def) {
          found.set(node.segmentId, def);
          pending.push(def.root);
        }
      }
    }
  }
  return found;
}

/** Segments evaluated by the events store that holds the audience mirror (DuckDB or PostgreSQL). */
export function createSegmentEvaluator(db: AnalyticsDb, sources: SegmentSources): SegmentEvaluator {
  async function options(ws: string, def: SegmentDefinition): Promise<CompileOptions> {
    const [attributeDefs, segments] = await Promise.all([
      sources.attributeDefs(ws),
      referenced(ws, def.root, sources),
    ]);
    return {
      workspaceId: ws,
      now: sources.now?.() ?? new Date(),
      dialect: db.dialect,
      attributeDefs,
      resolveSegment: (id) => segments.get(id),
    };
  }
  const run = async <T>(
    compiled: Result<CompiledSegment>,
    read: (rows: Record<string, unknown>[]) => T,
  ): Promise<Result<T>> =>
    compiled.ok ? ok(read(await db.query(compiled.value.sql, compiled.value.params))) : compiled;

  return {
    async members(ws, def) {
      return run(compileSegment(def, await options(ws, def)), (rows) => rows.map((r) => str(r.id)));
    },
    async count(ws, def) {
      return run(countSegment(def, await options(ws, def)), (rows) => num(rows[0]?.n));
    },
    async membersAmong(ws, def, contactIds) {
      if (contactIds.length === 0) return ok([]);
      return run(compileSegmentForContacts(def, await options(ws, def), contactIds), (rows) =>
        rows.map((r) => str(r.id)),
      );
    },
    async isMember(ws, def, contactId) {
      return run(compileSegmentForContact(def, await options(ws, def), contactId), (rows) => rows.length > 0);
    },
  };
}
