import type { WaslEvent } from '@wasl/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { App, ServerContext } from '../context.ts';
import { COLLECTION_CORS, COLLECTION_PREFLIGHT } from '../http/collection-headers.ts';
import { sendProblem } from '../http/errors.ts';
import { type CollectOutcome, handOverEvents, tooMany as tooManyOutcome } from '../services/collect-one.ts';
import type { Ingest } from '../services/ingest.ts';
import { clientKey } from '../services/ingest-limits.ts';
import { collectRoutes } from './collect.ts';
import { segmentRoutes } from './segment.ts';

/**
 * The collection endpoints (`/api/collect` for the tracker, `/v1/*` for
 * Segment-compatible sources) in a scope of their own:
 *
 * - CORS for any origin on every answer, errors included, and preflights
 *   answered: sites on other origins post here (credentials are never
 *   allowed, so no cookie of this origin is ever sent along);
 * - `text/plain` bodies read as JSON (the tracker and analytics.js send
 *   text/plain to skip the preflight; sendBeacon cannot send anything else);
 * - a per-address rate limit checked before the body is read, so a flood
 *   from one address costs little and does not slow other addresses or sites.
 *
 * Their routes log at `warn` only: no access log line per event (it would
 * carry the client's address, and cost throughput); validation failures are
 * answered, not logged. Helmet's headers (CSP and the like, for documents) are
 * left off their empty or JSON answers: a tenth of the request's cost.
 */
export function collectionRoutes(app: App, ctx: ServerContext, ingest: Ingest): void {
  app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    await ingest.start();
    scope.addHook('onClose', async () => ingest.close());

    const parseJson = scope.getDefaultJsonParser('error', 'error');
    scope.addContentTypeParser('text/plain', { parseAs: 'string' }, (request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      parseJson(request, text, (error, value) => {
        if (error) done(new InvalidBodyError('the request body is not valid JSON'), undefined);
        else done(null, value);
      });
    });

    scope.addHook('onRequest', async (request, reply) => {
      reply.headers(COLLECTION_CORS);
      if (request.method === 'OPTIONS') return;
      const wait = ingest.limits.ip.take(clientKey(request.ip), 1, ctx.clock());
      if (wait !== undefined) {
        return tooMany(reply, wait, `too many requests from this address; retry after ${wait} seconds`);
      }
    });

    collectRoutes(scope, ctx, ingest);
    segmentRoutes(scope, ctx, ingest);
  });
}

class InvalidBodyError extends Error {
  readonly statusCode = 400;
}

/** Answers a CORS preflight for a collection endpoint. */
export function preflight(reply: FastifyReply): FastifyReply {
  return reply.code(204).headers(COLLECTION_PREFLIGHT).send();
}

/** Answers 429 with Retry-After (the outcome `collectPayload` gives for the same refusal). */
export function tooMany(reply: FastifyReply, seconds: number, message: string): FastifyReply {
  answered(reply, tooManyOutcome(seconds, message));
  return reply;
}

/** The request facts the pipeline takes; `browser` adds Accept-Language (a bot signal only for browsers). */
export function requestFacts(request: FastifyRequest, receivedAt: number, browser: boolean) {
  const userAgent = request.headers['user-agent'];
  return browser
    ? { ip: request.ip, userAgent, acceptLanguage: request.headers['accept-language'] ?? '', receivedAt }
    : { ip: request.ip, userAgent, receivedAt };
}

/**
 * Hands events to the sink. Resolves true once the sink took them; otherwise
 * answers (503 with Retry-After when the sink is full, 400 when it cannot
 * store them) and resolves false. (Not the reply itself: a Fastify reply is a
 * thenable, and resolving a promise with it waits for the response instead.)
 */
export async function handOver(
  reply: FastifyReply,
  ingest: Ingest,
  events: readonly WaslEvent[],
): Promise<boolean> {
  return answered(reply, await handOverEvents(ingest, events));
}

/** Sends the problem of a refused outcome (with Retry-After when it has one); true when it was accepted. */
export function answered(reply: FastifyReply, outcome: CollectOutcome): boolean {
  if (outcome.ok) return true;
  if (outcome.retryAfterSeconds !== undefined) reply.header('retry-after', String(outcome.retryAfterSeconds));
  sendProblem(reply, outcome.problem);
  return false;
}
