import { describe, expect, it } from 'vitest';
import type { Step } from '../../src/journeys/definition.ts';
import {
  decide,
  drawFor,
  eventMatches,
  type Facts,
  nextLocalTime,
  testValue,
} from '../../src/journeys/step.ts';

const NOW = Date.UTC(2026, 10, 23, 10, 0); // Monday 23 November 2026, 13:00 in Riyadh

function facts(over: Partial<Facts> = {}): Facts {
  return {
    now: NOW,
    zone: 'Asia/Riyadh',
    draw: 0.5,
    field: () => undefined,
    inSegment: () => false,
    consent: () => 'not_granted',
    goalReached: false,
    ...over,
  };
}

describe('decide', () => {
  it('sends and goes on; waits a duration; waits for an event until its timeout', () => {
    const send: Step = { type: 'send', channel: 'email', templateId: 't', next: 'b' };
    expect(decide(send, facts())).toEqual({ kind: 'next', next: 'b', effect: { kind: 'send', step: send } });
    expect(decide({ type: 'wait', duration: { days: 1, hours: 2 }, next: 'c' }, facts())).toEqual({
      kind: 'sleep',
      until: NOW + 26 * 3_600_000,
      next: 'c',
    });
    expect(
      decide(
        {
          type: 'wait_event',
          event: { name: 'purchased' },
          timeout: { minutes: 90 },
          next: 'x',
          timeoutNext: 'y',
        },
        facts(),
      ),
    ).toEqual({ kind: 'await', event: { name: 'purchased' }, until: NOW + 90 * 60_000 });
  });

  it('branches on a contact field, a segment and consent', () => {
    const city: Step = {
      type: 'branch',
      condition: { kind: 'attribute', field: 'city', operator: 'eq', value: 'الرياض' },
      yes: 'y',
      no: 'n',
    };
    expect(decide(city, facts({ field: (f) => (f === 'city' ? 'الرياض' : undefined) }))).toEqual({
      kind: 'next',
      next: 'y',
    });
    expect(decide(city, facts({ field: () => 'جدة' }))).toEqual({ kind: 'next', next: 'n' });
    const seg: Step = {
      type: 'branch',
      condition: { kind: 'segment', segmentId: 's1', member: false },
      yes: 'y',
    };
    expect(decide(seg, facts({ inSegment: () => true }))).toEqual({ kind: 'next', next: null });
    const consent: Step = {
      type: 'branch',
      condition: { kind: 'consent', channel: 'sms', status: 'granted' },
      yes: 'sms',
      no: 'mail',
    };
    expect(decide(consent, facts({ consent: () => 'granted' }))).toEqual({ kind: 'next', next: 'sms' });
  });

  it('goal check, score, update and webhook effects', () => {
    expect(decide({ type: 'goal', yes: 'won', no: 'again' }, facts({ goalReached: true }))).toEqual({
      kind: 'next',
      next: 'won',
    });
    expect(decide({ type: 'score', points: -5 }, facts())).toEqual({
      kind: 'next',
      next: null,
      effect: { kind: 'score', points: -5 },
    });
    expect(
      decide({ type: 'update', addTags: ['vip'], lifecycleStage: 'customer', next: 'z' }, facts()),
    ).toEqual({
      kind: 'next',
      next: 'z',
      effect: { kind: 'update', addTags: ['vip'], lifecycleStage: 'customer' },
    });
    expect(decide({ type: 'webhook', endpointId: 'we_1', next: null }, facts())).toEqual({
      kind: 'next',
      next: null,
      effect: { kind: 'webhook', endpointId: 'we_1' },
    });
  });

  it('splits by percentages: stable per key, and close to the percentages over many contacts', () => {
    const split: Step = {
      type: 'split',
      paths: [
        { percent: 20, next: 'a' },
        { percent: 30, next: 'b' },
        { percent: 50, next: 'c' },
      ],
    };
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 20_000; i++) {
      const d = decide(split, facts({ draw: drawFor(`enr_${i}:split`) }));
      if (d.kind === 'next' && d.next) counts[d.next] = (counts[d.next] ?? 0) + 1;
    }
    // Expected 4,000 / 6,000 / 10,000; a fair draw stays within 4 standard deviations (√(n·p·(1−p))).
    const sd = (p: number) => Math.sqrt(20_000 * p * (1 - p));
    expect(Math.abs((counts.a ?? 0) - 4000)).toBeLessThan(4 * sd(0.2));
    expect(Math.abs((counts.b ?? 0) - 6000)).toBeLessThan(4 * sd(0.3));
    expect(Math.abs((counts.c ?? 0) - 10000)).toBeLessThan(4 * sd(0.5));
    expect(drawFor('enr_7:split')).toBe(drawFor('enr_7:split'));
  });
});

describe('nextLocalTime', () => {
  it('is today at the local time when still ahead, else tomorrow', () => {
    // 13:00 in Riyadh (UTC+3): 18:00 today is 15:00 UTC; 09:00 is tomorrow 06:00 UTC.
    expect(nextLocalTime(NOW, 'Asia/Riyadh', '18:00')).toBe(Date.UTC(2026, 10, 23, 15, 0));
    expect(nextLocalTime(NOW, 'Asia/Riyadh', '09:00')).toBe(Date.UTC(2026, 10, 24, 6, 0));
  });

  it('keeps to the weekdays asked for (ISO: 5 Friday, 7 Sunday)', () => {
    expect(nextLocalTime(NOW, 'Asia/Riyadh', '10:00', [5])).toBe(Date.UTC(2026, 10, 27, 7, 0));
    expect(nextLocalTime(NOW, 'Asia/Riyadh', '10:00', [7])).toBe(Date.UTC(2026, 10, 29, 7, 0));
  });

  it('is wall-clock time across a daylight-saving change', () => {
    // Berlin moves from UTC+1 to UTC+2 on 29 March 2026 at 02:00.
    const saturday = Date.UTC(2026, 2, 28, 12, 0);
    expect(nextLocalTime(saturday, 'Europe/Berlin', '09:00', [7])).toBe(Date.UTC(2026, 2, 29, 7, 0));
    expect(nextLocalTime(saturday, 'Europe/Berlin', '09:00', [6])).toBe(Date.UTC(2026, 3, 4, 7, 0));
  });
});

describe('testValue and eventMatches', () => {
  it('compares text without case, numbers as numbers, tags by membership', () => {
    expect(testValue('Riyadh', 'eq', 'riyadh', NOW)).toBe(true);
    expect(testValue('١٢', 'eq', 12, NOW)).toBe(false);
    expect(testValue(250, 'gte', 200, NOW)).toBe(true);
    expect(testValue('250', 'between', [100, 300], NOW)).toBe(true);
    expect(testValue(['vip', 'عطور'], 'in', ['عطور'], NOW)).toBe(true);
    expect(testValue(['vip'], 'not_in', ['عطور'], NOW)).toBe(true);
    expect(testValue(undefined, 'neq', 'x', NOW)).toBe(true);
    expect(testValue(undefined, 'eq', 'x', NOW)).toBe(false);
    expect(testValue('', 'is_not_set', undefined, NOW)).toBe(true);
  });

  it('reads dates as instants for days-ago operators', () => {
    const twoDaysAgo = new Date(NOW - 2 * 86_400_000).toISOString();
    expect(testValue(twoDaysAgo, 'within_last_days', 3, NOW)).toBe(true);
    expect(testValue(twoDaysAgo, 'more_than_days_ago', 3, NOW)).toBe(false);
    expect(testValue('2026-01-01', 'lt', '2026-06-01', NOW)).toBe(true);
  });

  it('matches an event by name and nested property tests', () => {
    const match = {
      name: 'cart_updated',
      properties: [
        { path: 'cart.total', operator: 'gt' as const, value: 100 },
        { path: 'currency', operator: 'eq' as const, value: 'SAR' },
      ],
    };
    expect(
      eventMatches(
        match,
        { name: 'cart_updated', properties: { cart: { total: 150 }, currency: 'sar' } },
        NOW,
      ),
    ).toBe(true);
    expect(
      eventMatches(
        match,
        { name: 'cart_updated', properties: { cart: { total: 50 }, currency: 'SAR' } },
        NOW,
      ),
    ).toBe(false);
    expect(
      eventMatches(match, { name: 'purchased', properties: { cart: { total: 150 }, currency: 'SAR' } }, NOW),
    ).toBe(false);
  });
});
