import type { WaslEvent } from '@wasl/core';
import { z } from 'zod';
import type { ContactView } from './contact-rows.ts';

const DAY = 86_400_000;
const Scalar = z.union([z.string().max(500), z.number(), z.boolean()]);

/** Points per matching event: a track event by name, or a page view by path (`*` matches any characters). */
export const EventMatch = z
  .strictObject({
    event: z.string().min(1).max(200).optional(),
    path: z.string().min(1).max(2048).optional().meta({ description: 'e.g. /pricing* ; * matches anything' }),
    properties: z
      .record(z.string().min(1).max(100), Scalar)
      .optional()
      .meta({ description: 'Each named property must equal the value' }),
    capPerDay: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .meta({ description: 'Most occurrences counted per day (UTC)' }),
  })
  .refine((m) => (m.event === undefined) !== (m.path === undefined), {
    message: 'name either an event or a page path',
    path: ['event'],
  });
export type EventMatch = z.infer<typeof EventMatch>;

export const ATTRIBUTE_FIELDS = [
  'country',
  'city',
  'gender',
  'source',
  'incomeBand',
  'locale',
  'interests',
] as const;

/** Points once while the profile matches. `interests` eq: has the tag; in: has any of them. */
export const AttributeMatch = z.strictObject({
  field: z
    .string()
    .refine(
      (f) =>
        (ATTRIBUTE_FIELDS as readonly string[]).includes(f) || /^attributes\.[a-z][a-z0-9_]{0,63}$/.test(f),
      {
        message: `must be one of ${ATTRIBUTE_FIELDS.join(', ')} or attributes.<key>`,
      },
    ),
  operator: z.enum(['eq', 'in', 'exists']),
  value: z.union([Scalar, z.array(Scalar).max(100)]).optional(),
});
export type AttributeMatch = z.infer<typeof AttributeMatch>;

export type ScoringRule =
  | { kind: 'event'; points: number; match: EventMatch }
  | { kind: 'attribute'; points: number; match: AttributeMatch };

const globToRegExp = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

function eventMatcher(m: EventMatch): (e: WaslEvent) => boolean {
  const path = m.path === undefined ? undefined : globToRegExp(m.path);
  return (e) => {
    if (m.event !== undefined && (e.type !== 'track' || e.name !== m.event)) return false;
    if (path) {
      const at = e.context.path ?? e.properties.path;
      if (e.type !== 'page' || typeof at !== 'string' || !path.test(at)) return false;
    }
    return Object.entries(m.properties ?? {}).every(([k, v]) => e.properties[k] === v);
  };
}

function attributeMatches(m: AttributeMatch, c: ContactView): boolean {
  const raw = m.field.startsWith('attributes.')
    ? c.attributes[m.field.slice('attributes.'.length)]
    : c[m.field as (typeof ATTRIBUTE_FIELDS)[number]];
  const have = (Array.isArray(raw) ? raw : raw === null || raw === undefined ? [] : [raw]) as unknown[];
  if (m.operator === 'exists') return have.length > 0;
  const wanted = Array.isArray(m.value) ? m.value : [m.value];
  if (m.operator === 'eq' && !Array.isArray(m.value)) return have.includes(m.value);
  return m.operator === 'in' && have.some((v) => wanted.includes(v as string | number | boolean));
}

/**
 * A contact's score at `now`: attribute rules count once; each matching
 * event counts its rule's points (at most `capPerDay` of them per UTC day,
 * earliest first), halved for every `halfLifeDays` since it happened.
 * Rounded to a whole number at the end.
 */
export function scoreOf(
  rules: readonly ScoringRule[],
  contact: ContactView,
  history: readonly WaslEvent[],
  now: number,
  halfLifeDays: number | null,
): number {
  let total = 0;
  const events = [...history].sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
  for (const rule of rules) {
    if (rule.kind === 'attribute') {
      if (attributeMatches(rule.match, contact)) total += rule.points;
      continue;
    }
    const matches = eventMatcher(rule.match);
    const perDay = new Map<number, number>();
    for (const e of events) {
      if (!matches(e)) continue;
      const at = e.occurredAt.getTime();
      const day = Math.floor(at / DAY);
      const seen = perDay.get(day) ?? 0;
      if (rule.match.capPerDay !== undefined && seen >= rule.match.capPerDay) continue;
      perDay.set(day, seen + 1);
      const age = Math.max(0, now - at);
      total += rule.points * (halfLifeDays === null ? 1 : 0.5 ** (age / (halfLifeDays * DAY)));
    }
  }
  return Math.round(total);
}
