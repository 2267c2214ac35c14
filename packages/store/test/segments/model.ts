import type { WaslEvent } from '@wasl/core';
import {
  ageAt,
  type Condition,
  type Count,
  type Group,
  isGroup,
  type SegmentDefinition,
  type Window,
} from '@wasl/core';
import type { Dataset } from './dataset.ts';

// The segment semantics in plain TypeScript, independent of the SQL: member
// sets computed here from the generated data are what both engines must return.

const DAY = 86_400_000;
type Contact = Dataset['contacts'][number];
type Val = string | number | boolean;

const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
const isNum = (v: unknown): v is number => typeof v === 'number';
/** The engines' reading of a JSON value as a number: numbers, or text holding one. */
function asNumber(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return Number(v);
  return null;
}
const asText = (v: unknown): string | null =>
  v === undefined || v === null
    ? null
    : typeof v === 'string'
      ? v
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);

function text(x: string | null, op: string, value: unknown): boolean {
  const l = x === null ? null : x.toLowerCase();
  const v = lower(typeof value === 'number' ? String(value) : value) as string;
  const list = Array.isArray(value) ? value.map((e) => String(e).toLowerCase()) : [];
  switch (op) {
    case 'eq':
      return l === v;
    case 'neq':
      return l !== v;
    case 'in':
      return l !== null && list.includes(l);
    case 'not_in':
      return l === null || !list.includes(l);
    case 'contains':
      return l?.includes(v) === true;
    case 'not_contains':
      return l === null || !l.includes(v);
    case 'starts_with':
      return l?.startsWith(v) === true;
    case 'is_set':
      return x !== null && x !== '';
    case 'is_not_set':
      return x === null || x === '';
  }
  throw new Error(`model: text ${op}`);
}

function number(x: number | null, op: string, value: unknown): boolean {
  const [a, b] = Array.isArray(value) ? (value as number[]) : [];
  switch (op) {
    case 'eq':
      return x === value;
    case 'neq':
      return x !== value;
    case 'in':
      return x !== null && (value as number[]).includes(x);
    case 'not_in':
      return x === null || !(value as number[]).includes(x);
    case 'gt':
      return x !== null && x > (value as number);
    case 'gte':
      return x !== null && x >= (value as number);
    case 'lt':
      return x !== null && x < (value as number);
    case 'lte':
      return x !== null && x <= (value as number);
    case 'between':
      return x !== null && x >= (a as number) && x <= (b as number);
    case 'is_set':
      return x !== null;
    case 'is_not_set':
      return x === null;
  }
  throw new Error(`model: number ${op}`);
}

function date(x: string | null, op: string, value: unknown, now: Date): boolean {
  const today = now.toISOString().slice(0, 10);
  const ago = (n: number) => new Date(now.getTime() - n * DAY).toISOString().slice(0, 10);
  if (op === 'is_set') return x !== null;
  if (op === 'is_not_set') return x === null;
  if (x === null) return op === 'neq';
  const [a, b] = Array.isArray(value) ? (value as string[]) : [];
  switch (op) {
    case 'eq':
      return x === value;
    case 'neq':
      return x !== value;
    case 'gt':
      return x > (value as string);
    case 'gte':
      return x >= (value as string);
    case 'lt':
      return x < (value as string);
    case 'lte':
      return x <= (value as string);
    case 'between':
      return x >= (a as string) && x <= (b as string);
    case 'within_last_days':
      return x >= ago(value as number) && x <= today;
    case 'more_than_days_ago':
      return x < ago(value as number);
  }
  throw new Error(`model: date ${op}`);
}

function tags(x: unknown, op: string, value: unknown): boolean {
  const have = Array.isArray(x) ? x.map((t) => String(t).toLowerCase()) : [];
  const want = ((value as Val[]) ?? []).map((t) => String(t).toLowerCase());
  switch (op) {
    case 'has_any':
      return want.some((t) => have.includes(t));
    case 'has_all':
      return want.every((t) => have.includes(t));
    case 'is_set':
      return have.length > 0;
    case 'is_not_set':
      return have.length === 0;
  }
  throw new Error(`model: tags ${op}`);
}

const at = (obj: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>(
    (o, k) =>
      o !== null && typeof o === 'object' && !Array.isArray(o)
        ? (o as Record<string, unknown>)[k]
        : undefined,
    obj,
  );

export class SegmentModel {
  private readonly byContact = new Map<string, WaslEvent[]>();
  private readonly deliveredKeys = new Set<string>();

  constructor(
    readonly data: Dataset,
    readonly ws: string,
    readonly now: Date,
    readonly segments: Record<string, SegmentDefinition>,
  ) {
    const owner = new Map(
      data.identities.filter((i) => i.workspaceId === ws).map((i) => [i.anonymousId, i.contactId]),
    );
    for (const e of data.events) {
      if (e.workspaceId !== ws) continue;
      const who = new Set<string>();
      if (e.contactId !== null) who.add(e.contactId);
      const viaAnon = e.anonymousId === null ? undefined : owner.get(e.anonymousId);
      if (viaAnon !== undefined) who.add(viaAnon);
      for (const c of who) {
        const list = this.byContact.get(c) ?? [];
        list.push(e);
        this.byContact.set(c, list);
        if (e.type === 'message' && e.name === 'message.delivered')
          this.deliveredKeys.add(this.messageKey(c, e));
      }
    }
  }

  private messageKey(contact: string, e: WaslEvent): string {
    return JSON.stringify([contact, asText(e.properties.campaignId), asText(e.properties.channel)]);
  }

  members(def: SegmentDefinition): string[] {
    return this.data.contacts
      .filter((c) => c.workspaceId === this.ws && this.group(def.root, c))
      .map((c) => c.id)
      .sort();
  }

  group(g: Group, c: Contact): boolean {
    const results = g.conditions.map((n) => (isGroup(n) ? this.group(n, c) : this.condition(n, c)));
    const v = g.match === 'all' ? results.every(Boolean) : results.some(Boolean);
    return g.negate ? !v : v;
  }

  condition(k: Condition, c: Contact): boolean {
    switch (k.kind) {
      case 'attribute':
        return this.attribute(k.field, k.operator, k.value, c);
      case 'account': {
        const acc = this.data.accounts.find((a) => a.workspaceId === this.ws && a.id === c.accountId);
        if (k.field.startsWith('attributes.')) {
          const raw = acc?.attributes?.[k.field.slice(11)];
          const numeric = ['gt', 'gte', 'lt', 'lte', 'between'].includes(k.operator) || isNum(k.value);
          return numeric
            ? number(asNumber(raw), k.operator, k.value)
            : text(asText(raw), k.operator, k.value);
        }
        const v = acc ? (acc[k.field as 'name'] ?? null) : null;
        return text(v, k.operator, k.value);
      }
      case 'consent': {
        const status =
          k.topic !== undefined ? at(c.consent, ['topics', k.topic]) : c.consent?.[k.channel ?? ''];
        return (status === 'granted') === (k.status === 'granted');
      }
      case 'list': {
        const member = this.data.lists.some(
          (l) => l.workspaceId === this.ws && l.listId === k.listId && l.contactId === c.id,
        );
        return member === k.member;
      }
      case 'segment': {
        const def = this.segments[k.segmentId];
        if (!def) throw new Error(`model: no segment ${k.segmentId}`);
        return this.group(def.root, c) === k.member;
      }
      case 'event': {
        const type = k.type ?? 'track';
        const n = this.events(c, k.window).filter(
          (e) =>
            e.type === type &&
            (k.name === undefined || e.name === k.name) &&
            (k.properties ?? []).every((f) =>
              this.property(at(e.properties, f.path.split('.')), f.operator, f.value),
            ),
        ).length;
        return this.counted(n, k.did, k.count);
      }
      case 'page': {
        const { op, value } = k.path;
        const match = (p: string | undefined) => {
          if (p === undefined) return false;
          if (op === 'equals') return p === value;
          if (op === 'starts_with') return p.startsWith(value);
          if (op === 'contains') return p.includes(value);
          const re = new RegExp(
            `^${value
              .split('*')
              .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
              .join('.*')}$`,
            's',
          );
          return re.test(p);
        };
        const n = this.events(c, k.window).filter((e) => e.type === 'page' && match(e.context.path)).length;
        return this.counted(n, k.did, k.count);
      }
      case 'message': {
        const n = this.events(c, k.window).filter((e) => {
          if (e.type !== 'message') return false;
          if (k.channel !== undefined && e.properties.channel !== k.channel) return false;
          if (k.campaignId !== undefined && e.properties.campaignId !== k.campaignId) return false;
          if (k.action === 'received') {
            return (
              e.name === 'message.delivered' ||
              (e.name === 'message.sent' && !this.deliveredKeys.has(this.messageKey(c.id, e)))
            );
          }
          return e.name === `message.${k.action}`;
        }).length;
        return this.counted(n, k.did, k.count);
      }
      case 'computed': {
        const evs = this.events(c, k.window);
        switch (k.metric) {
          case 'lead_score':
            return number(c.leadScore ?? 0, k.operator, k.value);
          case 'visit_count': {
            const sessions = new Set(
              evs
                .filter((e) => (e.type === 'page' || e.type === 'track') && e.context.sessionId !== undefined)
                .map((e) => e.context.sessionId),
            );
            return number(sessions.size, k.operator, k.value);
          }
          case 'total_revenue': {
            const sum = evs
              .filter((e) => e.type === 'track')
              .reduce((s, e) => s + (asNumber(e.properties.revenue) ?? 0), 0);
            return number(sum, k.operator, k.value);
          }
          case 'last_seen': {
            const times = evs
              .filter((e) => e.type === 'page' || e.type === 'track')
              .map((e) => e.occurredAt.getTime());
            const since = this.now.getTime() - (k.value as number) * DAY;
            if (times.length === 0) return k.operator === 'more_than_days_ago';
            const last = Math.max(...times);
            return k.operator === 'within_last_days' ? last >= since : last < since;
          }
        }
      }
    }
  }

  private property(raw: unknown, op: string, value: unknown): boolean {
    const numeric =
      isNum(value) ||
      (Array.isArray(value) && value.length > 0 && value.every(isNum)) ||
      ['gt', 'gte', 'lt', 'lte', 'between'].includes(op);
    if (numeric) return number(asNumber(raw), op, value);
    return text(asText(raw), op, typeof value === 'boolean' ? String(value) : value);
  }

  private counted(n: number, did: boolean, count: Count | undefined): boolean {
    const c = count ?? { op: 'at_least', value: 1 };
    const ok = c.op === 'at_least' ? n >= c.value : c.op === 'at_most' ? n <= c.value : n === c.value;
    return did ? ok : !ok;
  }

  private events(c: Contact, w: Window | undefined): WaslEvent[] {
    const all = this.byContact.get(c.id) ?? [];
    if (!w) return all;
    const from = 'lastDays' in w ? this.now.getTime() - w.lastDays * DAY : Date.parse(w.from);
    const to = 'to' in w ? Date.parse(w.to) : Number.POSITIVE_INFINITY;
    return all.filter((e) => e.occurredAt.getTime() >= from && e.occurredAt.getTime() < to);
  }

  private attribute(field: string, op: string, value: unknown, c: Contact): boolean {
    if (field === 'age') return number(c.birthDate ? ageAt(c.birthDate, this.now) : null, op, value);
    if (field.startsWith('attributes.')) {
      const key = field.slice(11);
      const raw = c.attributes?.[key];
      switch (key) {
        case 'ltv':
          return number(asNumber(raw), op, value);
        case 'renewal':
          return date(typeof raw === 'string' ? raw : null, op, value, this.now);
        case 'vip':
          return text(asText(raw), op, typeof value === 'boolean' ? String(value) : value);
        default:
          return text(asText(raw), op, value);
      }
    }
    switch (field) {
      case 'lead_score':
        return number(c.leadScore ?? 0, op, value);
      case 'birth_date':
        return date(c.birthDate ?? null, op, value, this.now);
      case 'created_at':
        return date(c.createdAt.toISOString().slice(0, 10), op, value, this.now);
      case 'interests':
        return tags(c.interests ?? [], op, value);
    }
    const key = field.replace(/_(.)/g, (_, ch: string) => ch.toUpperCase()) as keyof Contact;
    return text((c[key] as string | null | undefined) ?? null, op, value);
  }
}
