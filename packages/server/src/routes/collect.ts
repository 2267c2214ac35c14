import { TrackerPayloadSchema } from '@wasl/ingest';
import type { App, ServerContext } from '../context.ts';
import { errors, NoContent } from '../http/schemas.ts';
import { collectPayload } from '../services/collect-one.ts';
import type { Ingest } from '../services/ingest.ts';
import { answered, preflight, requestFacts } from './collection.ts';

/** A tracker payload is a few hundred bytes; the largest fields (URL, referrer, title, props) fit in 32 KB with room to spare. */
export const COLLECT_BODY_LIMIT = 32 * 1024;

const DESCRIPTION = [
  'One tracker payload (`packages/tracker/src/payload.ts`), sent as `text/plain` (no CORS preflight) or',
  '`application/json`, from any origin. Answers 202 once the event is accepted. The site key is resolved',
  'from memory: an unknown key is a 404 without touching the database. The event time is the receive',
  'time (`ts` is checked, not used). Consent mode (`uid` present) hashes `uid` with the site; otherwise',
  "the visitor id is a keyed hash of the day's salt, site, IP address and user agent. The IP address is",
  'used for that hash and the country/region lookup only and never stored.',
].join(' ');

/** `POST /api/collect`: the browser tracker's endpoint. */
export function collectRoutes(app: App, ctx: ServerContext, ingest: Ingest): void {
  app.options(
    '/api/collect',
    {
      logLevel: 'warn',
      helmet: false,
      schema: {
        tags: ['tracking'],
        summary: 'CORS preflight for /api/collect',
        response: { 204: NoContent },
      },
    },
    async (_request, reply) => preflight(reply),
  );

  app.post(
    '/api/collect',
    {
      bodyLimit: COLLECT_BODY_LIMIT,
      logLevel: 'warn',
      helmet: false,
      schema: {
        tags: ['tracking'],
        summary: 'Collect one tracker event (page view, custom event, engagement, identify)',
        description: DESCRIPTION,
        consumes: ['text/plain', 'application/json'],
        body: TrackerPayloadSchema,
        response: { 202: NoContent, ...errors(400, 404, 413, 415, 429, 503) },
      },
    },
    async (request, reply) => {
      const facts = requestFacts(request, ctx.clock(), true);
      if (!answered(reply, await collectPayload(ingest, request.body, facts))) return reply;
      return reply.code(202).send();
    },
  );
}
