import { ageOn, LIFECYCLE_STAGES } from '@wasl/core';
import type { ContactView } from './contact-rows.ts';

export const AGE_BANDS = [
  'under_18',
  '18_24',
  '25_34',
  '35_44',
  '45_54',
  '55_64',
  '65_plus',
  'unknown',
] as const;
export const ENGAGEMENT = ['active', 'dormant'] as const;
/** City and interests keep this many values; cities beyond them are summed as `other`. */
export const TOP = 20;

export const DIMENSIONS = [
  'age',
  'gender',
  'country',
  'city',
  'income_band',
  'interests',
  'device_type',
  'source',
  'lifecycle_stage',
  'engagement',
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export interface Bucket {
  value: string;
  count: number;
  /** count / members; for interests (several per person) shares do not add up to 1. */
  share: number;
}

export interface Persona {
  members: number;
  dimensions: Record<Dimension, Bucket[]>;
}

/** What the events store says about one member (see personas-activity.ts). */
export interface Activity {
  /** Their most used device type over the last 90 days' page views. */
  deviceType: string | null;
  /** Any event of theirs in the last 30 days. */
  active: boolean;
}

export function ageBand(birthDate: string | null, on: Date, timeZone: string): (typeof AGE_BANDS)[number] {
  if (!birthDate) return 'unknown';
  const age = ageOn(birthDate, on, timeZone);
  if (!Number.isFinite(age) || age < 0) return 'unknown';
  if (age < 18) return 'under_18';
  if (age >= 65) return '65_plus';
  const bands = ['18_24', '25_34', '35_44', '45_54', '55_64'] as const;
  return bands[Math.min(4, Math.floor((age - 15) / 10))] ?? 'unknown';
}

/** Counts per value. */
class Tally {
  readonly counts = new Map<string, number>();
  add(value: string): void {
    this.counts.set(value, (this.counts.get(value) ?? 0) + 1);
  }
  get(value: string): number {
    return this.counts.get(value) ?? 0;
  }
}

const bucket = (value: string, count: number, members: number): Bucket => ({
  value,
  count,
  share: members === 0 ? 0 : count / members,
});

/** Every value in the given order, zeros included (so two segments line up). */
const fixed = (t: Tally, order: readonly string[], members: number): Bucket[] =>
  order.map((v) => bucket(v, t.get(v), members));

/**
 * Most frequent first (ties by value), at most `top` of them when given, then
 * `other` (the rest summed, when `other` and something was cut) and
 * `unknown` last.
 */
function ranked(t: Tally, members: number, top?: number, other = true): Bucket[] {
  const known = [...t.counts]
    .filter(([v]) => v !== 'unknown')
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const kept = top === undefined ? known : known.slice(0, top);
  const out = kept.map(([v, n]) => bucket(v, n, members));
  const rest = known.slice(kept.length).reduce((sum, [, n]) => sum + n, 0);
  if (other && rest > 0) out.push(bucket('other', rest, members));
  if (t.get('unknown') > 0) out.push(bucket('unknown', t.get('unknown'), members));
  return out;
}

/** The distributions of a set of contacts; `activity` misses a contact the events store knows nothing of. */
export function personaOf(
  contacts: readonly ContactView[],
  activity: ReadonlyMap<string, Activity>,
  on: Date,
  timeZone: string,
): Persona {
  const t = Object.fromEntries(DIMENSIONS.map((d) => [d, new Tally()])) as Record<Dimension, Tally>;
  for (const c of contacts) {
    const a = activity.get(c.id);
    t.age.add(ageBand(c.birthDate, on, timeZone));
    t.gender.add(c.gender ?? 'unknown');
    t.country.add(c.country ?? 'unknown');
    t.city.add(c.city ?? 'unknown');
    t.income_band.add(c.incomeBand ?? 'unknown');
    for (const tag of new Set(c.interests)) t.interests.add(tag);
    t.device_type.add(a?.deviceType ?? 'unknown');
    t.source.add(c.source ?? 'unknown');
    t.lifecycle_stage.add(c.lifecycleStage ?? 'unknown');
    t.engagement.add(a?.active ? 'active' : 'dormant');
  }
  const n = contacts.length;
  return {
    members: n,
    dimensions: {
      age: fixed(t.age, AGE_BANDS, n),
      gender: ranked(t.gender, n),
      country: ranked(t.country, n),
      city: ranked(t.city, n, TOP),
      income_band: ranked(t.income_band, n),
      interests: ranked(t.interests, n, TOP, false),
      device_type: ranked(t.device_type, n),
      source: ranked(t.source, n),
      lifecycle_stage: fixed(t.lifecycle_stage, [...LIFECYCLE_STAGES, 'unknown'], n),
      engagement: fixed(t.engagement, ENGAGEMENT, n),
    },
  };
}
