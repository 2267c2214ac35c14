/**
 * A faster way to run the commonest Liquid output, `{{ a.b.c | f: "x", k: 2 }}`:
 * a variable path followed by filters whose arguments are all literals.
 *
 * liquidjs evaluates every output through several nested generators, which
 * costs several microseconds per output; a newsletter has about sixty outputs
 * per recipient (HTML and text part). For outputs of that shape this module
 * gives the parsed Output its own plain `render` that reads the variable with
 * the public `Context.getSync` (liquidjs' own property rules: `size`, `first`,
 * `last`, own properties only, drops) and calls the same filter handlers with
 * the same `this`, so the result is the same text. Any other output (ranges,
 * variables as filter arguments, literals, nested lookups) keeps liquidjs'
 * own render. It reads liquidjs 10 internals (Output.value, Expression.postfix,
 * PropertyAccessToken.props, Filter.handler/args); when they do not have the
 * expected shape the output is left alone. Tests render the same templates
 * both ways and compare.
 */
import { Context, type Emitter, Output, type Template, toValueSync } from 'liquidjs';

type Segment = string | number;

interface LiteralToken {
  content: unknown;
}

/** What liquidjs 10 keeps in a Filter (private in its types; checked before use). */
interface FilterInternals {
  handler?: unknown;
  token?: unknown;
  liquid?: unknown;
  args?: unknown;
}

interface FastFilter {
  handler: (this: unknown, value: unknown, ...args: unknown[]) => unknown;
  self: { token: unknown; liquid: unknown };
  args: unknown[];
}

const literal = (token: unknown): { value: unknown } | undefined =>
  typeof token === 'object' && token !== null && 'content' in token
    ? { value: (token as LiteralToken).content }
    : undefined;

/** The variable path of a simple output, or undefined. */
const pathOf = (output: Output): Segment[] | undefined => {
  const postfix = (output.value.initial as unknown as { postfix?: unknown[] }).postfix;
  if (postfix?.length !== 1) return undefined;
  const token = postfix[0] as { variable?: unknown; props?: unknown[] };
  if (token.variable !== undefined || !Array.isArray(token.props) || token.props.length === 0)
    return undefined;
  const path: Segment[] = [];
  for (const prop of token.props) {
    const segment = literal(prop);
    if (segment === undefined || (typeof segment.value !== 'string' && typeof segment.value !== 'number')) {
      return undefined;
    }
    path.push(segment.value);
  }
  return path;
};

/** The filters of a simple output with their arguments evaluated, or undefined. */
const filtersOf = (output: Output): FastFilter[] | undefined => {
  const filters: FastFilter[] = [];
  for (const filter of output.value.filters as unknown as FilterInternals[]) {
    if (typeof filter.handler !== 'function' || !Array.isArray(filter.args)) return undefined;
    const args: unknown[] = [];
    for (const arg of filter.args as unknown[]) {
      if (Array.isArray(arg)) {
        const value = literal(arg[1]);
        if (value === undefined) return undefined;
        args.push([arg[0], value.value]);
      } else {
        const value = literal(arg);
        if (value === undefined) return undefined;
        args.push(value.value);
      }
    }
    filters.push({
      handler: filter.handler as FastFilter['handler'],
      self: { token: filter.token, liquid: filter.liquid },
      args,
    });
  }
  return filters;
};

const speedUp = (output: Output): void => {
  const path = pathOf(output);
  const filters = path && filtersOf(output);
  if (path === undefined || filters === undefined) return;
  Object.defineProperty(output, 'render', {
    value: (ctx: Context, emitter: Emitter) => {
      let value: unknown = ctx.getSync(path);
      for (const { handler, self, args } of filters) {
        value = toValueSync(handler.call({ context: ctx, ...self }, value, ...args));
      }
      emitter.write(value);
    },
  });
};

const visit = (node: unknown): void => {
  if (node instanceof Output) {
    speedUp(node);
    return;
  }
  if (typeof node !== 'object' || node === null || node instanceof Context) return;
  for (const value of Object.values(node)) {
    if (!Array.isArray(value)) continue;
    for (const child of value) {
      if (typeof child !== 'object' || child === null) continue;
      // Tags keep their bodies in arrays of templates, or of branches that hold `templates`.
      const templates = (child as { templates?: unknown }).templates;
      if (child instanceof Output || 'token' in child) visit(child);
      else if (Array.isArray(templates)) for (const template of templates) visit(template);
    }
  }
};

/** Gives the simple outputs of parsed templates (at any depth) the fast render. */
export const accelerate = (templates: Template[]): Template[] => {
  for (const template of templates) visit(template);
  return templates;
};
