import type { WaslEvent } from '@wasl/core';
import type { Database, EventStore } from '@wasl/store';
import type { Kysely } from 'kysely';
import type { Activity } from './personas.ts';

const DAY = 86_400_000;
export const DEVICE_DAYS = 90;
export const ACTIVE_DAYS = 30;
const PAGE = 5000;
/** The events store's MAX_HISTORY_IDS: most ids one history query takes. */
const MAX_HISTORY_IDS = 500;
/** Facts Wasl records about a person, not things they did. */
const SYSTEM_EVENTS = new Set(['segment.entered', 'segment.left', 'lead.stage_changed']);

const deviceOf = (e: WaslEvent): string | null => {
  const device = e.context.device;
  if (typeof device !== 'object' || device === null || !('type' in device)) return null;
  return typeof device.type === 'string' && device.type !== '' ? device.type : null;
};

/** Groups contacts so each group's ids (theirs and the anonymous ids they are known by) fit one history query. */
async function batches(
  db: Kysely<Database>,
  workspaceId: string,
  contactIds: readonly string[],
): Promise<Map<string, string>[]> {
  const out: Map<string, string>[] = [];
  for (let i = 0; i < contactIds.length; i += 100) {
    const part = contactIds.slice(i, i + 100);
    const links = await db
      .selectFrom('contact_identities')
      .select(['anonymous_id', 'contact_id'])
      .where('workspace_id', '=', workspaceId)
      .where('contact_id', 'in', part)
      .orderBy('contact_id')
      .execute();
    const idsOf = new Map(part.map((id) => [id, [id]]));
    for (const l of links) idsOf.get(l.contact_id)?.push(l.anonymous_id);
    let current = new Map<string, string>();
    for (const [contact, ids] of idsOf) {
      if (current.size > 0 && current.size + ids.length > MAX_HISTORY_IDS) {
        out.push(current);
        current = new Map();
      }
      // A contact known by more ids than one query takes is read by the first of them only.
      for (const id of ids.slice(0, MAX_HISTORY_IDS)) current.set(id, contact);
    }
    if (current.size > 0) out.push(current);
  }
  return out;
}

/**
 * Each contact's device type (the one most used in page views of the last
 * 90 days; a tie goes to the most recent) and whether any event of theirs
 * falls in the last 30 days. Read from the events store by every id the
 * contact is known by, many contacts per query, newest first until the
 * window ends.
 */
export async function activityOf(
  db: Kysely<Database>,
  events: EventStore,
  workspaceId: string,
  contactIds: readonly string[],
  now: number,
): Promise<Map<string, Activity>> {
  const deviceFrom = now - DEVICE_DAYS * DAY;
  const activeFrom = now - ACTIVE_DAYS * DAY;
  const active = new Set<string>();
  /** contact → device type → [page views, rank of its newest view (lower is newer)]. */
  const devices = new Map<string, Map<string, [number, number]>>();
  let rank = 0;
  for (const owner of await batches(db, workspaceId, contactIds)) {
    const ids = [...owner.keys()];
    let before: { occurredAt: Date; id: string } | undefined;
    for (;;) {
      const page = await events.history(workspaceId, ids, { limit: PAGE, ...(before ? { before } : {}) });
      for (const e of page) {
        const at = e.occurredAt.getTime();
        if (at < deviceFrom) break;
        if (SYSTEM_EVENTS.has(e.name)) continue;
        const contact =
          (e.contactId && owner.get(e.contactId)) || (e.anonymousId && owner.get(e.anonymousId));
        if (!contact) continue;
        if (at >= activeFrom) active.add(contact);
        const device = e.type === 'page' ? deviceOf(e) : null;
        if (!device) continue;
        const seen = devices.get(contact) ?? new Map<string, [number, number]>();
        const entry = seen.get(device) ?? [0, rank++];
        entry[0] += 1;
        seen.set(device, entry);
        devices.set(contact, seen);
      }
      const last = page[page.length - 1];
      if (!last || page.length < PAGE || last.occurredAt.getTime() < deviceFrom) break;
      before = { occurredAt: last.occurredAt, id: last.id };
    }
  }
  const result = new Map<string, Activity>();
  for (const id of contactIds) {
    const seen = [...(devices.get(id) ?? [])].sort((a, b) => b[1][0] - a[1][0] || a[1][1] - b[1][1]);
    result.set(id, { deviceType: seen[0]?.[0] ?? null, active: active.has(id) });
  }
  return result;
}
