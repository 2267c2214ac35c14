import { err, GoalDefinitionSchema, newId, ok, problem, type Result } from '@wasl/core';
import type { Database, SavedDefinition } from '@wasl/store';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Actor, recordAudit } from './audit.ts';
import { isUniqueViolation } from './db-errors.ts';
import { getSite } from './sites.ts';
import { inTransaction } from './transaction.ts';

const DAY_MS = 86_400_000;
const PropertyMatch = z
  .record(z.string().max(200), z.string().max(500))
  .default({})
  .meta({ description: 'Every listed property must equal its value (compared as text)' });

/** A funnel step: a goal without revenue, i.e. a pageview pattern or an event with property filters. */
export const FunnelStepSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('page'), pattern: z.string().min(1).max(2048) }),
  z.strictObject({ kind: z.literal('event'), event: z.string().min(1).max(200), properties: PropertyMatch }),
]);

export const FunnelDefinitionSchema = z.strictObject({
  steps: z.array(FunnelStepSchema).min(2, 'a funnel needs at least 2 steps').max(10, 'at most 10 steps'),
  windowMs: z
    .number()
    .int()
    .min(60_000, 'must be at least one minute (60000)')
    .max(90 * DAY_MS, 'must be at most 90 days')
    .meta({ description: 'Every step must follow the first within this many milliseconds' }),
});

const EventMatch = z.strictObject({ event: z.string().min(1).max(200), properties: PropertyMatch });
/** A tracked call to action: the event counted as its impression and the one counted as its click. */
export const CtrDefinitionSchema = z.strictObject({ impression: EventMatch, click: EventMatch });

const KINDS = {
  goal: { table: 'goals', schema: GoalDefinitionSchema, noun: 'goal' },
  funnel: { table: 'funnels', schema: FunnelDefinitionSchema, noun: 'funnel' },
  cta: { table: 'ctas', schema: CtrDefinitionSchema, noun: 'call to action' },
} as const;

export type DefinitionKind = keyof typeof KINDS;
export type DefinitionOf<K extends DefinitionKind> = z.output<(typeof KINDS)[K]['schema']>;

/** A site's saved goal, funnel or call to action. */
export interface Saved<K extends DefinitionKind> {
  id: string;
  siteId: string;
  name: string;
  definition: DefinitionOf<K>;
  createdAt: number;
  updatedAt: number;
}

// The three tables share one shape; Kysely is given one name so its types stay simple.
const tableOf = (kind: DefinitionKind) => KINDS[kind].table as 'goals';

function fromRow<K extends DefinitionKind>(kind: K, row: SavedDefinition): Saved<K> {
  // Rows are written from the same schema, so a failure here is a bug (or a hand-edited database).
  const definition = KINDS[kind].schema.parse(JSON.parse(row.definition)) as DefinitionOf<K>;
  return {
    id: row.id,
    siteId: row.site_id,
    name: row.name,
    definition,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

const siteMissing = () => err(problem('not_found', 'site not found'));
const taken = (kind: DefinitionKind, name: string) =>
  err(problem('conflict', `a ${KINDS[kind].noun} named "${name}" already exists for this site`, 'name'));

/** Oldest first, the order people added them in. Not found when the site is not the workspace's. */
export async function listSaved<K extends DefinitionKind>(
  db: Kysely<Database>,
  kind: K,
  workspaceId: string,
  siteId: string,
): Promise<Result<Saved<K>[]>> {
  if (!(await getSite(db, workspaceId, siteId))) return siteMissing();
  const rows = await db
    .selectFrom(tableOf(kind))
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('site_id', '=', siteId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return ok(rows.map((row) => fromRow(kind, row)));
}

interface Target {
  workspaceId: string;
  siteId: string;
  actor: Actor;
  now?: number;
}

export async function createSaved<K extends DefinitionKind>(
  db: Kysely<Database>,
  kind: K,
  input: Target & { name: string; definition: DefinitionOf<K> },
): Promise<Result<Saved<K>>> {
  const now = input.now ?? Date.now();
  const name = input.name.trim();
  return uniqueName(kind, name, () =>
    inTransaction(db, async (trx) => {
      if (!(await getSite(trx, input.workspaceId, input.siteId))) return siteMissing();
      if (await nameInUse(trx, kind, input.siteId, name)) return taken(kind, name);
      const row: SavedDefinition = {
        id: newId(now),
        workspace_id: input.workspaceId,
        site_id: input.siteId,
        name,
        definition: JSON.stringify(input.definition),
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto(tableOf(kind)).values(row).execute();
      await recordAudit(trx, {
        workspaceId: input.workspaceId,
        actor: input.actor,
        action: `${kind}.created`,
        target: `${kind}:${row.id}`,
        details: { name, siteId: input.siteId },
        now,
      });
      return ok(fromRow(kind, row));
    }),
  );
}

export async function updateSaved<K extends DefinitionKind>(
  db: Kysely<Database>,
  kind: K,
  input: Target & {
    id: string;
    changes: { name?: string | undefined; definition?: DefinitionOf<K> | undefined };
  },
): Promise<Result<Saved<K>>> {
  const now = input.now ?? Date.now();
  const name = input.changes.name?.trim();
  return uniqueName(kind, name ?? '', () =>
    inTransaction(db, async (trx) => {
      const row = await findRow(trx, kind, input);
      if (!row) return err(problem('not_found', `${KINDS[kind].noun} not found`));
      if (name !== undefined && name !== row.name && (await nameInUse(trx, kind, input.siteId, name))) {
        return taken(kind, name);
      }
      const set = {
        ...(name !== undefined ? { name } : {}),
        ...(input.changes.definition !== undefined
          ? { definition: JSON.stringify(input.changes.definition) }
          : {}),
      };
      if (Object.keys(set).length === 0) return ok(fromRow(kind, row));
      const updated = { ...row, ...set, updated_at: now };
      await trx
        .updateTable(tableOf(kind))
        .set({ ...set, updated_at: now })
        .where('id', '=', row.id)
        .execute();
      await recordAudit(trx, {
        workspaceId: input.workspaceId,
        actor: input.actor,
        action: `${kind}.updated`,
        target: `${kind}:${row.id}`,
        details: { name: updated.name, changed: Object.keys(set) },
        now,
      });
      return ok(fromRow(kind, updated));
    }),
  );
}

export async function deleteSaved(
  db: Kysely<Database>,
  kind: DefinitionKind,
  input: Target & { id: string },
): Promise<Result<void>> {
  return inTransaction(db, async (trx) => {
    const row = await findRow(trx, kind, input);
    if (!row) return err(problem('not_found', `${KINDS[kind].noun} not found`));
    await trx.deleteFrom(tableOf(kind)).where('id', '=', row.id).execute();
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: `${kind}.deleted`,
      target: `${kind}:${row.id}`,
      details: { name: row.name },
      now: input.now,
    });
    return ok(undefined);
  });
}

const findRow = (
  db: Kysely<Database>,
  kind: DefinitionKind,
  t: { workspaceId: string; siteId: string; id: string },
) =>
  db
    .selectFrom(tableOf(kind))
    .selectAll()
    .where('workspace_id', '=', t.workspaceId)
    .where('site_id', '=', t.siteId)
    .where('id', '=', t.id)
    .executeTakeFirst();

async function nameInUse(db: Kysely<Database>, kind: DefinitionKind, siteId: string, name: string) {
  const row = await db
    .selectFrom(tableOf(kind))
    .select('id')
    .where('site_id', '=', siteId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row !== undefined;
}

/** Two requests saving the same name at once: the unique index refuses the second, which is a conflict, not a 500. */
async function uniqueName<T>(
  kind: DefinitionKind,
  name: string,
  work: () => Promise<Result<T>>,
): Promise<Result<T>> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) return taken(kind, name);
    throw error;
  }
}
