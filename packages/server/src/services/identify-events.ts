import type { ContactInput, WaslEvent } from '@wasl/core';
import type { Database } from '@wasl/store';
import type { Kysely } from 'kysely';
import { listAttributeDefinitions } from './attribute-definitions.ts';
import { identifyContact } from './identity.ts';

type Json = Record<string, unknown>;
const text = (v: unknown): string | undefined =>
  typeof v === 'string' && v.trim() !== '' ? v : typeof v === 'number' ? String(v) : undefined;
const object = (v: unknown): Json | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : undefined;

/**
 * Segment's reserved traits (and the tracker's identify properties) as contact
 * fields. Traits that match a custom attribute's key set it; other traits stay
 * on the identify event only.
 */
export function traitsToContact(
  traits: Json,
  attributeKeys: ReadonlySet<string>,
  context?: Json,
): ContactInput {
  const input: ContactInput = {};
  const set = (field: keyof ContactInput, value: unknown) => {
    if (value !== undefined) input[field] = value;
  };
  const address = object(traits.address);
  set('email', text(traits.email));
  set('phone', text(traits.phone));
  set('firstName', text(traits.firstName) ?? text(traits.first_name));
  set('lastName', text(traits.lastName) ?? text(traits.last_name));
  if (input.firstName === undefined && input.lastName === undefined) {
    const name = text(traits.name)?.trim();
    if (name) {
      const space = name.indexOf(' ');
      set('firstName', space === -1 ? name : name.slice(0, space));
      if (space !== -1) set('lastName', name.slice(space + 1));
    }
  }
  set('birthDate', text(traits.birthday) ?? text(traits.birthDate));
  set('gender', text(traits.gender));
  set('city', text(address?.city) ?? text(traits.city));
  set('country', text(address?.country) ?? text(traits.country));
  set('locale', text(traits.locale) ?? text(context?.locale));
  set('timezone', text(traits.timezone) ?? text(context?.timezone));
  set('lifecycleStage', text(traits.lifecycleStage) ?? text(traits.lifecycle_stage));
  set('source', text(traits.source));
  const attributes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(traits)) {
    if (attributeKeys.has(key) && (typeof value !== 'object' || value === null)) attributes[key] = value;
  }
  if (Object.keys(attributes).length > 0) input.attributes = attributes;
  return input;
}

/** Who is told that contacts changed: the events store's copy and live segments (see AudienceSync). */
export interface AudienceHooks {
  contactsChanged(workspaceId: string, contactIds: readonly string[]): void;
  contactsMerged(workspaceId: string, fromIds: readonly string[], intoId: string): void;
  contactErased(workspaceId: string, contactId: string): void;
  /** A static list's members changed (`touched`: the contacts added or removed). */
  listChanged(workspaceId: string, listId: string, touched: readonly string[]): void;
  accountsChanged(workspaceId: string, accountIds: readonly string[]): void;
}

export interface IdentifyLog {
  warn(details: object, message: string): void;
}

/**
 * Turns accepted identify events into contacts: each links its anonymous id
 * (and Segment userId) to the person its email or phone names, creating or
 * merging contacts by the identity rules. A trait that fails validation (a
 * bad email) is dropped and the rest applies; the event itself is stored
 * either way.
 */
export async function identifyFromEvents(
  db: Kysely<Database>,
  events: readonly WaslEvent[],
  log: IdentifyLog,
  audience: AudienceHooks,
): Promise<void> {
  const identifies = events.filter((e) => e.type === 'identify');
  const keysOf = new Map<string, Set<string>>();
  for (const event of identifies) {
    let keys = keysOf.get(event.workspaceId);
    if (!keys) {
      keys = new Set((await listAttributeDefinitions(db, event.workspaceId)).map((d) => d.key));
      keysOf.set(event.workspaceId, keys);
    }
    const traits = traitsToContact(event.properties, keys, { locale: event.context.locale });
    const anonymousIds = [event.anonymousId, event.contactId].filter((id): id is string => !!id);
    let result = await identifyContact(db, {
      workspaceId: event.workspaceId,
      anonymousIds,
      traits,
      now: event.receivedAt.getTime(),
    });
    if (!result.ok && result.error.code === 'invalid' && result.error.field) {
      const { [result.error.field as keyof ContactInput]: _dropped, ...rest } = traits;
      result = await identifyContact(db, {
        workspaceId: event.workspaceId,
        anonymousIds,
        traits: rest,
        now: event.receivedAt.getTime(),
      });
    }
    // An anonymous identify (a userId and no email or phone) of someone not yet known is not a contact.
    if (!result.ok && traits.email === undefined && traits.phone === undefined) continue;
    if (!result.ok) {
      log.warn({ eventId: event.id, reason: result.error.message }, 'identify event not linked to a contact');
      continue;
    }
    if (result.value.merged.length > 0) {
      audience.contactsMerged(event.workspaceId, result.value.merged, result.value.contactId);
    } else {
      audience.contactsChanged(event.workspaceId, [result.value.contactId]);
    }
  }
}
