import { describe, expect, it } from 'vitest';
import { VISIT_TIMEOUT_MS, VisitTracker } from '../src/index.ts';

const T = Date.UTC(2026, 2, 10, 12);
const MINUTE = 60_000;

describe('VisitTracker', () => {
  it('continues a visit for 29:59 of inactivity and starts a new one at 30:00', () => {
    const visits = new VisitTracker();
    const first = visits.assign({ visitor: 'v', eventAt: T });
    expect(first?.isNewVisit).toBe(true);
    const same = visits.assign({ visitor: 'v', eventAt: T + VISIT_TIMEOUT_MS - 1000 });
    expect(same).toEqual({ visitId: first?.visitId, isNewVisit: false });
    const next = visits.assign({ visitor: 'v', eventAt: T + 2 * VISIT_TIMEOUT_MS - 1000 });
    expect(next?.isNewVisit).toBe(true);
    expect(next?.visitId).not.toBe(first?.visitId);
  });

  it('continues the visit seen under the previous key, and remembers it under the new one', () => {
    const visits = new VisitTracker();
    const yesterday = visits.assign({ visitor: 'old-hash', eventAt: T });
    let computed = 0;
    const previous = () => {
      computed++;
      return 'old-hash';
    };
    const today = visits.assign({ visitor: 'new-hash', previous, eventAt: T + 10 * MINUTE });
    expect(today?.visitId).toBe(yesterday?.visitId);
    visits.assign({ visitor: 'new-hash', previous, eventAt: T + 11 * MINUTE });
    // Known under today's key now: yesterday's hash is not computed again.
    expect(computed).toBe(1);
  });

  it('startsVisit: false joins an open visit and never starts one', () => {
    const visits = new VisitTracker();
    expect(visits.assign({ visitor: 'v', eventAt: T, startsVisit: false })).toBeUndefined();
    const open = visits.assign({ visitor: 'v', eventAt: T });
    expect(visits.assign({ visitor: 'v', eventAt: T + MINUTE, startsVisit: false })?.visitId).toBe(
      open?.visitId,
    );
    expect(
      visits.assign({ visitor: 'v', eventAt: T + 3 * VISIT_TIMEOUT_MS, startsVisit: false }),
    ).toBeUndefined();
  });

  it('an event from hours before gets its own visit and leaves the open visit alone', () => {
    const visits = new VisitTracker();
    const open = visits.assign({ visitor: 'v', eventAt: T });
    const old = visits.assign({ visitor: 'v', eventAt: T - 5 * 60 * MINUTE });
    expect(old?.visitId).not.toBe(open?.visitId);
    expect(visits.assign({ visitor: 'v', eventAt: T + 20 * MINUTE })?.visitId).toBe(open?.visitId);
  });

  it('engaged time counts as activity, but a claim longer than the gap cannot reach back before the visit', () => {
    const visits = new VisitTracker();
    const open = visits.assign({ visitor: 'v', eventAt: T });
    const beacon = visits.assign({ visitor: 'v', eventAt: T + 90 * MINUTE, engagedMs: 80 * MINUTE });
    expect(beacon?.visitId).toBe(open?.visitId);
    const idle = visits.assign({ visitor: 'w', eventAt: T });
    const stale = visits.assign({ visitor: 'w', eventAt: T + 90 * MINUTE, engagedMs: 5 * MINUTE });
    expect(stale?.visitId).not.toBe(idle?.visitId);
  });
});
