import { z } from 'zod';

export const LIFECYCLE_STAGES = ['subscriber', 'lead', 'mql', 'sql', 'customer', 'evangelist'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

export const GENDERS = ['female', 'male', 'other', 'unknown'] as const;
export type Gender = (typeof GENDERS)[number];

export const CONSENT_CHANNELS = ['email', 'sms', 'whatsapp', 'webpush'] as const;
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

export const ATTRIBUTE_TYPES = ['text', 'number', 'date', 'boolean', 'list'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

export interface AttributeDefinition {
  key: string;
  label: string;
  type: AttributeType;
  /** The allowed values of a `list` attribute. */
  options?: string[];
}

export interface ContactDraft {
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  locale: string | null;
  timezone: string | null;
  country: string | null;
  city: string | null;
  birthDate: string | null;
  gender: Gender | null;
  incomeBand: string | null;
  interests: string[];
  source: string | null;
  lifecycleStage: LifecycleStage | null;
  attributes: Record<string, string | number | boolean | null>;
}

/** What an API body or a CSV row mapping gives: strings or typed values, not yet checked. */
export type ContactInput = Partial<Record<keyof ContactDraft, unknown>>;

export interface FieldProblem {
  field: string;
  value?: string;
  reason: string;
  warning?: boolean;
}

/** The snake_case names used in CSV mappings and reserved from attribute keys. */
export const STANDARD_FIELD_NAMES: Readonly<Record<string, keyof ContactDraft>> = {
  email: 'email',
  phone: 'phone',
  first_name: 'firstName',
  last_name: 'lastName',
  locale: 'locale',
  timezone: 'timezone',
  country: 'country',
  city: 'city',
  birth_date: 'birthDate',
  gender: 'gender',
  income_band: 'incomeBand',
  interests: 'interests',
  source: 'source',
  lifecycle_stage: 'lifecycleStage',
};

const RESERVED_KEYS = new Set([
  ...Object.keys(STANDARD_FIELD_NAMES),
  'id',
  'attributes',
  'consent',
  'created_at',
  'updated_at',
  'workspace_id',
]);

export const AttributeDefinitionSchema = z
  .object({
    key: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/, 'use a-z, 0-9 and _, starting with a letter, at most 63 characters')
      .refine((key) => !RESERVED_KEYS.has(key), { message: 'this is the name of a standard contact field' }),
    label: z.string().trim().min(1).max(100),
    type: z.enum(ATTRIBUTE_TYPES),
    options: z.array(z.string().trim().min(1).max(200)).min(1).max(500).optional(),
  })
  .refine((def) => def.type !== 'list' || def.options !== undefined, {
    message: 'a list attribute needs its options',
    path: ['options'],
  })
  .refine((def) => def.options === undefined || new Set(def.options).size === def.options.length, {
    message: 'the options must be distinct',
    path: ['options'],
  });

/** Length in characters (code points), as a person counts them, not UTF-16 units. */
export function charLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}
