import type { Problem, ProblemCode } from '@wasl/core';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { validationProblem } from './validation-problem.ts';

/** The core's problem codes plus the ones only HTTP produces. */
export type ErrorCode = ProblemCode | 'payload_too_large' | 'unsupported_media_type' | 'internal';

export interface HttpProblem {
  code: ErrorCode;
  message: string;
  field?: string;
  /** 1-based position of the fault in a text field (a template's body or subject). */
  line?: number;
  column?: number;
}

const STATUS: Record<ErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
};

export const statusOf = (code: ErrorCode): number => STATUS[code];

export const errorBody = (p: HttpProblem | Problem) => ({
  error: {
    code: p.code,
    message: p.message,
    ...(p.field === undefined ? {} : { field: p.field }),
    ...('line' in p && p.line !== undefined ? { line: p.line } : {}),
    ...('column' in p && p.column !== undefined ? { column: p.column } : {}),
  },
});

/**
 * Answers with a problem in the API's error shape. Typed structurally so any
 * route's reply fits, whatever response schemas that route declares.
 */
export function sendProblem(reply: FastifyReply, p: HttpProblem | Problem): FastifyReply {
  return reply.code(statusOf(p.code)).type('application/json; charset=utf-8').send(errorBody(p));
}

/** 413: the body is over `limit` bytes (the route's own limit, or the server's). */
export const bodyTooLarge = (limit: number): HttpProblem => ({
  code: 'payload_too_large',
  message: `the request body is larger than the limit of ${limit} bytes`,
});

/**
 * Turns every error Fastify or a route raises into the error shape. Bad input
 * (validation, malformed JSON, wrong content type, oversize body) gets a 4xx
 * that names the problem; only a bug reaches 500, and its details go to the
 * log, not to the client.
 */
export function installErrorHandler(app: FastifyInstance, bodyLimitBytes: number): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      return sendProblem(reply, validationProblem(error.validation, error.validationContext, request));
    }
    const status = error.statusCode ?? 500;
    if (status === 413) {
      return sendProblem(reply, bodyTooLarge(request.routeOptions.bodyLimit ?? bodyLimitBytes));
    }
    if (status === 415) {
      const type = request.headers['content-type'] ?? '(none)';
      return sendProblem(reply, {
        code: 'unsupported_media_type',
        message: `content type ${type} is not supported here; send application/json`,
      });
    }
    if (status === 429) return sendProblem(reply, { code: 'rate_limited', message: error.message });
    if (status >= 400 && status < 500) return sendProblem(reply, { code: 'invalid', message: error.message });
    request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, {
      code: 'internal',
      message: `internal error; quote request id ${request.id} when reporting it`,
    });
  });
}
