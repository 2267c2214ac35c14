import { newId } from '@wasl/core';
import type { Database } from '@wasl/store';
import type { Kysely } from 'kysely';

/** Who did it: a signed-in person, an API key, or Wasl itself (the CLI, a scheduled task). */
export type Actor = { type: 'user'; id: string } | { type: 'apikey'; id: string } | { type: 'system' };

export interface AuditInput {
  workspaceId: string;
  actor: Actor;
  /** Past tense, dotted: 'member.added', 'apikey.revoked'. */
  action: string;
  /** What it was done to, as 'kind:id', e.g. 'user:0193…'. */
  target?: string | null;
  details?: Record<string, unknown>;
  now?: number;
}

/** Appends one entry. Call it inside the transaction of the change it records, so both land or neither. */
export async function recordAudit(db: Kysely<Database>, input: AuditInput): Promise<string> {
  const now = input.now ?? Date.now();
  const id = newId(now);
  await db
    .insertInto('audit_log')
    .values({
      id,
      workspace_id: input.workspaceId,
      actor_user_id: input.actor.type === 'user' ? input.actor.id : null,
      actor_api_key_id: input.actor.type === 'apikey' ? input.actor.id : null,
      action: input.action,
      target: input.target ?? null,
      details: JSON.stringify(input.details ?? {}),
      created_at: now,
    })
    .execute();
  return id;
}

export interface AuditView {
  id: string;
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  actor: { type: Actor['type']; id: string | null; name: string | null };
  createdAt: number;
}

export interface AuditQuery {
  workspaceId: string;
  limit: number;
  /** Epoch ms: only entries older than this, for paging backwards. */
  before?: number;
  /**
   * With `before`, the id of the last entry already seen: entries from that
   * same millisecond with a smaller id still come. Without it, entries that
   * share the boundary millisecond (several are written in one transaction)
   * would be skipped.
   */
  beforeId?: string;
}

/** Newest first, with the actor's current name (null when the person or key is gone). */
export async function listAudit(db: Kysely<Database>, query: AuditQuery): Promise<AuditView[]> {
  const rows = await db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_user_id')
    .leftJoin('api_keys as k', 'k.id', 'a.actor_api_key_id')
    .select([
      'a.id',
      'a.action',
      'a.target',
      'a.details',
      'a.created_at',
      'a.actor_user_id',
      'a.actor_api_key_id',
      'u.name as user_name',
      'k.name as key_name',
    ])
    .where('a.workspace_id', '=', query.workspaceId)
    .$if(query.before !== undefined, (qb) => {
      const before = query.before ?? 0;
      const beforeId = query.beforeId;
      return beforeId === undefined
        ? qb.where('a.created_at', '<', before)
        : qb.where((eb) =>
            eb.or([
              eb('a.created_at', '<', before),
              eb.and([eb('a.created_at', '=', before), eb('a.id', '<', beforeId)]),
            ]),
          );
    })
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(query.limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    target: r.target,
    details: JSON.parse(r.details) as Record<string, unknown>,
    actor: r.actor_user_id
      ? { type: 'user', id: r.actor_user_id, name: r.user_name }
      : r.actor_api_key_id
        ? { type: 'apikey', id: r.actor_api_key_id, name: r.key_name }
        : { type: 'system', id: null, name: null },
    createdAt: r.created_at,
  }));
}
