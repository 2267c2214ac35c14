/** 30 minutes without an event end a visit. */
export const VISIT_TIMEOUT_MS = 30 * 60_000;

export interface LastSeen {
  visitId: string;
  /** Epoch milliseconds of the visitor's latest event. */
  lastEventAt: number;
}

export interface VisitAssignment {
  visitId: string;
  isNewVisit: boolean;
  /** What to store as the visitor's `lastEventAt`: late events never move it back. */
  lastEventAt: number;
}

/**
 * The visit an event belongs to: the visitor's current visit while less than
 * 30 minutes separate the event from the visit's latest event (29:59 continues
 * it, 30:00 starts a new one), else a new visit with `newId`. An event that
 * arrives late (a beacon sent on page hide) still joins the visit when it lies
 * inside the window.
 *
 * @example assignVisit({ visitId: 'v1', lastEventAt: t }, t + 29 * 60_000, 'v2') // { visitId: 'v1', isNewVisit: false, … }
 */
export function assignVisit(lastSeen: LastSeen | undefined, eventAt: number, newId: string): VisitAssignment {
  if (lastSeen !== undefined && Math.abs(eventAt - lastSeen.lastEventAt) < VISIT_TIMEOUT_MS) {
    return {
      visitId: lastSeen.visitId,
      isNewVisit: false,
      lastEventAt: Math.max(eventAt, lastSeen.lastEventAt),
    };
  }
  return { visitId: newId, isNewVisit: true, lastEventAt: eventAt };
}

/** How a site identifies visitors; reports say which one produced them. */
export type IdentityMode = 'cookieless' | 'consent';

export type ReturningCheck =
  | {
      mode: 'cookieless';
      /** When the current visit began. */
      visitStartedAt: number;
      /** The visitor's latest event before this visit, found by today's or yesterday's hash; undefined if none. */
      seenBeforeAt: number | undefined;
      /** `SaltPlan.windowStart`: nothing earlier can be recognised. */
      windowStart: number;
    }
  | {
      mode: 'consent';
      visitStartedAt: number;
      /** The visitor's latest event before this visit, by its first-party id, over any look-back. */
      seenBeforeAt: number | undefined;
    };

/**
 * Whether a visit is a returning visitor's: the visitor had an event before
 * this visit began. In cookieless mode only the salt window (yesterday and
 * today) can be seen, so "new" there means "not seen since yesterday began";
 * in consent mode the first-party id makes it exact over any look-back.
 *
 * @example isReturning({ mode: 'consent', visitStartedAt: t, seenBeforeAt: t - 90 * 86_400_000 }) // true
 */
export function isReturning(check: ReturningCheck): boolean {
  const seen = check.seenBeforeAt;
  if (seen === undefined || seen >= check.visitStartedAt) return false;
  return check.mode === 'consent' || seen >= check.windowStart;
}
