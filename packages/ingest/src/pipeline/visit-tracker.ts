import { randomUUID } from 'node:crypto';
import { LruCache } from '../lru-cache.ts';
import { assignVisit, type LastSeen } from '../visits.ts';

export interface VisitQuery {
  /** The visitor's key: the event's visitor id (already specific to the site). */
  visitor: string;
  /** Another key the same visitor had until midnight (yesterday's cookieless hash), computed only when `visitor` is unknown. */
  previous?: () => string;
  eventAt: number;
  /**
   * Visible time the event reports (engagement): the visitor was active from
   * `eventAt − engagedMs`, so a long-read page does not split its visit.
   */
  engagedMs?: number;
  /** false: join an open visit but never start one (server-side events with no browser behind them). Default true. */
  startsVisit?: boolean;
}

export interface VisitOutcome {
  visitId: string;
  isNewVisit: boolean;
}

/** About 40,000 to 80,000 entries take 10 to 20 MB. */
export const DEFAULT_VISITOR_CAPACITY = 50_000;

/**
 * Each visitor's open visit, in this process's memory: visitor key →
 * `{ visitId, lastEventAt }`, bounded (between `capacity` and twice as many
 * visitors; the least recently seen are forgotten, and their next event starts
 * a new visit). Visits are decided by `assignVisit` (30 minutes of inactivity
 * end one).
 *
 * Several ingest processes each keep their own: route a visitor's requests to
 * one process (by client IP at the load balancer), or visits split.
 */
export class VisitTracker {
  readonly #seen: LruCache<string, LastSeen>;
  readonly #newVisitId: (now: number) => string;

  /** Visit ids need only be unique: `randomUUID` draws from a pooled buffer, about 10× cheaper than a uuidv7. */
  constructor(capacity = DEFAULT_VISITOR_CAPACITY, newVisitId: (now: number) => string = () => randomUUID()) {
    this.#seen = new LruCache(capacity);
    this.#newVisitId = newVisitId;
  }

  /**
   * The visit of an event, recorded as the visitor's latest. Without a visitor
   * seen under `visitor`, the one seen under `previous` (yesterday's hash)
   * continues: a visit runs across midnight, while the event keeps today's id.
   * undefined only when `startsVisit` is false and no visit is open.
   */
  assign(query: VisitQuery): VisitOutcome | undefined {
    const last = this.#seen.get(query.visitor) ?? this.#previous(query);
    const { eventAt } = query;
    // Engagement: active since eventAt − engagedMs, but never before the visit's own latest event.
    const probe =
      last === undefined || query.engagedMs === undefined
        ? eventAt
        : Math.min(eventAt, Math.max(eventAt - query.engagedMs, last.lastEventAt));
    const assigned = assignVisit(last, probe, '');
    if (assigned.isNewVisit && query.startsVisit === false) return undefined;
    const visitId = assigned.isNewVisit ? this.#newVisitId(eventAt) : assigned.visitId;
    // An event from long before the visitor's latest (a batch an app sent hours late) gets
    // a visit of its own and leaves the open visit alone.
    if (assigned.isNewVisit && last !== undefined && eventAt < last.lastEventAt) {
      return { visitId, isNewVisit: true };
    }
    const lastEventAt = assigned.isNewVisit ? eventAt : Math.max(assigned.lastEventAt, eventAt);
    this.#seen.set(query.visitor, { visitId, lastEventAt });
    return { visitId, isNewVisit: assigned.isNewVisit };
  }

  /** Visitors remembered (between capacity and twice as many). */
  get size(): number {
    return this.#seen.size;
  }

  #previous(query: VisitQuery): LastSeen | undefined {
    return query.previous === undefined ? undefined : this.#seen.get(query.previous());
  }
}
