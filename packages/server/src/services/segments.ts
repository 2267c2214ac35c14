import {
  analyseSegment,
  err,
  newId,
  ok,
  parseSegmentDefinition,
  problem,
  type Result,
  type SegmentDefinition,
  type SegmentWarning,
} from '@wasl/core';
import type { Database, Segment } from '@wasl/store';
import type { Kysely } from 'kysely';
import { type Actor, recordAudit } from './audit.ts';
import { isUniqueViolation } from './db-errors.ts';
import { inTransaction } from './transaction.ts';

export interface CheckedDefinition {
  definition: SegmentDefinition;
  /** No contact can match (contradictory rules); the segment is kept, empty, with the warnings. */
  alwaysEmpty: boolean;
  warnings: SegmentWarning[];
}

/** Shape, limits and contradictions of a definition, before it is saved or estimated. */
export function checkDefinition(raw: unknown): Result<CheckedDefinition> {
  const parsed = parseSegmentDefinition(raw);
  if (!parsed.ok) return err({ ...parsed.error, field: `definition.${parsed.error.field ?? 'root'}` });
  const analysis = analyseSegment(parsed.value);
  if (!analysis.ok) return err({ ...analysis.error, field: `definition.${analysis.error.field ?? 'root'}` });
  return ok({ definition: parsed.value, ...analysis.value });
}

/**
 * A definition may name other segments; a cycle (A uses B uses A) is refused
 * with its chain, so no evaluation recurses forever.
 */
async function refusedCycle(
  db: Kysely<Database>,
  workspaceId: string,
  selfId: string | undefined,
  def: SegmentDefinition,
): Promise<string | undefined> {
  const refs = (d: SegmentDefinition): string[] => {
    const out: string[] = [];
    const walk = (g: SegmentDefinition['root']) => {
      for (const node of g.conditions) {
        if ('kind' in node) {
          if (node.kind === 'segment') out.push(node.segmentId);
        } else walk(node);
      }
    };
    walk(d.root);
    return out;
  };
  const seen = new Map<string, SegmentDefinition | null>();
  const load = async (id: string) => {
    if (!seen.has(id)) {
      const row = await db
        .selectFrom('segments')
        .select('definition')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst();
      seen.set(id, row ? (JSON.parse(row.definition) as SegmentDefinition) : null);
    }
    return seen.get(id) ?? null;
  };
  const visit = async (d: SegmentDefinition, chain: string[]): Promise<string | undefined> => {
    for (const id of refs(d)) {
      if (id === selfId || chain.includes(id)) return [...chain, id].join(' → ');
      const next = await load(id);
      if (next === null) return `unknown segment "${id}"`;
      const found = await visit(next, [...chain, id]);
      if (found) return found;
    }
    return undefined;
  };
  return visit(def, [selfId ?? 'new']);
}

export async function createSegment(
  db: Kysely<Database>,
  input: { workspaceId: string; name: string; definition: unknown; actor: Actor; now: number },
): Promise<Result<{ segment: Segment; warnings: SegmentWarning[] }>> {
  const checked = checkDefinition(input.definition);
  if (!checked.ok) return checked;
  const cycle = await refusedCycle(db, input.workspaceId, undefined, checked.value.definition);
  if (cycle) return err(problem('invalid', `segments cannot refer to themselves: ${cycle}`, 'definition'));
  const segment: Segment = {
    id: newId(input.now),
    workspace_id: input.workspaceId,
    name: input.name.trim(),
    definition: JSON.stringify(checked.value.definition),
    created_at: input.now,
    updated_at: input.now,
    evaluated_at: null,
    member_count: 0,
  };
  return inTransaction(db, async (trx) => {
    try {
      await trx.insertInto('segments').values(segment).execute();
    } catch (e) {
      if (isUniqueViolation(e))
        return err(problem('conflict', `a segment named "${segment.name}" exists`, 'name'));
      throw e;
    }
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'segment.created',
      target: `segment:${segment.id}`,
      details: { name: segment.name },
      now: input.now,
    });
    return ok({ segment, warnings: checked.value.warnings });
  });
}

export async function updateSegment(
  db: Kysely<Database>,
  input: {
    workspaceId: string;
    segmentId: string;
    name?: string;
    definition?: unknown;
    actor: Actor;
    now: number;
  },
): Promise<Result<{ segment: Segment; warnings: SegmentWarning[]; definitionChanged: boolean }>> {
  let checked: CheckedDefinition | undefined;
  if (input.definition !== undefined) {
    const result = checkDefinition(input.definition);
    if (!result.ok) return result;
    checked = result.value;
    const cycle = await refusedCycle(db, input.workspaceId, input.segmentId, checked.definition);
    if (cycle) return err(problem('invalid', `segments cannot refer to themselves: ${cycle}`, 'definition'));
  }
  return inTransaction(db, async (trx) => {
    const current = await getSegment(trx, input.workspaceId, input.segmentId);
    if (!current) return err(problem('not_found', 'segment not found'));
    const next: Segment = {
      ...current,
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      ...(checked ? { definition: JSON.stringify(checked.definition) } : {}),
      updated_at: input.now,
    };
    try {
      await trx
        .updateTable('segments')
        .set({ name: next.name, definition: next.definition, updated_at: next.updated_at })
        .where('id', '=', current.id)
        .execute();
    } catch (e) {
      if (isUniqueViolation(e))
        return err(problem('conflict', `a segment named "${next.name}" exists`, 'name'));
      throw e;
    }
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'segment.updated',
      target: `segment:${current.id}`,
      details: { name: next.name, definitionChanged: checked !== undefined },
      now: input.now,
    });
    return ok({
      segment: next,
      warnings: checked?.warnings ?? [],
      definitionChanged: checked !== undefined && next.definition !== current.definition,
    });
  });
}

export async function deleteSegment(
  db: Kysely<Database>,
  input: { workspaceId: string; segmentId: string; actor: Actor; now: number },
): Promise<Result<void>> {
  return inTransaction(db, async (trx) => {
    const current = await getSegment(trx, input.workspaceId, input.segmentId);
    if (!current) return err(problem('not_found', 'segment not found'));
    const users = await trx
      .selectFrom('segments')
      .select(['id', 'name', 'definition'])
      .where('workspace_id', '=', input.workspaceId)
      .where('id', '!=', current.id)
      .execute();
    const user = users.find((s) => s.definition.includes(`"segmentId":"${current.id}"`));
    if (user) {
      return err(problem('conflict', `segment "${user.name}" uses this segment; change it first`));
    }
    await trx.deleteFrom('segments').where('id', '=', current.id).execute();
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'segment.deleted',
      target: `segment:${current.id}`,
      details: { name: current.name },
      now: input.now,
    });
    return ok(undefined);
  });
}

export const getSegment = (
  db: Kysely<Database>,
  workspaceId: string,
  id: string,
): Promise<Segment | undefined> =>
  db
    .selectFrom('segments')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();

export const listSegments = (db: Kysely<Database>, workspaceId: string): Promise<Segment[]> =>
  db.selectFrom('segments').selectAll().where('workspace_id', '=', workspaceId).orderBy('name').execute();
