import { newId, type SegmentDefinition, type WaslEvent } from '@wasl/core';
import type { Database, Segment, SegmentEvaluator } from '@wasl/store';
import type { Kysely } from 'kysely';
import { inTransaction } from './transaction.ts';

/** Contacts evaluated by one statement per segment. */
const EVALUATE_CHUNK = 500;

export interface MembershipChange {
  segmentId: string;
  entered: string[];
  left: string[];
}

export interface SegmentEngineOptions {
  clock: () => number;
  onError: (error: unknown) => void;
  /** Where `segment.entered` / `segment.left` go (the events store); journeys start from them. */
  record?: (events: WaslEvent[]) => Promise<unknown>;
  /** A full recompute found members the incremental path had missed or kept: logged as drift. */
  onDrift?: (workspaceId: string, segmentId: string, change: MembershipChange) => void;
  /** How often every segment is recomputed in full (time windows move without events). Default 5 minutes. */
  recomputeMs?: number;
  /** How long touched contacts gather before one evaluation. Default 25 ms. */
  gatherMs?: number;
}

/**
 * Live segment membership. A contact whose events or profile changed is
 * re-evaluated against every segment of its workspace within milliseconds;
 * each change is stored in segment_members and recorded as a
 * `segment.entered` or `segment.left` event. A periodic full recompute
 * applies what time alone changed ("active in the last 7 days") and repairs
 * drift, reporting any difference it finds.
 */
export class SegmentEngine {
  private readonly touched = new Map<string, Set<string>>();
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly evaluator: SegmentEvaluator,
    private readonly options: SegmentEngineOptions,
  ) {}

  start(): void {
    const every = this.options.recomputeMs ?? 300_000;
    const tick = () => {
      this.timer = setTimeout(() => {
        this.recomputeAll()
          .catch(this.options.onError)
          .finally(() => {
            if (!this.stopped) tick();
          });
      }, every);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.idle();
  }

  /** Contacts whose facts changed: they are re-evaluated shortly, together. */
  contactsTouched(workspaceId: string, ids: readonly string[]): void {
    if (this.stopped || ids.length === 0) return;
    let set = this.touched.get(workspaceId);
    if (!set) {
      set = new Set();
      this.touched.set(workspaceId, set);
    }
    for (const id of ids) set.add(id);
    this.schedule();
  }

  /** One evaluation at a time; contacts touched while it runs get the next one. */
  private schedule(): void {
    this.running ??= new Promise<void>((resolve) => setTimeout(resolve, this.options.gatherMs ?? 25))
      .then(() => this.drain())
      .catch(this.options.onError)
      .finally(() => {
        this.running = undefined;
        if (!this.stopped && this.touched.size > 0) this.schedule();
      });
  }

  /** Resolves when every contact touched so far has been evaluated. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Events reached the events store: the contacts they belong to (directly,
   * or through a known anonymous id) are touched.
   */
  async eventsStored(events: readonly WaslEvent[]): Promise<void> {
    const byWorkspace = new Map<string, { ids: Set<string>; anonymous: Set<string> }>();
    for (const e of events) {
      if (e.name === 'segment.entered' || e.name === 'segment.left') continue;
      let entry = byWorkspace.get(e.workspaceId);
      if (!entry) {
        entry = { ids: new Set(), anonymous: new Set() };
        byWorkspace.set(e.workspaceId, entry);
      }
      if (e.contactId) {
        entry.ids.add(e.contactId);
        entry.anonymous.add(e.contactId);
      }
      if (e.anonymousId) entry.anonymous.add(e.anonymousId);
    }
    for (const [workspaceId, { ids, anonymous }] of byWorkspace) {
      const linked = anonymous.size
        ? await this.db
            .selectFrom('contact_identities')
            .select('contact_id')
            .where('workspace_id', '=', workspaceId)
            .where('anonymous_id', 'in', [...anonymous])
            .execute()
        : [];
      const direct = ids.size
        ? await this.db
            .selectFrom('contacts')
            .select('id')
            .where('workspace_id', '=', workspaceId)
            .where('id', 'in', [...ids])
            .execute()
        : [];
      this.contactsTouched(workspaceId, [...linked.map((r) => r.contact_id), ...direct.map((r) => r.id)]);
    }
  }

  private async drain(): Promise<void> {
    const work = [...this.touched];
    this.touched.clear();
    for (const [workspaceId, ids] of work) await this.evaluateContacts(workspaceId, [...ids]);
  }

  /** Re-evaluates these contacts against every segment of the workspace and applies the changes. */
  async evaluateContacts(workspaceId: string, contactIds: readonly string[]): Promise<MembershipChange[]> {
    const segments = await this.db
      .selectFrom('segments')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .execute();
    const changes: MembershipChange[] = [];
    for (let i = 0; i < contactIds.length; i += EVALUATE_CHUNK) {
      changes.push(
        ...(await this.evaluateChunk(workspaceId, segments, contactIds.slice(i, i + EVALUATE_CHUNK))),
      );
    }
    return changes;
  }

  /** Every segment once over these contacts: one membership query per segment, however many contacts. */
  private async evaluateChunk(
    workspaceId: string,
    segments: Segment[],
    contactIds: readonly string[],
  ): Promise<MembershipChange[]> {
    const existing = await this.db
      .selectFrom('contacts')
      .select('id')
      .where('workspace_id', '=', workspaceId)
      .where('id', 'in', contactIds)
      .execute();
    const candidates = existing.map((r) => r.id);
    if (candidates.length === 0) return [];
    const changes: MembershipChange[] = [];
    for (const segment of segments) {
      const def = JSON.parse(segment.definition) as SegmentDefinition;
      const current = new Set(
        (
          await this.db
            .selectFrom('segment_members')
            .select('contact_id')
            .where('segment_id', '=', segment.id)
            .where('contact_id', 'in', candidates)
            .execute()
        ).map((r) => r.contact_id),
      );
      const found = await this.evaluator.membersAmong(workspaceId, def, candidates);
      if (!found.ok) throw new Error(`segment ${segment.id}: ${found.error.message}`);
      const members = new Set(found.value);
      const change: MembershipChange = {
        segmentId: segment.id,
        entered: candidates.filter((id) => members.has(id) && !current.has(id)),
        left: candidates.filter((id) => !members.has(id) && current.has(id)),
      };
      if (change.entered.length + change.left.length > 0) {
        await this.apply(workspaceId, segment, change, false);
        changes.push(change);
      }
    }
    return changes;
  }

  /** Evaluates the segment in full and makes the stored membership equal to it. */
  async recompute(workspaceId: string, segment: Segment, reportDrift = true): Promise<MembershipChange> {
    const def = JSON.parse(segment.definition) as SegmentDefinition;
    const members = await this.evaluator.members(workspaceId, def);
    if (!members.ok) throw new Error(`segment ${segment.id}: ${members.error.message}`);
    const now = new Set(members.value);
    const stored = new Set(
      (
        await this.db
          .selectFrom('segment_members')
          .select('contact_id')
          .where('segment_id', '=', segment.id)
          .execute()
      ).map((r) => r.contact_id),
    );
    const change: MembershipChange = {
      segmentId: segment.id,
      entered: members.value.filter((id) => !stored.has(id)),
      left: [...stored].filter((id) => !now.has(id)),
    };
    await this.apply(workspaceId, segment, change, true, now.size);
    if (reportDrift && segment.evaluated_at !== null && change.entered.length + change.left.length > 0) {
      this.options.onDrift?.(workspaceId, segment.id, change);
    }
    return change;
  }

  async recomputeAll(): Promise<void> {
    const segments = await this.db.selectFrom('segments').selectAll().orderBy('workspace_id').execute();
    for (const segment of segments) {
      if (this.stopped) return;
      await this.recompute(segment.workspace_id, segment);
    }
  }

  private async apply(
    workspaceId: string,
    segment: Segment,
    change: MembershipChange,
    full: boolean,
    total?: number,
  ): Promise<void> {
    const now = this.options.clock();
    const CHUNK = 500;
    // Only rows this call inserted or deleted count: a concurrent evaluation (another
    // process, a recompute racing an event) must not announce the same change twice.
    const entered: string[] = [];
    const left: string[] = [];
    await inTransaction(this.db, async (trx) => {
      for (let i = 0; i < change.entered.length; i += CHUNK) {
        const rows = await trx
          .insertInto('segment_members')
          .values(
            change.entered
              .slice(i, i + CHUNK)
              .map((id) => ({ segment_id: segment.id, contact_id: id, since: now })),
          )
          .onConflict((oc) => oc.columns(['segment_id', 'contact_id']).doNothing())
          .returning('contact_id')
          .execute();
        entered.push(...rows.map((r) => r.contact_id));
      }
      for (let i = 0; i < change.left.length; i += CHUNK) {
        const rows = await trx
          .deleteFrom('segment_members')
          .where('segment_id', '=', segment.id)
          .where('contact_id', 'in', change.left.slice(i, i + CHUNK))
          .returning('contact_id')
          .execute();
        left.push(...rows.map((r) => r.contact_id));
      }
      const count = await trx
        .selectFrom('segment_members')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
        .where('segment_id', '=', segment.id)
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('segments')
        .set({ member_count: total ?? Number(count.n), ...(full ? { evaluated_at: now } : {}) })
        .where('id', '=', segment.id)
        .execute();
    });
    change.entered = entered;
    change.left = left;
    const facts: WaslEvent[] = [
      ...entered.map((id) => membershipEvent(workspaceId, segment, id, 'segment.entered', now)),
      ...left.map((id) => membershipEvent(workspaceId, segment, id, 'segment.left', now)),
    ];
    if (facts.length > 0) await this.options.record?.(facts);
  }
}

const membershipEvent = (
  workspaceId: string,
  segment: Segment,
  contactId: string,
  name: 'segment.entered' | 'segment.left',
  now: number,
): WaslEvent => ({
  id: newId(now),
  workspaceId,
  type: 'track',
  name,
  anonymousId: null,
  contactId,
  occurredAt: new Date(now),
  receivedAt: new Date(now),
  properties: { segmentId: segment.id, segmentName: segment.name },
  context: {},
});
