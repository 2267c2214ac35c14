/**
 * Journeys as the marketer edits them: a draft that saves whenever it is
 * well-formed, and publishing, which checks the whole graph and everything it
 * names (templates, segments, endpoints, attributes, channels) and makes the
 * draft the next immutable version. Contacts inside keep the version they
 * entered with, unless moved by an explicit step mapping (`migrate`).
 */
import {
  checkJourney,
  err,
  type JourneyDefinition,
  JourneyDefinitionSchema,
  type JourneyFault,
  newId,
  ok,
  type Problem,
  problem,
  type Result,
  type Step,
} from '@wasl/core';
import type { Database, JourneyRow } from '@wasl/store';
import type { Kysely } from 'kysely';
import { type Actor, recordAudit } from '../audit.ts';
import { isUniqueViolation } from '../db-errors.ts';
import { inTransaction } from '../transaction.ts';

export type JourneyStatus = 'draft' | 'live' | 'paused' | 'archived';

export interface JourneyView {
  id: string;
  name: string;
  description: string;
  status: JourneyStatus;
  version: number | null;
  draft: JourneyDefinition;
  createdAt: number;
  updatedAt: number;
}

export const viewJourney = (j: JourneyRow): JourneyView => ({
  id: j.id,
  name: j.name,
  description: j.description,
  status: j.status as JourneyStatus,
  version: j.version,
  draft: JSON.parse(j.draft) as JourneyDefinition,
  createdAt: Number(j.created_at),
  updatedAt: Number(j.updated_at),
});

/** A definition from a request: the schema's first problem, named by its path under `definition`. */
export function parseDefinition(input: unknown): Result<JourneyDefinition> {
  const parsed = JourneyDefinitionSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issue = parsed.error.issues[0];
  const path = ['definition', ...(issue?.path ?? []).map(String)].join('.');
  return err(problem('invalid', `${path}: ${issue?.message ?? 'invalid'}`, path));
}

const nameTaken = (name: string) => problem('conflict', `a journey named "${name}" already exists`, 'name');

export async function createJourney(
  db: Kysely<Database>,
  input: {
    workspaceId: string;
    name: string;
    description?: string;
    definition: unknown;
    actor: Actor;
    now: number;
  },
): Promise<Result<JourneyView>> {
  const definition = parseDefinition(input.definition);
  if (!definition.ok) return definition;
  const row: JourneyRow = {
    id: newId(input.now),
    workspace_id: input.workspaceId,
    name: input.name,
    description: input.description ?? '',
    status: 'draft',
    draft: JSON.stringify(definition.value),
    version: null,
    trigger_event: null,
    created_at: input.now,
    updated_at: input.now,
  };
  try {
    await inTransaction(db, async (trx) => {
      await trx.insertInto('journeys').values(row).execute();
      await recordAudit(trx, {
        workspaceId: input.workspaceId,
        actor: input.actor,
        action: 'journey.created',
        target: row.id,
        now: input.now,
      });
    });
  } catch (e) {
    if (isUniqueViolation(e)) return err(nameTaken(input.name));
    throw e;
  }
  return ok(viewJourney(row));
}

export const getJourneyRow = (db: Kysely<Database>, workspaceId: string, id: string) =>
  db
    .selectFrom('journeys')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();

export async function listJourneys(db: Kysely<Database>, workspaceId: string): Promise<JourneyView[]> {
  const rows = await db
    .selectFrom('journeys')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map(viewJourney);
}

/** Saves the draft (and name, description); the live version is untouched until the next publish. */
export async function updateJourney(
  db: Kysely<Database>,
  input: {
    workspaceId: string;
    id: string;
    name?: string;
    description?: string;
    definition?: unknown;
    now: number;
  },
): Promise<Result<JourneyView>> {
  const current = await getJourneyRow(db, input.workspaceId, input.id);
  if (!current) return err(problem('not_found', 'journey not found'));
  if (current.status === 'archived') return err(problem('conflict', 'an archived journey cannot be edited'));
  let draft = current.draft;
  if (input.definition !== undefined) {
    const parsed = parseDefinition(input.definition);
    if (!parsed.ok) return parsed;
    draft = JSON.stringify(parsed.value);
  }
  const next = {
    name: input.name ?? current.name,
    description: input.description ?? current.description,
    draft,
    updated_at: input.now,
  };
  try {
    await db
      .updateTable('journeys')
      .set(next)
      .where('workspace_id', '=', input.workspaceId)
      .where('id', '=', input.id)
      .execute();
  } catch (e) {
    if (isUniqueViolation(e)) return err(nameTaken(next.name));
    throw e;
  }
  return ok(viewJourney({ ...current, ...next }));
}

/** A publish refused: every fault found, each naming its step. */
export type PublishProblem = Problem & { faults?: JourneyFault[] };

/**
 * Checks the draft as a whole and makes it the next version, live. The
 * faults: the graph's (checkJourney) and the workspace's (a template of the
 * step's channel, a segment, a webhook endpoint, a custom attribute that does not exist).
 */
export async function publishJourney(
  db: Kysely<Database>,
  input: { workspaceId: string; id: string; channels: ReadonlySet<string>; actor: Actor; now: number },
): Promise<Result<JourneyView, PublishProblem>> {
  const current = await getJourneyRow(db, input.workspaceId, input.id);
  if (!current) return err(problem('not_found', 'journey not found'));
  if (current.status === 'archived')
    return err(problem('conflict', 'an archived journey cannot be published'));
  const definition = JourneyDefinitionSchema.parse(JSON.parse(current.draft));
  const faults = [
    ...checkJourney(definition, { channels: input.channels }),
    ...(await referenceFaults(db, input.workspaceId, definition)),
  ];
  if (faults.length > 0) {
    const first = faults[0] as JourneyFault;
    return err({
      code: 'invalid',
      message:
        faults.length === 1 ? first.message : `${first.message} (and ${faults.length - 1} more problems)`,
      field: first.field,
      faults,
    });
  }
  const version = (current.version ?? 0) + 1;
  const trigger = definition.trigger;
  const next = {
    status: current.status === 'paused' ? 'paused' : 'live',
    version,
    trigger_event: triggerEvent(trigger),
    updated_at: input.now,
  };
  await inTransaction(db, async (trx) => {
    await trx
      .insertInto('journey_versions')
      .values({
        journey_id: current.id,
        version,
        workspace_id: input.workspaceId,
        definition: current.draft,
        published_at: input.now,
        published_by: input.actor.type === 'user' ? input.actor.id : null,
      })
      .execute();
    await trx.updateTable('journeys').set(next).where('id', '=', current.id).execute();
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'journey.published',
      target: current.id,
      details: { version },
      now: input.now,
    });
  });
  return ok(viewJourney({ ...current, ...next }));
}

/** The event name that starts a journey, for the indexed lookup on each event; null when started otherwise. */
export function triggerEvent(t: JourneyDefinition['trigger']): string | null {
  switch (t.kind) {
    case 'event':
      return t.event.name;
    case 'segment':
      return t.on === 'enter' ? 'segment.entered' : 'segment.left';
    case 'form':
      return 'form.submitted';
    default:
      return null;
  }
}

async function referenceFaults(
  db: Kysely<Database>,
  workspaceId: string,
  d: JourneyDefinition,
): Promise<JourneyFault[]> {
  const faults: JourneyFault[] = [];
  const fault = (stepId: string | undefined, field: string, message: string) =>
    faults.push({ code: 'invalid', field, message, ...(stepId ? { stepId } : {}) });
  const [templates, segments, endpoints, attributes] = await Promise.all([
    db
      .selectFrom('message_templates')
      .select(['id', 'channel'])
      .where('workspace_id', '=', workspaceId)
      .execute(),
    db.selectFrom('segments').select('id').where('workspace_id', '=', workspaceId).execute(),
    db.selectFrom('webhook_endpoints').select('id').where('workspace_id', '=', workspaceId).execute(),
    db.selectFrom('attribute_definitions').select('key').where('workspace_id', '=', workspaceId).execute(),
  ]);
  const template = new Map(templates.map((t) => [t.id, t.channel]));
  const segment = new Set(segments.map((s) => s.id));
  const endpoint = new Set(endpoints.map((e) => e.id));
  const attribute = new Set(attributes.map((a) => a.key));
  if (d.trigger.kind === 'segment' && !segment.has(d.trigger.segmentId))
    fault(
      undefined,
      'trigger.segmentId',
      `the trigger names the segment "${d.trigger.segmentId}", which does not exist`,
    );
  const customKey = (field: string) =>
    field.startsWith('attributes.') ? field.slice('attributes.'.length) : null;
  if (d.trigger.kind === 'date') {
    const key = customKey(d.trigger.field);
    if (key && !attribute.has(key))
      fault(undefined, 'trigger.field', `the trigger names the attribute "${key}", which does not exist`);
  }
  for (const id of Object.keys(d.steps).sort()) {
    const step = d.steps[id] as Step;
    const at = `steps.${id}`;
    if (step.type === 'send') {
      const channel = template.get(step.templateId);
      if (channel === undefined)
        fault(
          id,
          `${at}.templateId`,
          `step "${id}" sends the template "${step.templateId}", which does not exist`,
        );
      else if (channel !== step.channel)
        fault(
          id,
          `${at}.templateId`,
          `step "${id}" sends ${step.channel}, but the template "${step.templateId}" is for ${channel}`,
        );
    }
    if (step.type === 'branch' && step.condition.kind === 'segment' && !segment.has(step.condition.segmentId))
      fault(
        id,
        `${at}.condition.segmentId`,
        `step "${id}" asks about the segment "${step.condition.segmentId}", which does not exist`,
      );
    if (step.type === 'branch' && step.condition.kind === 'attribute') {
      const key = customKey(step.condition.field);
      if (key && !attribute.has(key))
        fault(
          id,
          `${at}.condition.field`,
          `step "${id}" asks about the attribute "${key}", which does not exist`,
        );
    }
    if (step.type === 'webhook' && !endpoint.has(step.endpointId))
      fault(
        id,
        `${at}.endpointId`,
        `step "${id}" calls the webhook endpoint "${step.endpointId}", which does not exist`,
      );
    if (step.type === 'update')
      for (const key of Object.keys(step.set ?? {}).sort())
        if (!attribute.has(key))
          fault(id, `${at}.set.${key}`, `step "${id}" sets the attribute "${key}", which does not exist`);
  }
  return faults;
}

/** Live ⇄ paused; archived is for good (nobody enters, those inside leave). */
export async function setJourneyStatus(
  db: Kysely<Database>,
  input: {
    workspaceId: string;
    id: string;
    status: 'live' | 'paused' | 'archived';
    actor: Actor;
    now: number;
  },
): Promise<Result<JourneyView>> {
  const current = await getJourneyRow(db, input.workspaceId, input.id);
  if (!current) return err(problem('not_found', 'journey not found'));
  if (current.version === null && input.status !== 'archived')
    return err(problem('conflict', 'publish the journey first: it has no version yet', 'status'));
  if (current.status === 'archived') return err(problem('conflict', 'the journey is archived', 'status'));
  await inTransaction(db, async (trx) => {
    await trx
      .updateTable('journeys')
      .set({ status: input.status, updated_at: input.now })
      .where('id', '=', current.id)
      .execute();
    if (input.status === 'archived')
      await trx
        .updateTable('journey_enrollments')
        .set({
          status: 'exited',
          exit_reason: 'archived',
          ended_at: input.now,
          updated_at: input.now,
          due_at: null,
        })
        .where('journey_id', '=', current.id)
        .where('status', '=', 'active')
        .execute();
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: `journey.${input.status === 'live' ? 'resumed' : input.status}`,
      target: current.id,
      now: input.now,
    });
  });
  return ok(viewJourney({ ...current, status: input.status, updated_at: input.now }));
}

export async function getVersion(
  db: Kysely<Database>,
  journeyId: string,
  version: number,
): Promise<JourneyDefinition | undefined> {
  const row = await db
    .selectFrom('journey_versions')
    .select('definition')
    .where('journey_id', '=', journeyId)
    .where('version', '=', version)
    .executeTakeFirst();
  return row ? (JSON.parse(row.definition) as JourneyDefinition) : undefined;
}

export interface StepCounts {
  stepId: string;
  /** Times contacts arrived at the step. */
  entered: number;
  /** Contacts there now, waiting. */
  waiting: number;
}

export interface JourneyStats {
  version: number | null;
  entered: number;
  active: number;
  completed: number;
  exited: number;
  /** Contacts who reached the goal after entering. */
  converted: number;
  steps: StepCounts[];
}

/** The editor's numbers: per version, contacts by state and per-step counts. */
export async function journeyStats(
  db: Kysely<Database>,
  workspaceId: string,
  journey: JourneyRow,
  version: number | null = journey.version,
): Promise<JourneyStats> {
  if (version === null)
    return { version, entered: 0, active: 0, completed: 0, exited: 0, converted: 0, steps: [] };
  const [states, converted, steps, waiting] = await Promise.all([
    db
      .selectFrom('journey_enrollments')
      .select(['status', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('workspace_id', '=', workspaceId)
      .where('journey_id', '=', journey.id)
      .where('version', '=', version)
      .groupBy('status')
      .execute(),
    db
      .selectFrom('journey_enrollments')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('workspace_id', '=', workspaceId)
      .where('journey_id', '=', journey.id)
      .where('version', '=', version)
      .where('goal_at', 'is not', null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('journey_steps')
      .select(['step_id', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('workspace_id', '=', workspaceId)
      .where('journey_id', '=', journey.id)
      .where('version', '=', version)
      .groupBy('step_id')
      .execute(),
    db
      .selectFrom('journey_enrollments')
      .select(['step_id', (eb) => eb.fn.countAll<string | number>().as('n')])
      .where('workspace_id', '=', workspaceId)
      .where('journey_id', '=', journey.id)
      .where('version', '=', version)
      .where('status', '=', 'active')
      .groupBy('step_id')
      .execute(),
  ]);
  const by = (status: string) => Number(states.find((s) => s.status === status)?.n ?? 0);
  const definition = await getVersion(db, journey.id, version);
  const ids = Object.keys(definition?.steps ?? {}).sort();
  const entered = new Map(steps.map((s) => [s.step_id, Number(s.n)]));
  const here = new Map(waiting.map((s) => [s.step_id ?? '', Number(s.n)]));
  return {
    version,
    entered: by('active') + by('completed') + by('exited'),
    active: by('active'),
    completed: by('completed'),
    exited: by('exited'),
    converted: Number(converted.n),
    steps: ids.map((stepId) => ({
      stepId,
      entered: entered.get(stepId) ?? 0,
      waiting: here.get(stepId) ?? 0,
    })),
  };
}
