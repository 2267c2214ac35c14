import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignVisit, isReturning, VISIT_TIMEOUT_MS } from '../src/index.ts';

const T = Date.UTC(2026, 2, 1, 12);
const MINUTE = 60_000;
const DAY = 86_400_000;

describe('assignVisit', () => {
  it('starts a first visit', () => {
    expect(assignVisit(undefined, T, 'v1')).toEqual({ visitId: 'v1', isNewVisit: true, lastEventAt: T });
  });

  it('continues a visit after 29:59 of inactivity', () => {
    const at = T + 29 * MINUTE + 59_000;
    expect(assignVisit({ visitId: 'v1', lastEventAt: T }, at, 'v2')).toEqual({
      visitId: 'v1',
      isNewVisit: false,
      lastEventAt: at,
    });
  });

  it('ends a visit at 30:00 of inactivity', () => {
    const at = T + 30 * MINUTE;
    expect(assignVisit({ visitId: 'v1', lastEventAt: T }, at, 'v2')).toEqual({
      visitId: 'v2',
      isNewVisit: true,
      lastEventAt: at,
    });
  });

  it('keeps a visit going while events come less than 30 minutes apart, however long it lasts', () => {
    let state = { visitId: 'v1', lastEventAt: T };
    for (let i = 1; i <= 20; i++) {
      const next = assignVisit(state, T + i * 29 * MINUTE, `new-${i}`);
      expect(next.visitId).toBe('v1');
      state = { visitId: next.visitId, lastEventAt: next.lastEventAt };
    }
  });

  it('puts a late event inside the window into the visit without moving lastEventAt back', () => {
    const late = assignVisit({ visitId: 'v1', lastEventAt: T }, T - 5 * MINUTE, 'v2');
    expect(late).toEqual({ visitId: 'v1', isNewVisit: false, lastEventAt: T });
  });

  it('is a new visit exactly when the gap reaches the timeout', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 * VISIT_TIMEOUT_MS }), (gap) => {
        const result = assignVisit({ visitId: 'old', lastEventAt: T }, T + gap, 'new');
        expect(result.isNewVisit).toBe(gap >= VISIT_TIMEOUT_MS);
        expect(result.visitId).toBe(gap >= VISIT_TIMEOUT_MS ? 'new' : 'old');
      }),
    );
  });
});

describe('isReturning', () => {
  const windowStart = T - DAY; // yesterday's start, from SaltPlan.windowStart

  it('cookieless: returning when seen before this visit inside the salt window', () => {
    expect(
      isReturning({ mode: 'cookieless', visitStartedAt: T, seenBeforeAt: T - 3 * 3_600_000, windowStart }),
    ).toBe(true);
    expect(
      isReturning({ mode: 'cookieless', visitStartedAt: T, seenBeforeAt: windowStart, windowStart }),
    ).toBe(true);
  });

  it('cookieless: new when first seen in this visit, or only before the window', () => {
    expect(isReturning({ mode: 'cookieless', visitStartedAt: T, seenBeforeAt: undefined, windowStart })).toBe(
      false,
    );
    expect(isReturning({ mode: 'cookieless', visitStartedAt: T, seenBeforeAt: T, windowStart })).toBe(false);
    expect(
      isReturning({ mode: 'cookieless', visitStartedAt: T, seenBeforeAt: windowStart - 1, windowStart }),
    ).toBe(false);
  });

  it('consent: returning when seen before, however long ago', () => {
    expect(isReturning({ mode: 'consent', visitStartedAt: T, seenBeforeAt: T - 400 * DAY })).toBe(true);
    expect(isReturning({ mode: 'consent', visitStartedAt: T, seenBeforeAt: undefined })).toBe(false);
    expect(isReturning({ mode: 'consent', visitStartedAt: T, seenBeforeAt: T + MINUTE })).toBe(false);
  });
});
