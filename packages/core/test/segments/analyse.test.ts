import { describe, expect, it } from 'vitest';
import {
  analyseSegment,
  type Condition,
  type Group,
  type SegmentDefinition,
} from '../../src/segments/index.ts';

const all = (...conditions: (Condition | Group)[]): SegmentDefinition => ({
  root: { match: 'all', conditions },
});
const city = (operator: string, value?: unknown) =>
  ({ kind: 'attribute', field: 'city', operator, value }) as Condition;
const score = (operator: string, value: unknown) =>
  ({ kind: 'attribute', field: 'lead_score', operator, value }) as Condition;
const bought = (did: boolean): Condition => ({
  kind: 'event',
  name: 'Order Completed',
  did,
  window: { lastDays: 7 },
});

describe('analyseSegment finds contradictions in all-groups', () => {
  it.each<[string, SegmentDefinition, { path: string; code: string; message: string }]>([
    [
      'eq two values',
      all(city('eq', 'Riyadh'), city('eq', 'جدة')),
      {
        path: 'root.conditions[1]',
        code: 'conflicting_values',
        message: 'city cannot equal both "Riyadh" and "جدة"',
      },
    ],
    [
      'eq against a not_in holding it (any case)',
      all(city('eq', 'Riyadh'), city('not_in', ['Dubai', 'riyadh'])),
      {
        path: 'root.conditions[1]',
        code: 'value_excluded',
        message: 'city equals "Riyadh", which not_in ["Dubai","riyadh"] excludes',
      },
    ],
    [
      'eq outside an in list',
      all(city('in', ['Dubai']), city('eq', 'Cairo')),
      {
        path: 'root.conditions[1]',
        code: 'value_excluded',
        message: 'city equals "Cairo", which in ["Dubai"] excludes',
      },
    ],
    [
      'gt 10 and lt 5',
      all(score('gt', 10), score('lt', 5)),
      { path: 'root.conditions[1]', code: 'empty_range', message: 'lead_score cannot be gt 10 and lt 5' },
    ],
    [
      'gte 5 and lt 5',
      all(score('gte', 5), score('lt', 5)),
      { path: 'root.conditions[1]', code: 'empty_range', message: 'lead_score cannot be gte 5 and lt 5' },
    ],
    [
      'between with min > max',
      all(score('between', [9, 3])),
      {
        path: 'root.conditions[0]',
        code: 'inverted_between',
        message: 'lead_score between 9 and 3: the minimum is above the maximum',
      },
    ],
    [
      'did and did-not on the same event',
      all(bought(true), bought(false)),
      {
        path: 'root.conditions[1]',
        code: 'opposite_conditions',
        message: 'the same event condition is required both to hold and not to hold',
      },
    ],
    [
      'is_set and is_not_set',
      all(city('is_set'), city('is_not_set')),
      { path: 'root.conditions[1]', code: 'set_and_not_set', message: 'city cannot be both set and not set' },
    ],
    [
      'member and not member of a list',
      all({ kind: 'list', listId: 'L', member: true }, { kind: 'list', listId: 'L', member: false }),
      {
        path: 'root.conditions[1]',
        code: 'opposite_conditions',
        message: 'the same list condition is required both to hold and not to hold',
      },
    ],
  ])('%s', (_name, def, warning) => {
    const result = analyseSegment(def);
    expect(result.ok && result.value.alwaysEmpty).toBe(true);
    expect(
      result.ok && result.value.warnings.map(({ path, code, message }) => ({ path, code, message })),
    ).toEqual([warning]);
  });

  it('keeps warnings as data for translation', () => {
    const result = analyseSegment(all(score('gt', 10), score('lt', 5)));
    expect(result.ok && result.value.warnings[0]?.params).toEqual({
      field: 'lead_score',
      first: 'gt 10',
      second: 'lt 5',
    });
  });

  it.each<[string, SegmentDefinition]>([
    ['eq the same value in two cases', all(city('eq', 'Riyadh'), city('eq', 'RIYADH'))],
    ['an overlapping range', all(score('gte', 5), score('lte', 5))],
    ['different events', all(bought(true), { kind: 'event', name: 'Signed Up', did: false })],
    [
      'eq of different fields',
      all(city('eq', 'Riyadh'), { kind: 'attribute', field: 'country', operator: 'eq', value: 'AE' }),
    ],
  ])('finds none in %s', (_name, def) => {
    expect(analyseSegment(def)).toEqual({ ok: true, value: { alwaysEmpty: false, warnings: [] } });
  });

  it('empties a segment only when the contradiction reaches the root', () => {
    const contradictory: Group = { match: 'all', conditions: [city('eq', 'A'), city('eq', 'B')] };
    const inAny = analyseSegment({ root: { match: 'any', conditions: [contradictory, score('gt', 1)] } });
    expect(inAny.ok && inAny.value.alwaysEmpty).toBe(false);
    expect(inAny.ok && inAny.value.warnings.map((w) => w.path)).toEqual(['root.conditions[0].conditions[1]']);
    const negated = analyseSegment({
      root: { match: 'all', conditions: [{ ...contradictory, negate: true }] },
    });
    expect(negated.ok && negated.value.alwaysEmpty).toBe(false);
    const nested = analyseSegment({
      root: {
        match: 'all',
        conditions: [score('gt', 1), { match: 'any', conditions: [contradictory, score('between', [5, 1])] }],
      },
    });
    expect(nested.ok && nested.value.alwaysEmpty).toBe(true);
    // In an any-group two values of one field are no contradiction.
    const anyEq = analyseSegment({ root: { match: 'any', conditions: [city('eq', 'A'), city('eq', 'B')] } });
    expect(anyEq).toEqual({ ok: true, value: { alwaysEmpty: false, warnings: [] } });
  });

  it('refuses what breaks the limits', () => {
    const leaf: Condition = { kind: 'list', listId: 'L', member: true };
    const result = analyseSegment({
      root: { match: 'all', conditions: Array.from({ length: 51 }, () => leaf) },
    });
    expect(result.ok ? null : result.error.message).toBe('root.conditions[50]: more than 50 conditions');
  });
});
