/**
 * The journey state machine, pure: given a step and what is known about the
 * contact, what happens now (an effect such as a message to queue) and where
 * the contact goes next, waits, or waits for an event. The executor in the
 * server does the reading and writing, in one transaction per contact, so a
 * step's effect and the contact's move happen together or not at all.
 */
import { parseClockTime, zonedInstant } from '../messaging/quiet-hours.ts';
import type { FieldOperator, Operand } from '../segments/definition.ts';
import {
  type BranchCondition,
  durationMs,
  type EventMatch,
  type JourneyDefinition,
  type PropertyTest,
  type SendStep,
  type Step,
} from './definition.ts';

/** What a step does to the world; the executor carries it out in the contact's transaction. */
export type Effect =
  | { kind: 'send'; step: SendStep }
  | {
      kind: 'update';
      set?: Record<string, string | number | boolean | null>;
      addTags?: string[];
      removeTags?: string[];
      lifecycleStage?: string;
    }
  | { kind: 'score'; points: number }
  | { kind: 'webhook'; endpointId: string };

export type Decision =
  /** Done with this step now; go on to `next` (null: the journey is over for the contact). */
  | { kind: 'next'; next: string | null; effect?: Effect }
  /** Run `next` at `until`. */
  | { kind: 'sleep'; until: number; next: string | null }
  /** Stay here until a matching event arrives, or `until` passes. */
  | { kind: 'await'; event: EventMatch; until: number };

/** What a step may ask about the contact; the executor reads only what the step needs. */
export interface Facts {
  now: number;
  /** The contact's IANA time zone, else the workspace's. */
  zone: string;
  /** A stable number in [0, 1) for this contact at this step: a split sends them the same way every time. */
  draw: number;
  /** The value of a contact field (standard or `attributes.<key>`). */
  field(name: string): unknown;
  inSegment(segmentId: string): boolean;
  consent(channel: string): 'granted' | 'not_granted';
  goalReached: boolean;
}

/** What the step needs read before it can decide: the executor loads these, nothing else. */
export function needs(step: Step): { contact: boolean; segment?: string; consent?: string; goal: boolean } {
  if (step.type === 'branch') {
    const c = step.condition;
    return {
      contact: c.kind === 'attribute',
      ...(c.kind === 'segment' ? { segment: c.segmentId } : {}),
      ...(c.kind === 'consent' ? { consent: c.channel } : {}),
      goal: false,
    };
  }
  return { contact: step.type === 'wait_until', goal: step.type === 'goal' };
}

export function decide(step: Step, f: Facts): Decision {
  switch (step.type) {
    case 'send':
      return { kind: 'next', next: step.next ?? null, effect: { kind: 'send', step } };
    case 'wait':
      return { kind: 'sleep', until: f.now + durationMs(step.duration), next: step.next ?? null };
    case 'wait_until':
      return {
        kind: 'sleep',
        until: nextLocalTime(f.now, f.zone, step.at, step.weekdays),
        next: step.next ?? null,
      };
    case 'wait_event':
      return { kind: 'await', event: step.event, until: f.now + durationMs(step.timeout) };
    case 'branch':
      return { kind: 'next', next: (holds(step.condition, f) ? step.yes : step.no) ?? null };
    case 'split': {
      let edge = 0;
      for (const path of step.paths) {
        edge += path.percent / 100;
        if (f.draw < edge) return { kind: 'next', next: path.next ?? null };
      }
      return { kind: 'next', next: step.paths[step.paths.length - 1]?.next ?? null };
    }
    case 'update': {
      const { type: _, next, ...change } = step;
      return { kind: 'next', next: next ?? null, effect: { kind: 'update', ...change } };
    }
    case 'score':
      return { kind: 'next', next: step.next ?? null, effect: { kind: 'score', points: step.points } };
    case 'webhook':
      return {
        kind: 'next',
        next: step.next ?? null,
        effect: { kind: 'webhook', endpointId: step.endpointId },
      };
    case 'goal':
      return { kind: 'next', next: (f.goalReached ? step.yes : step.no) ?? null };
  }
}

/** Where a contact waiting at a wait_event step goes: on the event, or when the timeout passes. */
export function afterWait(step: Step, by: 'event' | 'timeout'): string | null {
  if (step.type !== 'wait_event') return null;
  return (by === 'event' ? step.next : step.timeoutNext) ?? null;
}

/** A stable number in [0, 1) for a key (FNV-1a): the same contact at the same split always draws the same. */
export function drawFor(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // Murmur3's finaliser spreads FNV's weak low bits over the whole word.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return (h >>> 0) / 0x1_0000_0000;
}

function holds(c: BranchCondition, f: Facts): boolean {
  switch (c.kind) {
    case 'attribute':
      return testValue(f.field(c.field), c.operator, c.value, f.now);
    case 'segment':
      return f.inSegment(c.segmentId) === c.member;
    case 'consent':
      return f.consent(c.channel) === c.status;
  }
}

/** The first instant at or after `now` that is `at` local time on an allowed ISO weekday in `zone`. */
export function nextLocalTime(now: number, zone: string, at: string, weekdays?: readonly number[]): number {
  const minutes = parseClockTime(at, 'at');
  if (!minutes.ok) throw new Error(minutes.error.message);
  const today = localDate(now, zone);
  for (let add = 0; add < 8; add++) {
    const day = new Date(Date.UTC(today.year, today.month - 1, today.day + add));
    const iso = day.getUTCDay() === 0 ? 7 : day.getUTCDay();
    if (weekdays && !weekdays.includes(iso)) continue;
    const instant = zonedInstant(
      day.getUTCFullYear(),
      day.getUTCMonth() + 1,
      day.getUTCDate(),
      minutes.value,
      zone,
    );
    if (instant >= now) return instant;
  }
  throw new Error('no allowed weekday within a week');
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();
function localDate(at: number, zone: string): { year: number; month: number; day: number } {
  let f = dateFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
    dateFormatters.set(zone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
  return { year: p.year ?? 1970, month: p.month ?? 1, day: p.day ?? 1 };
}

/** Whether an event is the one asked for: its name, and each property test. */
export function eventMatches(
  match: EventMatch,
  event: { name: string | null; properties: Record<string, unknown> },
  now: number,
): boolean {
  if (event.name !== match.name) return false;
  return (match.properties ?? []).every((t: PropertyTest) =>
    testValue(propertyAt(event.properties, t.path), t.operator, t.value, now),
  );
}

function propertyAt(props: Record<string, unknown>, path: string): unknown {
  let value: unknown = props;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const DAY = 86_400_000;

/**
 * One operator on one value, as the segment compiler means it: text compares
 * case-insensitively, numbers numerically, dates by instant, tag lists by
 * membership. A missing value fails every test except is_not_set and the
 * negative ones (neq, not_in, not_contains).
 */
export function testValue(
  actual: unknown,
  operator: FieldOperator,
  expected: Operand | undefined,
  now: number,
): boolean {
  const missing = actual === undefined || actual === null || actual === '';
  if (operator === 'is_set') return !missing;
  if (operator === 'is_not_set') return missing;
  const list = Array.isArray(expected) ? expected : [expected];
  if (Array.isArray(actual)) {
    // Tags: "eq"/"in"/"contains" ask whether any tag matches.
    const any = actual.some((a) => testValue(a, positive(operator), expected, now));
    return isNegative(operator) ? !any : any;
  }
  if (missing) return isNegative(operator);
  switch (operator) {
    case 'eq':
      return same(actual, expected);
    case 'neq':
      return !same(actual, expected);
    case 'in':
      return list.some((e) => same(actual, e));
    case 'not_in':
      return !list.some((e) => same(actual, e));
    case 'contains':
      return text(actual).includes(text(expected));
    case 'not_contains':
      return !text(actual).includes(text(expected));
    case 'starts_with':
      return text(actual).startsWith(text(expected));
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const [a, b] = comparable(actual, expected);
      if (a === null || b === null) return false;
      return operator === 'gt' ? a > b : operator === 'gte' ? a >= b : operator === 'lt' ? a < b : a <= b;
    }
    case 'between': {
      const [a, lo] = comparable(actual, list[0]);
      const [, hi] = comparable(actual, list[1]);
      return a !== null && lo !== null && hi !== null && a >= lo && a <= hi;
    }
    case 'within_last_days':
    case 'more_than_days_ago': {
      const at = instant(actual);
      const days = Number(expected);
      if (at === null || !Number.isFinite(days)) return false;
      return operator === 'within_last_days' ? at >= now - days * DAY && at <= now : at < now - days * DAY;
    }
    default:
      return false;
  }
}

const isNegative = (op: FieldOperator) => op === 'neq' || op === 'not_in' || op === 'not_contains';
const positive = (op: FieldOperator): FieldOperator =>
  op === 'neq' ? 'eq' : op === 'not_in' ? 'in' : op === 'not_contains' ? 'contains' : op;
const text = (v: unknown) => String(v ?? '').toLocaleLowerCase();

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  if (typeof a === 'boolean' || typeof b === 'boolean') return String(a) === String(b);
  return text(a) === text(b);
}

function instant(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : t;
}

function comparable(a: unknown, b: unknown): [number | null, number | null] {
  if (typeof a === 'number' || (typeof a === 'string' && a.trim() !== '' && !Number.isNaN(Number(a)))) {
    const x = Number(a);
    const y = Number(b);
    return [x, Number.isFinite(y) ? y : null];
  }
  return [instant(a), instant(b)];
}

export type { JourneyDefinition };
