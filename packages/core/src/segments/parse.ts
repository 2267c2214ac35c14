import type { z } from 'zod';
import { err, ok, type Problem, problem, type Result } from '../result.ts';
import {
  CONDITION_KINDS,
  type Group,
  isGroup,
  MAX_SEGMENT_CONDITIONS,
  MAX_SEGMENT_DEPTH,
  type SegmentDefinition,
  SegmentDefinitionSchema,
} from './definition.ts';

type Key = PropertyKey;

/** 'root.conditions[2].value' from ['root', 'conditions', 2, 'value']. */
export function pathText(path: readonly Key[]): string {
  return path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`))
    .join('');
}

const at = (input: unknown, path: readonly Key[]): unknown =>
  path.reduce<unknown>(
    (v, k) => (v !== null && typeof v === 'object' ? (v as Record<Key, unknown>)[k] : undefined),
    input,
  );

/**
 * The issue a person should read. A group's element is a union of group and
 * condition: the branch the input meant (a `kind` means a condition) is the
 * one reported, and an unknown kind is named.
 */
function firstIssue(issue: z.core.$ZodIssue, input: unknown, base: readonly Key[]): Problem {
  const path = [...base, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length === 2) {
    const element = at(input, path);
    const branch = element !== null && typeof element === 'object' && 'kind' in element ? 1 : 0;
    const inner = issue.errors[branch]?.[0];
    if (inner) return firstIssue(inner, input, path);
  }
  if (issue.code === 'invalid_union' && 'discriminator' in issue) {
    const kind = at(input, path);
    const where = pathText(path);
    return problem(
      'invalid',
      `${where}: unknown condition kind ${JSON.stringify(kind)} (expected one of ${CONDITION_KINDS.join(', ')})`,
      where,
    );
  }
  const where = pathText(path);
  return problem('invalid', `${where}: ${issue.message}`, where);
}

/**
 * Validates a definition: its shape (zod), then the limits zod cannot express:
 * groups nest at most MAX_SEGMENT_DEPTH deep, at most MAX_SEGMENT_CONDITIONS
 * conditions in all. Referenced segments are checked again when compiled.
 */
export function parseSegmentDefinition(input: unknown): Result<SegmentDefinition> {
  const parsed = SegmentDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return err(first ? firstIssue(first, input, []) : problem('invalid', 'invalid segment definition'));
  }
  const limits = checkLimits(parsed.data.root);
  return limits ? err(limits) : ok(parsed.data);
}

/** The first limit the tree breaks, or null. `depth` is the depth of `group`. */
export function checkLimits(group: Group, path = 'root', depth = 1, counted = { n: 0 }): Problem | null {
  if (depth > MAX_SEGMENT_DEPTH) {
    return problem('invalid', `${path}: groups nest deeper than ${MAX_SEGMENT_DEPTH} levels`, path);
  }
  for (const [i, node] of group.conditions.entries()) {
    const where = `${path}.conditions[${i}]`;
    if (isGroup(node)) {
      const deeper = checkLimits(node, where, depth + 1, counted);
      if (deeper) return deeper;
    } else if (++counted.n > MAX_SEGMENT_CONDITIONS) {
      return problem('invalid', `${where}: more than ${MAX_SEGMENT_CONDITIONS} conditions`, where);
    }
  }
  return null;
}
