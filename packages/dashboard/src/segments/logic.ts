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
  'account',
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

/** Mirrors ACCOUNT_FIELDS in packages/core/src/segments/fields.ts: the account's own columns, all text. */
export const ACCOUNT_FIELDS = ['name', 'domain', 'industry', 'size', 'region'] as const;
/** A custom attribute key (`attributes.<key>`), as the server's definition schema takes it. */
export const ATTRIBUTE_KEY = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * How a value typed into a property filter or an account's custom attribute is sent: these have no
 * declared type, and the engine compares numbers as numbers and everything else as text.
 */
export const VALUE_TYPES = ['text', 'number', 'boolean'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

export const EVENT_TYPES = ['track', 'page', 'identify'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** Property filters on one event condition, and the path each takes (`a` or `a.b`, as the server). */
export const MAX_PROPERTIES = 10;
export const PROPERTY_PATH = /^[^.]{1,100}(\.[^.]{1,100}){0,4}$/;

/** Bounds of the server's window and count schema. */
export const MAX_LAST_DAYS = 3650;
export const MAX_COUNT = 1_000_000;

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
/**
 * A field of the contact's account: one of its columns (text), or `attributes.<key>` (`attributes.`
 * while the key is being typed) whose `type` says whether the value is sent as a number or text.
 */
export interface AccountDraft {
  kind: 'account';
  field: string;
  type: ValueType;
  operator: string;
  value: string;
  value2: string;
}
/** The time window as chosen: `from` and `to` are ISO instants, shown in the workspace's zone. */
export interface WindowDraft {
  mode: 'all' | 'last' | 'range';
  lastDays: string;
  from: string;
  to: string;
}
export interface ComputedDraft {
  kind: 'computed';
  metric: Metric;
  operator: string;
  value: string;
  value2: string;
  window: WindowDraft;
}
export interface ConsentDraft {
  kind: 'consent';
  /** The definition takes exactly one of a channel or a topic. */
  by: 'channel' | 'topic';
  channel: string;
  topic: string;
  status: 'granted' | 'not_granted';
}
export interface CountDraft {
  op: CountOp;
  value: string;
}
export interface Behaviour {
  did: boolean;
  count?: CountDraft | undefined;
  window: WindowDraft;
}
/** One filter on the event's properties: `type` is how the value is sent (see VALUE_TYPES). */
export interface PropertyDraft {
  path: string;
  type: ValueType;
  operator: string;
  value: string;
  value2: string;
}
export interface EventDraft extends Behaviour {
  kind: 'event';
  /** Absent means track, and is kept absent so a definition comes back as it was. */
  type?: EventType | undefined;
  name: string;
  properties?: PropertyDraft[] | undefined;
}
export interface PageDraft extends Behaviour {
  kind: 'page';
  path: { op: (typeof PAGE_OPS)[number]; value: string };
}
export interface MessageDraft extends Behaviour {
  kind: 'message';
  action: (typeof MESSAGE_ACTIONS)[number];
  channel?: string | undefined;
  /** Empty for any campaign. */
  campaignId: string;
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
  | AccountDraft
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

export const emptyWindow = (): WindowDraft => ({ mode: 'all', lastDays: '', from: '', to: '' });
export const emptyProperty = (): PropertyDraft => ({
  path: '',
  type: 'text',
  operator: 'eq',
  value: '',
  value2: '',
});

export function emptyDraft(kind: Kind): Draft {
  switch (kind) {
    case 'attribute':
      return { kind, field: 'city', operator: 'eq', value: '', value2: '' };
    case 'account':
      return { kind, field: 'name', type: 'text', operator: 'eq', value: '', value2: '' };
    case 'computed':
      return {
        kind,
        metric: 'last_seen',
        operator: 'within_last_days',
        value: '',
        value2: '',
        window: emptyWindow(),
      };
    case 'consent':
      return { kind, by: 'channel', channel: 'email', topic: '', status: 'granted' };
    case 'event':
      return { kind, name: '', did: true, window: emptyWindow() };
    case 'page':
      return { kind, path: { op: 'starts_with', value: '' }, did: true, window: emptyWindow() };
    case 'message':
      return { kind, action: 'opened', campaignId: '', did: true, window: emptyWindow() };
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

/** The operators a custom account attribute or an event property takes, by how its value is sent. */
export const operatorsForValueType = (type: ValueType): readonly string[] => OPERATORS_BY_TYPE[type];

/** Account columns are text; a custom attribute compares as its chosen type. */
export const accountOperators = (d: AccountDraft): readonly string[] =>
  d.field.startsWith('attributes.') ? operatorsForValueType(d.type) : OPERATORS_BY_TYPE.text;

/* ---- time zones ---- */

const WALL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** The wall clock of an instant (whole seconds) in `timeZone`, as milliseconds of a UTC date. */
function wallClock(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(ms);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
}

/**
 * An ISO instant as a datetime-local input shows it in `timeZone` (`2026-03-01T09:30`, seconds
 * only when there are some); '' when it is not an instant.
 */
export function instantToLocal(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  if (iso === '' || Number.isNaN(ms)) return '';
  const wall = new Date(wallClock(ms - (((ms % 1000) + 1000) % 1000), timeZone)).toISOString();
  return wall.endsWith(':00.000Z') ? wall.slice(0, 16) : wall.slice(0, 19);
}

/**
 * A datetime-local value read in `timeZone` as an ISO instant (`…Z`); '' when incomplete. Around a
 * daylight-saving change it does what Temporal's "compatible" does: a repeated wall time is its first
 * occurrence, a skipped one is read with the offset before the change (02:30 becomes 03:30).
 */
export function localToInstant(local: string, timeZone: string): string {
  const m = WALL.exec(local);
  if (!m) return '';
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const offset = (at: number) => wallClock(at, timeZone) - at;
  const HALF_DAY = 12 * 3600_000;
  const before = wall - offset(wall - HALF_DAY);
  const after = wall - offset(wall + HALF_DAY);
  const fits = [before, after].filter((at) => wallClock(at, timeZone) === wall).sort((p, q) => p - q);
  return new Date(fits[0] ?? before).toISOString().replace('.000Z', 'Z');
}

/* ---- definition ⇄ state ---- */

type Json = Record<string, unknown>;
const show = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** The typed text of an operand: a range in two inputs, a list comma-separated. */
function typed(operator: unknown, v: unknown): { value: string; value2: string } {
  if (operator === 'between' && Array.isArray(v)) return { value: show(v[0]), value2: show(v[1]) };
  return { value: Array.isArray(v) ? v.map(show).join(', ') : show(v), value2: '' };
}

/** How a stored value was sent, so that it is sent the same way back. */
function valueTypeOf(v: unknown): ValueType {
  const items = Array.isArray(v) ? v : [v];
  if (items.length > 0 && items.every((x) => typeof x === 'number')) return 'number';
  return typeof v === 'boolean' ? 'boolean' : 'text';
}

function windowDraft(w: unknown): WindowDraft {
  if (!w || typeof w !== 'object') return emptyWindow();
  const win = w as Json;
  return 'lastDays' in win
    ? { ...emptyWindow(), mode: 'last', lastDays: show(win.lastDays) }
    : { ...emptyWindow(), mode: 'range', from: show(win.from), to: show(win.to) };
}

function behaviourDraft(c: Json): Behaviour {
  const count = c.count as Count | undefined;
  return {
    did: c.did !== false,
    ...(count ? { count: { op: count.op, value: show(count.value) } } : {}),
    window: windowDraft(c.window),
  };
}

function draftOf(c: Json): Draft {
  const kind = c.kind as Kind;
  switch (kind) {
    case 'attribute':
      return { kind, field: String(c.field), operator: String(c.operator), ...typed(c.operator, c.value) };
    case 'account':
      return {
        kind,
        field: String(c.field),
        type: valueTypeOf(c.value),
        operator: String(c.operator),
        ...typed(c.operator, c.value),
      };
    case 'computed':
      return {
        kind,
        metric: c.metric as Metric,
        operator: String(c.operator),
        ...typed(c.operator, c.value),
        window: windowDraft(c.window),
      };
    case 'consent':
      return {
        kind,
        by: c.topic === undefined ? 'channel' : 'topic',
        channel: show(c.channel) || 'email',
        topic: show(c.topic),
        status: c.status === 'not_granted' ? 'not_granted' : 'granted',
      };
    case 'event': {
      const properties = c.properties as Json[] | undefined;
      return {
        kind,
        ...(c.type === undefined ? {} : { type: c.type as EventType }),
        name: show(c.name),
        ...(Array.isArray(properties)
          ? {
              properties: properties.map((p) => ({
                path: String(p.path),
                type: valueTypeOf(p.value),
                operator: String(p.operator),
                ...typed(p.operator, p.value),
              })),
            }
          : {}),
        ...behaviourDraft(c),
      };
    }
    case 'page':
      return { kind, path: c.path as PageDraft['path'], ...behaviourDraft(c) };
    case 'message':
      return {
        kind,
        action: c.action as MessageDraft['action'],
        ...(c.channel === undefined ? {} : { channel: String(c.channel) }),
        campaignId: show(c.campaignId),
        ...behaviourDraft(c),
      };
    case 'list':
      return { kind, listId: show(c.listId), member: c.member !== false };
    case 'segment':
      return { kind, segmentId: show(c.segmentId), member: c.member !== false };
  }
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

/** Why a condition cannot be sent yet. */
export type Reason =
  | 'value'
  | 'number'
  | 'choice'
  | 'emptyGroup'
  | 'path'
  | 'key'
  | 'days'
  | 'count'
  | 'order';

/**
 * What is missing, at the path of the condition that misses it; `field` names the input at fault
 * as the server would (`value`, `window.from`, `properties[0].path`).
 */
export interface Incomplete {
  path: string;
  reason: Reason;
  field?: string;
}
type Missing = { missing: Reason; field: string };
const missing = (reason: Reason, field: string): Missing => ({ missing: reason, field });
const isMissing = (x: unknown): x is Missing => typeof x === 'object' && x !== null && 'missing' in x;

export const childPath = (parent: string, index: number) => `${parent}.conditions[${index}]`;

const splitList = (s: string) =>
  s
    .split(/[,،]/)
    .map((x) => x.trim())
    .filter((x) => x !== '');

const wholeNumber = (s: string): number | null => {
  const n = Number(s);
  return s.trim() !== '' && Number.isSafeInteger(n) && n >= 0 ? n : null;
};

function operand(
  type: FieldType,
  operator: string,
  value: string,
  value2: string,
): { value?: unknown } | Missing {
  const shape = valueShape(operator);
  const cast = (s: string): string | number | boolean | null => {
    if (type === 'number') return s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : null;
    if (type === 'boolean') return s === 'true' ? true : s === 'false' ? false : null;
    return s.trim() === '' ? null : s.trim();
  };
  const none = missing(type === 'number' ? 'number' : 'value', 'value');
  switch (shape) {
    case 'none':
      return {};
    case 'days': {
      const n = wholeNumber(value);
      return n === null ? missing('number', 'value') : { value: n };
    }
    case 'list': {
      const items = splitList(value).map(cast);
      if (items.length === 0) return missing('value', 'value');
      return items.some((x) => x === null) ? missing('number', 'value') : { value: items };
    }
    case 'range': {
      const a = cast(value);
      const b = cast(value2);
      return a === null ? none : b === null ? { ...none, field: 'value[1]' } : { value: [a, b] };
    }
    case 'one': {
      const a = cast(value);
      return a === null ? none : { value: a };
    }
  }
}

function windowOf(w: WindowDraft): { window?: Window } | Missing {
  switch (w.mode) {
    case 'all':
      return {};
    case 'last': {
      const n = wholeNumber(w.lastDays);
      return n === null || n < 1 || n > MAX_LAST_DAYS
        ? missing('days', 'window.lastDays')
        : { window: { lastDays: n } };
    }
    case 'range': {
      const [from, to] = [Date.parse(w.from), Date.parse(w.to)];
      if (Number.isNaN(from)) return missing('value', 'window.from');
      if (Number.isNaN(to)) return missing('value', 'window.to');
      return from < to ? { window: { from: w.from, to: w.to } } : missing('order', 'window.to');
    }
  }
}

function behaviourOf(b: Behaviour): Json | Missing {
  let count: { count?: Count } = {};
  if (b.count) {
    const n = wholeNumber(b.count.value);
    if (n === null || n > MAX_COUNT) return missing('count', 'count.value');
    count = { count: { op: b.count.op, value: n } };
  }
  const window = windowOf(b.window);
  return isMissing(window) ? window : { did: b.did, ...count, ...window };
}

function propertyOf(p: PropertyDraft, i: number): Json | Missing {
  const at = `properties[${i}]`;
  const path = p.path.trim();
  if (!PROPERTY_PATH.test(path)) return missing('path', `${at}.path`);
  const o = operand(p.type, p.operator, p.value, p.value2);
  return isMissing(o) ? { ...o, field: `${at}.${o.field}` } : { path, operator: p.operator, ...o };
}

function conditionOf(d: Draft, custom: readonly CustomAttribute[]): Json | Missing {
  switch (d.kind) {
    case 'attribute': {
      const o = operand(fieldType(d.field, custom), d.operator, d.value, d.value2);
      return isMissing(o) ? o : { kind: d.kind, field: d.field, operator: d.operator, ...o };
    }
    case 'account': {
      const custom = d.field.startsWith('attributes.');
      if (custom && !ATTRIBUTE_KEY.test(d.field.slice('attributes.'.length))) return missing('key', 'field');
      const o = operand(custom ? d.type : 'text', d.operator, d.value, d.value2);
      return isMissing(o) ? o : { kind: d.kind, field: d.field, operator: d.operator, ...o };
    }
    case 'computed': {
      const o = operand(d.metric === 'last_seen' ? 'date' : 'number', d.operator, d.value, d.value2);
      if (isMissing(o)) return o;
      const w = windowOf(d.window);
      return isMissing(w) ? w : { kind: d.kind, metric: d.metric, operator: d.operator, ...o, ...w };
    }
    case 'consent': {
      if (d.by === 'channel') return { kind: d.kind, channel: d.channel, status: d.status };
      const topic = d.topic.trim();
      return topic === '' ? missing('value', 'topic') : { kind: d.kind, topic, status: d.status };
    }
    case 'event': {
      const name = d.name.trim();
      if ((d.type ?? 'track') === 'track' && name === '') return missing('value', 'name');
      const properties: Json[] = [];
      for (const [i, p] of (d.properties ?? []).entries()) {
        const f = propertyOf(p, i);
        if (isMissing(f)) return f;
        properties.push(f);
      }
      const b = behaviourOf(d);
      if (isMissing(b)) return b;
      return {
        kind: d.kind,
        ...(d.type === undefined ? {} : { type: d.type }),
        ...(name === '' ? {} : { name }),
        ...(d.properties === undefined ? {} : { properties }),
        ...b,
      };
    }
    case 'page': {
      if (d.path.value.trim() === '') return missing('value', 'path.value');
      const b = behaviourOf(d);
      return isMissing(b) ? b : { kind: d.kind, path: d.path, ...b };
    }
    case 'message': {
      const b = behaviourOf(d);
      const campaignId = d.campaignId.trim();
      if (isMissing(b)) return b;
      return {
        kind: d.kind,
        action: d.action,
        ...(d.channel === undefined ? {} : { channel: d.channel }),
        ...(campaignId === '' ? {} : { campaignId }),
        ...b,
      };
    }
    case 'list':
      return d.listId === '' ? missing('choice', 'listId') : { ...d };
    case 'segment':
      return d.segmentId === '' ? missing('choice', 'segmentId') : { ...d };
  }
}

/** The definition the editor shows, or the first condition that is not complete yet. */
export function toDefinition(
  root: GroupNode,
  custom: readonly CustomAttribute[],
): { ok: true; definition: { root: Json } } | { ok: false; incomplete: Incomplete } {
  let first: Incomplete | null = null;
  const group = (g: GroupNode, path: string): Json => {
    if (g.children.length === 0 && !first) first = { path, reason: 'emptyGroup' };
    const conditions = g.children.map((child, i) => {
      const where = childPath(path, i);
      if (child.type === 'group') return group(child, where);
      const c = conditionOf(child.draft, custom);
      if (isMissing(c)) {
        first ??= { path: where, reason: c.missing, field: c.field };
        return {};
      }
      return c;
    });
    return { match: g.match, ...(g.negate ? { negate: true } : {}), conditions };
  };
  const built = group(root, 'root');
  return first ? { ok: false, incomplete: first } : { ok: true, definition: { root: built } };
}

/**
 * The inputs a condition's form shows, named as the server names a condition's fields: a note at
 * `root.conditions[0].window.from` goes next to the input `window.from`.
 */
export function formFields(d: Draft): string[] {
  const window = (w: WindowDraft) => [
    'window',
    ...(w.mode === 'last' ? ['window.lastDays'] : []),
    ...(w.mode === 'range' ? ['window.from', 'window.to'] : []),
  ];
  const behaviour = (b: Behaviour) => [
    'did',
    'count',
    ...(b.count ? ['count.value'] : []),
    ...window(b.window),
  ];
  const values = (operator: string) => {
    const shape = valueShape(operator);
    return shape === 'none' ? [] : shape === 'range' ? ['value', 'value[1]'] : ['value'];
  };
  switch (d.kind) {
    case 'attribute':
    case 'account':
      return ['field', 'operator', ...values(d.operator)];
    case 'computed':
      return [
        'metric',
        'operator',
        ...values(d.operator),
        ...(d.metric === 'lead_score' ? [] : window(d.window)),
      ];
    case 'consent':
      return [d.by, 'status'];
    case 'event':
      return [
        'type',
        'name',
        'properties',
        ...(d.properties ?? []).flatMap((p, i) =>
          ['path', 'operator', ...values(p.operator)].map((f) => `properties[${i}].${f}`),
        ),
        ...behaviour(d),
      ];
    case 'page':
      return ['path.op', 'path.value', ...behaviour(d)];
    case 'message':
      return ['action', 'channel', 'campaignId', ...behaviour(d)];
    case 'list':
      return ['listId'];
    case 'segment':
      return ['segmentId'];
  }
}

/** The input a server field names among `fields`: the longest that it equals or lies under. */
export function placeField(field: string, fields: readonly string[]): string | null {
  let best: string | null = null;
  for (const f of fields) {
    const under = field === f || field.startsWith(`${f}.`) || field.startsWith(`${f}[`);
    if (under && (best === null || f.length > best.length)) best = f;
  }
  return best;
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
  return locate(root, path)?.id ?? null;
}

/** The node a server path names, and the rest of the path inside it (`window.from`), if any. */
export function locate(root: GroupNode, path: string): { id: string; field: string | null } | null {
  const wanted = path.replace(/^definition\./, '');
  let best: { id: string; length: number } | null = null;
  for (const [id, p] of pathsById(root)) {
    const prefix = wanted === p || wanted.startsWith(`${p}.`) || wanted.startsWith(`${p}[`);
    if (prefix && (!best || p.length > best.length)) best = { id, length: p.length };
  }
  if (!best) return null;
  const rest = wanted.slice(best.length).replace(/^\./, '');
  return { id: best.id, field: rest === '' ? null : rest };
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
