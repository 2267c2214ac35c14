/* A segment definition (docs/segments.md) and the editor's state for it: the editor keeps values as
   typed text, with ids for React, and turns into a definition only when every condition is complete. */

export type FieldType = 'text' | 'number' | 'date' | 'boolean' | 'tags';
export type Match = 'all' | 'any';
export type Window = { lastDays: number } | { from: string; to: string };
export type CountOp = 'at_least' | 'at_most' | 'exactly';
export interface Count {
  op: CountOp;
  value: number;
}

export const MAX_DEPTH = 5;
export const CONDITION_KINDS = [
  'attribute',
  'consent',
  'event',
  'page',
  'message',
  'computed',
  'list',
  'segment',
] as const;
export type Kind = (typeof CONDITION_KINDS)[number];

/** Mirrors packages/core/src/segments/fields.ts (the dashboard does not import server code). */
export const STANDARD_FIELDS: Record<string, FieldType> = {
  email: 'text',
  phone: 'text',
  first_name: 'text',
  last_name: 'text',
  city: 'text',
  country: 'text',
  gender: 'text',
  lifecycle_stage: 'text',
  income_band: 'text',
  source: 'text',
  locale: 'text',
  timezone: 'text',
  interests: 'tags',
  birth_date: 'date',
  created_at: 'date',
  lead_score: 'number',
  age: 'number',
};

/** Fields whose values are a fixed set: a select instead of free text. */
export const FIELD_CHOICES: Record<string, readonly string[]> = {
  gender: ['female', 'male', 'other', 'unknown'],
  lifecycle_stage: ['subscriber', 'lead', 'mql', 'sql', 'customer', 'evangelist'],
};

export const OPERATORS_BY_TYPE: Record<FieldType, readonly string[]> = {
  text: ['eq', 'neq', 'in', 'not_in', 'contains', 'not_contains', 'starts_with', 'is_set', 'is_not_set'],
  number: ['eq', 'neq', 'in', 'not_in', 'gt', 'gte', 'lt', 'lte', 'between', 'is_set', 'is_not_set'],
  date: [
    'eq',
    'neq',
    'gt',
    'gte',
    'lt',
    'lte',
    'between',
    'within_last_days',
    'more_than_days_ago',
    'is_set',
    'is_not_set',
  ],
  boolean: ['eq', 'neq', 'is_set', 'is_not_set'],
  tags: ['has_any', 'has_all', 'is_set', 'is_not_set'],
};

export const COMPUTED_METRICS = ['last_seen', 'visit_count', 'total_revenue', 'lead_score'] as const;
export type Metric = (typeof COMPUTED_METRICS)[number];
/** last_seen is an instant (days ago); the others are numbers. */
export const operatorsForMetric = (metric: Metric): readonly string[] =>
  metric === 'last_seen'
    ? ['within_last_days', 'more_than_days_ago']
    : ['gt', 'gte', 'lt', 'lte', 'eq', 'between'];

export const MESSAGE_ACTIONS = [
  'received',
  'opened',
  'clicked',
  'bounced',
  'complained',
  'unsubscribed',
] as const;
export const MESSAGE_CHANNELS = ['email', 'sms', 'whatsapp', 'webpush', 'webhook'] as const;
export const CONSENT_CHANNELS = ['email', 'sms', 'whatsapp', 'webpush'] as const;
export const PAGE_OPS = ['equals', 'starts_with', 'contains', 'matches'] as const;
export const COUNT_OPS: readonly CountOp[] = ['at_least', 'at_most', 'exactly'];

export interface CustomAttribute {
  key: string;
  type: 'text' | 'number' | 'date' | 'boolean' | 'list';
  options?: string[] | undefined;
}

/** The type deciding a field's operators and input; unknown custom keys compare as text. */
export function fieldType(field: string, custom: readonly CustomAttribute[]): FieldType {
  const standard = STANDARD_FIELDS[field];
  if (standard) return standard;
  const def = custom.find((a) => `attributes.${a.key}` === field);
  if (!def || def.type === 'list') return 'text';
  return def.type;
}

/** The fixed values a field takes, if any (standard enums, custom list options, booleans). */
export function fieldChoices(field: string, custom: readonly CustomAttribute[]): readonly string[] | null {
  const fixed = FIELD_CHOICES[field];
  if (fixed) return fixed;
  const def = custom.find((a) => `attributes.${a.key}` === field);
  if (def?.type === 'list') return def.options ?? [];
  if (def?.type === 'boolean') return ['true', 'false'];
  return null;
}

export type ValueShape = 'none' | 'one' | 'list' | 'range' | 'days';
export function valueShape(operator: string): ValueShape {
  if (operator === 'is_set' || operator === 'is_not_set') return 'none';
  if (['in', 'not_in', 'has_any', 'has_all'].includes(operator)) return 'list';
  if (operator === 'between') return 'range';
  if (operator === 'within_last_days' || operator === 'more_than_days_ago') return 'days';
  return 'one';
}

/* ---- editor state ---- */

/** Operands as typed: `value` (a list is comma-separated), `value2` the end of a range. */
export interface AttributeDraft {
  kind: 'attribute';
  field: string;
  operator: string;
  value: string;
  value2: string;
}
export interface ComputedDraft {
  kind: 'computed';
  metric: Metric;
  operator: string;
  value: string;
  value2: string;
}
export interface ConsentDraft {
  kind: 'consent';
  channel: string;
  status: 'granted' | 'not_granted';
}
export interface Behaviour {
  did: boolean;
  count?: Count | undefined;
  window?: Window | undefined;
}
export interface EventDraft extends Behaviour {
  kind: 'event';
  name: string;
}
export interface PageDraft extends Behaviour {
  kind: 'page';
  path: { op: (typeof PAGE_OPS)[number]; value: string };
}
export interface MessageDraft extends Behaviour {
  kind: 'message';
  action: (typeof MESSAGE_ACTIONS)[number];
  channel?: string | undefined;
}
export interface ListDraft {
  kind: 'list';
  listId: string;
  member: boolean;
}
export interface SegmentRefDraft {
  kind: 'segment';
  segmentId: string;
  member: boolean;
}
export type Draft =
  | AttributeDraft
  | ComputedDraft
  | ConsentDraft
  | EventDraft
  | PageDraft
  | MessageDraft
  | ListDraft
  | SegmentRefDraft;

export interface ConditionNode {
  id: string;
  type: 'condition';
  draft: Draft;
}
export interface GroupNode {
  id: string;
  type: 'group';
  match: Match;
  negate: boolean;
  children: EditorNode[];
}
export type EditorNode = ConditionNode | GroupNode;

let nextId = 0;
const newId = () => `n${++nextId}`;

export function emptyDraft(kind: Kind): Draft {
  switch (kind) {
    case 'attribute':
      return { kind, field: 'city', operator: 'eq', value: '', value2: '' };
    case 'computed':
      return { kind, metric: 'last_seen', operator: 'within_last_days', value: '', value2: '' };
    case 'consent':
      return { kind, channel: 'email', status: 'granted' };
    case 'event':
      return { kind, name: '', did: true };
    case 'page':
      return { kind, path: { op: 'starts_with', value: '' }, did: true };
    case 'message':
      return { kind, action: 'opened', did: true };
    case 'list':
      return { kind, listId: '', member: true };
    case 'segment':
      return { kind, segmentId: '', member: true };
  }
}

export const conditionNode = (draft: Draft): ConditionNode => ({ id: newId(), type: 'condition', draft });
export const groupNode = (match: Match = 'all', children: EditorNode[] = []): GroupNode => ({
  id: newId(),
  type: 'group',
  match,
  negate: false,
  children,
});

/* ---- definition ⇄ state ---- */

type Json = Record<string, unknown>;
const show = (v: unknown) => (v === undefined || v === null ? '' : String(v));

function draftOf(c: Json): Draft {
  const kind = c.kind as Kind;
  if (kind === 'attribute' || kind === 'computed') {
    const v = c.value;
    const [value, value2] =
      c.operator === 'between' && Array.isArray(v)
        ? [show(v[0]), show(v[1])]
        : [Array.isArray(v) ? v.map(show).join(', ') : show(v), ''];
    return kind === 'attribute'
      ? { kind, field: String(c.field), operator: String(c.operator), value, value2 }
      : { kind, metric: c.metric as Metric, operator: String(c.operator), value, value2 };
  }
  // The other kinds' drafts are their definitions: their inputs hold typed values already.
  return c as unknown as Draft;
}

export function fromDefinition(definition: Json): GroupNode {
  const group = (g: Json): GroupNode => ({
    ...groupNode(g.match === 'any' ? 'any' : 'all'),
    negate: g.negate === true,
    children: ((g.conditions as Json[] | undefined) ?? []).map((c) =>
      'kind' in c ? conditionNode(draftOf(c)) : group(c),
    ),
  });
  return group((definition.root as Json | undefined) ?? { match: 'all', conditions: [] });
}

/** What is missing, at the path of the condition that misses it. */
export interface Incomplete {
  path: string;
  reason: 'value' | 'number' | 'choice' | 'emptyGroup';
}

export const childPath = (parent: string, index: number) => `${parent}.conditions[${index}]`;

const splitList = (s: string) =>
  s
    .split(/[,،]/)
    .map((x) => x.trim())
    .filter((x) => x !== '');

function operand(
  type: FieldType,
  operator: string,
  value: string,
  value2: string,
): { value?: unknown } | Incomplete['reason'] {
  const shape = valueShape(operator);
  const cast = (s: string): string | number | boolean | null => {
    if (type === 'number') return s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : null;
    if (type === 'boolean') return s === 'true' ? true : s === 'false' ? false : null;
    return s.trim() === '' ? null : s.trim();
  };
  switch (shape) {
    case 'none':
      return {};
    case 'days': {
      const n = Number(value);
      return value.trim() !== '' && Number.isSafeInteger(n) && n >= 0 ? { value: n } : 'number';
    }
    case 'list': {
      const items = splitList(value).map(cast);
      if (items.length === 0) return 'value';
      return items.some((x) => x === null) ? 'number' : { value: items };
    }
    case 'range': {
      const a = cast(value);
      const b = cast(value2);
      return a === null || b === null ? (type === 'number' ? 'number' : 'value') : { value: [a, b] };
    }
    case 'one': {
      const a = cast(value);
      return a === null ? (type === 'number' ? 'number' : 'value') : { value: a };
    }
  }
}

function conditionOf(d: Draft, custom: readonly CustomAttribute[]): object | Incomplete['reason'] {
  switch (d.kind) {
    case 'attribute': {
      const o = operand(fieldType(d.field, custom), d.operator, d.value, d.value2);
      return typeof o === 'string' ? o : { kind: d.kind, field: d.field, operator: d.operator, ...o };
    }
    case 'computed': {
      const o = operand(d.metric === 'last_seen' ? 'date' : 'number', d.operator, d.value, d.value2);
      return typeof o === 'string' ? o : { kind: d.kind, metric: d.metric, operator: d.operator, ...o };
    }
    case 'event':
      return d.name.trim() === '' ? 'value' : { ...d, name: d.name.trim() };
    case 'page':
      return d.path.value.trim() === '' ? 'value' : d;
    case 'list':
      return d.listId === '' ? 'choice' : d;
    case 'segment':
      return d.segmentId === '' ? 'choice' : d;
    default:
      return d;
  }
}

/** The definition the editor shows, or the first condition that is not complete yet. */
export function toDefinition(
  root: GroupNode,
  custom: readonly CustomAttribute[],
): { ok: true; definition: { root: Json } } | { ok: false; incomplete: Incomplete } {
  let missing: Incomplete | null = null;
  const group = (g: GroupNode, path: string): Json => {
    if (g.children.length === 0 && !missing) missing = { path, reason: 'emptyGroup' };
    const conditions = g.children.map((child, i) => {
      const where = childPath(path, i);
      if (child.type === 'group') return group(child, where);
      const c = conditionOf(child.draft, custom);
      if (typeof c === 'string') {
        missing ??= { path: where, reason: c };
        return {};
      }
      return c;
    });
    return { match: g.match, ...(g.negate ? { negate: true } : {}), conditions };
  };
  const built = group(root, 'root');
  return missing ? { ok: false, incomplete: missing } : { ok: true, definition: { root: built } };
}

/* ---- paths ---- */

/** Every node's path (`root.conditions[1].conditions[0]`), by id. */
export function pathsById(root: GroupNode): Map<string, string> {
  const paths = new Map<string, string>();
  const walk = (node: EditorNode, path: string) => {
    paths.set(node.id, path);
    if (node.type !== 'group') return;
    for (const [i, c] of node.children.entries()) walk(c, childPath(path, i));
  };
  walk(root, 'root');
  return paths;
}

/**
 * The node a server path names: the deepest whose path is a prefix of it. A 400's field
 * (`definition.root.conditions[0].value`) and a warning's path (`root.conditions[1]`) both resolve.
 */
export function nodeAtPath(root: GroupNode, path: string): string | null {
  const wanted = path.replace(/^definition\./, '');
  let best: { id: string; length: number } | null = null;
  for (const [id, p] of pathsById(root)) {
    const prefix = wanted === p || wanted.startsWith(`${p}.`) || wanted.startsWith(`${p}[`);
    if (prefix && (!best || p.length > best.length)) best = { id, length: p.length };
  }
  return best?.id ?? null;
}

/* ---- edits (immutable) ---- */

function mapGroup(g: GroupNode, id: string, f: (g: GroupNode) => GroupNode): GroupNode {
  if (g.id === id) return f(g);
  return {
    ...g,
    children: g.children.map((c) => (c.type === 'group' ? mapGroup(c, id, f) : c)),
  };
}

export const addChild = (root: GroupNode, groupId: string, child: EditorNode): GroupNode =>
  mapGroup(root, groupId, (g) => ({ ...g, children: [...g.children, child] }));

export const updateGroup = (
  root: GroupNode,
  groupId: string,
  patch: Partial<Pick<GroupNode, 'match' | 'negate'>>,
) => mapGroup(root, groupId, (g) => ({ ...g, ...patch }));

export function updateDraft(root: GroupNode, id: string, draft: Draft): GroupNode {
  const walk = (g: GroupNode): GroupNode => ({
    ...g,
    children: g.children.map((c) => (c.type === 'group' ? walk(c) : c.id === id ? { ...c, draft } : c)),
  });
  return walk(root);
}

export function removeNode(root: GroupNode, id: string): GroupNode {
  const walk = (g: GroupNode): GroupNode => ({
    ...g,
    children: g.children.filter((c) => c.id !== id).map((c) => (c.type === 'group' ? walk(c) : c)),
  });
  return walk(root);
}

/** A new field keeps the operator when the new type takes it, else the type's first. */
export function withField(
  d: AttributeDraft,
  field: string,
  custom: readonly CustomAttribute[],
): AttributeDraft {
  const ops = OPERATORS_BY_TYPE[fieldType(field, custom)];
  return {
    ...d,
    field,
    operator: ops.includes(d.operator) ? d.operator : (ops[0] ?? 'eq'),
    value: '',
    value2: '',
  };
}
