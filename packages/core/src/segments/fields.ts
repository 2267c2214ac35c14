/** What a contact field holds, which decides the operators it takes and how values are cast. */
export type FieldType = 'text' | 'number' | 'date' | 'boolean' | 'tags';

/**
 * The standard contact fields a segment may test. `interests` is a JSON array
 * of tags; `birth_date` a calendar date; `created_at` an instant compared by
 * its UTC calendar day.
 */
export const STANDARD_FIELDS = {
  email: 'text',
  phone: 'text',
  first_name: 'text',
  last_name: 'text',
  locale: 'text',
  timezone: 'text',
  country: 'text',
  city: 'text',
  birth_date: 'date',
  gender: 'text',
  income_band: 'text',
  interests: 'tags',
  source: 'text',
  lifecycle_stage: 'text',
  lead_score: 'number',
  created_at: 'date',
  age: 'number',
} as const satisfies Record<string, FieldType>;
export type StandardField = keyof typeof STANDARD_FIELDS;

export const ACCOUNT_FIELDS = ['name', 'domain', 'industry', 'size', 'region'] as const;
export type AccountField = (typeof ACCOUNT_FIELDS)[number];

/**
 * A workspace's custom attribute as the segment compiler needs it: the
 * contact model's AttributeDefinition fits. A `list` holds one of `options`
 * and compares as text.
 */
export interface AttributeDef {
  key: string;
  type: 'text' | 'number' | 'boolean' | 'date' | 'list';
  options?: readonly string[];
}

export const attributeFieldType = (def: AttributeDef): FieldType => (def.type === 'list' ? 'text' : def.type);

/** Operators each field type takes. */
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

/**
 * Whole years from `birth` ('YYYY-MM-DD') to the UTC day of `now`: a birthday
 * not yet reached this year (by month and day) takes one off, so a 29 February
 * birthday counts on 1 March in other years.
 */
export function ageAt(birth: string, now: Date): number {
  const [y, m, d] = birth.split('-').map(Number) as [number, number, number];
  const before = now.getUTCMonth() + 1 < m || (now.getUTCMonth() + 1 === m && now.getUTCDate() < d) ? 1 : 0;
  return now.getUTCFullYear() - y - before;
}

/**
 * The latest birth date ('YYYY-MM-DD') of someone aged at least `years` at
 * `now`: age ≥ n ⇔ birth ≤ this day. A 29 February that does not exist in
 * that year becomes the 28th (no valid date lies between the two).
 */
export function latestBirthForAge(years: number, now: Date): string {
  const y = now.getUTCFullYear() - years;
  const m = now.getUTCMonth() + 1;
  let d = now.getUTCDate();
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  if (m === 2 && d === 29 && !leap) d = 28;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
