/**
 * The journey executor: takes enrollments whose time has come, walks each
 * contact forward until it waits or ends, and writes the move, the step log
 * and the step's effects (queued messages, profile changes) in one
 * transaction. The move is guarded by the enrollment's step count
 * (`WHERE seq = ?`) and every step is a row keyed by (enrollment, seq), so two
 * workers, or one restarted after a kill -9, never execute a step twice
 * (decision 0011). Timers are the indexed `due_at` column: memory does not
 * grow with the number of waiting contacts.
 */
import {
  afterWait,
  type Decision,
  decide,
  drawFor,
  type Facts,
  isTimeZone,
  type JourneyDefinition,
  needs,
  newId,
  type SendStep,
  type Step,
  successors,
  type WaslEvent,
} from '@wasl/core';
import type { Contact, Database, JourneyEnrollment, OltpDialect } from '@wasl/store';
import { enqueueMessages, inWriteTransaction, type NewMessage } from '@wasl/worker';
import type { Kysely } from 'kysely';
import { contactFields } from '../messaging/compose.ts';
import { webhookBody } from '../webhooks/delivery.ts';
import type { VersionCache } from './versions.ts';

export interface JourneyExecutorOptions {
  db: Kysely<Database>;
  dialect: OltpDialect;
  clock?: () => number;
  /** Appends facts (journey.*, lead.points_added) to the events store, after the move is committed. */
  record?: (events: WaslEvent[]) => Promise<unknown>;
  /** Told which contacts a step changed (the audience sync copies them to the events store). */
  contactsChanged?: (workspaceId: string, contactIds: readonly string[]) => void;
  onError: (error: unknown) => void;
  /** Enrollments taken per round. Default 200. */
  batch?: number;
  /** How long a taken enrollment is this worker's before another may take it. Default 60 s. */
  leaseMs?: number;
  /** Rest between rounds when nothing was due. Default 250 ms. */
  idleMs?: number;
  /** Shared with the triggers, so each version is parsed once. */
  versions: VersionCache;
}

/** Steps one contact may take in one go: far more than any journey needs (loops must wait). */
const MAX_STEPS_PER_RUN = 100;
/** A paused journey's contacts are looked at again after this long. */
const PAUSED_RECHECK_MS = 60_000;

class LostRace extends Error {}

export class JourneyExecutor {
  readonly #o: Required<Pick<JourneyExecutorOptions, 'batch' | 'leaseMs' | 'idleMs'>> &
    JourneyExecutorOptions;
  readonly #clock: () => number;
  #running: Promise<void> | undefined;
  #stopped = true;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;

  constructor(o: JourneyExecutorOptions) {
    this.#o = { batch: 200, leaseMs: 60_000, idleMs: 250, ...o };
    this.#clock = o.clock ?? Date.now;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#running = this.#loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#wake?.();
    await this.#running;
  }

  /** Something became due now (an enrollment, an awaited event): do not wait for the idle timer. */
  nudge(): void {
    this.#wake?.();
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      let done = 0;
      try {
        done = await this.runDue();
      } catch (error) {
        this.#o.onError(error);
      }
      if (done === 0 && !this.#stopped)
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          this.#timer = setTimeout(resolve, this.#o.idleMs);
        });
    }
  }

  /** One round: take what is due, move each contact on. Returns how many were taken. */
  async runDue(): Promise<number> {
    const now = this.#clock();
    const taken = await this.#claim(now);
    const facts: WaslEvent[] = [];
    const changed = new Map<string, Set<string>>();
    for (const enrollment of taken) {
      try {
        const result = await this.#advance(enrollment, now);
        facts.push(...result.facts);
        if (result.contactChanged) {
          const set = changed.get(enrollment.workspace_id) ?? new Set<string>();
          changed.set(enrollment.workspace_id, set.add(enrollment.contact_id));
        }
      } catch (error) {
        if (!(error instanceof LostRace)) this.#o.onError(error);
      }
    }
    if (facts.length > 0) await this.#o.record?.(facts)?.catch(this.#o.onError);
    for (const [ws, ids] of changed) this.#o.contactsChanged?.(ws, [...ids]);
    return taken.length;
  }

  /** Due enrollments whose lease is free, leased to this round (SKIP LOCKED on PostgreSQL). */
  #claim(now: number): Promise<JourneyEnrollment[]> {
    const { db, dialect } = this.#o;
    return inWriteTransaction(db, dialect, (tx) => {
      const due = tx
        .selectFrom('journey_enrollments')
        .select('id')
        .where('status', '=', 'active')
        .where('due_at', '<=', now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
        .orderBy('due_at')
        .limit(this.#o.batch)
        .$if(dialect === 'postgres', (qb) => qb.forUpdate().skipLocked());
      return tx
        .updateTable('journey_enrollments')
        .set({ lease_until: now + this.#o.leaseMs })
        .where('id', 'in', due)
        .returningAll()
        .execute();
    });
  }

  /** Moves one contact on as far as it goes now, in one transaction guarded by its seq. */
  async #advance(
    e: JourneyEnrollment,
    now: number,
  ): Promise<{ facts: WaslEvent[]; contactChanged: boolean }> {
    const { db, dialect } = this.#o;
    const journey = await db
      .selectFrom('journeys')
      .select(['status', 'name'])
      .where('id', '=', e.journey_id)
      .executeTakeFirst();
    const definition = await this.#o.versions.get(e.journey_id, e.version);
    return inWriteTransaction(db, dialect, async (tx) => {
      const facts: WaslEvent[] = [];
      let contactChanged = false;
      const move = (set: Record<string, unknown>) =>
        tx
          .updateTable('journey_enrollments')
          .set({ ...set, lease_until: null, updated_at: now })
          .where('id', '=', e.id)
          .where('seq', '=', e.seq)
          .where('status', '=', 'active')
          .executeTakeFirst()
          .then((r) => {
            if (Number(r.numUpdatedRows) === 0) throw new LostRace();
          });

      if (!journey || !definition) {
        await move({ status: 'exited', exit_reason: 'journey_deleted', ended_at: now, due_at: null });
        return { facts, contactChanged };
      }
      if (journey.status === 'paused') {
        await move({ due_at: now + PAUSED_RECHECK_MS });
        return { facts, contactChanged };
      }
      const contact = await tx
        .selectFrom('contacts')
        .selectAll()
        .where('workspace_id', '=', e.workspace_id)
        .where('id', '=', e.contact_id)
        .executeTakeFirst();
      if (!contact || journey.status === 'archived') {
        await move({
          status: 'exited',
          exit_reason: contact ? 'archived' : 'contact_deleted',
          ended_at: now,
          due_at: null,
        });
        return { facts, contactChanged };
      }

      let seq = e.seq;
      const log = async (stepId: string, outcome: string, detail?: string) => {
        seq += 1;
        await tx
          .insertInto('journey_steps')
          .values({
            enrollment_id: e.id,
            seq,
            workspace_id: e.workspace_id,
            journey_id: e.journey_id,
            version: e.version,
            step_id: stepId,
            outcome,
            detail: detail ?? null,
            at: now,
          })
          .execute();
      };

      // Where the contact goes from the step it rested in.
      let at: string | null = e.step_id;
      if (e.phase === 'sleep' && at !== null) {
        const step = definition.steps[at];
        at = step ? (successors(step)[0] ?? null) : null;
      } else if (e.phase === 'await' && at !== null) {
        const step = definition.steps[at];
        const by = e.wait_result === 'event' ? 'event' : 'timeout';
        at = step ? afterWait(step, by) : null;
        if (step && by === 'timeout') await log(e.step_id as string, 'timed_out');
      }

      let working: Contact = contact;
      for (let taken = 0; taken < MAX_STEPS_PER_RUN; taken++) {
        if (at === null) {
          await move({ status: 'completed', step_id: null, ended_at: now, due_at: null, seq, phase: 'run' });
          facts.push(this.#fact(e, 'journey.completed', now, {}));
          return { facts, contactChanged };
        }
        const step: Step | undefined = definition.steps[at];
        if (!step) {
          await move({
            status: 'exited',
            exit_reason: `step_missing: ${at}`,
            ended_at: now,
            due_at: null,
            seq,
          });
          return { facts, contactChanged };
        }
        const decision = decide(step, await this.#facts(tx, e, working, definition, step, at, now));
        const effect = decision.kind === 'next' ? decision.effect : undefined;
        let outcome = decision.kind === 'next' ? 'done' : 'waiting';
        let detail: string | undefined;
        if (effect?.kind === 'send') {
          const sent = await this.#send(tx, e, journey.name, definition, effect.step, seq + 1, now);
          outcome = sent.outcome;
          detail = sent.detail;
        } else if (effect?.kind === 'update') {
          working = await this.#update(tx, working, effect, now);
          contactChanged = true;
        } else if (effect?.kind === 'score') {
          facts.push({
            ...this.#fact(e, 'lead.points_added', now, { points: effect.points, stepId: at }),
            // One id per executed step: appending it twice stores it once.
            id: `jp_${e.id}_${seq + 1}`,
          });
        } else if (effect?.kind === 'webhook') {
          if (!(await this.#webhook(tx, e, at, effect.endpointId, seq + 1, now))) {
            outcome = 'skipped';
            detail = `endpoint_deleted: ${effect.endpointId}`;
          }
        }
        await log(at, outcome, detail);
        const next = await this.#rest(decision, at, move, seq, now);
        if (next === 'rested') return { facts, contactChanged };
        at = next;
      }
      // A walk this long without a wait cannot pass publishing; stop it rather than spin.
      await move({ status: 'exited', exit_reason: 'too_many_steps', ended_at: now, due_at: null, seq });
      return { facts, contactChanged };
    });
  }

  /** Applies a wait (the contact rests: 'rested'), or says which step comes next. */
  async #rest(
    d: Decision,
    at: string,
    move: (set: Record<string, unknown>) => Promise<void>,
    seq: number,
    _now: number,
  ): Promise<string | null | 'rested'> {
    if (d.kind === 'next') return d.next;
    if (d.kind === 'sleep') {
      await move({ step_id: at, phase: 'sleep', due_at: d.until, seq, wait_event: null, wait_result: null });
      return 'rested';
    }
    await move({
      step_id: at,
      phase: 'await',
      due_at: d.until,
      seq,
      wait_event: d.event.name,
      wait_result: null,
    });
    return 'rested';
  }

  async #facts(
    tx: Kysely<Database>,
    e: JourneyEnrollment,
    contact: Contact,
    definition: JourneyDefinition,
    step: Step,
    stepId: string,
    now: number,
  ): Promise<Facts> {
    const need = needs(step);
    const fields = contactFields(contact);
    const inSegment = need.segment
      ? (await tx
          .selectFrom('segment_members')
          .select('contact_id')
          .where('segment_id', '=', need.segment)
          .where('contact_id', '=', contact.id)
          .executeTakeFirst()) !== undefined
      : false;
    const consent = need.consent
      ? await tx
          .selectFrom('consents')
          .select('status')
          .where('contact_id', '=', contact.id)
          .where('channel', '=', need.consent)
          .where('topic_id', '=', '')
          .executeTakeFirst()
      : undefined;
    const zone =
      contact.timezone && isTimeZone(contact.timezone) ? contact.timezone : await this.#zone(tx, e);
    return {
      now,
      zone,
      draw: drawFor(`${e.id}:${stepId}`),
      field: (name) =>
        name.startsWith('attributes.')
          ? (fields.attributes as Record<string, unknown>)[name.slice('attributes.'.length)]
          : fields[name],
      inSegment: () => inSegment,
      consent: () => (consent?.status === 'granted' ? 'granted' : 'not_granted'),
      goalReached: definition.goal !== undefined && e.goal_at !== null,
    };
  }

  async #zone(tx: Kysely<Database>, e: JourneyEnrollment): Promise<string> {
    const ws = await tx
      .selectFrom('workspaces')
      .select('timezone')
      .where('id', '=', e.workspace_id)
      .executeTakeFirst();
    return ws && isTimeZone(ws.timezone) ? ws.timezone : 'UTC';
  }

  /**
   * Queues the step's message with the key journey:<enrollment>:<seq>, in the
   * same transaction as the move: it is queued exactly when the step is taken.
   * The journey's own frequency cap is checked here; consent, suppression,
   * quiet hours and the workspace cap are the composer's, at delivery.
   */
  async #send(
    tx: Kysely<Database>,
    e: JourneyEnrollment,
    journeyName: string,
    definition: JourneyDefinition,
    step: SendStep,
    seq: number,
    now: number,
  ): Promise<{ outcome: string; detail?: string }> {
    const cap = definition.frequencyCap;
    if (cap) {
      const sent = await tx
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<string | number>().as('n'))
        .where('workspace_id', '=', e.workspace_id)
        .where('contact_id', '=', e.contact_id)
        .where('source_id', '=', e.journey_id)
        .where('created_at', '>=', now - cap.days * 86_400_000)
        .executeTakeFirstOrThrow();
      if (Number(sent.n) >= cap.count)
        return { outcome: 'capped', detail: `${cap.count} messages in ${cap.days} days already` };
    }
    const message: NewMessage = {
      id: newId(now),
      workspaceId: e.workspace_id,
      idempotencyKey: `journey:${e.id}:${seq}`,
      channel: step.channel,
      contactId: e.contact_id,
      sourceKind: 'journey',
      sourceId: e.journey_id,
      marketing: step.marketing ?? true,
      content: {
        templateId: step.templateId,
        ...(step.topicId ? { topicId: step.topicId } : {}),
        ...(step.senderId ? { senderId: step.senderId } : {}),
        variables: { ...step.variables, journey: { id: e.journey_id, name: journeyName } },
        utm: { source: 'wasl', medium: step.channel, campaign: journeyName.slice(0, 200) },
      },
      sendAt: now,
    };
    await enqueueMessages(tx, [message], now, this.#o.dialect);
    return { outcome: 'sent', detail: message.id };
  }

  /** Tags, lifecycle stage and custom attributes, written on the contact row. */
  async #update(
    tx: Kysely<Database>,
    contact: Contact,
    change: {
      set?: Record<string, string | number | boolean | null>;
      addTags?: string[];
      removeTags?: string[];
      lifecycleStage?: string;
    },
    now: number,
  ): Promise<Contact> {
    const tags = new Set(JSON.parse(contact.interests) as string[]);
    for (const t of change.addTags ?? []) tags.add(t);
    for (const t of change.removeTags ?? []) tags.delete(t);
    const attributes = JSON.parse(contact.attributes) as Record<string, unknown>;
    for (const [key, value] of Object.entries(change.set ?? {})) {
      if (value === null) delete attributes[key];
      else attributes[key] = value;
    }
    const set = {
      interests: JSON.stringify([...tags]),
      attributes: JSON.stringify(attributes),
      lifecycle_stage: change.lifecycleStage ?? contact.lifecycle_stage,
      updated_at: now,
    };
    await tx
      .updateTable('contacts')
      .set(set)
      .where('workspace_id', '=', contact.workspace_id)
      .where('id', '=', contact.id)
      .execute();
    return { ...contact, ...set };
  }

  /** A `journey.step` delivery to the endpoint, through the delivery engine (signed, retried). */
  async #webhook(
    tx: Kysely<Database>,
    e: JourneyEnrollment,
    stepId: string,
    endpointId: string,
    seq: number,
    now: number,
  ): Promise<boolean> {
    const endpoint = await tx
      .selectFrom('webhook_endpoints')
      .select(['id', 'url'])
      .where('workspace_id', '=', e.workspace_id)
      .where('id', '=', endpointId)
      .executeTakeFirst();
    if (!endpoint) return false;
    const fact = this.#fact(e, 'journey.step', now, { stepId });
    await enqueueMessages(
      tx,
      [
        {
          id: newId(now),
          workspaceId: e.workspace_id,
          idempotencyKey: `journey:${e.id}:${seq}`,
          channel: 'webhook',
          contactId: e.contact_id,
          address: endpoint.url,
          sourceKind: 'journey',
          sourceId: e.journey_id,
          marketing: false,
          content: { endpointId: endpoint.id, type: 'journey.step', body: webhookBody(fact) },
        },
      ],
      now,
      this.#o.dialect,
    );
    return true;
  }

  #fact(e: JourneyEnrollment, name: string, now: number, properties: Record<string, unknown>): WaslEvent {
    return {
      id: newId(now),
      workspaceId: e.workspace_id,
      type: 'track',
      name,
      anonymousId: null,
      contactId: e.contact_id,
      occurredAt: new Date(now),
      receivedAt: new Date(now),
      properties: { journeyId: e.journey_id, version: e.version, enrollmentId: e.id, ...properties },
      context: {},
    };
  }
}
