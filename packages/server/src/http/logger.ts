import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type Logger, type LoggerOptions, pino } from 'pino';

export type LoggerInput = LoggerOptions | Logger;

/**
 * Credentials never reach the log: headers that carry them, any field named
 * like a secret, and `token=` in URLs (setup and password-reset links are
 * opened as GET /setup?token=…).
 */
const REDACT: LoggerOptions['redact'] = {
  paths: [
    'req.headers.authorization',
    'req.headers.cookie',
    'req.headers["x-csrf-token"]',
    'res.headers["set-cookie"]',
    'headers.authorization',
    'headers.cookie',
    'password',
    '*.password',
    'token',
    '*.token',
    'key',
    '*.key',
    'secret',
    '*.secret',
    'databaseUrl',
    '*.databaseUrl',
    'eventsUrl',
    '*.eventsUrl',
  ],
  censor: '[redacted]',
};

export const redactQuery = (url: string): string =>
  url.replace(/([?&](?:token|key|password|secret)=)[^&#]*/gi, '$1[redacted]');

/** Fastify's request summary, minus secrets in the query string. */
function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactQuery(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

const isLogger = (input: LoggerInput): input is Logger =>
  typeof (input as Logger).child === 'function' && typeof (input as Logger).info === 'function';

/** A pino logger with Wasl's redaction, from options or as a child of the caller's logger. */
export function createLogger(input: LoggerInput | undefined, level: LoggerOptions['level']): Logger {
  const own = { redact: REDACT, serializers: { req: serializeRequest } };
  if (input !== undefined && isLogger(input)) return input.child({}, own);
  return pino({ level, ...input, ...own });
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Keeps a caller's x-request-id (a proxy's, say) when it is harmless in a log line; otherwise a fresh UUID. */
export function requestIdOf(raw: IncomingMessage): string {
  const given = raw.headers['x-request-id'];
  return typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** Echoes the request id so a person reporting a problem can quote it. */
export function installRequestIdHeader(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
}
