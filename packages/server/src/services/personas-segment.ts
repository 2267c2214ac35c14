import { err, ok, problem, type Result } from '@wasl/core';
import type { Database, EventStore } from '@wasl/store';
import type { Kysely } from 'kysely';
import { type ContactView, viewContact } from './contact-rows.ts';
import { type Persona, personaOf } from './personas.ts';
import { activityOf } from './personas-activity.ts';

const PAGE = 2000;

export interface SegmentPersona extends Persona {
  segmentId: string;
  name: string;
}

/**
 * A segment's audience analysis. Profile fields come from the OLTP rows of
 * its stored members (the truth, and the same membership its member list and
 * export show); device type and engagement from the events store.
 */
export async function segmentPersona(
  db: Kysely<Database>,
  events: EventStore,
  w: { workspaceId: string; segmentId: string; now: number },
): Promise<Result<SegmentPersona>> {
  const segment = await db
    .selectFrom('segments')
    .innerJoin('workspaces', 'workspaces.id', 'segments.workspace_id')
    .select(['segments.id', 'segments.name', 'workspaces.timezone'])
    .where('segments.workspace_id', '=', w.workspaceId)
    .where('segments.id', '=', w.segmentId)
    .executeTakeFirst();
  if (!segment) return err(problem('not_found', `segment ${w.segmentId} not found`));
  const contacts: ContactView[] = [];
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('segment_members')
      .innerJoin('contacts', 'contacts.id', 'segment_members.contact_id')
      .selectAll('contacts')
      .where('segment_members.segment_id', '=', segment.id)
      .where('contacts.id', '>', after)
      .orderBy('contacts.id')
      .limit(PAGE)
      .execute();
    contacts.push(...rows.map(viewContact));
    const last = rows[rows.length - 1];
    if (!last || rows.length < PAGE) break;
    after = last.id;
  }
  const activity = await activityOf(
    db,
    events,
    w.workspaceId,
    contacts.map((c) => c.id),
    w.now,
  );
  const persona = personaOf(contacts, activity, new Date(w.now), segment.timezone);
  return ok({ segmentId: segment.id, name: segment.name, ...persona });
}
