/**
 * Webhook endpoints: where a workspace wants its events delivered, which
 * events, and the secret each delivery is signed with (Standard Webhooks).
 * The secret is shown once, when it is made; rotating keeps the previous one
 * valid for a day so receivers can switch without losing deliveries.
 */
import { newWebhookSecret } from '@wasl/channels/webhook';
import { err, newId, ok, problem, type Result } from '@wasl/core';
import type { Database, WebhookEndpoint } from '@wasl/store';
import type { Kysely } from 'kysely';
import { type Actor, recordAudit } from '../audit.ts';
import { inTransaction } from '../transaction.ts';

/** How long a rotated-out secret still signs deliveries. */
export const PREVIOUS_SECRET_MS = 24 * 3_600_000;
export const MAX_ENDPOINTS_PER_WORKSPACE = 100;
const EVENT_TYPE = /^(\*|[a-z$][a-z0-9_$]*(\.[a-z0-9_$]+)*(\.\*)?)$/i;

export interface EndpointView {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason: string | null;
  /** True while the previous secret still signs deliveries too. */
  rotating: boolean;
  createdAt: number;
  updatedAt: number;
}

export const viewEndpoint = (e: WebhookEndpoint, now: number): EndpointView => ({
  id: e.id,
  url: e.url,
  description: e.description,
  eventTypes: JSON.parse(e.event_types) as string[],
  enabled: e.enabled === 1,
  disabledReason: e.disabled_reason,
  rotating: e.previous_secret !== null && (e.previous_until ?? 0) > now,
  createdAt: e.created_at,
  updatedAt: e.updated_at,
});

/** The secrets that sign a delivery now: the current one, and the previous one during a rotation. */
export function signingSecrets(e: WebhookEndpoint, now: number): string[] {
  return e.previous_secret !== null && (e.previous_until ?? 0) > now
    ? [e.secret, e.previous_secret]
    : [e.secret];
}

/** Does an event type ('message.delivered', 'page') match an endpoint's pattern ('message.*', '*')? */
export function matchesEventType(patterns: readonly string[], type: string): boolean {
  return patterns.some(
    (p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))),
  );
}

/** An absolute http(s) URL without credentials; where it resolves is checked at each delivery (SSRF guard). */
function checkUrl(text: string): Result<string> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return err(problem('invalid', `url "${text}" is not an absolute URL`, 'url'));
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return err(problem('invalid', `url must use https or http, not ${url.protocol}`, 'url'));
  if (url.username !== '' || url.password !== '')
    return err(problem('invalid', 'url must not carry a user name or password', 'url'));
  return ok(url.href);
}

function checkTypes(types: readonly string[]): Result<string[]> {
  const bad = types.find((t) => !EVENT_TYPE.test(t));
  if (bad !== undefined)
    return err(
      problem(
        'invalid',
        `eventTypes: "${bad}" is not an event type; use a name like "message.delivered", a prefix like "message.*", or "*"`,
        'eventTypes',
      ),
    );
  return ok([...new Set(types)]);
}

export interface EndpointInput {
  url: string;
  description?: string;
  eventTypes: string[];
}

export async function createEndpoint(
  db: Kysely<Database>,
  q: { workspaceId: string; input: EndpointInput; actor: Actor; now: number },
): Promise<Result<{ endpoint: EndpointView; secret: string }>> {
  const url = checkUrl(q.input.url);
  if (!url.ok) return url;
  const types = checkTypes(q.input.eventTypes);
  if (!types.ok) return types;
  return inTransaction(db, async (trx) => {
    const count = await trx
      .selectFrom('webhook_endpoints')
      .select(({ fn }) => fn.countAll<number | string>().as('n'))
      .where('workspace_id', '=', q.workspaceId)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= MAX_ENDPOINTS_PER_WORKSPACE)
      return err(
        problem('conflict', `a workspace has at most ${MAX_ENDPOINTS_PER_WORKSPACE} webhook endpoints`),
      );
    const row: WebhookEndpoint = {
      id: newId(q.now),
      workspace_id: q.workspaceId,
      url: url.value,
      description: q.input.description ?? '',
      event_types: JSON.stringify(types.value),
      secret: newWebhookSecret(),
      previous_secret: null,
      previous_until: null,
      enabled: 1,
      disabled_reason: null,
      created_at: q.now,
      updated_at: q.now,
    };
    await trx.insertInto('webhook_endpoints').values(row).execute();
    await recordAudit(trx, {
      workspaceId: q.workspaceId,
      actor: q.actor,
      action: 'webhook.created',
      target: `webhook:${row.id}`,
      details: { url: row.url, eventTypes: types.value },
      now: q.now,
    });
    return ok({ endpoint: viewEndpoint(row, q.now), secret: row.secret });
  });
}

export const getEndpoint = (db: Kysely<Database>, workspaceId: string, id: string) =>
  db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', id)
    .executeTakeFirst();

export const listEndpoints = (db: Kysely<Database>, workspaceId: string) =>
  db
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .execute();

const notFound = problem('not_found', 'webhook endpoint not found');

export async function updateEndpoint(
  db: Kysely<Database>,
  q: {
    workspaceId: string;
    id: string;
    input: Partial<EndpointInput> & { enabled?: boolean };
    actor: Actor;
    now: number;
  },
): Promise<Result<EndpointView>> {
  const changes: Partial<WebhookEndpoint> = { updated_at: q.now };
  if (q.input.url !== undefined) {
    const url = checkUrl(q.input.url);
    if (!url.ok) return url;
    changes.url = url.value;
  }
  if (q.input.eventTypes !== undefined) {
    const types = checkTypes(q.input.eventTypes);
    if (!types.ok) return types;
    changes.event_types = JSON.stringify(types.value);
  }
  if (q.input.description !== undefined) changes.description = q.input.description;
  if (q.input.enabled !== undefined) {
    changes.enabled = q.input.enabled ? 1 : 0;
    changes.disabled_reason = q.input.enabled ? null : 'switched off';
  }
  return inTransaction(db, async (trx) => {
    const updated = await trx
      .updateTable('webhook_endpoints')
      .set(changes)
      .where('workspace_id', '=', q.workspaceId)
      .where('id', '=', q.id)
      .returningAll()
      .executeTakeFirst();
    if (!updated) return err(notFound);
    await recordAudit(trx, {
      workspaceId: q.workspaceId,
      actor: q.actor,
      action: 'webhook.updated',
      target: `webhook:${q.id}`,
      details: { ...q.input },
      now: q.now,
    });
    return ok(viewEndpoint(updated, q.now));
  });
}

/** A new secret; the old one keeps signing (as a second signature) for PREVIOUS_SECRET_MS. */
export async function rotateSecret(
  db: Kysely<Database>,
  q: { workspaceId: string; id: string; actor: Actor; now: number },
): Promise<Result<{ endpoint: EndpointView; secret: string }>> {
  return inTransaction(db, async (trx) => {
    const current = await getEndpoint(trx, q.workspaceId, q.id);
    if (!current) return err(notFound);
    const secret = newWebhookSecret();
    const updated = await trx
      .updateTable('webhook_endpoints')
      .set({
        secret,
        previous_secret: current.secret,
        previous_until: q.now + PREVIOUS_SECRET_MS,
        updated_at: q.now,
      })
      .where('id', '=', q.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, {
      workspaceId: q.workspaceId,
      actor: q.actor,
      action: 'webhook.secret_rotated',
      target: `webhook:${q.id}`,
      now: q.now,
    });
    return ok({ endpoint: viewEndpoint(updated, q.now), secret });
  });
}

export async function deleteEndpoint(
  db: Kysely<Database>,
  q: { workspaceId: string; id: string; actor: Actor; now: number },
): Promise<Result<void>> {
  return inTransaction(db, async (trx) => {
    const deleted = await trx
      .deleteFrom('webhook_endpoints')
      .where('workspace_id', '=', q.workspaceId)
      .where('id', '=', q.id)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) === 0) return err(notFound);
    // Deliveries still queued for it have nowhere to go.
    await trx
      .updateTable('messages')
      .set({ status: 'skipped', skip_reason: 'endpoint_deleted', updated_at: q.now })
      .where('workspace_id', '=', q.workspaceId)
      .where('channel', '=', 'webhook')
      .where('source_id', '=', q.id)
      .where('status', '=', 'queued')
      .execute();
    await recordAudit(trx, {
      workspaceId: q.workspaceId,
      actor: q.actor,
      action: 'webhook.deleted',
      target: `webhook:${q.id}`,
      now: q.now,
    });
    return ok(undefined);
  });
}
