import {
  type AttributeDefinition,
  AttributeDefinitionSchema,
  err,
  ok,
  problem,
  type Result,
} from '@wasl/core';
import type { AttributeDefinitionRow, Database } from '@wasl/store';
import type { Kysely } from 'kysely';
import { type Actor, recordAudit } from './audit.ts';
import { isUniqueViolation } from './db-errors.ts';
import { inTransaction } from './transaction.ts';

const toDefinition = (row: AttributeDefinitionRow): AttributeDefinition => {
  const def: AttributeDefinition = {
    key: row.key,
    label: row.label,
    type: row.type as AttributeDefinition['type'],
  };
  if (row.options !== null) def.options = JSON.parse(row.options) as string[];
  return def;
};

export async function listAttributeDefinitions(
  db: Kysely<Database>,
  workspaceId: string,
): Promise<AttributeDefinition[]> {
  const rows = await db
    .selectFrom('attribute_definitions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .orderBy('key')
    .execute();
  return rows.map(toDefinition);
}

/**
 * Adds a custom attribute. Its type is fixed once created: values already
 * stored were validated against it, so changing it would make them lie.
 */
export async function createAttributeDefinition(
  db: Kysely<Database>,
  input: { workspaceId: string; definition: unknown; actor: Actor; now: number },
): Promise<Result<AttributeDefinition>> {
  const parsed = AttributeDefinitionSchema.safeParse(input.definition);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || undefined;
    return err(problem('invalid', `${field ?? 'definition'}: ${issue?.message ?? 'invalid'}`, field));
  }
  const def = parsed.data as AttributeDefinition;
  if (def.type === 'list' && (def.options === undefined || def.options.length === 0)) {
    return err(problem('invalid', 'a list attribute needs at least one option', 'options'));
  }
  return inTransaction(db, async (trx) => {
    try {
      await trx
        .insertInto('attribute_definitions')
        .values({
          workspace_id: input.workspaceId,
          key: def.key,
          label: def.label,
          type: def.type,
          options: def.type === 'list' ? JSON.stringify(def.options) : null,
          created_at: input.now,
        })
        .execute();
    } catch (e) {
      if (isUniqueViolation(e))
        return err(problem('conflict', `attribute "${def.key}" already exists`, 'key'));
      throw e;
    }
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'attribute.created',
      target: `attribute:${def.key}`,
      details: { type: def.type },
      now: input.now,
    });
    return ok(def);
  });
}

/** Renames an attribute's label or adds options to a list attribute; the key and type stay. */
export async function updateAttributeDefinition(
  db: Kysely<Database>,
  input: { workspaceId: string; key: string; label?: string; options?: string[]; now: number },
): Promise<Result<AttributeDefinition>> {
  return inTransaction(db, async (trx) => {
    const row = await trx
      .selectFrom('attribute_definitions')
      .selectAll()
      .where('workspace_id', '=', input.workspaceId)
      .where('key', '=', input.key)
      .executeTakeFirst();
    if (!row) return err(problem('not_found', `attribute "${input.key}" not found`));
    const current = toDefinition(row);
    const set: { label?: string; options?: string } = {};
    if (input.label !== undefined) set.label = input.label;
    if (input.options !== undefined) {
      if (current.type !== 'list') {
        return err(
          problem(
            'invalid',
            `attribute "${input.key}" is of type ${current.type}; only list attributes have options`,
            'options',
          ),
        );
      }
      const removed = (current.options ?? []).filter((o) => !input.options?.includes(o));
      if (removed.length > 0) {
        return err(
          problem(
            'invalid',
            `options cannot be removed (contacts may hold them): ${removed.join(', ')}`,
            'options',
          ),
        );
      }
      set.options = JSON.stringify(input.options);
    }
    if (Object.keys(set).length > 0) {
      await trx
        .updateTable('attribute_definitions')
        .set(set)
        .where('workspace_id', '=', input.workspaceId)
        .where('key', '=', input.key)
        .execute();
    }
    return ok({
      ...current,
      ...(set.label ? { label: set.label } : {}),
      ...(input.options ? { options: input.options } : {}),
    });
  });
}
