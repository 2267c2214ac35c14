import { type Problem, problem } from '@wasl/core';
import type { z } from 'zod';

/**
 * The first issue of a failed parse as a problem naming the field, in the
 * words the HTTP API uses elsewhere: `batch[3].event is required`,
 * `batch[0].userId: Invalid input…`. Values are never quoted, so nothing a
 * sender put in a message ends up in an answer or a log.
 */
export function zodProblem(error: z.ZodError, prefix: string, input: unknown): Problem {
  const issue = error.issues[0];
  if (issue === undefined) return problem('invalid', `${prefix} is not valid`, prefix);
  const field = fieldName(prefix, issue.path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return problem('invalid', `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys} in ${field}`, field);
  }
  if (issue.code === 'invalid_type' && valueAt(input, issue.path) === undefined) {
    return problem('invalid', `${field} is required`, field);
  }
  return problem('invalid', `${field}: ${issue.message}`, field);
}

function fieldName(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
