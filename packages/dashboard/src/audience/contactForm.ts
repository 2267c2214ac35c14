import type { AttributeDefinition, AttributeValue, Contact, ContactBody } from './api.ts';

/*
 * The contact form keeps every value as the text its input shows; these functions turn that into
 * the API's body. Form field names are the API's (`firstName`, `attributes.vip`), so the field an
 * API error names is the field that shows it.
 */

export const TEXT_FIELDS = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'country',
  'city',
  'birthDate',
  'gender',
  'lifecycleStage',
  'source',
] as const;
export type TextField = (typeof TEXT_FIELDS)[number];

export interface ContactFormValues {
  fields: Record<TextField, string>;
  interests: string;
  attributes: Record<string, string>;
}

export const attributeField = (key: string) => `attributes.${key}`;

/** What an input shows for a stored attribute: booleans as 'true'/'false', numbers as typed. */
export function attributeText(value: AttributeValue | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

export function formValuesOf(
  contact: Contact | null,
  defs: readonly AttributeDefinition[],
): ContactFormValues {
  const fields = Object.fromEntries(TEXT_FIELDS.map((f) => [f, contact?.[f] ?? ''])) as Record<
    TextField,
    string
  >;
  const attributes = Object.fromEntries(defs.map((d) => [d.key, attributeText(contact?.attributes[d.key])]));
  return { fields, interests: contact?.interests.join(', ') ?? '', attributes };
}

/** Tags typed with Latin or Arabic commas, trimmed, empty ones dropped. */
export const parseInterests = (text: string) =>
  text
    .split(/[,،]/)
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');

/**
 * The typed value of an attribute's input, or null when empty. A number that does not parse is
 * sent as typed, so the server's message names the field and the value.
 */
export function attributeValue(def: AttributeDefinition, text: string): AttributeValue {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (def.type === 'boolean') return trimmed === 'true';
  if (def.type === 'number') {
    const n = Number(trimmed);
    return Number.isFinite(n) ? n : trimmed;
  }
  return trimmed;
}

/** The body of POST /contacts: only what was filled in. */
export function createBody(values: ContactFormValues, defs: readonly AttributeDefinition[]): ContactBody {
  const body: ContactBody = {};
  for (const field of TEXT_FIELDS) {
    const text = values.fields[field].trim();
    if (text !== '') body[field] = text;
  }
  const interests = parseInterests(values.interests);
  if (interests.length > 0) body.interests = interests;
  const attributes: Record<string, AttributeValue> = {};
  for (const def of defs) {
    const value = attributeValue(def, values.attributes[def.key] ?? '');
    if (value !== null) attributes[def.key] = value;
  }
  if (Object.keys(attributes).length > 0) body.attributes = attributes;
  return body;
}

/** The body of PATCH /contacts/:id: only the fields whose value changed; a cleared one is null. */
export function patchBody(
  contact: Contact,
  values: ContactFormValues,
  defs: readonly AttributeDefinition[],
): ContactBody {
  const body: ContactBody = {};
  for (const field of TEXT_FIELDS) {
    const text = values.fields[field].trim();
    if (text !== (contact[field] ?? '')) body[field] = text === '' ? null : text;
  }
  const interests = parseInterests(values.interests);
  if (interests.join('\u0000') !== contact.interests.join('\u0000')) body.interests = interests;
  const attributes: Record<string, AttributeValue> = {};
  for (const def of defs) {
    const value = attributeValue(def, values.attributes[def.key] ?? '');
    if (value !== (contact.attributes[def.key] ?? null)) attributes[def.key] = value;
  }
  if (Object.keys(attributes).length > 0) body.attributes = attributes;
  return body;
}

/** The contact's name as people read it, or null when it has none. */
export function displayName(c: Pick<Contact, 'firstName' | 'lastName'>): string | null {
  const name = [c.firstName, c.lastName].filter(Boolean).join(' ').trim();
  return name === '' ? null : name;
}

/** Our own check before sending: a contact needs an email or a phone. */
export const lacksEmailAndPhone = (values: ContactFormValues) =>
  values.fields.email.trim() === '' && values.fields.phone.trim() === '';
