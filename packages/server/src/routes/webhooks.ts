import { newId } from '@wasl/core';
import type { MessageRow } from '@wasl/store';
import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { iso } from '../http/present.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { errors, IsoTime, NoContent, PageLimit, WorkspaceParams } from '../http/schemas.ts';
import {
  createEndpoint,
  deleteEndpoint,
  type EndpointView,
  getEndpoint,
  listEndpoints,
  rotateSecret,
  updateEndpoint,
  viewEndpoint,
} from '../services/webhooks/endpoints.ts';

const tags = ['webhooks'];
const NOT_FOUND = { code: 'not_found' as const, message: 'webhook endpoint not found' };
const EndpointParams = z.strictObject({ ws: z.string(), endpointId: z.string() });

const EventTypes = z
  .array(z.string().min(1).max(120))
  .min(1, 'must name at least one event type')
  .max(50)
  .meta({ description: 'Event types: "contact.created", a prefix such as "message.*", or "*" for all' });

const EndpointDto = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string(),
    eventTypes: z.array(z.string()),
    enabled: z.boolean(),
    disabledReason: z.string().nullable(),
    rotating: z.boolean().meta({ description: 'The previous secret still signs deliveries too (for a day)' }),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  })
  .meta({ id: 'WebhookEndpoint' });
const WithSecret = z.object({
  endpoint: EndpointDto,
  secret: z.string().meta({ description: 'The signing secret (whsec_…). Shown only now: store it.' }),
});
const DeliveryDto = z
  .object({
    id: z.string().meta({ description: 'Also the webhook-id header the receiver sees' }),
    type: z.string(),
    status: z.string(),
    attempts: z.number().int(),
    response: z.string().nullable(),
    lastError: z.string().nullable(),
    skipReason: z.string().nullable(),
    nextAttemptAt: IsoTime.nullable(),
    createdAt: IsoTime,
    sentAt: IsoTime.nullable(),
  })
  .meta({ id: 'WebhookDelivery' });

const present = (e: EndpointView): z.output<typeof EndpointDto> => ({
  ...e,
  createdAt: iso(e.createdAt),
  updatedAt: iso(e.updatedAt),
});
const presentDelivery = (m: MessageRow): z.output<typeof DeliveryDto> => ({
  id: m.id,
  type: (JSON.parse(m.content) as { type?: string }).type ?? '',
  status: m.status,
  attempts: m.attempts,
  response: m.response,
  lastError: m.last_error,
  skipReason: m.skip_reason,
  nextAttemptAt: m.status === 'queued' ? iso(Number(m.next_attempt_at)) : null,
  createdAt: iso(Number(m.created_at)),
  sentAt: m.sent_at === null ? null : iso(Number(m.sent_at)),
});

/**
 * Outgoing webhooks: endpoints that receive the workspace's events, signed
 * per Standard Webhooks, and each endpoint's delivery log.
 */
export function webhookRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/workspaces/:ws/webhooks',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Webhook endpoints of the workspace (secrets are never listed)',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        response: { 200: z.object({ endpoints: z.array(EndpointDto) }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const now = ctx.clock();
      return {
        endpoints: (await listEndpoints(ctx.db, request.params.ws)).map((e) => present(viewEndpoint(e, now))),
      };
    },
  );

  app.post(
    '/api/workspaces/:ws/webhooks',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Add an endpoint; the answer carries its signing secret, shown only this once',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        body: z.strictObject({
          url: z.string().min(1).max(2048),
          description: z.string().max(500).optional(),
          eventTypes: EventTypes,
        }),
        response: { 201: WithSecret, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'workspace.update');
      if (!access.ok) return sendProblem(reply, access.error);
      const created = await createEndpoint(ctx.db, {
        workspaceId: ws,
        input: request.body,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!created.ok) return sendProblem(reply, created.error);
      return reply
        .code(201)
        .send({ endpoint: present(created.value.endpoint), secret: created.value.secret });
    },
  );

  app.get(
    '/api/workspaces/:ws/webhooks/:endpointId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'One webhook endpoint',
        security: SESSION_OR_KEY,
        params: EndpointParams,
        response: { 200: z.object({ endpoint: EndpointDto }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, endpointId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const endpoint = await getEndpoint(ctx.db, ws, endpointId);
      if (!endpoint) return sendProblem(reply, NOT_FOUND);
      return { endpoint: present(viewEndpoint(endpoint, ctx.clock())) };
    },
  );

  app.patch(
    '/api/workspaces/:ws/webhooks/:endpointId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Change the URL, the event types or the description, or switch the endpoint off or on',
        security: SESSION_OR_KEY,
        params: EndpointParams,
        body: z.strictObject({
          url: z.string().min(1).max(2048).optional(),
          description: z.string().max(500).optional(),
          eventTypes: EventTypes.optional(),
          enabled: z.boolean().optional(),
        }),
        response: { 200: z.object({ endpoint: EndpointDto }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, endpointId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'workspace.update');
      if (!access.ok) return sendProblem(reply, access.error);
      const updated = await updateEndpoint(ctx.db, {
        workspaceId: ws,
        id: endpointId,
        input: request.body,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!updated.ok) return sendProblem(reply, updated.error);
      return { endpoint: present(updated.value) };
    },
  );

  app.delete(
    '/api/workspaces/:ws/webhooks/:endpointId',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Remove an endpoint; deliveries still queued for it are skipped',
        security: SESSION_OR_KEY,
        params: EndpointParams,
        response: { 204: NoContent, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, endpointId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'workspace.update');
      if (!access.ok) return sendProblem(reply, access.error);
      const deleted = await deleteEndpoint(ctx.db, {
        workspaceId: ws,
        id: endpointId,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!deleted.ok) return sendProblem(reply, deleted.error);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/workspaces/:ws/webhooks/:endpointId/rotate-secret',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'A new signing secret; the old one keeps signing (second signature) for a day',
        security: SESSION_OR_KEY,
        params: EndpointParams,
        response: { 200: WithSecret, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, endpointId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'workspace.update');
      if (!access.ok) return sendProblem(reply, access.error);
      const rotated = await rotateSecret(ctx.db, {
        workspaceId: ws,
        id: endpointId,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!rotated.ok) return sendProblem(reply, rotated.error);
      return { endpoint: present(rotated.value.endpoint), secret: rotated.value.secret };
    },
  );

  app.post(
    '/api/workspaces/:ws/webhooks/:endpointId/test',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'Queue a "webhook.test" delivery to this endpoint',
        security: SESSION_OR_KEY,
        params: EndpointParams,
        response: { 202: z.object({ delivery: DeliveryDto }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, endpointId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'workspace.update');
      if (!access.ok) return sendProblem(reply, access.error);
      const endpoint = await getEndpoint(ctx.db, ws, endpointId);
      if (!endpoint) return sendProblem(reply, NOT_FOUND);
      const now = ctx.clock();
      const id = newId(now);
      const body = JSON.stringify({
        type: 'webhook.test',
        timestamp: new Date(now).toISOString(),
        data: { endpointId, message: 'Wasl can reach this endpoint — وصل تصل إلى هذا العنوان' },
      });
      await ctx.messaging.enqueue([
        {
          id,
          workspaceId: ws,
          idempotencyKey: `webhook:${endpointId}:test:${id}`,
          channel: 'webhook',
          address: endpoint.url,
          sourceKind: 'test',
          sourceId: endpointId,
          marketing: false,
          content: { endpointId, type: 'webhook.test', body },
        },
      ]);
      const row = await ctx.db
        .selectFrom('messages')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      return reply.code(202).send({ delivery: presentDelivery(row) });
    },
  );

  app.get(
    '/api/workspaces/:ws/webhooks/:endpointId/deliveries',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: "The endpoint's delivery log, newest first: status, attempts, the receiver's answer",
        security: SESSION_OR_KEY,
        params: EndpointParams,
        querystring: z.strictObject({
          status: z.string().max(32).optional(),
          limit: PageLimit,
          before: z.string().max(64).optional().meta({ description: 'A delivery id: older ones follow' }),
        }),
        response: { 200: z.object({ deliveries: z.array(DeliveryDto) }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, endpointId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const endpoint = await getEndpoint(ctx.db, ws, endpointId);
      if (!endpoint) return sendProblem(reply, NOT_FOUND);
      const { status, limit, before } = request.query;
      const rows = await ctx.db
        .selectFrom('messages')
        .selectAll()
        .where('workspace_id', '=', ws)
        .where('channel', '=', 'webhook')
        .where('source_id', '=', endpointId)
        .$if(status !== undefined, (q) => q.where('status', '=', status ?? ''))
        .$if(before !== undefined, (q) => q.where('id', '<', before ?? ''))
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return { deliveries: rows.map(presentDelivery) };
    },
  );
}
