import { type ApiKeyScope, err, newId, ok, problem, type Result } from '@wasl/core';
import type { ApiKey, Database } from '@wasl/store';
import type { Kysely } from 'kysely';
import { type Actor, recordAudit } from './audit.ts';
import { randomBase62, sha256Hex } from './crypto.ts';
import { inTransaction } from './transaction.ts';

/** `wasl_<8-character prefix>_<32 random characters>`, all base62: about 238 random bits. */
const KEY_PATTERN = /^wasl_([0-9A-Za-z]{8})_([0-9A-Za-z]{32,128})$/;
/** Recording every use would write on every API call; once a minute is enough to see a key is alive. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface NewApiKey {
  workspaceId: string;
  name: string;
  scope: ApiKeyScope;
  actor: Actor;
  now?: number;
}

export interface CreatedApiKey {
  apiKey: ApiKey;
  /** The whole key. Only its SHA-256 is stored: this is the one time anyone sees it. */
  key: string;
}

export async function createApiKey(db: Kysely<Database>, input: NewApiKey): Promise<Result<CreatedApiKey>> {
  const now = input.now ?? Date.now();
  const prefix = randomBase62(8);
  const key = `wasl_${prefix}_${randomBase62(32)}`;
  const apiKey: ApiKey = {
    id: newId(now),
    workspace_id: input.workspaceId,
    name: input.name.trim(),
    prefix,
    key_hash: sha256Hex(key),
    scope: input.scope,
    created_by: input.actor.type === 'user' ? input.actor.id : null,
    created_at: now,
    last_used_at: null,
    revoked_at: null,
  };
  return inTransaction(db, async (trx) => {
    const workspace = await trx
      .selectFrom('workspaces')
      .select('id')
      .where('id', '=', input.workspaceId)
      .executeTakeFirst();
    if (!workspace) return err(problem('not_found', 'workspace not found'));
    await trx.insertInto('api_keys').values(apiKey).execute();
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'apikey.created',
      target: `apikey:${apiKey.id}`,
      details: { name: apiKey.name, scope: apiKey.scope, prefix },
      now,
    });
    return ok({ apiKey, key });
  });
}

/** Newest first, revoked ones included so the list explains why an old integration stopped. */
export const listApiKeys = (db: Kysely<Database>, workspaceId: string): Promise<ApiKey[]> =>
  db
    .selectFrom('api_keys')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();

export interface ApiKeyRevocation {
  workspaceId: string;
  keyId: string;
  actor: Actor;
  now?: number;
}

/** Revokes a key of this workspace. Revoking twice is fine and is recorded once. */
export async function revokeApiKey(db: Kysely<Database>, input: ApiKeyRevocation): Promise<Result<ApiKey>> {
  const now = input.now ?? Date.now();
  return inTransaction(db, async (trx) => {
    const key = await trx
      .selectFrom('api_keys')
      .selectAll()
      .where('workspace_id', '=', input.workspaceId)
      .where('id', '=', input.keyId)
      .executeTakeFirst();
    if (!key) return err(problem('not_found', 'api key not found'));
    if (key.revoked_at !== null) return ok(key);
    await trx.updateTable('api_keys').set({ revoked_at: now }).where('id', '=', key.id).execute();
    await recordAudit(trx, {
      workspaceId: input.workspaceId,
      actor: input.actor,
      action: 'apikey.revoked',
      target: `apikey:${key.id}`,
      details: { name: key.name, prefix: key.prefix },
      now,
    });
    return ok({ ...key, revoked_at: now });
  });
}

/**
 * The live key a bearer token names, or undefined for a malformed, unknown or
 * revoked one. Notes the use in last_used_at at most once a minute.
 */
export async function authenticateApiKey(
  db: Kysely<Database>,
  presented: string,
  now: number,
): Promise<ApiKey | undefined> {
  if (!KEY_PATTERN.test(presented)) return undefined;
  const key = await db
    .selectFrom('api_keys')
    .selectAll()
    .where('key_hash', '=', sha256Hex(presented))
    .executeTakeFirst();
  if (!key || key.revoked_at !== null) return undefined;
  if (key.last_used_at === null || now - key.last_used_at >= LAST_USED_RESOLUTION_MS) {
    // The condition repeats in SQL so that concurrent requests write once between them.
    await db
      .updateTable('api_keys')
      .set({ last_used_at: now })
      .where('id', '=', key.id)
      .where((eb) =>
        eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', now - LAST_USED_RESOLUTION_MS)]),
      )
      .execute();
    return { ...key, last_used_at: now };
  }
  return key;
}
