import { err, ok, type Result } from '../result.ts';
import type { Condition, Group, SegmentDefinition } from './definition.ts';
import { isGroup } from './definition.ts';
import { checkLimits } from './parse.ts';

/** A warning as data, so the dashboard can translate it; `message` is the English text. */
export interface SegmentWarning {
  path: string;
  code:
    | 'conflicting_values'
    | 'value_excluded'
    | 'empty_range'
    | 'inverted_between'
    | 'set_and_not_set'
    | 'opposite_conditions';
  params: Record<string, string | number | boolean>;
  message: string;
}

export interface SegmentAnalysis {
  /** No contact can match: the API answers an empty segment with the warnings. */
  alwaysEmpty: boolean;
  warnings: SegmentWarning[];
}

type Value = string | number | boolean;
const norm = (v: unknown): Value => (typeof v === 'string' ? v.toLowerCase() : (v as Value));
const show = (v: unknown) => JSON.stringify(v);

interface Bound {
  value: Value;
  inclusive: boolean;
}

/** The range a value comparison allows, when it is one. */
function range(c: { operator: string; value?: unknown }): { lo?: Bound; hi?: Bound } | null {
  const v = c.value;
  switch (c.operator) {
    case 'gt':
      return { lo: { value: norm(v), inclusive: false } };
    case 'gte':
      return { lo: { value: norm(v), inclusive: true } };
    case 'lt':
      return { hi: { value: norm(v), inclusive: false } };
    case 'lte':
      return { hi: { value: norm(v), inclusive: true } };
    case 'between': {
      const [a, b] = v as [Value, Value];
      return { lo: { value: norm(a), inclusive: true }, hi: { value: norm(b), inclusive: true } };
    }
    case 'eq':
      return { lo: { value: norm(v), inclusive: true }, hi: { value: norm(v), inclusive: true } };
    default:
      return null;
  }
}

const emptyBetween = (lo: Bound, hi: Bound) =>
  typeof lo.value === typeof hi.value &&
  typeof lo.value !== 'boolean' &&
  (lo.value > hi.value || (lo.value === hi.value && !(lo.inclusive && hi.inclusive)));

/** The same condition but for its yes/no: did, member or consent status. */
function oppositeKey(c: Condition): { key: string; yes: boolean } | null {
  const sorted = (o: object): string =>
    JSON.stringify(o, (_, v) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
        : v,
    );
  switch (c.kind) {
    case 'event':
    case 'page':
    case 'message': {
      const { did, ...rest } = c;
      return { key: sorted(rest), yes: did };
    }
    case 'segment':
    case 'list': {
      const { member, ...rest } = c;
      return { key: sorted(rest), yes: member };
    }
    case 'consent': {
      const { status, ...rest } = c;
      return { key: sorted(rest), yes: status === 'granted' };
    }
    default:
      return null;
  }
}

type Field = Extract<Condition, { kind: 'attribute' | 'account' }>;
const fieldName = (c: Field) => (c.kind === 'account' ? `account.${c.field}` : c.field);
const NEEDS_VALUE = new Set(['eq', 'in', 'contains', 'starts_with', 'gt', 'gte', 'lt', 'lte', 'between']);
const NEEDS_VALUE_DAYS = new Set(['within_last_days', 'has_any', 'has_all']);

/** Why `b` cannot hold alongside `a` (same all-group), or null. */
function conflict(a: Condition, b: Condition): Omit<SegmentWarning, 'path'> | null {
  if ((a.kind === 'attribute' || a.kind === 'account') && a.kind === b.kind && a.field === b.field) {
    const field = fieldName(a);
    const ops = new Set([a.operator, b.operator]);
    if (ops.has('is_set') && ops.has('is_not_set')) {
      return {
        code: 'set_and_not_set',
        params: { field },
        message: `${field} cannot be both set and not set`,
      };
    }
    const unset = a.operator === 'is_not_set' ? b : b.operator === 'is_not_set' ? a : null;
    if (unset && (NEEDS_VALUE.has(unset.operator) || NEEDS_VALUE_DAYS.has(unset.operator))) {
      return {
        code: 'set_and_not_set',
        params: { field, operator: unset.operator },
        message: `${field} cannot be not set and ${unset.operator} a value`,
      };
    }
    if (a.operator === 'eq' && b.operator === 'eq' && norm(a.value) !== norm(b.value)) {
      return {
        code: 'conflicting_values',
        params: { field, first: show(a.value), second: show(b.value) },
        message: `${field} cannot equal both ${show(a.value)} and ${show(b.value)}`,
      };
    }
    const eq = a.operator === 'eq' ? a : b.operator === 'eq' ? b : null;
    const other = eq === a ? b : a;
    if (eq) {
      const v = norm(eq.value);
      const list = Array.isArray(other.value) ? other.value.map(norm) : [];
      const excluded =
        (other.operator === 'neq' && norm(other.value) === v) ||
        (other.operator === 'not_in' && list.includes(v)) ||
        (other.operator === 'in' && !list.includes(v));
      if (excluded) {
        return {
          code: 'value_excluded',
          params: { field, value: show(eq.value), operator: other.operator, other: show(other.value) },
          message: `${field} equals ${show(eq.value)}, which ${other.operator} ${show(other.value)} excludes`,
        };
      }
    }
    const ra = range(a);
    const rb = range(b);
    if (ra && rb) {
      const lo = [ra.lo, rb.lo].filter((x): x is Bound => x !== undefined);
      const hi = [ra.hi, rb.hi].filter((x): x is Bound => x !== undefined);
      if (lo.some((l) => hi.some((h) => emptyBetween(l, h)))) {
        return {
          code: 'empty_range',
          params: {
            field,
            first: `${a.operator} ${show(a.value)}`,
            second: `${b.operator} ${show(b.value)}`,
          },
          message: `${field} cannot be ${a.operator} ${show(a.value)} and ${b.operator} ${show(b.value)}`,
        };
      }
    }
    return null;
  }
  const ka = oppositeKey(a);
  const kb = oppositeKey(b);
  if (ka && kb && ka.key === kb.key && ka.yes !== kb.yes) {
    return {
      code: 'opposite_conditions',
      params: { kind: a.kind },
      message: `the same ${a.kind} condition is required both to hold and not to hold`,
    };
  }
  return null;
}

/** A condition no contact can meet on its own: between with min > max. */
function selfConflict(c: Condition): Omit<SegmentWarning, 'path'> | null {
  if ((c.kind === 'attribute' || c.kind === 'account') && c.operator === 'between') {
    const [min, max] = c.value as [Value, Value];
    if (emptyBetween({ value: norm(min), inclusive: true }, { value: norm(max), inclusive: true })) {
      const field = fieldName(c);
      return {
        code: 'inverted_between',
        params: { field, min: show(min), max: show(max) },
        message: `${field} between ${show(min)} and ${show(max)}: the minimum is above the maximum`,
      };
    }
  }
  if (c.kind === 'computed' && c.operator === 'between') {
    const [min, max] = c.value as [number, number];
    if (min > max) {
      return {
        code: 'inverted_between',
        params: { field: c.metric, min, max },
        message: `${c.metric} between ${min} and ${max}: the minimum is above the maximum`,
      };
    }
  }
  return null;
}

/** Whether no contact can match `group`; warnings for every contradiction found on the way. */
function alwaysFalse(group: Group, path: string, warnings: SegmentWarning[]): boolean {
  const dead: boolean[] = [];
  const leaves: { c: Condition; path: string }[] = [];
  for (const [i, node] of group.conditions.entries()) {
    const where = `${path}.conditions[${i}]`;
    if (isGroup(node)) {
      dead.push(alwaysFalse(node, where, warnings));
      continue;
    }
    const self = selfConflict(node);
    if (self) warnings.push({ path: where, ...self });
    let contradicted = false;
    if (group.match === 'all') {
      for (const earlier of leaves) {
        const found = conflict(earlier.c, node);
        if (found) {
          warnings.push({ path: where, ...found });
          contradicted = true;
          break;
        }
      }
    }
    leaves.push({ c: node, path: where });
    dead.push(self !== null || contradicted);
  }
  const none = group.match === 'all' ? dead.some(Boolean) : dead.length > 0 && dead.every(Boolean);
  // The negation of a group nothing matches matches everyone: not empty.
  return none && !group.negate;
}

/**
 * Checks the limits, then looks for contradictions in 'all' groups (the same
 * field equal to two values, eq against a not_in holding it, gt 10 and lt 5,
 * between with min > max, did and did-not on the same event, is_set and
 * is_not_set). Referenced segments are not expanded here.
 */
export function analyseSegment(def: SegmentDefinition): Result<SegmentAnalysis> {
  const limits = checkLimits(def.root);
  if (limits) return err(limits);
  const warnings: SegmentWarning[] = [];
  const alwaysEmpty = alwaysFalse(def.root, 'root', warnings);
  return ok({ alwaysEmpty, warnings });
}
