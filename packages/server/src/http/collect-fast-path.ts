import type { IncomingMessage, ServerResponse } from 'node:http';
import { TrackerPayloadSchema, zodProblem } from '@wasl/ingest';
import type { FastifyBaseLogger } from 'fastify';
import { COLLECT_BODY_LIMIT } from '../routes/collect.ts';
import { type CollectOutcome, collectPayload, tooMany } from '../services/collect-one.ts';
import type { Ingest } from '../services/ingest.ts';
import { clientKey } from '../services/ingest-limits.ts';
import { COLLECTION_CORS, COLLECTION_PREFLIGHT } from './collection-headers.ts';
import { bodyTooLarge, errorBody, type HttpProblem, statusOf } from './errors.ts';

const PREFLIGHT = { ...COLLECTION_CORS, ...COLLECTION_PREFLIGHT };
const ACCEPTED_TYPES = /^(text\/plain|application\/json)\s*(;|$)/i;

export interface FastPathOptions {
  /** The collection state, once the routes are registered (undefined: not an ingest process). */
  ingest: () => Ingest | undefined;
  clock: () => number;
  /** Like Fastify's trustProxy: the client is the leftmost X-Forwarded-For address. */
  trustProxy: boolean;
  log: FastifyBaseLogger;
}

/**
 * `POST /api/collect` (and its preflight) straight on node:http, in front of
 * Fastify. The tracker's endpoint is the hottest path in Wasl, and Fastify's
 * per-request work (request/reply objects, hooks, routing, serialisation)
 * costs about three times the event's own (bench/ingest.ts, decision 0008).
 * Behaviour is the route's: the same schema, the same `collectPayload`, the
 * same problem bodies; the Fastify route still answers `app.inject` and
 * documents the endpoint in OpenAPI. Returns false for any other request.
 */
export function collectFastPath(
  options: FastPathOptions,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const url = req.url ?? '';
    if (url !== '/api/collect' && !url.startsWith('/api/collect?')) return false;
    const ingest = options.ingest();
    if (ingest === undefined) return false;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, PREFLIGHT).end();
      return true;
    }
    if (req.method !== 'POST') return false;

    const ip = clientIp(req, options.trustProxy);
    const wait = ingest.limits.ip.take(clientKey(ip), 1, options.clock());
    if (wait !== undefined) {
      return refuse(
        req,
        res,
        tooMany(wait, `too many requests from this address; retry after ${wait} seconds`),
      );
    }
    const type = req.headers['content-type'];
    if (type === undefined || !ACCEPTED_TYPES.test(type)) {
      return refuse(req, res, {
        ok: false,
        problem: {
          code: 'unsupported_media_type',
          message: `content type ${type ?? '(none)'} is not accepted; send text/plain or application/json`,
        },
      });
    }
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > COLLECT_BODY_LIMIT) return refuse(req, res, tooLarge());

    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > COLLECT_BODY_LIMIT) {
        refused = true;
        refuse(req, res, tooLarge());
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const receivedAt = options.clock();
      const text =
        chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8');
      void answer(ingest, text, {
        ip,
        userAgent: req.headers['user-agent'],
        acceptLanguage: req.headers['accept-language'] ?? '',
        receivedAt,
      })
        .then((outcome) => send(res, outcome))
        .catch((error: unknown) => {
          options.log.error({ err: error }, 'collecting an event failed');
          send(res, { ok: false, problem: { code: 'internal', message: 'internal error' } });
        });
    });
    req.on('error', () => res.destroy());
    return true;
  };
}

async function answer(
  ingest: Ingest,
  text: string,
  facts: Parameters<typeof collectPayload>[2],
): Promise<CollectOutcome> {
  if (text.trim() === '') return invalid({ code: 'invalid', message: 'the request body is empty' });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return invalid({ code: 'invalid', message: 'the request body is not valid JSON' });
  }
  const parsed = TrackerPayloadSchema.safeParse(body);
  if (!parsed.success) {
    const problem = zodProblem(parsed.error, '', body);
    // Name an unknown top-level field itself, as the route's validation does.
    const issue = parsed.error.issues[0];
    if (issue?.code === 'unrecognized_keys' && issue.path.length === 0 && issue.keys[0] !== undefined) {
      return invalid({ ...problem, field: issue.keys[0] });
    }
    return invalid(problem);
  }
  return collectPayload(ingest, parsed.data, facts);
}

const invalid = (problem: HttpProblem): CollectOutcome => ({ ok: false, problem });

const tooLarge = (): CollectOutcome => invalid(bodyTooLarge(COLLECT_BODY_LIMIT));

function send(res: ServerResponse, outcome: CollectOutcome): void {
  if (outcome.ok) {
    res.writeHead(202, COLLECTION_CORS).end();
    return;
  }
  const headers: Record<string, string> = {
    ...COLLECTION_CORS,
    'content-type': 'application/json; charset=utf-8',
  };
  if (outcome.retryAfterSeconds !== undefined) headers['retry-after'] = String(outcome.retryAfterSeconds);
  res.writeHead(statusOf(outcome.problem.code), headers).end(JSON.stringify(errorBody(outcome.problem)));
}

/** Answers before reading the body; what the client still sends is read and dropped. */
function refuse(req: IncomingMessage, res: ServerResponse, outcome: CollectOutcome): true {
  send(res, outcome);
  req.resume();
  return true;
}

function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    if (typeof forwarded === 'string' && forwarded !== '') {
      const comma = forwarded.indexOf(',');
      return (comma === -1 ? forwarded : forwarded.slice(0, comma)).trim();
    }
  }
  return req.socket.remoteAddress ?? '';
}
