import type { Condition, Group, SegmentDefinition } from '@wasl/core';

const all = (...conditions: (Condition | Group)[]): SegmentDefinition => ({
  root: { match: 'all', conditions },
});
const one = (c: Condition) => all(c);

/** Saved segments the definitions refer to. */
export const SAVED: Record<string, SegmentDefinition> = {
  'seg-buyers': one({
    kind: 'event',
    name: 'Order Completed',
    did: true,
    count: { op: 'at_least', value: 2 },
  }),
  'seg-riyadh-buyers': all(
    { kind: 'attribute', field: 'city', operator: 'in', value: ['riyadh', 'الرياض'] },
    { kind: 'segment', segmentId: 'seg-buyers', member: true },
  ),
};

/** Every condition kind and operator, each compared exactly with the model on both engines. */
export const DEFINITIONS: Record<string, SegmentDefinition> = {
  'city eq riyadh (Latin folds case, Arabic is another value)': one({
    kind: 'attribute',
    field: 'city',
    operator: 'eq',
    value: 'Riyadh',
  }),
  'city in Arabic names': one({ kind: 'attribute', field: 'city', operator: 'in', value: ['الرياض', 'جدة'] }),
  'city neq / not_in count unset cities': all(
    { kind: 'attribute', field: 'city', operator: 'neq', value: 'dubai' },
    { kind: 'attribute', field: 'city', operator: 'not_in', value: ['القاهرة', 'جدة'] },
  ),
  'first name starts_with مح, or email contains example': {
    root: {
      match: 'any',
      conditions: [
        { kind: 'attribute', field: 'first_name', operator: 'starts_with', value: 'مح' },
        { kind: 'attribute', field: 'email', operator: 'contains', value: 'EXAMPLE.' },
      ],
    },
  },
  'email not_contains mail.sa, last name eq Haddad': all(
    { kind: 'attribute', field: 'email', operator: 'not_contains', value: 'mail.sa' },
    { kind: 'attribute', field: 'last_name', operator: 'eq', value: 'haddad' },
  ),
  'phone is_set (empty is not set), locale is_not_set': all(
    { kind: 'attribute', field: 'phone', operator: 'is_set' },
    { kind: 'attribute', field: 'locale', operator: 'is_not_set' },
  ),
  'lead score between 20 and 60, gender neq male': all(
    { kind: 'attribute', field: 'lead_score', operator: 'between', value: [20, 60] },
    { kind: 'attribute', field: 'gender', operator: 'neq', value: 'male' },
  ),
  'lead score in / not_in': all(
    { kind: 'attribute', field: 'lead_score', operator: 'not_in', value: [1, 2, 3] },
    { kind: 'attribute', field: 'lead_score', operator: 'gt', value: 90 },
  ),
  'age gte 30 and lt 41': all(
    { kind: 'attribute', field: 'age', operator: 'gte', value: 30 },
    { kind: 'attribute', field: 'age', operator: 'lt', value: 41 },
  ),
  'age eq / between / lte on birthdays around now and 29 February': {
    root: {
      match: 'any',
      conditions: [
        { kind: 'attribute', field: 'age', operator: 'eq', value: 30 },
        { kind: 'attribute', field: 'age', operator: 'between', value: [55.5, 57] },
        { kind: 'attribute', field: 'age', operator: 'lte', value: 20 },
        { kind: 'attribute', field: 'age', operator: 'in', value: [40, 45] },
      ],
    },
  },
  'age is_not_set or neq 50': {
    root: {
      match: 'any',
      conditions: [
        { kind: 'attribute', field: 'age', operator: 'is_not_set' },
        { kind: 'attribute', field: 'age', operator: 'neq', value: 50 },
      ],
    },
  },
  'birth date gt / lte / eq, created within / more than days ago': {
    root: {
      match: 'any',
      conditions: [
        {
          match: 'all',
          conditions: [
            { kind: 'attribute', field: 'birth_date', operator: 'gt', value: '1990-01-01' },
            { kind: 'attribute', field: 'birth_date', operator: 'lte', value: '1995-06-30' },
          ],
        },
        { kind: 'attribute', field: 'birth_date', operator: 'eq', value: '1996-02-29' },
        { kind: 'attribute', field: 'created_at', operator: 'within_last_days', value: 3 },
        {
          match: 'all',
          conditions: [
            { kind: 'attribute', field: 'created_at', operator: 'more_than_days_ago', value: 50 },
            {
              kind: 'attribute',
              field: 'created_at',
              operator: 'between',
              value: ['2026-01-01', '2026-01-25'],
            },
          ],
        },
      ],
    },
  },
  'interests has_any tech/طبخ, not has_all sports+travel': all(
    { kind: 'attribute', field: 'interests', operator: 'has_any', value: ['TECH', 'طبخ'] },
    {
      match: 'all',
      negate: true,
      conditions: [
        { kind: 'attribute', field: 'interests', operator: 'has_all', value: ['sports', 'travel'] },
      ],
    },
  ),
  'interests is_not_set or has_all sports+tech': {
    root: {
      match: 'any',
      conditions: [
        { kind: 'attribute', field: 'interests', operator: 'is_not_set' },
        { kind: 'attribute', field: 'interests', operator: 'has_all', value: ['sports', 'TECH'] },
      ],
    },
  },
  'custom select, number, boolean': all(
    { kind: 'attribute', field: 'attributes.plan', operator: 'in', value: ['pro', 'enterprise'] },
    { kind: 'attribute', field: 'attributes.ltv', operator: 'gte', value: 500 },
    { kind: 'attribute', field: 'attributes.vip', operator: 'neq', value: true },
  ),
  'custom date within last 30 days or before, text contains, list is_set': {
    root: {
      match: 'any',
      conditions: [
        { kind: 'attribute', field: 'attributes.renewal', operator: 'within_last_days', value: 30 },
        {
          match: 'all',
          conditions: [
            { kind: 'attribute', field: 'attributes.nickname', operator: 'contains', value: 'SHADOW' },
            { kind: 'attribute', field: 'attributes.plan', operator: 'is_set' },
          ],
        },
        { kind: 'attribute', field: 'attributes.renewal', operator: 'lt', value: '2026-01-10' },
      ],
    },
  },
  'custom: vip eq true, ltv is_not_set, plan eq free': {
    root: {
      match: 'any',
      conditions: [
        { kind: 'attribute', field: 'attributes.vip', operator: 'eq', value: true },
        { kind: 'attribute', field: 'attributes.ltv', operator: 'is_not_set' },
        { kind: 'attribute', field: 'attributes.nickname', operator: 'eq', value: 'نجم' },
      ],
    },
  },
  'account industry تجزئة or employees gt 300, size not set': all(
    {
      match: 'any',
      conditions: [
        { kind: 'account', field: 'industry', operator: 'eq', value: 'تجزئة' },
        { kind: 'account', field: 'attributes.employees', operator: 'gt', value: 300 },
      ],
    },
    { kind: 'account', field: 'size', operator: 'is_not_set' },
  ),
  'consent email granted, sms not granted, topic news granted': all(
    { kind: 'consent', channel: 'email', status: 'granted' },
    { kind: 'consent', channel: 'sms', status: 'not_granted' },
    { kind: 'consent', topic: 'news', status: 'granted' },
  ),
  'orders at least 2 in the last 14 days': one({
    kind: 'event',
    name: 'Order Completed',
    did: true,
    count: { op: 'at_least', value: 2 },
    window: { lastDays: 14 },
  }),
  'orders of كتب shipped express, items gte 3': one({
    kind: 'event',
    name: 'Order Completed',
    did: true,
    properties: [
      { path: 'category', operator: 'eq', value: 'كتب' },
      { path: 'shipping.method', operator: 'eq', value: 'EXPRESS' },
      { path: 'items', operator: 'gte', value: 3 },
    ],
  }),
  'did not sign up between two dates; exactly 3 pageviews; identified': all(
    {
      kind: 'event',
      name: 'Signed Up',
      did: false,
      window: { from: '2026-02-20T00:00:00Z', to: '2026-03-10T00:00:00Z' },
    },
    {
      match: 'any',
      conditions: [
        { kind: 'event', type: 'page', did: true, count: { op: 'exactly', value: 3 } },
        { kind: 'event', type: 'identify', did: true, count: { op: 'at_most', value: 1 } },
      ],
    },
  ),
  'order property revenue in / category not_in / items between': one({
    kind: 'event',
    name: 'Order Completed',
    did: true,
    count: { op: 'at_least', value: 2 },
    properties: [
      { path: 'category', operator: 'not_in', value: ['books'] },
      { path: 'items', operator: 'between', value: [1, 4] },
      { path: 'revenue', operator: 'is_set' },
    ],
  }),
  'pages: /ar/ twice in 7 days, or matches /blog/*, or equals /promo_50%': {
    root: {
      match: 'any',
      conditions: [
        {
          kind: 'page',
          path: { op: 'starts_with', value: '/ar/' },
          did: true,
          count: { op: 'at_least', value: 2 },
          window: { lastDays: 7 },
        },
        {
          match: 'all',
          conditions: [
            {
              kind: 'page',
              path: { op: 'matches', value: '/blog/*' },
              did: true,
              count: { op: 'at_least', value: 3 },
            },
            { kind: 'page', path: { op: 'equals', value: '/promo_50%' }, did: true },
          ],
        },
        {
          kind: 'page',
          path: { op: 'contains', value: 'رمضان' },
          did: true,
          count: { op: 'exactly', value: 2 },
        },
      ],
    },
  },
  'never visited checkout': one({ kind: 'page', path: { op: 'equals', value: '/checkout' }, did: false }),
  'opened email, clicked camp-2 in 30 days': all(
    { kind: 'message', action: 'opened', channel: 'email', did: true },
    { kind: 'message', action: 'clicked', campaignId: 'camp-2', did: true, window: { lastDays: 30 } },
  ),
  'received: webpush sends and email deliveries, at least 2': {
    root: {
      match: 'any',
      conditions: [
        {
          kind: 'message',
          action: 'received',
          channel: 'webpush',
          did: true,
          count: { op: 'at_least', value: 2 },
        },
        {
          kind: 'message',
          action: 'received',
          channel: 'email',
          campaignId: 'camp-1',
          did: true,
          count: { op: 'at_least', value: 2 },
        },
        {
          kind: 'message',
          action: 'received',
          channel: 'sms',
          did: true,
          count: { op: 'exactly', value: 3 },
          window: { lastDays: 20 },
        },
      ],
    },
  },
  'never bounced, complained or unsubscribed': all(
    { kind: 'message', action: 'bounced', did: false },
    { kind: 'message', action: 'complained', did: false },
    { kind: 'message', action: 'unsubscribed', did: false, window: { lastDays: 30 } },
  ),
  'last seen within 3 days, or more than 20 days ago': {
    root: {
      match: 'any',
      conditions: [
        { kind: 'computed', metric: 'last_seen', operator: 'within_last_days', value: 3 },
        { kind: 'computed', metric: 'last_seen', operator: 'more_than_days_ago', value: 20 },
      ],
    },
  },
  'visits gte 5 in 30 days; revenue gt 150; lead score lte 50': all(
    { kind: 'computed', metric: 'visit_count', operator: 'gte', value: 5, window: { lastDays: 30 } },
    { kind: 'computed', metric: 'total_revenue', operator: 'gt', value: 150 },
    { kind: 'computed', metric: 'lead_score', operator: 'lte', value: 50 },
  ),
  'revenue between / eq 0 / visits lt 2': {
    root: {
      match: 'any',
      conditions: [
        {
          kind: 'computed',
          metric: 'total_revenue',
          operator: 'between',
          value: [100, 200],
          window: { lastDays: 10 },
        },
        {
          match: 'all',
          conditions: [
            { kind: 'computed', metric: 'total_revenue', operator: 'eq', value: 0 },
            { kind: 'computed', metric: 'visit_count', operator: 'lt', value: 2 },
          ],
        },
      ],
    },
  },
  'segment references: riyadh buyers, not buyers in list-a': {
    root: {
      match: 'any',
      conditions: [
        { kind: 'segment', segmentId: 'seg-riyadh-buyers', member: true },
        {
          match: 'all',
          conditions: [
            { kind: 'segment', segmentId: 'seg-buyers', member: false },
            { kind: 'list', listId: 'list-a', member: true },
          ],
        },
      ],
    },
  },
  'not in list-b, negated any of (customer, lead score gt 80)': all(
    { kind: 'list', listId: 'list-b', member: false },
    {
      match: 'any',
      negate: true,
      conditions: [
        { kind: 'attribute', field: 'lifecycle_stage', operator: 'eq', value: 'customer' },
        { kind: 'computed', metric: 'lead_score', operator: 'gt', value: 80 },
      ],
    },
  ),
  'nested three levels: (SA and (opened or (page /pricing and not VIP)))': all(
    { kind: 'attribute', field: 'country', operator: 'eq', value: 'sa' },
    {
      match: 'any',
      conditions: [
        { kind: 'message', action: 'opened', did: true, window: { lastDays: 14 } },
        {
          match: 'all',
          conditions: [
            { kind: 'page', path: { op: 'equals', value: '/pricing' }, did: true },
            {
              match: 'all',
              negate: true,
              conditions: [{ kind: 'attribute', field: 'email', operator: 'starts_with', value: 'vip' }],
            },
          ],
        },
      ],
    },
  ),
  'empty all-group: everyone': { root: { match: 'all', conditions: [] } },
};
