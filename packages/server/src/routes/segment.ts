import type { WaslEvent } from '@wasl/core';
import {
  type CollectSite,
  eventFromSegment,
  parseSegmentBatchMessage,
  SEGMENT_SCHEMAS,
  SEGMENT_TYPES,
  SegmentBatchSchema,
} from '@wasl/ingest';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { sendProblem } from '../http/errors.ts';
import { errors, NoContent } from '../http/schemas.ts';
import type { Ingest } from '../services/ingest.ts';
import { handOver, preflight, requestFacts, tooMany } from './collection.ts';

/** Segment's own limits: 32 KB per call, 500 KB per batch. */
export const SEGMENT_CALL_LIMIT = 32 * 1024;
export const SEGMENT_BATCH_LIMIT = 500 * 1024;

const SegmentOk = z.object({ success: z.literal(true) }).meta({ id: 'SegmentOk' });
const SegmentBatchOk = z
  .object({
    success: z.literal(true),
    accepted: z.number().int().meta({ description: 'Messages accepted' }),
    rejected: z
      .array(
        z.object({
          index: z.number().int(),
          messageId: z.string().optional(),
          field: z.string().optional(),
          message: z.string(),
        }),
      )
      .meta({ description: 'Messages refused, with the reason; the others were accepted' }),
  })
  .meta({ id: 'SegmentBatchOk' });

const AUTH =
  'Authenticate like Segment: HTTP Basic with the write key as the user name and an empty password ' +
  '(`Authorization: Basic base64("<key>:")`, what analytics-node and RudderStack send), or `writeKey` in the ' +
  "body (analytics.js). A site's write key is its site key (`site_…`, the tracker's data-site): write keys " +
  'are public in Segment too (analytics.js puts them in every page) and allow nothing but sending events.';

/** The site a request's Basic auth named, resolved before the body is read. */
const authorised = new WeakMap<FastifyRequest, CollectSite>();

/**
 * Segment's HTTP Tracking API (`/v1/track`, `/page`, `/identify`, `/group`,
 * `/alias`, `/batch`), so Segment's and RudderStack's SDKs and sources send to
 * Wasl by changing only their host. Answers `{ "success": true }` like
 * Segment. Differences, all stricter: an invalid single message is a 400
 * naming the field (Segment answers 200 and drops it); an oversized body is a
 * 413 (Segment: 400). `/v1/batch` does what Segment does with bad messages:
 * accepts the valid ones and drops the others, and lists them in `rejected`.
 */
export function segmentRoutes(app: App, ctx: ServerContext, ingest: Ingest): void {
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'POST' || !request.url.startsWith('/v1/')) return;
    const key = basicAuthUser(request.headers.authorization);
    if (key === undefined) return;
    const site = ingest.sites.byKey(key);
    if (site === undefined) return unauthorised(reply, 'unknown write key');
    authorised.set(request, site);
  });

  const siteOf = (request: FastifyRequest, body: { writeKey?: string }) =>
    authorised.get(request) ?? (body.writeKey === undefined ? undefined : ingest.sites.byKey(body.writeKey));
  const refuseKey = (reply: FastifyReply, body: { writeKey?: string }) =>
    unauthorised(
      reply,
      body.writeKey === undefined
        ? 'a write key is required: send it as the Basic auth user name'
        : 'unknown write key',
    );

  for (const type of SEGMENT_TYPES) {
    app.options(
      `/v1/${type}`,
      {
        logLevel: 'warn',
        helmet: false,
        schema: {
          tags: ['segment'],
          summary: `CORS preflight for /v1/${type}`,
          response: { 204: NoContent },
        },
      },
      async (_request, reply) => preflight(reply),
    );
    app.post(
      `/v1/${type}`,
      {
        bodyLimit: SEGMENT_CALL_LIMIT,
        logLevel: 'warn',
        helmet: false,
        schema: {
          tags: ['segment'],
          summary: `Segment ${type} call`,
          description: AUTH,
          consumes: ['application/json', 'text/plain'],
          body: SEGMENT_SCHEMAS[type],
          response: { 200: SegmentOk, ...errors(400, 401, 413, 415, 429, 503) },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const site = siteOf(request, body);
        if (site === undefined) return refuseKey(reply, body);
        const receivedAt = ctx.clock();
        const wait = ingest.limits.site.take(site.id, 1, receivedAt);
        if (wait !== undefined)
          return tooMany(reply, wait, `too many events for this source; retry after ${wait} seconds`);
        const message = { type, message: body } as Parameters<typeof eventFromSegment>[0];
        const event = eventFromSegment(
          message,
          requestFacts(request, receivedAt, false),
          site,
          ingest.pipeline,
        );
        if (!event.ok) return sendProblem(reply, event.error);
        if (!(await handOver(reply, ingest, [event.value]))) return reply;
        return { success: true as const };
      },
    );
  }

  app.options(
    '/v1/batch',
    {
      logLevel: 'warn',
      helmet: false,
      schema: { tags: ['segment'], summary: 'CORS preflight for /v1/batch', response: { 204: NoContent } },
    },
    async (_request, reply) => preflight(reply),
  );
  app.post(
    '/v1/batch',
    {
      bodyLimit: SEGMENT_BATCH_LIMIT,
      logLevel: 'warn',
      helmet: false,
      schema: {
        tags: ['segment'],
        summary: 'Segment batch: many calls in one request',
        description: `${AUTH} Each message carries its call in \`type\` and is checked on its own: valid ones are accepted, invalid ones listed in \`rejected\` (Segment drops them too). Batch-level \`context\` and \`sentAt\` apply to every message.`,
        consumes: ['application/json', 'text/plain'],
        body: SegmentBatchSchema,
        response: { 200: SegmentBatchOk, ...errors(400, 401, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const site = siteOf(request, body);
      if (site === undefined) return refuseKey(reply, body);
      const receivedAt = ctx.clock();
      const wait = ingest.limits.site.take(site.id, Math.max(1, body.batch.length), receivedAt);
      if (wait !== undefined)
        return tooMany(reply, wait, `too many events for this source; retry after ${wait} seconds`);
      const facts = requestFacts(request, receivedAt, false);
      const events: WaslEvent[] = [];
      const rejected: z.infer<typeof SegmentBatchOk>['rejected'] = [];
      for (let index = 0; index < body.batch.length; index++) {
        const parsed = parseSegmentBatchMessage(body, index);
        const event = parsed.ok ? eventFromSegment(parsed.value, facts, site, ingest.pipeline) : parsed;
        if (event.ok) {
          events.push(event.value);
          continue;
        }
        const prefix = parsed.ok ? `batch[${index}].` : '';
        const messageId = messageIdAt(body.batch[index]);
        rejected.push({
          index,
          ...(messageId === undefined ? {} : { messageId }),
          ...(event.error.field === undefined ? {} : { field: `${prefix}${event.error.field}` }),
          message: `${prefix}${event.error.message}`,
        });
      }
      if (events.length > 0) {
        if (!(await handOver(reply, ingest, events))) return reply;
      }
      return { success: true as const, accepted: events.length, rejected };
    },
  );
}

/** The user name of `Authorization: Basic …`, or undefined when the header is absent or another scheme. */
export function basicAuthUser(header: string | undefined): string | undefined {
  if (header === undefined || header.length < 7 || header.slice(0, 6).toLowerCase() !== 'basic ')
    return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon === -1 ? decoded : decoded.slice(0, colon);
  return user === '' ? undefined : user;
}

function messageIdAt(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id = (raw as { messageId?: unknown }).messageId;
  return typeof id === 'string' && id.length <= 200 ? id : undefined;
}

function unauthorised(reply: FastifyReply, message: string): FastifyReply {
  reply.header('www-authenticate', 'Basic realm="wasl"');
  return sendProblem(reply, { code: 'unauthorized', message });
}
