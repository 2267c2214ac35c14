/**
 * What events do to journeys, as they reach the events store: an event that
 * a live journey starts on lets the contact in (once per event, and as the
 * journey's re-entry rule allows); an event a contact waits for moves it on
 * now; the journey's goal event marks the conversion (and ends the walk); an
 * unsubscribe from a channel the journey sends on ends it too.
 */
import {
  eventMatches,
  type JourneyDefinition,
  newId,
  type Step,
  type Trigger,
  type WaslEvent,
} from '@wasl/core';
import type { Database, JourneyEnrollment } from '@wasl/store';
import type { Kysely } from 'kysely';
import type { VersionCache } from './versions.ts';

export interface JourneyTriggersOptions {
  db: Kysely<Database>;
  versions: VersionCache;
  clock?: () => number;
  /** Something became due now: wake the executor. */
  nudge?: () => void;
  onError: (error: unknown) => void;
}

interface LiveJourney {
  id: string;
  version: number;
  status: string;
  triggerEvent: string | null;
}

/** How long a workspace's list of journeys is trusted before it is read again. */
const JOURNEYS_TTL_MS = 2_000;

export type EnrollResult =
  | { entered: true; enrollmentId: string }
  | {
      entered: false;
      reason: 'not_live' | 'already_in' | 'reentry_never' | 'reentry_too_soon' | 'duplicate_trigger';
    };

export class JourneyTriggers {
  readonly #clock: () => number;
  readonly #journeys = new Map<string, { at: number; list: LiveJourney[] }>();

  constructor(private readonly o: JourneyTriggersOptions) {
    this.#clock = o.clock ?? Date.now;
  }

  /** A journey was published, paused, resumed or archived: read the workspace's list again. */
  invalidate(workspaceId: string): void {
    this.#journeys.delete(workspaceId);
  }

  async #live(workspaceId: string, now: number): Promise<LiveJourney[]> {
    const cached = this.#journeys.get(workspaceId);
    if (cached && now - cached.at < JOURNEYS_TTL_MS) return cached.list;
    const rows = await this.o.db
      .selectFrom('journeys')
      .select(['id', 'version', 'status', 'trigger_event'])
      .where('workspace_id', '=', workspaceId)
      .where('status', 'in', ['live', 'paused'])
      .execute();
    const list = rows.flatMap((r) =>
      r.version === null
        ? []
        : [{ id: r.id, version: r.version, status: r.status, triggerEvent: r.trigger_event }],
    );
    this.#journeys.set(workspaceId, { at: now, list });
    return list;
  }

  /** Events stored: enrollments, awaited events, goals and unsubscribes, in that order per event. */
  async eventsStored(events: readonly WaslEvent[]): Promise<void> {
    const now = this.#clock();
    let woke = false;
    for (const [workspaceId, list] of groupByWorkspace(events)) {
      const journeys = await this.#live(workspaceId, now);
      if (journeys.length === 0) continue;
      const contacts = await this.#contactsOf(workspaceId, list);
      for (const event of list) {
        const contactId =
          event.contactId ?? (event.anonymousId ? contacts.get(event.anonymousId) : undefined);
        if (!contactId) continue;
        try {
          woke = (await this.#onEvent(workspaceId, contactId, event, journeys, now)) || woke;
        } catch (error) {
          this.o.onError(error);
        }
      }
    }
    if (woke) this.o.nudge?.();
  }

  /** Contacts behind the anonymous ids of events that name no contact. */
  async #contactsOf(workspaceId: string, events: readonly WaslEvent[]): Promise<Map<string, string>> {
    const anonymous = [
      ...new Set(events.filter((e) => !e.contactId && e.anonymousId).map((e) => e.anonymousId as string)),
    ];
    if (anonymous.length === 0) return new Map();
    const rows = await this.o.db
      .selectFrom('contact_identities')
      .select(['anonymous_id', 'contact_id'])
      .where('workspace_id', '=', workspaceId)
      .where('anonymous_id', 'in', anonymous)
      .execute();
    return new Map(rows.map((r) => [r.anonymous_id, r.contact_id]));
  }

  async #onEvent(
    workspaceId: string,
    contactId: string,
    event: WaslEvent,
    journeys: readonly LiveJourney[],
    now: number,
  ): Promise<boolean> {
    let woke = false;
    const occurred = event.occurredAt.getTime();
    const shape = { name: event.name, properties: event.properties };
    for (const j of journeys) {
      if (j.status !== 'live' || j.triggerEvent !== event.name) continue;
      const definition = await this.o.versions.get(j.id, j.version);
      if (!definition || !startsOn(definition.trigger, shape, now)) continue;
      const entered = await this.enroll({
        workspaceId,
        journeyId: j.id,
        contactId,
        key: `event:${event.id}`,
        now,
      });
      woke = entered.entered || woke;
    }
    const inside = await this.o.db
      .selectFrom('journey_enrollments')
      .selectAll()
      .where('contact_id', '=', contactId)
      .where('status', '=', 'active')
      .where('workspace_id', '=', workspaceId)
      .execute();
    for (const e of inside) {
      const definition = await this.o.versions.get(e.journey_id, e.version);
      if (!definition) continue;
      // Only what happened after the contact entered counts for waits and goals.
      if (occurred < Number(e.entered_at)) continue;
      if (definition.goal && e.goal_at === null && eventMatches(definition.goal.event, shape, now)) {
        await this.#reachGoal(e, definition, now);
        continue;
      }
      if (
        event.name === 'consent.changed' &&
        event.properties.status !== 'granted' &&
        definition.exitOnUnsubscribe !== false &&
        sendsOn(definition, String(event.properties.channel ?? ''))
      ) {
        await this.#exit(e, 'unsubscribed', now);
        continue;
      }
      if (e.phase === 'await' && e.wait_event === event.name && e.step_id) {
        const step = definition.steps[e.step_id] as Step | undefined;
        if (step?.type !== 'wait_event' || !eventMatches(step.event, shape, now)) continue;
        const moved = await this.o.db
          .updateTable('journey_enrollments')
          .set({ wait_result: 'event', due_at: now, updated_at: now })
          .where('id', '=', e.id)
          .where('seq', '=', e.seq)
          .where('phase', '=', 'await')
          .where('status', '=', 'active')
          .where('due_at', '>', now)
          .executeTakeFirst();
        woke = Number(moved.numUpdatedRows) > 0 || woke;
      }
    }
    return woke;
  }

  async #reachGoal(e: JourneyEnrollment, d: JourneyDefinition, now: number): Promise<void> {
    const exit = d.exitOnGoal !== false;
    await this.o.db
      .updateTable('journey_enrollments')
      .set({
        goal_at: now,
        updated_at: now,
        ...(exit
          ? { status: 'exited', exit_reason: 'goal', ended_at: now, due_at: null, lease_until: null }
          : {}),
      })
      .where('id', '=', e.id)
      .where('status', '=', 'active')
      .where('goal_at', 'is', null)
      .execute();
  }

  async #exit(e: JourneyEnrollment, reason: string, now: number): Promise<void> {
    await this.o.db
      .updateTable('journey_enrollments')
      .set({
        status: 'exited',
        exit_reason: reason,
        ended_at: now,
        due_at: null,
        lease_until: null,
        updated_at: now,
      })
      .where('id', '=', e.id)
      .where('status', '=', 'active')
      .execute();
  }

  /**
   * Lets a contact into a live journey at its start, now. `key` names what let
   * it in (an event id, an API call's key): the same key never enrolls twice.
   * Re-entry: 'never' once ever, `afterDays` after the last entry, 'always'
   * once the previous walk ended (one walk at a time: a unique index says so).
   */
  async enroll(input: {
    workspaceId: string;
    journeyId: string;
    contactId: string;
    key: string;
    now: number;
  }): Promise<EnrollResult> {
    const { db } = this.o;
    const journey = await db
      .selectFrom('journeys')
      .select(['status', 'version'])
      .where('workspace_id', '=', input.workspaceId)
      .where('id', '=', input.journeyId)
      .executeTakeFirst();
    if (journey?.status !== 'live' || journey.version === null) return { entered: false, reason: 'not_live' };
    const definition = await this.o.versions.get(input.journeyId, journey.version);
    if (!definition) return { entered: false, reason: 'not_live' };
    const last = await db
      .selectFrom('journey_enrollments')
      .select(['status', 'entered_at'])
      .where('journey_id', '=', input.journeyId)
      .where('contact_id', '=', input.contactId)
      .orderBy('entered_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (last) {
      if (last.status === 'active') return { entered: false, reason: 'already_in' };
      const r = definition.reentry;
      if (r === 'never') return { entered: false, reason: 'reentry_never' };
      if (typeof r === 'object' && Number(last.entered_at) > input.now - r.afterDays * 86_400_000)
        return { entered: false, reason: 'reentry_too_soon' };
    }
    const id = newId(input.now);
    const result = await db
      .insertInto('journey_enrollments')
      .values({
        id,
        workspace_id: input.workspaceId,
        journey_id: input.journeyId,
        version: journey.version,
        contact_id: input.contactId,
        status: 'active',
        step_id: definition.start,
        phase: 'run',
        due_at: input.now,
        trigger_key: input.key,
        entered_at: input.now,
        updated_at: input.now,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!result) {
      // Either this key entered already, or another walk started a moment ago.
      const same = await db
        .selectFrom('journey_enrollments')
        .select('id')
        .where('journey_id', '=', input.journeyId)
        .where('trigger_key', '=', input.key)
        .executeTakeFirst();
      return { entered: false, reason: same ? 'duplicate_trigger' : 'already_in' };
    }
    return { entered: true, enrollmentId: id };
  }
}

function groupByWorkspace(events: readonly WaslEvent[]): Map<string, WaslEvent[]> {
  const map = new Map<string, WaslEvent[]>();
  for (const e of events) {
    const list = map.get(e.workspaceId);
    if (list) list.push(e);
    else map.set(e.workspaceId, [e]);
  }
  return map;
}

/** Does this event start the journey (its trigger's event, segment or form)? */
function startsOn(
  t: Trigger,
  event: { name: string | null; properties: Record<string, unknown> },
  now: number,
): boolean {
  switch (t.kind) {
    case 'event':
      return eventMatches(t.event, event, now);
    case 'segment':
      return event.properties.segmentId === t.segmentId;
    case 'form':
      return event.properties.formId === t.formId;
    default:
      return false;
  }
}

const sendsOn = (d: JourneyDefinition, channel: string) =>
  Object.values(d.steps).some((s) => s.type === 'send' && s.channel === channel);
