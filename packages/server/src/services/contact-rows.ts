import type { ContactDraft, Gender, LifecycleStage } from '@wasl/core';
import type { Contact } from '@wasl/store';

/** A contact as services and the API see it: JSON columns parsed. */
export interface ContactView {
  id: string;
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
  accountId: string | null;
  leadScore: number;
  attributes: Record<string, string | number | boolean | null>;
  createdAt: number;
  updatedAt: number;
}

const parseJson = <T>(text: string, fallback: T): T => {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
};

export const viewContact = (row: Contact): ContactView => ({
  id: row.id,
  email: row.email,
  phone: row.phone,
  firstName: row.first_name,
  lastName: row.last_name,
  locale: row.locale,
  timezone: row.timezone,
  country: row.country,
  city: row.city,
  birthDate: row.birth_date,
  gender: row.gender as Gender | null,
  incomeBand: row.income_band,
  interests: parseJson<string[]>(row.interests, []),
  source: row.source,
  lifecycleStage: row.lifecycle_stage as LifecycleStage | null,
  accountId: row.account_id,
  leadScore: row.lead_score,
  attributes: parseJson<Record<string, string | number | boolean | null>>(row.attributes, {}),
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

/** The columns a (partial) draft sets; custom attributes merge over `current` ones, a null value removes one. */
export function draftColumns(
  draft: Partial<ContactDraft>,
  current?: Record<string, string | number | boolean | null>,
): Partial<Contact> {
  const set: Partial<Contact> = {};
  if (draft.email !== undefined) set.email = draft.email;
  if (draft.phone !== undefined) set.phone = draft.phone;
  if (draft.firstName !== undefined) set.first_name = draft.firstName;
  if (draft.lastName !== undefined) set.last_name = draft.lastName;
  if (draft.locale !== undefined) set.locale = draft.locale;
  if (draft.timezone !== undefined) set.timezone = draft.timezone;
  if (draft.country !== undefined) set.country = draft.country;
  if (draft.city !== undefined) set.city = draft.city;
  if (draft.birthDate !== undefined) set.birth_date = draft.birthDate;
  if (draft.gender !== undefined) set.gender = draft.gender;
  if (draft.incomeBand !== undefined) set.income_band = draft.incomeBand;
  if (draft.interests !== undefined) set.interests = JSON.stringify(draft.interests);
  if (draft.source !== undefined) set.source = draft.source;
  if (draft.lifecycleStage !== undefined) set.lifecycle_stage = draft.lifecycleStage;
  if (draft.attributes !== undefined) {
    const merged: Record<string, string | number | boolean | null> = { ...(current ?? {}) };
    for (const [key, value] of Object.entries(draft.attributes)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    set.attributes = JSON.stringify(merged);
  }
  return set;
}

/**
 * A new contact's row: `set`'s columns, the rest empty. Written out field by
 * field: spreading EMPTY_CONTACT took 6 µs a row, a sixth of a bulk import.
 */
export function newContactRow(id: string, workspaceId: string, set: Partial<Contact>, now: number): Contact {
  return {
    id,
    workspace_id: workspaceId,
    email: set.email ?? null,
    phone: set.phone ?? null,
    first_name: set.first_name ?? null,
    last_name: set.last_name ?? null,
    locale: set.locale ?? null,
    timezone: set.timezone ?? null,
    country: set.country ?? null,
    city: set.city ?? null,
    birth_date: set.birth_date ?? null,
    gender: set.gender ?? null,
    income_band: set.income_band ?? null,
    interests: set.interests ?? '[]',
    source: set.source ?? null,
    lifecycle_stage: set.lifecycle_stage ?? null,
    account_id: set.account_id ?? null,
    lead_score: set.lead_score ?? 0,
    attributes: set.attributes ?? '{}',
    created_at: now,
    updated_at: now,
  };
}

/** Every column of the contacts table, in one order (bulk inserts bind values by it). */
export const CONTACT_COLUMNS = Object.keys(newContactRow('', '', {}, 0)) as (keyof Contact)[];
