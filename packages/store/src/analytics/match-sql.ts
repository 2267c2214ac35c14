import type { GoalDefinition } from '@wasl/core';
import type { Dialect } from './dialect.ts';
import { NUMBER_PATTERN } from './number-pattern.ts';
import type { Params } from './params.ts';
import { CUSTOM_EVENT } from './scope-sql.ts';

const NUMBER = new RegExp(`^${NUMBER_PATTERN}$`);

/**
 * A page pattern as a LIKE pattern (with ESCAPE '\'): `*` matches any run of
 * characters, everything else itself. The whole path must match.
 *
 * @example likePattern('/blog/*_draft') // '/blog/%\\_draft'
 */
export function likePattern(pattern: string): string {
  return pattern.replace(/[\\%_]/g, (c) => `\\${c}`).replaceAll('*', '%');
}

/**
 * A property equals a value when its text does, or, both being numbers,
 * when they are equal as numbers: engines print JSON numbers differently
 * (DuckDB 1.50 as '1.5', PostgreSQL as '1.50'), so `1.5` matches either.
 */
function propertyEquals(dialect: Dialect, p: Params, name: string, value: string): string {
  const text = dialect.property(p, name);
  const byText = `${text} = ${p.text(value)}`;
  if (!NUMBER.test(value)) return byText;
  return `(${byText} or ${dialect.number(dialect.property(p, name))} = ${p.float(Number(value))})`;
}

/** Whether a custom event named `event` has every listed property. */
export function eventMatch(
  dialect: Dialect,
  p: Params,
  event: string,
  properties: Record<string, string>,
): string {
  return [
    CUSTOM_EVENT,
    `name = ${p.text(event)}`,
    ...Object.entries(properties).map(([name, value]) => propertyEquals(dialect, p, name, value)),
  ].join(' and ');
}

/** A condition over `ev`'s columns, true (never null) for the pageviews or events the goal counts. */
export function goalMatch(dialect: Dialect, p: Params, goal: GoalDefinition): string {
  const condition =
    goal.kind === 'page'
      ? `type = 'page' and coalesce(path, '') like ${p.text(likePattern(goal.pattern))} escape '\\'`
      : eventMatch(dialect, p, goal.event, goal.properties ?? {});
  return `coalesce((${condition}), false)`;
}
