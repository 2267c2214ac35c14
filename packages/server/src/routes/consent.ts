import { CONSENT_CHANNELS, normalisePhone, normaliseEmail as validEmail } from '@wasl/core';
import type { Consent, Suppression, Topic } from '@wasl/store';
import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { iso } from '../http/present.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { errors, IsoTime, Name, NoContent, PageLimit, WorkspaceParams } from '../http/schemas.ts';
import {
  CONSENT_STATUSES,
  consentEvent,
  createTopic,
  listConsents,
  listSuppressions,
  listTopics,
  SUPPRESSION_REASONS,
  setConsent,
  suppress,
  unsuppress,
} from '../services/consent.ts';

const Channel = z.enum(CONSENT_CHANNELS);
const ContactParams = z.strictObject({ ws: z.string(), contactId: z.string() });
const SuppressionParams = z.strictObject({ ws: z.string(), channel: Channel, address: z.string() });

const ConsentDto = z
  .object({
    channel: Channel,
    topicId: z.string().nullable(),
    status: z.enum(CONSENT_STATUSES),
    source: z.string(),
    proof: z.record(z.string(), z.unknown()),
    updatedAt: IsoTime,
  })
  .meta({ id: 'Consent' });

const TopicDto = z
  .object({ id: z.string(), name: z.string(), description: z.string().nullable(), createdAt: IsoTime })
  .meta({ id: 'Topic' });

const SuppressionDto = z
  .object({
    channel: Channel,
    address: z.string(),
    reason: z.enum(SUPPRESSION_REASONS),
    details: z.string().nullable(),
    createdAt: IsoTime,
  })
  .meta({ id: 'Suppression' });

const presentConsent = (c: Consent): z.output<typeof ConsentDto> => ({
  channel: c.channel as z.output<typeof Channel>,
  topicId: c.topic_id === '' ? null : c.topic_id,
  status: c.status as z.output<typeof ConsentDto>['status'],
  source: c.source,
  proof: JSON.parse(c.proof) as Record<string, unknown>,
  updatedAt: iso(c.updated_at),
});

const presentTopic = (t: Topic): z.output<typeof TopicDto> => ({
  id: t.id,
  name: t.name,
  description: t.description,
  createdAt: iso(t.created_at),
});

const presentSuppression = (s: Suppression): z.output<typeof SuppressionDto> => ({
  channel: s.channel as z.output<typeof Channel>,
  address: s.address,
  reason: s.reason as z.output<typeof SuppressionDto>['reason'],
  details: s.details,
  createdAt: iso(s.created_at),
});

/** Consent per channel and topic, subscription topics, and the suppression list no send can bypass. */
export function consentRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/workspaces/:ws/contacts/:contactId/consents',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['consent'],
        summary: "A contact's consent per channel and topic, with source and proof",
        security: SESSION_OR_KEY,
        params: ContactParams,
        response: { 200: z.object({ consents: z.array(ConsentDto) }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, contactId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const consents = await listConsents(ctx.db, ws, contactId);
      if (consents.length === 0) {
        const exists = await ctx.db
          .selectFrom('contacts')
          .select('id')
          .where('workspace_id', '=', ws)
          .where('id', '=', contactId)
          .executeTakeFirst();
        if (!exists) return sendProblem(reply, { code: 'not_found', message: 'contact not found' });
      }
      return { consents: consents.map(presentConsent) };
    },
  );

  app.put(
    '/api/workspaces/:ws/contacts/:contactId/consents',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['consent'],
        summary: "Record a contact's answer for a channel or one of its topics",
        security: SESSION_OR_KEY,
        params: ContactParams,
        body: z.strictObject({
          channel: Channel,
          topicId: z.string().optional(),
          status: z.enum(CONSENT_STATUSES),
          source: z.string().min(1).max(100).default('api'),
          proof: z.record(z.string(), z.unknown()).optional(),
        }),
        response: { 200: z.object({ consent: ConsentDto }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, contactId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const saved = await setConsent(ctx.db, {
        workspaceId: ws,
        contactId,
        ...request.body,
        now: ctx.clock(),
      });
      if (!saved.ok) return sendProblem(reply, saved.error);
      ctx.audience.contactsChanged(ws, [contactId]);
      // The answer is saved; its line in the timeline is best effort.
      await ctx.events
        ?.append([consentEvent(ws, saved.value)])
        .catch((error: unknown) =>
          request.log.error({ err: error }, 'recording the consent change as an event failed'),
        );
      return { consent: presentConsent(saved.value) };
    },
  );

  app.get(
    '/api/workspaces/:ws/topics',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['consent'],
        summary: 'Subscription topics (newsletters) people consent to separately',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        response: { 200: z.object({ topics: z.array(TopicDto) }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      return { topics: (await listTopics(ctx.db, request.params.ws)).map(presentTopic) };
    },
  );

  app.post(
    '/api/workspaces/:ws/topics',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['consent'],
        summary: 'Add a subscription topic',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        body: z.strictObject({ name: Name, description: z.string().max(500).optional() }),
        response: { 201: z.object({ topic: TopicDto }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const created = await createTopic(ctx.db, {
        workspaceId: ws,
        ...request.body,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!created.ok) return sendProblem(reply, created.error);
      return reply.code(201).send({ topic: presentTopic(created.value) });
    },
  );

  app.get(
    '/api/workspaces/:ws/suppressions',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['consent'],
        summary: 'Addresses no send may reach (bounces, complaints, manual), a page at a time',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        querystring: z.strictObject({
          channel: Channel.optional(),
          limit: PageLimit,
          after: z.string().optional().meta({ description: 'The `next` value of the previous page' }),
        }),
        response: {
          200: z.object({ suppressions: z.array(SuppressionDto), next: z.string().nullable() }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const page = await listSuppressions(ctx.db, { workspaceId: ws, ...request.query });
      return { suppressions: page.suppressions.map(presentSuppression), next: page.next };
    },
  );

  app.post(
    '/api/workspaces/:ws/suppressions',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['consent'],
        summary: 'Suppress an address on a channel; no campaign or journey will reach it',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        body: z.strictObject({
          channel: Channel,
          address: z.string().min(1).max(320),
          details: z.string().max(500).optional(),
        }),
        response: { 201: z.object({ suppression: SuppressionDto }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.write');
      if (!access.ok) return sendProblem(reply, access.error);
      const { channel, details } = request.body;
      const checked =
        channel === 'email' ? validEmail(request.body.address) : normalisePhone(request.body.address);
      if (!checked.ok) return sendProblem(reply, { ...checked.error, field: 'address' });
      const row = await suppress(ctx.db, {
        workspaceId: ws,
        channel,
        address: checked.value,
        reason: 'manual',
        ...(details ? { details } : {}),
        now: ctx.clock(),
      });
      return reply.code(201).send({ suppression: presentSuppression(row) });
    },
  );

  app.delete(
    '/api/workspaces/:ws/suppressions/:channel/:address',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['consent'],
        summary: 'Lift a suppression (owner, admin): the address can be reached again',
        security: SESSION_OR_KEY,
        params: SuppressionParams,
        response: { 204: NoContent, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, channel, address } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'privacy.manage');
      if (!access.ok) return sendProblem(reply, access.error);
      const removed = await unsuppress(ctx.db, {
        workspaceId: ws,
        channel,
        address,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!removed.ok) return sendProblem(reply, removed.error);
      return reply.code(204).send();
    },
  );
}
