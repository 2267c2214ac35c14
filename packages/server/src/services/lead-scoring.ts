import { err, newId, ok, problem, type Result, type WaslEvent } from '@wasl/core';
import type { Database, EventStore, LeadScoringRule } from '@wasl/store';
import type { Kysely } from 'kysely';
import { viewContact } from './contact-rows.ts';
import type { AttributeMatch, EventMatch, ScoringRule } from './lead-scoring-rules.ts';
import { scoreOf } from './lead-scoring-rules.ts';
import { knownIds } from './privacy.ts';

export interface LeadScoringSettings {
  /** Event points halve every this many days; null: no decay. */
  halfLifeDays: number | null;
  /** A lead at or above it becomes an MQL. */
  mqlThreshold: number;
  /** A lead or MQL at or above it becomes an SQL. */
  sqlThreshold: number;
}

export const DEFAULT_SETTINGS: LeadScoringSettings = {
  halfLifeDays: null,
  mqlThreshold: 50,
  sqlThreshold: 100,
};

export type RuleInput = { name: string } & ScoringRule;

export interface RuleView {
  id: string;
  name: string;
  kind: 'event' | 'attribute';
  points: number;
  match: EventMatch | AttributeMatch;
  createdAt: number;
  updatedAt: number;
}

const notFound = problem('not_found', 'lead-scoring rule not found');

const viewRule = (r: LeadScoringRule): RuleView => ({
  id: r.id,
  name: r.name,
  kind: r.kind as RuleView['kind'],
  points: r.points,
  match: JSON.parse(r.definition) as RuleView['match'],
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export async function listRules(db: Kysely<Database>, workspaceId: string): Promise<RuleView[]> {
  const rows = await db
    .selectFrom('lead_scoring_rules')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('id')
    .execute();
  return rows.map(viewRule);
}

export async function createRule(
  db: Kysely<Database>,
  w: { workspaceId: string; rule: RuleInput; now: number },
): Promise<RuleView> {
  const row: LeadScoringRule = {
    id: newId(w.now),
    workspace_id: w.workspaceId,
    name: w.rule.name,
    kind: w.rule.kind,
    definition: JSON.stringify(w.rule.match),
    points: w.rule.points,
    created_at: w.now,
    updated_at: w.now,
  };
  await db.insertInto('lead_scoring_rules').values(row).execute();
  return viewRule(row);
}

/** Replaces the rule's name, kind, points and match. */
export async function replaceRule(
  db: Kysely<Database>,
  w: { workspaceId: string; ruleId: string; rule: RuleInput; now: number },
): Promise<Result<RuleView>> {
  const done = await db
    .updateTable('lead_scoring_rules')
    .set({
      name: w.rule.name,
      kind: w.rule.kind,
      definition: JSON.stringify(w.rule.match),
      points: w.rule.points,
      updated_at: w.now,
    })
    .where('workspace_id', '=', w.workspaceId)
    .where('id', '=', w.ruleId)
    .executeTakeFirst();
  if (Number(done.numUpdatedRows) === 0) return err(notFound);
  const row = await db
    .selectFrom('lead_scoring_rules')
    .selectAll()
    .where('id', '=', w.ruleId)
    .executeTakeFirstOrThrow();
  return ok(viewRule(row));
}

export async function deleteRule(
  db: Kysely<Database>,
  workspaceId: string,
  ruleId: string,
): Promise<Result<true>> {
  const done = await db
    .deleteFrom('lead_scoring_rules')
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', ruleId)
    .executeTakeFirst();
  return Number(done.numDeletedRows) === 0 ? err(notFound) : ok(true);
}

export async function getSettings(db: Kysely<Database>, workspaceId: string): Promise<LeadScoringSettings> {
  const row = await db
    .selectFrom('lead_scoring_settings')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
  if (!row) return DEFAULT_SETTINGS;
  return {
    halfLifeDays: row.half_life_days,
    mqlThreshold: row.mql_threshold,
    sqlThreshold: row.sql_threshold,
  };
}

export async function putSettings(
  db: Kysely<Database>,
  w: { workspaceId: string; settings: LeadScoringSettings; now: number },
): Promise<Result<LeadScoringSettings>> {
  const s = w.settings;
  if (s.sqlThreshold < s.mqlThreshold) {
    return err(problem('invalid', 'sqlThreshold must be at least mqlThreshold', 'sqlThreshold'));
  }
  const values = {
    half_life_days: s.halfLifeDays,
    mql_threshold: s.mqlThreshold,
    sql_threshold: s.sqlThreshold,
    updated_at: w.now,
  };
  await db
    .insertInto('lead_scoring_settings')
    .values({ workspace_id: w.workspaceId, ...values })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet(values))
    .execute();
  return ok(s);
}

/** The stage a score moves a contact to: lead → mql → sql only, never back. */
export function nextStage(stage: string | null, score: number, s: LeadScoringSettings): string | null {
  if ((stage === 'lead' || stage === 'mql') && score >= s.sqlThreshold) return 'sql';
  if (stage === 'lead' && score >= s.mqlThreshold) return 'mql';
  return stage;
}

export interface Rescored {
  /** Contacts whose score or stage changed (the audience copy must follow). */
  changed: string[];
  /** The `lead.stage_changed` facts recorded. */
  stageChanges: WaslEvent[];
}

const HISTORY_PAGE = 1000;

async function fullHistory(
  events: EventStore,
  workspaceId: string,
  ids: readonly string[],
): Promise<WaslEvent[]> {
  const all: WaslEvent[] = [];
  let before: { occurredAt: Date; id: string } | undefined;
  for (;;) {
    const page = await events.history(workspaceId, ids, {
      limit: HISTORY_PAGE,
      ...(before ? { before } : {}),
    });
    all.push(...page);
    const last = page[page.length - 1];
    if (!last || page.length < HISTORY_PAGE) return all;
    before = { occurredAt: last.occurredAt, id: last.id };
  }
}

/**
 * Recomputes the scores of `contactIds` (every contact of the workspace when
 * omitted) from their whole history, by every id each is known by, stores
 * the ones that changed, moves stages forward and records a
 * `lead.stage_changed` event per move through `record`.
 */
export async function recomputeLeadScores(
  db: Kysely<Database>,
  events: EventStore,
  w: {
    workspaceId: string;
    contactIds?: readonly string[];
    now: number;
    record?: (facts: WaslEvent[]) => Promise<unknown>;
  },
): Promise<Rescored> {
  const [rules, settings] = await Promise.all([listRules(db, w.workspaceId), getSettings(db, w.workspaceId)]);
  const scoring = rules.map((r) => ({ kind: r.kind, points: r.points, match: r.match }) as ScoringRule);
  const needsHistory = scoring.some((r) => r.kind === 'event');
  const result: Rescored = { changed: [], stageChanges: [] };
  if (w.contactIds?.length === 0) return result;
  let after = '';
  for (;;) {
    let q = db.selectFrom('contacts').selectAll().where('workspace_id', '=', w.workspaceId);
    if (w.contactIds) q = q.where('id', 'in', [...w.contactIds]);
    const rows = await q.where('id', '>', after).orderBy('id').limit(500).execute();
    for (const row of rows) {
      const contact = viewContact(row);
      const history = needsHistory
        ? await fullHistory(events, w.workspaceId, await knownIds(db, w.workspaceId, row.id))
        : [];
      const score = scoreOf(scoring, contact, history, w.now, settings.halfLifeDays);
      const stage = nextStage(row.lifecycle_stage, score, settings);
      if (score === row.lead_score && stage === row.lifecycle_stage) continue;
      // Only if nobody rescored it meanwhile: a move is recorded once, by whoever made it.
      let update = db
        .updateTable('contacts')
        .set({ lead_score: score, lifecycle_stage: stage, updated_at: w.now })
        .where('id', '=', row.id)
        .where('lead_score', '=', row.lead_score);
      update =
        row.lifecycle_stage === null
          ? update.where('lifecycle_stage', 'is', null)
          : update.where('lifecycle_stage', '=', row.lifecycle_stage);
      if (Number((await update.executeTakeFirst()).numUpdatedRows) === 0) continue;
      result.changed.push(row.id);
      if (stage !== row.lifecycle_stage) {
        result.stageChanges.push({
          id: newId(w.now),
          workspaceId: w.workspaceId,
          type: 'track',
          name: 'lead.stage_changed',
          anonymousId: null,
          contactId: row.id,
          occurredAt: new Date(w.now),
          receivedAt: new Date(w.now),
          properties: { from: row.lifecycle_stage, to: stage, score },
          context: {},
        });
      }
    }
    const last = rows[rows.length - 1];
    if (!last || rows.length < 500) break;
    after = last.id;
  }
  if (result.stageChanges.length > 0) await w.record?.(result.stageChanges);
  return result;
}
