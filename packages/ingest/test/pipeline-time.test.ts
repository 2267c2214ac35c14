import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventTime, MAX_EVENT_AGE_MS, MAX_FUTURE_SKEW_MS } from '../src/index.ts';

const NOW = Date.UTC(2026, 2, 10, 9, 30);

describe('eventTime', () => {
  it('with sentAt, the result does not depend on the sender clock', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e11, max: 1e11 }),
        fc.integer({ min: 0, max: 3_600_000 }),
        (skew, delay) => {
          const sentAt = NOW + skew;
          const result = eventTime({
            receivedAt: NOW,
            happenedAt: sentAt - delay,
            sentAt,
            field: 'timestamp',
          });
          expect(result).toEqual({ ok: true, value: NOW - delay });
        },
      ),
    );
  });

  it('the tracker (ts is both times) always gets the receive time', () => {
    fc.assert(
      fc.property(fc.nat(), (ts) => {
        expect(eventTime({ receivedAt: NOW, happenedAt: ts, sentAt: ts, field: 'ts' })).toEqual({
          ok: true,
          value: NOW,
        });
      }),
    );
  });

  it('accepted times lie in [receivedAt − 30 days, receivedAt]; the rest is refused with the field', () => {
    fc.assert(
      fc.property(fc.integer({ min: -2 * MAX_EVENT_AGE_MS, max: 2 * MAX_FUTURE_SKEW_MS }), (offset) => {
        const result = eventTime({ receivedAt: NOW, happenedAt: NOW + offset, field: 'timestamp' });
        if (offset > MAX_FUTURE_SKEW_MS || offset < -MAX_EVENT_AGE_MS) {
          expect(result).toMatchObject({ ok: false, error: { code: 'invalid', field: 'timestamp' } });
        } else {
          expect(result).toEqual({ ok: true, value: Math.min(NOW + offset, NOW) });
        }
      }),
    );
  });

  it('no client time: the receive time', () => {
    expect(eventTime({ receivedAt: NOW, field: 'timestamp' })).toEqual({ ok: true, value: NOW });
  });
});
