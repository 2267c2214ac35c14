import { parseAttributeValue } from './attributes.ts';
import { parseGender, parseLifecycleStage, parseLocale, parseTimeZone } from './choices.ts';
import { countryCode } from './country.ts';
import { parseDate } from './dates.ts';
import { normaliseEmail } from './email.ts';
import {
  type AttributeDefinition,
  type ContactDraft,
  type ContactInput,
  charLength,
  type FieldProblem,
} from './fields.ts';
import { normalisePhone } from './phone.ts';

export interface ValidateOptions {
  /** The workspace's country, for local phone numbers of contacts without a country. On a PATCH, pass the contact's stored country. */
  defaultCountry?: string;
  /** Only the fields present are checked and returned (PATCH); otherwise absent fields are null/[]/{}. */
  partial?: boolean;
  /** The day birth dates may not be after; now when absent. */
  today?: Date;
}

export type ContactValidation =
  | { ok: true; value: Partial<ContactDraft>; warnings: FieldProblem[] }
  | { ok: false; errors: FieldProblem[]; warnings: FieldProblem[] };

const TEXT_LIMITS = { firstName: 100, lastName: 100, city: 100, source: 200, incomeBand: 100 } as const;
const TEXT_NAMES = {
  firstName: 'first name',
  lastName: 'last name',
  city: 'city',
  source: 'source',
  incomeBand: 'income band',
} as const;
const MAX_TAG = 100;
const MAX_TAGS = 100;
const TAG_SEPARATORS = /[,;|\u060c\u061b]/;

const show = (raw: unknown): string => (typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? String(raw)));
function fail(errors: FieldProblem[], field: string, raw: unknown, reason: string): void {
  errors.push({ field, value: show(raw), reason });
}

const isEmpty = (raw: unknown) =>
  raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '');

/**
 * Checks a contact as an API body or a CSV row gives it. Errors and warnings
 * name the field (attributes as `attributes.<key>`), the value and the reason.
 */
export function validateContactInput(
  input: ContactInput,
  defs: readonly AttributeDefinition[],
  opts: ValidateOptions,
): ContactValidation {
  const value: Partial<ContactDraft> = {};
  const errors: FieldProblem[] = [];
  const warnings: FieldProblem[] = [];

  // Country first: a local phone number is read in the contact's country.
  let country: string | undefined;
  if (input.country !== undefined) {
    const raw = input.country;
    if (isEmpty(raw)) value.country = null;
    else if (typeof raw !== 'string') fail(errors, 'country', raw, 'country must be text');
    else {
      country = countryCode(raw);
      if (country === undefined)
        fail(errors, 'country', raw, `country "${raw}" is not a country name or ISO code`);
      else value.country = country;
    }
  }

  for (const key of Object.keys(input) as (keyof ContactDraft)[]) {
    const raw = input[key];
    // An undefined value is an absent field, as in JSON.
    if (raw === undefined) continue;
    switch (key) {
      case 'country':
        break;
      case 'email': {
        if (isEmpty(raw)) value.email = null;
        else if (typeof raw !== 'string') fail(errors, key, raw, 'email must be text');
        else {
          const email = normaliseEmail(raw);
          if (!email.ok) fail(errors, key, raw, email.error.message);
          else {
            value.email = email.value;
            if (email.suggestion !== undefined) {
              warnings.push({
                field: key,
                value: raw,
                reason: `email "${raw}" may be mistyped: did you mean ${email.suggestion}?`,
                warning: true,
              });
            }
          }
        }
        break;
      }
      case 'phone': {
        if (isEmpty(raw)) value.phone = null;
        else if (typeof raw !== 'string' && typeof raw !== 'number')
          fail(errors, key, raw, 'phone must be text');
        else {
          const phone = normalisePhone(String(raw), country ?? opts.defaultCountry);
          if (phone.ok) value.phone = phone.value;
          else fail(errors, key, raw, phone.error.message);
        }
        break;
      }
      case 'firstName':
      case 'lastName':
      case 'city':
      case 'source':
      case 'incomeBand': {
        if (isEmpty(raw)) value[key] = null;
        else if (typeof raw !== 'string') fail(errors, key, raw, `${TEXT_NAMES[key]} must be text`);
        else {
          const text = raw.trim();
          const limit = TEXT_LIMITS[key];
          if (text.length > limit && charLength(text) > limit)
            fail(errors, key, raw, `${TEXT_NAMES[key]} is longer than ${limit} characters`);
          else value[key] = text;
        }
        break;
      }
      case 'locale':
      case 'timezone': {
        if (isEmpty(raw)) value[key] = null;
        else {
          const parsed =
            typeof raw === 'string' ? (key === 'locale' ? parseLocale(raw) : parseTimeZone(raw)) : undefined;
          if (parsed !== undefined) value[key] = parsed;
          else if (key === 'locale')
            fail(errors, key, raw, `locale "${show(raw)}" is not a language tag such as ar, ar-SA or en`);
          else fail(errors, key, raw, `timezone "${show(raw)}" is not a time zone name such as Asia/Riyadh`);
        }
        break;
      }
      case 'birthDate': {
        if (isEmpty(raw)) value.birthDate = null;
        else {
          const date = typeof raw === 'string' ? parseDate(raw) : undefined;
          const today = (opts.today ?? new Date()).toISOString().slice(0, 10);
          if (date === undefined)
            fail(errors, key, raw, `birth date "${show(raw)}" is not a date (YYYY-MM-DD or DD/MM/YYYY)`);
          else if (date > today || date < '1900-01-01')
            fail(errors, key, raw, `birth date "${show(raw)}" is not a plausible birth date`);
          else value.birthDate = date;
        }
        break;
      }
      case 'gender': {
        if (isEmpty(raw)) value.gender = null;
        else {
          const gender = typeof raw === 'string' ? parseGender(raw) : undefined;
          if (gender === undefined)
            fail(errors, key, raw, `gender "${show(raw)}" is not one of female, male, other, unknown`);
          else value.gender = gender;
        }
        break;
      }
      case 'lifecycleStage': {
        if (isEmpty(raw)) value.lifecycleStage = null;
        else {
          const stage = typeof raw === 'string' ? parseLifecycleStage(raw) : undefined;
          if (stage === undefined) {
            fail(
              errors,
              key,
              raw,
              `lifecycle stage "${show(raw)}" is not one of subscriber, lead, mql, sql, customer, evangelist`,
            );
          } else value.lifecycleStage = stage;
        }
        break;
      }
      case 'interests': {
        const tags = parseTags(raw);
        if (typeof tags === 'string') fail(errors, key, raw, tags);
        else value.interests = tags;
        break;
      }
      case 'attributes': {
        if (isEmpty(raw)) {
          value.attributes = {};
          break;
        }
        if (typeof raw !== 'object' || Array.isArray(raw)) {
          fail(errors, key, raw, 'attributes must be an object of attribute keys and values');
          break;
        }
        const attributes: ContactDraft['attributes'] = {};
        for (const [name, attrRaw] of Object.entries(raw as Record<string, unknown>)) {
          const def = findDefinition(defs, name);
          if (def === undefined) {
            fail(errors, `attributes.${name}`, attrRaw, `unknown attribute "${name}"`);
            continue;
          }
          const parsed = parseAttributeValue(def, attrRaw);
          if (parsed.ok) attributes[name] = parsed.value;
          else fail(errors, `attributes.${name}`, attrRaw, parsed.error.message);
        }
        value.attributes = attributes;
        break;
      }
      default:
        fail(errors, key, raw, `unknown field "${key}"`);
    }
  }

  if (opts.partial !== true) fillAbsent(value);
  const clearsBoth = 'email' in value && 'phone' in value && value.email === null && value.phone === null;
  if (clearsBoth && !errors.some((e) => e.field === 'email' || e.field === 'phone')) {
    errors.push({ field: 'email', reason: 'a contact needs an email or a phone number: both are empty' });
  }
  return errors.length === 0 ? { ok: true, value, warnings } : { ok: false, errors, warnings };
}

function findDefinition(defs: readonly AttributeDefinition[], key: string): AttributeDefinition | undefined {
  for (const def of defs) if (def.key === key) return def;
  return undefined;
}

function fillAbsent(value: Partial<ContactDraft>): void {
  value.email ??= null;
  value.phone ??= null;
  value.firstName ??= null;
  value.lastName ??= null;
  value.locale ??= null;
  value.timezone ??= null;
  value.country ??= null;
  value.city ??= null;
  value.birthDate ??= null;
  value.gender ??= null;
  value.incomeBand ??= null;
  value.interests ??= [];
  value.source ??= null;
  value.lifecycleStage ??= null;
  value.attributes ??= {};
}

/** Tags from a list or from one cell split on , ; | ، ؛ — trimmed, without blanks or repeats. */
function parseTags(raw: unknown): string[] | string {
  if (raw === null || raw === undefined) return [];
  const parts = typeof raw === 'string' ? raw.split(TAG_SEPARATORS) : Array.isArray(raw) ? raw : undefined;
  if (parts === undefined) return 'interests must be a list of tags or text separated by commas';
  const tags: string[] = [];
  const seen = new Set<string>();
  for (const part of parts) {
    if (typeof part !== 'string') return `interest ${show(part)} is not text`;
    const tag = part.trim();
    if (tag === '') continue;
    if (charLength(tag) > MAX_TAG) return `interest "${tag}" is longer than ${MAX_TAG} characters`;
    const key = tag.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
  }
  return tags.length > MAX_TAGS ? `a contact has at most ${MAX_TAGS} interests, got ${tags.length}` : tags;
}
