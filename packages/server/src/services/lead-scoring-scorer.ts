import type { WaslEvent } from '@wasl/core';
import type { Database, EventStore } from '@wasl/store';
import type { Kysely } from 'kysely';
import { recomputeLeadScores } from './lead-scoring.ts';
import type { SegmentEngine } from './segment-engine.ts';

export interface LeadScorerOptions {
  clock: () => number;
  onError: (error: unknown) => void;
  /** Where `lead.stage_changed` goes (the events store), as for the segment engine's facts. */
  record?: (events: WaslEvent[]) => Promise<unknown>;
  /** Told which contacts' score or stage changed: pass them to the audience sync. */
  changed?: (workspaceId: string, contactIds: readonly string[]) => void;
  /** How often every workspace with rules is rescored (decay moves scores without events). Default 1 hour. */
  fullPassMs?: number;
}

/**
 * Keeps lead scores current: contacts touched (new events, profile changes)
 * are rescored together shortly after, and a periodic full pass applies decay.
 */
export class LeadScorer {
  private readonly touched = new Map<string, Set<string>>();
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly events: EventStore,
    private readonly options: LeadScorerOptions,
  ) {}

  start(): void {
    const tick = () => {
      this.timer = setTimeout(() => {
        this.fullPass()
          .catch(this.options.onError)
          .finally(() => {
            if (!this.stopped) tick();
          });
      }, this.options.fullPassMs ?? 3_600_000);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.idle();
  }

  contactsTouched(workspaceId: string, ids: readonly string[]): void {
    if (this.stopped || ids.length === 0) return;
    const set = this.touched.get(workspaceId) ?? new Set<string>();
    for (const id of ids) set.add(id);
    this.touched.set(workspaceId, set);
    this.schedule();
  }

  /** One pass at a time; contacts touched while it runs get the next one. */
  private schedule(): void {
    this.running ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.drain())
      .catch(this.options.onError)
      .finally(() => {
        this.running = undefined;
        if (!this.stopped && this.touched.size > 0) this.schedule();
      });
  }

  /** Resolves when every contact touched so far has been rescored. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Rescores every contact of every workspace that has rules. */
  async fullPass(): Promise<void> {
    const workspaces = await this.db
      .selectFrom('lead_scoring_rules')
      .select('workspace_id')
      .distinct()
      .execute();
    for (const { workspace_id } of workspaces) {
      if (this.stopped) return;
      await this.rescore(workspace_id);
    }
  }

  private async drain(): Promise<void> {
    const work = [...this.touched];
    this.touched.clear();
    for (const [workspaceId, ids] of work) await this.rescore(workspaceId, [...ids]);
  }

  private async rescore(workspaceId: string, contactIds?: readonly string[]): Promise<void> {
    const done = await recomputeLeadScores(this.db, this.events, {
      workspaceId,
      ...(contactIds ? { contactIds } : {}),
      now: this.options.clock(),
      ...(this.options.record ? { record: this.options.record } : {}),
    });
    if (done.changed.length > 0) this.options.changed?.(workspaceId, done.changed);
  }
}

/**
 * The hook: every contact the segment engine is told about (events stored,
 * profiles copied) is rescored too, without the engine knowing of scoring.
 */
export function scoreAlongside(engine: SegmentEngine, scorer: LeadScorer): void {
  const touched = engine.contactsTouched.bind(engine);
  engine.contactsTouched = (workspaceId, ids) => {
    touched(workspaceId, ids);
    scorer.contactsTouched(workspaceId, ids);
  };
}
