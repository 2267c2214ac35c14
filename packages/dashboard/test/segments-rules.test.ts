import {
  ACCOUNT_FIELDS as CORE_ACCOUNT_FIELDS,
  CONDITION_KINDS as CORE_KINDS,
  parseSegmentDefinition,
} from '@wasl/core';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_FIELDS,
  type AccountDraft,
  accountOperators,
  CONDITION_KINDS,
  conditionNode,
  type Draft,
  type EventDraft,
  emptyDraft,
  emptyProperty,
  emptyWindow,
  formFields,
  fromDefinition,
  groupNode,
  instantToLocal,
  localToInstant,
  locate,
  type MessageDraft,
  placeField,
  toDefinition,
} from '../src/segments/logic.ts';

/* The rule editor's conditions beyond fields: accounts, event types and properties, absolute windows,
   consent topics, campaigns, computed windows. Each must come back from the editor as it went in, and
   what the editor builds must be what the server's schema accepts. */

const build = (...drafts: Draft[]) => toDefinition(groupNode('all', drafts.map(conditionNode)), []);
const conditionsOf = (built: ReturnType<typeof build>) => {
  if (!built.ok) throw new Error(`incomplete: ${JSON.stringify(built.incomplete)}`);
  return built.definition.root.conditions as object[];
};

describe('every condition kind the server takes', () => {
  it('is one the editor offers, with the same account fields', () => {
    expect([...CONDITION_KINDS].sort()).toEqual([...CORE_KINDS].sort());
    expect(ACCOUNT_FIELDS).toEqual(CORE_ACCOUNT_FIELDS);
  });

  // Every option of every kind, Arabic values included: loaded, untouched, built again.
  const conditions = [
    { kind: 'account', field: 'industry', operator: 'eq', value: 'التجزئة' },
    { kind: 'account', field: 'region', operator: 'in', value: ['الرياض', 'مكة المكرمة'] },
    { kind: 'account', field: 'attributes.employees', operator: 'between', value: [50, 500] },
    { kind: 'account', field: 'attributes.plan', operator: 'not_in', value: ['مجاني', 'تجريبي'] },
    { kind: 'account', field: 'attributes.arr', operator: 'gte', value: 120000 },
    { kind: 'account', field: 'domain', operator: 'is_set' },
    {
      kind: 'event',
      name: 'طلب_شراء',
      did: true,
      count: { op: 'at_least', value: 2 },
      window: { from: '2026-01-01T00:00:00+03:00', to: '2026-02-01T00:00:00+03:00' },
      properties: [
        { path: 'category', operator: 'eq', value: 'عطور' },
        { path: 'cart.total', operator: 'between', value: [100, 900.5] },
        { path: 'gift', operator: 'eq', value: true },
        { path: 'city', operator: 'in', value: ['جدة', 'الدمام'] },
        { path: 'coupon', operator: 'is_not_set' },
        { path: 'items.count', operator: 'in', value: [1, 2, 3] },
      ],
    },
    { kind: 'event', type: 'page', did: true, window: { lastDays: 14 } },
    { kind: 'event', type: 'identify', did: false },
    { kind: 'event', type: 'track', name: 'signup', did: true, properties: [] },
    {
      kind: 'page',
      path: { op: 'contains', value: '/عروض' },
      did: true,
      count: { op: 'exactly', value: 0 },
      window: { from: '2025-12-31T21:00:00Z', to: '2026-01-31T21:00:00.000Z' },
    },
    {
      kind: 'message',
      action: 'clicked',
      channel: 'whatsapp',
      campaignId: 'cmp_ramadan',
      did: true,
      window: { from: '2026-02-18T00:00:00Z', to: '2026-03-20T00:00:00Z' },
    },
    { kind: 'message', action: 'received', did: false, count: { op: 'at_most', value: 1_000_000 } },
    { kind: 'consent', topic: 'نشرة_العروض', status: 'not_granted' },
    { kind: 'consent', channel: 'sms', status: 'granted' },
    { kind: 'computed', metric: 'visit_count', operator: 'gte', value: 3, window: { lastDays: 30 } },
    {
      kind: 'computed',
      metric: 'total_revenue',
      operator: 'between',
      value: [100, 1000],
      window: { from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z' },
    },
    { kind: 'computed', metric: 'last_seen', operator: 'more_than_days_ago', value: 60 },
  ];

  it.each(conditions.map((c) => [`${c.kind} ${JSON.stringify(c).slice(0, 80)}`, c]))(
    'round-trips %s unchanged, and the server accepts it',
    (_, condition) => {
      const definition = { root: { match: 'all', conditions: [condition] } };
      expect(toDefinition(fromDefinition(definition), [])).toEqual({ ok: true, definition });
      expect(parseSegmentDefinition(definition)).toMatchObject({ ok: true });
    },
  );

  it('round-trips them all in one tree', () => {
    const definition = {
      root: {
        match: 'any',
        conditions: [
          { match: 'all', negate: true, conditions: conditions.slice(0, 9) },
          ...conditions.slice(9),
        ],
      },
    };
    expect(toDefinition(fromDefinition(definition), [])).toEqual({ ok: true, definition });
    expect(parseSegmentDefinition(definition)).toMatchObject({ ok: true });
  });
});

describe('building the new conditions from what is typed', () => {
  it('an account column compares as text; a custom attribute as the chosen type', () => {
    const account = emptyDraft('account') as AccountDraft;
    expect(accountOperators(account)).toContain('contains');
    const custom: AccountDraft = { ...account, field: 'attributes.employees', type: 'number' };
    expect(accountOperators(custom)).toContain('between');
    expect(accountOperators(custom)).not.toContain('contains');
    expect(
      conditionsOf(
        build(
          { ...account, field: 'name', operator: 'starts_with', value: ' شركة النخيل ' },
          { ...custom, operator: 'between', value: '10', value2: '200' },
          { ...account, field: 'attributes.plan', operator: 'in', value: 'ذهبي، فضي' },
        ),
      ),
    ).toEqual([
      { kind: 'account', field: 'name', operator: 'starts_with', value: 'شركة النخيل' },
      { kind: 'account', field: 'attributes.employees', operator: 'between', value: [10, 200] },
      { kind: 'account', field: 'attributes.plan', operator: 'in', value: ['ذهبي', 'فضي'] },
    ]);
  });

  it('an event of a type, with property filters cast by their type and an absolute window', () => {
    const event: EventDraft = {
      ...(emptyDraft('event') as EventDraft),
      name: ' purchase ',
      properties: [
        { ...emptyProperty(), path: 'category', value: 'عطور' },
        { ...emptyProperty(), path: 'cart.total', type: 'number', operator: 'gt', value: '250.5' },
        { ...emptyProperty(), path: 'gift', type: 'boolean', operator: 'eq', value: 'false' },
        { ...emptyProperty(), path: 'sizes', type: 'number', operator: 'in', value: '40، 42' },
      ],
      count: { op: 'at_least', value: '2' },
      window: {
        ...emptyWindow(),
        mode: 'range',
        from: localToInstant('2026-03-01T00:00', 'Asia/Riyadh'),
        to: localToInstant('2026-03-31T23:59', 'Asia/Riyadh'),
      },
    };
    const built = conditionsOf(build(event, { ...(emptyDraft('event') as EventDraft), type: 'page' }));
    expect(built).toEqual([
      {
        kind: 'event',
        name: 'purchase',
        properties: [
          { path: 'category', operator: 'eq', value: 'عطور' },
          { path: 'cart.total', operator: 'gt', value: 250.5 },
          { path: 'gift', operator: 'eq', value: false },
          { path: 'sizes', operator: 'in', value: [40, 42] },
        ],
        did: true,
        count: { op: 'at_least', value: 2 },
        window: { from: '2026-02-28T21:00:00Z', to: '2026-03-31T20:59:00Z' },
      },
      // A page or identify event needs no name; an untouched window is all time.
      { kind: 'event', type: 'page', did: true },
    ]);
    expect(parseSegmentDefinition({ root: { match: 'all', conditions: built } })).toMatchObject({ ok: true });
  });

  it('a message of one campaign, a consent topic, a computed metric over the last days', () => {
    const message: MessageDraft = {
      ...(emptyDraft('message') as MessageDraft),
      campaignId: ' cmp_1 ',
      window: { ...emptyWindow(), mode: 'last', lastDays: '7' },
    };
    expect(
      conditionsOf(
        build(
          message,
          { kind: 'consent', by: 'topic', channel: 'email', topic: 'العروض', status: 'granted' },
          {
            kind: 'computed',
            metric: 'visit_count',
            operator: 'gt',
            value: '5',
            value2: '',
            window: { ...emptyWindow(), mode: 'last', lastDays: '30' },
          },
        ),
      ),
    ).toEqual([
      { kind: 'message', action: 'opened', campaignId: 'cmp_1', did: true, window: { lastDays: 7 } },
      { kind: 'consent', topic: 'العروض', status: 'granted' },
      { kind: 'computed', metric: 'visit_count', operator: 'gt', value: 5, window: { lastDays: 30 } },
    ]);
  });

  it('names the field at fault before anything is sent', () => {
    const event = emptyDraft('event') as EventDraft;
    const named = { ...event, name: 'purchase' };
    const range = (from: string, to: string) => ({ ...emptyWindow(), mode: 'range' as const, from, to });
    const cases: [Draft, string, string][] = [
      [event, 'value', 'name'],
      [{ ...named, properties: [emptyProperty()] }, 'path', 'properties[0].path'],
      [
        { ...named, properties: [{ ...emptyProperty(), path: 'a..b', value: 'x' }] },
        'path',
        'properties[0].path',
      ],
      [
        {
          ...named,
          properties: [
            { ...emptyProperty(), path: 'a', value: 'س' },
            { ...emptyProperty(), path: 'total', type: 'number', value: 'كثير' },
          ],
        },
        'number',
        'properties[1].value',
      ],
      [
        {
          ...named,
          properties: [{ ...emptyProperty(), path: 'p', type: 'number', operator: 'between', value: '1' }],
        },
        'number',
        'properties[0].value[1]',
      ],
      [{ ...named, window: range('', '2026-01-01T00:00:00Z') }, 'value', 'window.from'],
      [{ ...named, window: range('2026-01-01T00:00:00Z', '') }, 'value', 'window.to'],
      [{ ...named, window: range('2026-02-01T00:00:00Z', '2026-01-01T00:00:00Z') }, 'order', 'window.to'],
      [{ ...named, window: { ...emptyWindow(), mode: 'last', lastDays: '0' } }, 'days', 'window.lastDays'],
      [{ ...named, window: { ...emptyWindow(), mode: 'last', lastDays: '3651' } }, 'days', 'window.lastDays'],
      [{ ...named, count: { op: 'exactly', value: '' } }, 'count', 'count.value'],
      [{ ...named, count: { op: 'exactly', value: '1000001' } }, 'count', 'count.value'],
      [{ ...(emptyDraft('account') as AccountDraft), field: 'attributes.', value: 'x' }, 'key', 'field'],
      [{ ...(emptyDraft('account') as AccountDraft), field: 'attributes.خطة', value: 'x' }, 'key', 'field'],
      [{ ...(emptyDraft('account') as AccountDraft), field: 'industry' }, 'value', 'value'],
      [{ kind: 'consent', by: 'topic', channel: 'email', topic: ' ', status: 'granted' }, 'value', 'topic'],
      [{ ...(emptyDraft('page') as Draft & { kind: 'page' }) }, 'value', 'path.value'],
    ];
    for (const [draft, reason, field] of cases) {
      expect(build(draft), field).toEqual({
        ok: false,
        incomplete: { path: 'root.conditions[0]', reason, field },
      });
    }
  });

  it('keeps a filter list the user emptied out of the definition, and one loaded empty as it was', () => {
    const named = { ...(emptyDraft('event') as EventDraft), name: 'x' };
    expect(conditionsOf(build(named))).toEqual([{ kind: 'event', name: 'x', did: true }]);
    expect(conditionsOf(build({ ...named, properties: [] }))).toEqual([
      { kind: 'event', name: 'x', did: true, properties: [] },
    ]);
  });
});

describe('absolute windows in the workspace time zone', () => {
  it('shows an instant as the wall clock of the zone, and reads it back', () => {
    expect(instantToLocal('2026-01-01T00:00:00Z', 'Asia/Riyadh')).toBe('2026-01-01T03:00');
    expect(instantToLocal('2026-01-01T00:00:00+03:00', 'UTC')).toBe('2025-12-31T21:00');
    expect(instantToLocal('2026-01-01T00:00:30Z', 'UTC')).toBe('2026-01-01T00:00:30');
    expect(localToInstant('2026-01-01T03:00', 'Asia/Riyadh')).toBe('2026-01-01T00:00:00Z');
    expect(localToInstant('2026-07-01T12:00', 'America/New_York')).toBe('2026-07-01T16:00:00Z');
    expect(localToInstant('2026-01-01T12:00', 'America/New_York')).toBe('2026-01-01T17:00:00Z');
    expect(localToInstant('2026-01-01T00:00:30', 'UTC')).toBe('2026-01-01T00:00:30Z');
    expect(localToInstant('2026-01-01', 'UTC')).toBe('');
    expect(instantToLocal('', 'UTC')).toBe('');
  });

  it('resolves wall times around a daylight-saving change as Temporal does', () => {
    // Berlin skips 02:00–03:00 on 29 March 2026 and repeats 02:00–03:00 on 25 October.
    expect(localToInstant('2026-03-29T02:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00Z');
    expect(localToInstant('2026-10-25T02:30', 'Europe/Berlin')).toBe('2026-10-25T00:30:00Z');
    expect(instantToLocal('2026-10-25T01:30:00Z', 'Europe/Berlin')).toBe('2026-10-25T02:30');
  });
});

describe("the server's refusals next to the input they name", () => {
  const event: EventDraft = {
    ...(emptyDraft('event') as EventDraft),
    name: 'x',
    properties: [emptyProperty(), emptyProperty()],
    window: { ...emptyWindow(), mode: 'range' },
  };
  const node = conditionNode(event);
  const root = groupNode('all', [conditionNode(emptyDraft('account')), node]);

  it('finds the condition and the field inside it', () => {
    expect(locate(root, 'definition.root.conditions[1].properties[1].path')).toEqual({
      id: node.id,
      field: 'properties[1].path',
    });
    expect(locate(root, 'root.conditions[1]')).toEqual({ id: node.id, field: null });
    expect(locate(root, 'name')).toBeNull();
  });

  it('places a field on the input the form shows, the nearest one above it otherwise', () => {
    const fields = formFields(event);
    expect(placeField('properties[1].path', fields)).toBe('properties[1].path');
    expect(placeField('properties[1]', fields)).toBe('properties');
    expect(placeField('window.from', fields)).toBe('window.from');
    // The form shows dates, not days: a fault in lastDays goes on the period's select.
    expect(placeField('window.lastDays', fields)).toBe('window');
    expect(placeField('kind', fields)).toBeNull();
    const account = formFields({ ...(emptyDraft('account') as AccountDraft), operator: 'between' });
    expect(account).toEqual(['field', 'operator', 'value', 'value[1]']);
    expect(placeField('value', account)).toBe('value');
    expect(
      formFields({ kind: 'consent', by: 'topic', channel: 'email', topic: '', status: 'granted' }),
    ).toEqual(['topic', 'status']);
  });
});
