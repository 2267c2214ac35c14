import { type ContactInput, err, ok, problem, type Result, validateContactInput } from '@wasl/core';
import type { Contact, Database } from '@wasl/store';
import type { Kysely } from 'kysely';
import { viewContact } from './contact-rows.ts';
import { contactDefaults, createContact, fieldProblems, updateContact } from './contacts.ts';
import { inTransaction } from './transaction.ts';

/**
 * Identity resolution, the documented rules (docs/audience.md):
 *
 * 1. A person is matched by email, then by phone, then by a known anonymous id
 *    (a tracker visitor id, a Segment anonymousId, or `user:` + a Segment userId).
 * 2. When these point at different contacts, they are one person: all merge
 *    into the oldest (created first; ties by id), so the answer does not depend
 *    on which call came first.
 * 3. A merge keeps the survivor's values and fills its empty fields from the
 *    absorbed contact; interests are united, custom attributes the survivor
 *    lacks are added, the higher lead score stays, and for each channel and
 *    topic the more recent consent answer wins. Anonymous ids and list
 *    memberships move over; the absorbed profile is kept as a snapshot in
 *    contact_merges, and its events are re-linked in the events store.
 */

export interface IdentifyInput {
  workspaceId: string;
  /** Visitor or device ids seen before the person was known. */
  anonymousIds?: string[];
  /** Profile fields and custom attributes; email and phone also identify. */
  traits: ContactInput;
  now: number;
}

export interface Identified {
  contactId: string;
  created: boolean;
  /** Contacts absorbed into contactId by this call. */
  merged: string[];
}

const byAge = (a: Contact, b: Contact) =>
  Number(a.created_at) - Number(b.created_at) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Finds, creates or merges the contact for what an identify call or a form says about a person. */
export async function identifyContact(
  db: Kysely<Database>,
  input: IdentifyInput,
): Promise<Result<Identified>> {
  const defaults = await contactDefaults(db, input.workspaceId);
  if (!defaults) return err(problem('not_found', 'workspace not found'));
  const checked = validateContactInput(input.traits, defaults.defs, {
    defaultCountry: defaults.defaultCountry,
    partial: true,
  });
  if (!checked.ok) return err(fieldProblems(checked.errors));
  const { email, phone } = checked.value;
  const anonymousIds = [...new Set(input.anonymousIds ?? [])].filter((id) => id !== '');

  return inTransaction(db, async (trx) => {
    const found = new Map<string, Contact>();
    const add = (rows: Contact[]) => {
      for (const row of rows) found.set(row.id, row);
    };
    const base = () => trx.selectFrom('contacts').selectAll().where('workspace_id', '=', input.workspaceId);
    if (email) add(await base().where('email', '=', email).execute());
    if (phone) add(await base().where('phone', '=', phone).execute());
    if (anonymousIds.length > 0) {
      add(
        await base()
          .where(
            'id',
            'in',
            trx
              .selectFrom('contact_identities')
              .select('contact_id')
              .where('workspace_id', '=', input.workspaceId)
              .where('anonymous_id', 'in', anonymousIds),
          )
          .execute(),
      );
    }

    let contactId: string;
    let created = false;
    const merged: string[] = [];
    const [survivor, ...others] = [...found.values()].sort(byAge);
    if (!survivor) {
      if (!email && !phone) {
        return err(
          problem('invalid', 'an unknown person needs an email or a phone to become a contact', 'email'),
        );
      }
      const made = await createContact(trx, {
        workspaceId: input.workspaceId,
        input: input.traits,
        now: input.now,
      });
      if (!made.ok) return made;
      contactId = made.value.contact.id;
      created = true;
    } else {
      contactId = survivor.id;
      for (const other of others) {
        await mergeInto(trx, {
          workspaceId: input.workspaceId,
          into: survivor,
          from: other,
          rule: ruleOf(other, email, phone),
          now: input.now,
        });
        merged.push(other.id);
      }
      // The identify call's own values win over the stored ones: it is the newest thing the person told us.
      const updated = await updateContact(trx, {
        workspaceId: input.workspaceId,
        contactId,
        input: input.traits,
        now: input.now,
      });
      if (!updated.ok) return updated;
    }
    for (const anonymousId of anonymousIds) {
      await trx
        .insertInto('contact_identities')
        .values({
          workspace_id: input.workspaceId,
          anonymous_id: anonymousId,
          contact_id: contactId,
          created_at: input.now,
        })
        .onConflict((oc) =>
          oc.columns(['workspace_id', 'anonymous_id']).doUpdateSet({ contact_id: contactId }),
        )
        .execute();
    }
    return ok({ contactId, created, merged });
  });
}

const ruleOf = (
  other: Contact,
  email: string | null | undefined,
  phone: string | null | undefined,
): string =>
  email && other.email === email ? 'email' : phone && other.phone === phone ? 'phone' : 'anonymous_id';

interface Merge {
  workspaceId: string;
  into: Contact;
  from: Contact;
  rule: string;
  now: number;
}

/** Folds `from` into `into` by the rules above; `from` is deleted, its snapshot kept. */
export async function mergeInto(db: Kysely<Database>, m: Merge): Promise<void> {
  const into = viewContact(m.into);
  const from = viewContact(m.from);
  const fill = <T>(mine: T | null, theirs: T | null): T | null => (mine === null ? theirs : mine);
  const interests = [...new Set([...into.interests, ...from.interests])];
  const attributes = { ...from.attributes, ...into.attributes };

  await db
    .insertInto('contact_merges')
    .values({
      workspace_id: m.workspaceId,
      from_id: m.from.id,
      into_id: m.into.id,
      rule: m.rule,
      snapshot: JSON.stringify(m.from),
      merged_at: m.now,
    })
    .execute();

  const fromConsents = await db
    .selectFrom('consents')
    .selectAll()
    .where('contact_id', '=', m.from.id)
    .execute();
  const intoConsents = await db
    .selectFrom('consents')
    .selectAll()
    .where('contact_id', '=', m.into.id)
    .execute();
  const newer = fromConsents.filter((c) => {
    const mine = intoConsents.find((x) => x.channel === c.channel && x.topic_id === c.topic_id);
    return mine === undefined || Number(c.updated_at) > Number(mine.updated_at);
  });
  await db
    .updateTable('contact_identities')
    .set({ contact_id: m.into.id })
    .where('contact_id', '=', m.from.id)
    .execute();
  const lists = await db
    .selectFrom('list_members')
    .select(['list_id', 'added_at'])
    .where('contact_id', '=', m.from.id)
    .execute();
  for (const l of lists) {
    await db
      .insertInto('list_members')
      .values({ list_id: l.list_id, contact_id: m.into.id, added_at: l.added_at })
      .onConflict((oc) => oc.columns(['list_id', 'contact_id']).doNothing())
      .execute();
  }
  // Deleting first frees the absorbed email and phone for the survivor (unique per workspace).
  await db.deleteFrom('contacts').where('id', '=', m.from.id).execute();
  for (const c of newer) {
    await db
      .insertInto('consents')
      .values({ ...c, contact_id: m.into.id })
      .onConflict((oc) =>
        oc.columns(['contact_id', 'channel', 'topic_id']).doUpdateSet({
          status: c.status,
          source: c.source,
          proof: c.proof,
          updated_at: c.updated_at,
        }),
      )
      .execute();
  }
  await db
    .updateTable('contacts')
    .set({
      email: fill(into.email, from.email),
      phone: fill(into.phone, from.phone),
      first_name: fill(into.firstName, from.firstName),
      last_name: fill(into.lastName, from.lastName),
      locale: fill(into.locale, from.locale),
      timezone: fill(into.timezone, from.timezone),
      country: fill(into.country, from.country),
      city: fill(into.city, from.city),
      birth_date: fill(into.birthDate, from.birthDate),
      gender: fill(into.gender, from.gender),
      income_band: fill(into.incomeBand, from.incomeBand),
      source: fill(into.source, from.source),
      lifecycle_stage: fill(into.lifecycleStage, from.lifecycleStage),
      account_id: fill(into.accountId, from.accountId),
      interests: JSON.stringify(interests),
      attributes: JSON.stringify(attributes),
      lead_score: Math.max(into.leadScore, from.leadScore),
      updated_at: m.now,
    })
    .where('id', '=', m.into.id)
    .execute();
}
