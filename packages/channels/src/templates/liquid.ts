/**
 * Save-time Liquid checks: parse a text once (syntax errors with line and
 * column) and refuse any variable that is not one of the caller's known fields.
 *
 * Known fields are dotted paths such as `contact.first_name` or
 * `unsubscribe_url`; a `*` segment matches any one name (`contact.attributes.*`).
 * A variable is accepted when its path is a known field, leads to one
 * (`{% if contact.attributes %}`), or reads `size`, `first`, `last` or an index
 * of one (`contact.tags.first`). A dynamic part (`contact.attributes[key]`)
 * is checked up to that part. Names set inside the template (`assign`,
 * `capture`, `for` variables) are the template's own and are not checked.
 */
import { err, ok, type Result } from '@wasl/core';
import { type Liquid, LiquidError, type Template } from 'liquidjs';
import { type TemplateProblem, templateProblem } from './problems.ts';

const POSITION_SUFFIX = /, line:\d+, col:\d+$/;

/** Parses Liquid; a syntax error becomes a problem with its line and column. */
export const parseLiquid = (
  engine: Liquid,
  text: string,
  part: string,
): Result<Template[], TemplateProblem> => {
  try {
    return ok(engine.parse(text));
  } catch (error) {
    if (error instanceof LiquidError) {
      const [line = 1, column = 1] = error.token.getPosition();
      const reason = error.message.replace(POSITION_SUFFIX, '');
      return err(templateProblem(`Liquid error in ${part}: ${reason}`, part, part, { line, column }));
    }
    throw error;
  }
};

/** A failure while rendering for one recipient (a throwing value, the time limit). */
export const renderProblem = (error: unknown): TemplateProblem => {
  const reason = error instanceof Error ? error.message.replace(POSITION_SUFFIX, '') : String(error);
  return { code: 'invalid', message: `The template could not be rendered: ${reason}`, field: 'context' };
};

const LIQUID_PROPERTIES = new Set(['size', 'first', 'last']);

const matches = (path: readonly string[], field: readonly string[]): boolean => {
  const shared = Math.min(path.length, field.length);
  for (let i = 0; i < shared; i++) {
    if (field[i] !== '*' && field[i] !== path[i]) return false;
  }
  return path.slice(field.length).every((segment) => LIQUID_PROPERTIES.has(segment) || /^\d+$/.test(segment));
};

/** Returns a problem naming the first variable (in text order) that is not a known field. */
export const checkFields = (
  engine: Liquid,
  templates: Template[],
  fields: readonly string[],
  part: string,
): TemplateProblem | undefined => {
  const known = fields.map((field) => field.split('.'));
  const unknown: { name: string; row: number; col: number }[] = [];
  for (const variables of Object.values(engine.analyzeSync(templates, { partials: false }).globals)) {
    for (const variable of variables) {
      const path: string[] = [];
      for (const segment of variable.segments) {
        if (typeof segment === 'object') break;
        path.push(String(segment));
      }
      if (!known.some((field) => matches(path, field))) {
        unknown.push({ name: path.join('.'), ...variable.location });
      }
    }
  }
  unknown.sort((a, b) => a.row - b.row || a.col - b.col);
  const first = unknown[0];
  if (first === undefined) return undefined;
  return templateProblem(`Unknown field "${first.name}"`, first.name, part, {
    line: first.row,
    column: first.col,
  });
};
