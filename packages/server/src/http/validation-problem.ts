import type { FastifyRequest, FastifySchemaValidationError } from 'fastify';
import type { HttpProblem } from './errors.ts';

type Context = 'body' | 'querystring' | 'params' | 'headers' | string | undefined;

const WHAT: Record<string, string> = {
  body: 'the request body must be a JSON object',
  querystring: 'the query string is not valid',
  params: 'the URL is not valid',
  headers: 'the request headers are not valid',
};

function inputOf(request: FastifyRequest, context: Context): unknown {
  if (context === 'querystring') return request.query;
  if (context === 'params') return request.params;
  if (context === 'headers') return request.headers;
  return request.body;
}

function valueAt(root: unknown, path: string[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function unknownKeys(issue: FastifySchemaValidationError): string[] {
  const keys = (issue.params as { keys?: unknown }).keys;
  return Array.isArray(keys) ? keys.map(String) : [];
}

/** One issue, in words that name the field: `email is required`, `unknown field "colour"`. */
function describe(issue: FastifySchemaValidationError, input: unknown, context: Context) {
  const path = issue.instancePath.split('/').filter((p) => p !== '');
  const at = path.join('.');
  if (issue.keyword === 'unrecognized_keys') {
    const keys = unknownKeys(issue);
    const field = [...path, keys[0] ?? ''].filter((p) => p !== '').join('.');
    const list = keys.map((k) => `"${k}"`).join(', ');
    return { field, message: `unknown field${keys.length > 1 ? 's' : ''} ${list}${at ? ` in ${at}` : ''}` };
  }
  if (path.length === 0)
    return { field: undefined, message: WHAT[context ?? 'body'] ?? issue.message ?? 'invalid' };
  if (issue.keyword === 'invalid_type' && valueAt(input, path) === undefined) {
    return { field: at, message: `${at} is required` };
  }
  return { field: at, message: `${at}: ${issue.message ?? 'invalid'}` };
}

/**
 * The first field at fault goes in `field`; the message lists every issue so
 * one round trip is enough to fix a form.
 */
export function validationProblem(
  issues: FastifySchemaValidationError[],
  context: Context,
  request: FastifyRequest,
): HttpProblem {
  const input = inputOf(request, context);
  const described = issues.slice(0, 10).map((i) => describe(i, input, context));
  const field = described.find((d) => d.field !== undefined)?.field;
  const message = described.map((d) => d.message).join('; ');
  return field === undefined ? { code: 'invalid', message } : { code: 'invalid', message, field };
}
