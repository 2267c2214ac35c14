import { describe, expect, it } from 'vitest';
import { type Group, parseSegmentDefinition } from '../../src/segments/index.ts';

const leaf = { kind: 'list', listId: 'L', member: true } as const;
const nest = (depth: number): Group =>
  depth === 1 ? { match: 'all', conditions: [leaf] } : { match: 'any', conditions: [nest(depth - 1)] };

describe('parseSegmentDefinition', () => {
  it('accepts every condition kind, nested five deep', () => {
    const def = {
      root: {
        match: 'all',
        conditions: [
          { kind: 'attribute', field: 'city', operator: 'in', value: ['الرياض', 'Jeddah'] },
          { kind: 'attribute', field: 'attributes.plan', operator: 'eq', value: 'pro' },
          { kind: 'attribute', field: 'age', operator: 'between', value: [20, 30] },
          { kind: 'account', field: 'industry', operator: 'is_set' },
          { kind: 'consent', topic: 'news', status: 'not_granted' },
          {
            kind: 'event',
            name: 'Order Completed',
            did: true,
            count: { op: 'exactly', value: 2 },
            window: { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' },
            properties: [{ path: 'shipping.method', operator: 'eq', value: 'express' }],
          },
          { kind: 'event', type: 'page', did: false, window: { lastDays: 7 } },
          { kind: 'page', path: { op: 'matches', value: '/blog/*' }, did: true },
          { kind: 'message', action: 'received', channel: 'webpush', did: true },
          { kind: 'computed', metric: 'last_seen', operator: 'within_last_days', value: 3 },
          { kind: 'segment', segmentId: 'seg-1', member: false },
          nest(4),
        ],
      },
    };
    const parsed = parseSegmentDefinition(def);
    expect(parsed).toEqual({ ok: true, value: def });
  });

  it('refuses a sixth level, naming its path', () => {
    expect(parseSegmentDefinition({ root: nest(6) })).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message:
          'root.conditions[0].conditions[0].conditions[0].conditions[0].conditions[0]: groups nest deeper than 5 levels',
        field: 'root.conditions[0].conditions[0].conditions[0].conditions[0].conditions[0]',
      },
    });
  });

  it('refuses a 51st condition, counting across groups', () => {
    const fifty = Array.from({ length: 25 }, () => leaf);
    expect(
      parseSegmentDefinition({
        root: {
          match: 'all',
          conditions: [
            { match: 'any', conditions: fifty },
            { match: 'any', conditions: fifty },
          ],
        },
      }).ok,
    ).toBe(true);
    const result = parseSegmentDefinition({
      root: {
        match: 'all',
        conditions: [
          { match: 'any', conditions: fifty },
          { match: 'any', conditions: [...fifty, leaf] },
        ],
      },
    });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: 'root.conditions[1].conditions[25]: more than 50 conditions',
        field: 'root.conditions[1].conditions[25]',
      },
    });
  });

  it('names an unknown kind', () => {
    const result = parseSegmentDefinition({
      root: {
        match: 'all',
        conditions: [leaf, { match: 'any', conditions: [{ kind: 'weather', sunny: true }] }],
      },
    });
    expect(result.ok ? null : result.error.message).toBe(
      'root.conditions[1].conditions[0].kind: unknown condition kind "weather" (expected one of attribute, account, consent, event, page, message, computed, segment, list)',
    );
  });

  it.each([
    [
      { kind: 'attribute', field: 'shoe_size', operator: 'eq', value: 1 },
      'root.conditions[0].field: field must be one of email, phone, first_name, last_name, locale, timezone, country, city, birth_date, gender, income_band, interests, source, lifecycle_stage, lead_score, created_at, age or attributes.<key>',
    ],
    [
      { kind: 'attribute', field: 'city', operator: 'in', value: 'Riyadh' },
      'root.conditions[0].value: in takes a non-empty list of values',
    ],
    [
      { kind: 'attribute', field: 'city', operator: 'is_set', value: 'x' },
      'root.conditions[0].value: is_set takes no value',
    ],
    [
      { kind: 'attribute', field: 'age', operator: 'between', value: [1, 'b'] },
      'root.conditions[0].value: between takes [min, max]',
    ],
    [{ kind: 'event', did: true }, 'root.conditions[0].name: a track event condition names the event'],
    [
      { kind: 'consent', channel: 'email', topic: 'news', status: 'granted' },
      'root.conditions[0]: consent takes exactly one of channel or topic',
    ],
    [
      { kind: 'computed', metric: 'visit_count', operator: 'within_last_days', value: 3 },
      'root.conditions[0].operator: visit_count takes gt, gte, lt, lte, eq or between',
    ],
    [
      { kind: 'message', action: 'read', did: true },
      'root.conditions[0].action: Invalid option: expected one of "received"|"opened"|"clicked"|"bounced"|"complained"|"unsubscribed"',
    ],
  ])('refuses %j', (condition, message) => {
    const result = parseSegmentDefinition({ root: { match: 'all', conditions: [condition] } });
    expect(result.ok ? null : result.error.message).toBe(message);
  });
});
