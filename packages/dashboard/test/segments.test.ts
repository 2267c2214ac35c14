import {
  analyseSegment,
  STANDARD_FIELDS as CORE_FIELDS,
  OPERATORS_BY_TYPE as CORE_OPERATORS,
  parseSegmentDefinition,
} from '@wasl/core';
import { describe, expect, it } from 'vitest';
import {
  type AttributeDraft,
  addChild,
  type CustomAttribute,
  conditionNode,
  emptyDraft,
  fieldChoices,
  fieldType,
  fromDefinition,
  type GroupNode,
  groupNode,
  nodeAtPath,
  OPERATORS_BY_TYPE,
  operatorsForMetric,
  pathsById,
  removeNode,
  STANDARD_FIELDS,
  toDefinition,
  updateDraft,
  updateGroup,
  valueShape,
  withField,
} from '../src/segments/logic.ts';
import { ar } from '../src/segments/messages/ar.ts';
import { en } from '../src/segments/messages/en.ts';
import { segmentsPlural, segmentsText } from '../src/segments/messages/index.ts';

const custom: CustomAttribute[] = [
  { key: 'tier', type: 'list', options: ['ذهبي', 'فضي'] },
  { key: 'spend', type: 'number' },
  { key: 'vip', type: 'boolean' },
  { key: 'renewal', type: 'date' },
];
const attr = (field: string, operator: string, value = '', value2 = ''): AttributeDraft => ({
  kind: 'attribute',
  field,
  operator,
  value,
  value2,
});

describe('fields and operators', () => {
  it('mirror the server: the same standard fields and operators per type', () => {
    expect(STANDARD_FIELDS).toEqual(CORE_FIELDS);
    expect(OPERATORS_BY_TYPE).toEqual(CORE_OPERATORS);
  });

  it('types a field from the standard ones, then the custom attributes (lists compare as text)', () => {
    expect(fieldType('city', custom)).toBe('text');
    expect(fieldType('interests', custom)).toBe('tags');
    expect(fieldType('birth_date', custom)).toBe('date');
    expect(fieldType('attributes.spend', custom)).toBe('number');
    expect(fieldType('attributes.tier', custom)).toBe('text');
    expect(fieldType('attributes.vip', custom)).toBe('boolean');
    expect(fieldType('attributes.unknown', custom)).toBe('text');
    expect(OPERATORS_BY_TYPE[fieldType('interests', custom)]).toEqual([
      'has_any',
      'has_all',
      'is_set',
      'is_not_set',
    ]);
  });

  it('offers fixed values where the field has them', () => {
    expect(fieldChoices('lifecycle_stage', custom)).toEqual([
      'subscriber',
      'lead',
      'mql',
      'sql',
      'customer',
      'evangelist',
    ]);
    expect(fieldChoices('attributes.tier', custom)).toEqual(['ذهبي', 'فضي']);
    expect(fieldChoices('attributes.vip', custom)).toEqual(['true', 'false']);
    expect(fieldChoices('city', custom)).toBeNull();
  });

  it('shapes the value input by operator, and computed metrics by kind', () => {
    expect(['is_set', 'in', 'between', 'within_last_days', 'eq'].map(valueShape)).toEqual([
      'none',
      'list',
      'range',
      'days',
      'one',
    ]);
    expect(operatorsForMetric('last_seen')).toEqual(['within_last_days', 'more_than_days_ago']);
    expect(operatorsForMetric('total_revenue')).toEqual(['gt', 'gte', 'lt', 'lte', 'eq', 'between']);
  });

  it('keeps the operator on a field change when the new type takes it, else the first', () => {
    expect(withField(attr('city', 'eq', 'جدة'), 'country', custom)).toEqual(attr('country', 'eq'));
    expect(withField(attr('city', 'contains', 'ج'), 'lead_score', custom)).toEqual(attr('lead_score', 'eq'));
    expect(withField(attr('city', 'eq'), 'interests', custom).operator).toBe('has_any');
  });
});

describe('editor state ⇄ definition', () => {
  const full = {
    root: {
      match: 'all',
      conditions: [
        { kind: 'attribute', field: 'city', operator: 'eq', value: 'الرياض' },
        { kind: 'attribute', field: 'lead_score', operator: 'between', value: [10, 50] },
        { kind: 'attribute', field: 'interests', operator: 'has_any', value: ['عطور', 'ساعات'] },
        { kind: 'consent', channel: 'email', status: 'granted' },
        {
          kind: 'page',
          path: { op: 'starts_with', value: '/pricing' },
          did: true,
          count: { op: 'at_least', value: 2 },
          window: { lastDays: 7 },
        },
        {
          match: 'any',
          negate: true,
          conditions: [
            { kind: 'message', action: 'opened', channel: 'email', did: true, window: { lastDays: 30 } },
            { kind: 'computed', metric: 'total_revenue', operator: 'gte', value: 500 },
            { kind: 'event', name: 'purchase', did: false, count: { op: 'exactly', value: 3 } },
            { kind: 'list', listId: 'l1', member: true },
            { kind: 'segment', segmentId: 's1', member: false },
          ],
        },
      ],
    },
  };

  it('round-trips every kind of condition and group, and the server accepts the result', () => {
    const back = toDefinition(fromDefinition(full), custom);
    expect(back).toEqual({ ok: true, definition: full });
    expect(parseSegmentDefinition(full).ok).toBe(true);
  });

  it('casts typed text by field type: numbers, booleans, comma lists (Arabic comma too)', () => {
    const root = groupNode('all', [
      conditionNode(attr('attributes.spend', 'gt', '250')),
      conditionNode(attr('attributes.vip', 'eq', 'true')),
      conditionNode(attr('city', 'in', 'الرياض، جدة , الدمام')),
      conditionNode(attr('lead_score', 'in', '5, 10')),
      conditionNode(attr('created_at', 'within_last_days', '30')),
      conditionNode(attr('email', 'is_set')),
    ]);
    const built = toDefinition(root, custom);
    expect(built).toEqual({
      ok: true,
      definition: {
        root: {
          match: 'all',
          conditions: [
            { kind: 'attribute', field: 'attributes.spend', operator: 'gt', value: 250 },
            { kind: 'attribute', field: 'attributes.vip', operator: 'eq', value: true },
            { kind: 'attribute', field: 'city', operator: 'in', value: ['الرياض', 'جدة', 'الدمام'] },
            { kind: 'attribute', field: 'lead_score', operator: 'in', value: [5, 10] },
            { kind: 'attribute', field: 'created_at', operator: 'within_last_days', value: 30 },
            { kind: 'attribute', field: 'email', operator: 'is_set' },
          ],
        },
      },
    });
    if (built.ok) expect(parseSegmentDefinition(built.definition).ok).toBe(true);
  });

  it('names the first incomplete condition by its path, and why', () => {
    const inner = groupNode('any', [conditionNode(attr('lead_score', 'gt', 'abc'))]);
    const root = groupNode('all', [conditionNode(attr('city', 'eq', 'جدة')), inner]);
    expect(toDefinition(root, custom)).toEqual({
      ok: false,
      incomplete: { path: 'root.conditions[1].conditions[0]', reason: 'number', field: 'value' },
    });
    expect(toDefinition(groupNode('all', [conditionNode(attr('city', 'eq', ' '))]), custom)).toEqual({
      ok: false,
      incomplete: { path: 'root.conditions[0]', reason: 'value', field: 'value' },
    });
    expect(toDefinition(groupNode('all', [conditionNode(emptyDraft('list'))]), custom)).toEqual({
      ok: false,
      incomplete: { path: 'root.conditions[0]', reason: 'choice', field: 'listId' },
    });
    expect(toDefinition(groupNode('all', []), custom)).toEqual({
      ok: false,
      incomplete: { path: 'root', reason: 'emptyGroup' },
    });
  });
});

describe('paths', () => {
  const a = conditionNode(attr('city', 'eq', 'الرياض'));
  const b = conditionNode(attr('city', 'eq', 'جدة'));
  const c = conditionNode(attr('lead_score', 'gt', '5'));
  const inner = groupNode('any', [c]);
  const root: GroupNode = groupNode('all', [a, inner, b]);

  it('gives every node its path in the definition', () => {
    const paths = pathsById(root);
    expect([root, a, inner, c, b].map((n) => paths.get(n.id))).toEqual([
      'root',
      'root.conditions[0]',
      'root.conditions[1]',
      'root.conditions[1].conditions[0]',
      'root.conditions[2]',
    ]);
  });

  it('finds the node a warning or a 400 field names (the deepest prefix)', () => {
    expect(nodeAtPath(root, 'root.conditions[2]')).toBe(b.id);
    expect(nodeAtPath(root, 'definition.root.conditions[1].conditions[0].value')).toBe(c.id);
    expect(nodeAtPath(root, 'definition.root.conditions[1].match')).toBe(inner.id);
    expect(nodeAtPath(root, 'definition.root')).toBe(root.id);
    expect(nodeAtPath(root, 'root.conditions[10]')).toBe(root.id);
    expect(nodeAtPath(root, 'name')).toBeNull();
  });

  it("places the server's contradiction warning on the condition it names", () => {
    const built = toDefinition(root, custom);
    if (!built.ok) throw new Error('complete');
    const analysis = analyseSegment(built.definition as never);
    if (!analysis.ok) throw new Error('analysable');
    expect(analysis.value.warnings.map((w) => [w.code, nodeAtPath(root, w.path)])).toEqual([
      ['conflicting_values', b.id],
    ]);
  });
});

describe('edits', () => {
  it('adds, changes, negates and removes nodes without touching the original tree', () => {
    const first = conditionNode(attr('city', 'eq', 'جدة'));
    const root = groupNode('all', [first]);
    const sub = groupNode('any');
    let next = addChild(root, root.id, sub);
    next = addChild(next, sub.id, conditionNode(emptyDraft('consent')));
    next = updateGroup(next, sub.id, { negate: true, match: 'all' });
    next = updateDraft(next, first.id, attr('city', 'eq', 'الرياض'));
    expect(root.children).toHaveLength(1);
    expect(toDefinition(next, custom)).toEqual({
      ok: true,
      definition: {
        root: {
          match: 'all',
          conditions: [
            { kind: 'attribute', field: 'city', operator: 'eq', value: 'الرياض' },
            {
              match: 'all',
              negate: true,
              conditions: [{ kind: 'consent', channel: 'email', status: 'granted' }],
            },
          ],
        },
      },
    });
    expect(toDefinition(removeNode(next, sub.id), custom)).toEqual({
      ok: true,
      definition: {
        root: {
          match: 'all',
          conditions: [{ kind: 'attribute', field: 'city', operator: 'eq', value: 'الرياض' }],
        },
      },
    });
  });
});

describe('segments catalogue', () => {
  it('has the same keys in both languages and Arabic plurals with all six forms', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ar).sort());
    for (const [key, value] of Object.entries(ar)) {
      if (typeof value !== 'string')
        expect(Object.keys(value).sort(), key).toEqual(['few', 'many', 'one', 'other', 'two', 'zero']);
    }
  });

  it('fills plurals and placeholders in each language', () => {
    expect(segmentsPlural('ar', 'estimate.count', 3)).toBe('٣ جهات اتصال تطابق الآن');
    expect(segmentsPlural('en', 'estimate.count', 1)).toBe('1 contact matches now');
    expect(segmentsText('en', 'w.conflicting_values', { field: 'City', first: '"a"', second: '"b"' })).toBe(
      '“City” cannot equal both "a" and "b": nobody will match.',
    );
  });
});
