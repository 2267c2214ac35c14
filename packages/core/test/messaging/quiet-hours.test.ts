import { describe, expect, it } from 'vitest';
import { parseClockTime, quietHoursEnd, zonedInstant } from '../../src/messaging/quiet-hours.ts';

const window = (start: string, end: string) => {
  const s = parseClockTime(start, 'start');
  const e = parseClockTime(end, 'end');
  if (!s.ok || !e.ok) throw new Error('bad window');
  return { start: s.value, end: e.value };
};
const NIGHT = window('21:00', '08:00');

describe('quietHoursEnd', () => {
  it('Asia/Riyadh (UTC+3, no DST): 22:30 local waits until 08:00 local the next morning', () => {
    // 19:30Z = 22:30 in Riyadh; the end is 08:00 Riyadh = 05:00Z the next day.
    expect(quietHoursEnd(Date.parse('2026-03-10T19:30:00Z'), 'Asia/Riyadh', NIGHT)).toBe(
      Date.parse('2026-03-11T05:00:00Z'),
    );
    // 02:00 local (23:00Z the day before) ends the same local morning.
    expect(quietHoursEnd(Date.parse('2026-03-10T23:00:00Z'), 'Asia/Riyadh', NIGHT)).toBe(
      Date.parse('2026-03-11T05:00:00Z'),
    );
  });

  it('is not quiet outside the window, nor at its end, and is quiet at its start', () => {
    expect(quietHoursEnd(Date.parse('2026-03-10T09:00:00Z'), 'Asia/Riyadh', NIGHT)).toBeUndefined();
    expect(quietHoursEnd(Date.parse('2026-03-10T05:00:00Z'), 'Asia/Riyadh', NIGHT)).toBeUndefined();
    expect(quietHoursEnd(Date.parse('2026-03-10T18:00:00Z'), 'Asia/Riyadh', NIGHT)).toBe(
      Date.parse('2026-03-11T05:00:00Z'),
    );
  });

  it('America/New_York across spring forward: 23:00 EST ends at 08:00 EDT (a 23-hour day)', () => {
    // 8 March 2026: clocks go from 02:00 EST to 03:00 EDT. 23:00 EST on 7 March = 04:00Z on 8 March.
    expect(quietHoursEnd(Date.parse('2026-03-08T04:00:00Z'), 'America/New_York', NIGHT)).toBe(
      Date.parse('2026-03-08T12:00:00Z'),
    );
  });

  it('America/New_York across fall back: 23:00 EDT ends at 08:00 EST', () => {
    // 1 November 2026: clocks go from 02:00 EDT back to 01:00 EST. 23:00 EDT on 31 Oct = 03:00Z on 1 Nov.
    expect(quietHoursEnd(Date.parse('2026-11-01T03:00:00Z'), 'America/New_York', NIGHT)).toBe(
      Date.parse('2026-11-01T13:00:00Z'),
    );
    // The repeated hour (01:30 EST, second time round) is inside the window too.
    expect(quietHoursEnd(Date.parse('2026-11-01T06:30:00Z'), 'America/New_York', NIGHT)).toBe(
      Date.parse('2026-11-01T13:00:00Z'),
    );
  });

  it('handles a window within one day and an empty window', () => {
    const lunch = window('12:00', '13:30');
    expect(quietHoursEnd(Date.parse('2026-06-01T09:15:00Z'), 'Asia/Riyadh', lunch)).toBe(
      Date.parse('2026-06-01T10:30:00Z'),
    );
    expect(quietHoursEnd(Date.parse('2026-06-01T11:00:00Z'), 'Asia/Riyadh', lunch)).toBeUndefined();
    expect(
      quietHoursEnd(Date.parse('2026-06-01T11:00:00Z'), 'UTC', window('08:00', '08:00')),
    ).toBeUndefined();
  });
});

describe('zonedInstant', () => {
  it('maps a wall time skipped by spring forward to after the jump', () => {
    // 02:30 does not exist in New York on 8 March 2026; the next real time at that distance is 03:30 EDT.
    expect(zonedInstant(2026, 3, 8, 150, 'America/New_York')).toBe(Date.parse('2026-03-08T07:30:00Z'));
  });
});

describe('parseClockTime', () => {
  it('names the field and value at fault', () => {
    expect(parseClockTime('25:00', 'quietHours.start')).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: 'quietHours.start must be a time as HH:MM (00:00–23:59), not "25:00"',
        field: 'quietHours.start',
      },
    });
    expect(parseClockTime('07:05', 'x')).toEqual({ ok: true, value: 425 });
  });
});
