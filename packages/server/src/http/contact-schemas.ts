import { CONSENT_CHANNELS, GENDERS, LIFECYCLE_STAGES } from '@wasl/core';
import { z } from 'zod';
import { IsoTime } from './schemas.ts';

const AttributeValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const text = (description: string) => z.string().nullable().optional().meta({ description });

/**
 * What a client may send for a contact. Formats (email, phone, dates, custom
 * attribute types) are checked by the core's contact model, which names the
 * field and the value at fault; here only the shape is fixed.
 */
export const ContactBody = z.strictObject({
  email: text('Lower-cased on save; Arabic (IDN) domains welcome'),
  phone: text('Any local or international format; stored as E.164, e.g. +966501234567'),
  firstName: text('First name, any script'),
  lastName: text('Last name, any script'),
  locale: text('BCP 47, e.g. ar, ar-SA, en'),
  timezone: text('IANA time zone, e.g. Asia/Riyadh'),
  country: text('ISO 3166-1 alpha-2 code or a country name in Arabic or English'),
  city: text('City'),
  birthDate: text('YYYY-MM-DD or DD/MM/YYYY'),
  gender: text(`One of ${GENDERS.join(', ')} (Arabic accepted)`),
  incomeBand: text('Income band label'),
  interests: z.array(z.string()).optional().meta({ description: 'Tags' }),
  source: text('Where the contact came from'),
  lifecycleStage: text(`One of ${LIFECYCLE_STAGES.join(', ')}`),
  attributes: z
    .record(z.string(), AttributeValue)
    .optional()
    .meta({ description: 'Custom attributes by key; null removes one' }),
});

export const ContactDto = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    locale: z.string().nullable(),
    timezone: z.string().nullable(),
    country: z.string().nullable(),
    city: z.string().nullable(),
    birthDate: z.string().nullable(),
    gender: z.enum(GENDERS).nullable(),
    incomeBand: z.string().nullable(),
    interests: z.array(z.string()),
    source: z.string().nullable(),
    lifecycleStage: z.enum(LIFECYCLE_STAGES).nullable(),
    accountId: z.string().nullable(),
    leadScore: z.number(),
    attributes: z.record(z.string(), AttributeValue),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  })
  .meta({ id: 'Contact' });

export const FieldWarning = z.object({ field: z.string(), value: z.string().optional(), reason: z.string() });

export const AttributeDefinitionDto = z
  .object({
    key: z.string(),
    label: z.string(),
    type: z.enum(['text', 'number', 'date', 'boolean', 'list']),
    options: z.array(z.string()).optional(),
  })
  .meta({ id: 'AttributeDefinition' });

export const NewAttributeBody = z.strictObject({
  key: z
    .string()
    .meta({ description: 'Lower-case letters, digits and _, starting with a letter; not a standard field' }),
  label: z.string().min(1).max(100),
  type: z.enum(['text', 'number', 'date', 'boolean', 'list']),
  options: z.array(z.string().min(1).max(100)).max(200).optional(),
});

export const AttributeChanges = z.strictObject({
  label: z.string().min(1).max(100).optional(),
  options: z.array(z.string().min(1).max(100)).max(200).optional(),
});

export const ConsentChannel = z.enum(CONSENT_CHANNELS);
