import { err, ok, problem, type Result, type WaslEvent } from '@wasl/core';
import type { Database, EventStore } from '@wasl/store';
import { type Kysely, sql } from 'kysely';
import { type Actor, recordAudit } from './audit.ts';
import { type ContactView, viewContact } from './contact-rows.ts';
import { getContact } from './contacts.ts';
import { inTransaction } from './transaction.ts';

const notFound = problem('not_found', 'contact not found');
/** A data export stops here; a person with more events gets the newest ones and a note saying so. */
export const EXPORT_EVENT_LIMIT = 100_000;

/** The ids a contact's events carry: its own and every anonymous or Segment user id linked to it. */
export async function knownIds(
  db: Kysely<Database>,
  workspaceId: string,
  contactId: string,
): Promise<string[]> {
  const rows = await db
    .selectFrom('contact_identities')
    .select('anonymous_id')
    .where('workspace_id', '=', workspaceId)
    .where('contact_id', '=', contactId)
    .orderBy('anonymous_id')
    .execute();
  return [contactId, ...rows.map((r) => r.anonymous_id)];
}

export interface TimelinePage {
  events: WaslEvent[];
  /** Pass back as `before` for the next page; null at the end. */
  next: string | null;
}

const cursorOf = (e: WaslEvent) => `${e.occurredAt.getTime()}:${e.id}`;

function parseCursor(cursor: string): { occurredAt: Date; id: string } | undefined {
  const colon = cursor.indexOf(':');
  const ms = Number(cursor.slice(0, colon));
  if (colon < 1 || !Number.isSafeInteger(ms)) return undefined;
  return { occurredAt: new Date(ms), id: cursor.slice(colon + 1) };
}

/** Everything the person did and received, newest first: page views, events, messages, consent changes. */
export async function contactTimeline(
  db: Kysely<Database>,
  events: EventStore,
  q: { workspaceId: string; contactId: string; limit: number; before?: string },
): Promise<Result<TimelinePage>> {
  const contact = await getContact(db, q.workspaceId, q.contactId);
  if (!contact) return err(notFound);
  let before: { occurredAt: Date; id: string } | undefined;
  if (q.before !== undefined) {
    before = parseCursor(q.before);
    if (!before) return err(problem('invalid', `"${q.before}" is not a timeline cursor`, 'before'));
  }
  const ids = await knownIds(db, q.workspaceId, contact.id);
  const page = await events.history(q.workspaceId, ids, {
    limit: q.limit + 1,
    ...(before ? { before } : {}),
  });
  const shown = page.slice(0, q.limit);
  const last = shown[shown.length - 1];
  return ok({ events: shown, next: page.length > q.limit && last ? cursorOf(last) : null });
}

export interface ContactExport {
  exportedAt: string;
  contact: ContactView;
  consents: {
    channel: string;
    topicId: string | null;
    status: string;
    source: string;
    proof: unknown;
    updatedAt: string;
  }[];
  knownIds: string[];
  lists: { id: string; name: string; addedAt: string }[];
  segments: { id: string; name: string; since: string }[];
  mergedFrom: { contactId: string; rule: string; mergedAt: string; profile: unknown }[];
  /** Every message sent or meant for the person, newest first, with its delivery state. */
  messages: {
    id: string;
    channel: string;
    address: string | null;
    source: string;
    status: string;
    skipReason: string | null;
    createdAt: string;
    sentAt: string | null;
  }[];
  events: WaslEvent[];
  /** True when the person has more events than an export carries (the newest are included). */
  eventsTruncated: boolean;
}

/** The right of access: everything Wasl holds about one person, as one JSON document. */
export async function exportContact(
  db: Kysely<Database>,
  events: EventStore,
  q: { workspaceId: string; contactId: string; now: number },
): Promise<Result<ContactExport>> {
  const contact = await getContact(db, q.workspaceId, q.contactId);
  if (!contact) return err(notFound);
  const iso = (ms: number | string) => new Date(Number(ms)).toISOString();
  const [consents, ids, lists, segments, merges, messages] = await Promise.all([
    db.selectFrom('consents').selectAll().where('contact_id', '=', contact.id).execute(),
    knownIds(db, q.workspaceId, contact.id),
    db
      .selectFrom('list_members')
      .innerJoin('lists', 'lists.id', 'list_members.list_id')
      .select(['lists.id', 'lists.name', 'list_members.added_at'])
      .where('list_members.contact_id', '=', contact.id)
      .execute(),
    db
      .selectFrom('segment_members')
      .innerJoin('segments', 'segments.id', 'segment_members.segment_id')
      .select(['segments.id', 'segments.name', 'segment_members.since'])
      .where('segment_members.contact_id', '=', contact.id)
      .execute(),
    db
      .selectFrom('contact_merges')
      .selectAll()
      .where('workspace_id', '=', q.workspaceId)
      .where('into_id', '=', contact.id)
      .execute(),
    db
      .selectFrom('messages')
      .select([
        'id',
        'channel',
        'address',
        'source_kind',
        'source_id',
        'status',
        'skip_reason',
        'created_at',
        'sent_at',
      ])
      .where('workspace_id', '=', q.workspaceId)
      .where('contact_id', '=', contact.id)
      .orderBy('created_at', 'desc')
      .execute(),
  ]);
  const history = await events.history(q.workspaceId, ids, { limit: EXPORT_EVENT_LIMIT + 1 });
  return ok({
    exportedAt: iso(q.now),
    contact: viewContact(contact),
    consents: consents.map((c) => ({
      channel: c.channel,
      topicId: c.topic_id === '' ? null : c.topic_id,
      status: c.status,
      source: c.source,
      proof: JSON.parse(c.proof) as unknown,
      updatedAt: iso(c.updated_at),
    })),
    knownIds: ids.slice(1),
    lists: lists.map((l) => ({ id: l.id, name: l.name, addedAt: iso(l.added_at) })),
    segments: segments.map((s) => ({ id: s.id, name: s.name, since: iso(s.since) })),
    mergedFrom: merges.map((m) => ({
      contactId: m.from_id,
      rule: m.rule,
      mergedAt: iso(m.merged_at),
      profile: JSON.parse(m.snapshot) as unknown,
    })),
    messages: messages.map((m) => ({
      id: m.id,
      channel: m.channel,
      address: m.address,
      source: m.source_id ? `${m.source_kind}:${m.source_id}` : m.source_kind,
      status: m.status,
      skipReason: m.skip_reason,
      createdAt: iso(m.created_at),
      sentAt: m.sent_at === null ? null : iso(m.sent_at),
    })),
    events: history.slice(0, EXPORT_EVENT_LIMIT),
    eventsTruncated: history.length > EXPORT_EVENT_LIMIT,
  });
}

/**
 * The right to erasure. The profile, consents, known ids, list and segment
 * memberships go; so do the profiles of contacts merged into it and import
 * row problems that quote its email or phone. The audit entry says that a
 * contact was erased, not who. Their messages stay counted in campaign
 * results but lose the address, the content and the link to them; one still
 * queued is skipped ('contact_erased'). Suppressed addresses stay suppressed, so a
 * person who complained is never mailed again. The caller then unlinks the
 * events (AudienceHooks.contactErased): they stay counted, no longer theirs.
 */
export async function eraseContact(
  db: Kysely<Database>,
  q: { workspaceId: string; contactId: string; actor: Actor; now: number },
): Promise<Result<void>> {
  return inTransaction(db, async (trx) => {
    const contact = await getContact(trx, q.workspaceId, q.contactId);
    if (!contact) return err(notFound);
    const quoted = [contact.email, contact.phone].filter((v): v is string => v !== null);
    if (quoted.length > 0) {
      await trx
        .deleteFrom('contact_import_errors')
        .where('value', 'in', quoted)
        .where(
          'import_id',
          'in',
          trx.selectFrom('contact_imports').select('id').where('workspace_id', '=', q.workspaceId),
        )
        .execute();
    }
    await trx
      .deleteFrom('contact_merges')
      .where('workspace_id', '=', q.workspaceId)
      .where((eb) => eb.or([eb('into_id', '=', contact.id), eb('from_id', '=', contact.id)]))
      .execute();
    await trx
      .updateTable('messages')
      .set({
        status: sql`case when status = 'queued' then 'skipped' else status end`,
        skip_reason: sql`case when status = 'queued' then 'contact_erased' else skip_reason end`,
        address: null,
        content: '{}',
        contact_id: null,
        updated_at: q.now,
      })
      .where('workspace_id', '=', q.workspaceId)
      .where('contact_id', '=', contact.id)
      .execute();
    // A browser's push endpoint and keys, and when the phone last wrote on WhatsApp, are the person's too.
    await trx
      .deleteFrom('push_subscriptions')
      .where('workspace_id', '=', q.workspaceId)
      .where('contact_id', '=', contact.id)
      .execute();
    if (contact.phone)
      await trx
        .deleteFrom('whatsapp_windows')
        .where('workspace_id', '=', q.workspaceId)
        .where('phone', '=', contact.phone)
        .execute();
    await trx.deleteFrom('contacts').where('id', '=', contact.id).execute();
    await recordAudit(trx, {
      workspaceId: q.workspaceId,
      actor: q.actor,
      action: 'contact.erased',
      target: `contact:${contact.id}`,
      now: q.now,
    });
    return ok(undefined);
  });
}
