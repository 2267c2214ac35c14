import type { SegmentDefinition } from '@wasl/core';
import { describe, expect, it } from 'vitest';
import type { Dialect } from '../../src/analytics/dialect.ts';
import { duckDbDialect } from '../../src/analytics/duckdb-dialect.ts';
import { postgresDialect } from '../../src/analytics/postgres-dialect.ts';
import {
  type CompileOptions,
  compileSegment,
  compileSegmentForContact,
  countSegment,
} from '../../src/segments/compile.ts';
import { ATTRIBUTE_DEFS, NOW } from './dataset.ts';
import { DEFINITIONS, SAVED } from './definitions.ts';

const options = (dialect: Dialect, extra: Partial<CompileOptions> = {}): CompileOptions => ({
  workspaceId: 'ws-1',
  now: NOW,
  dialect,
  attributeDefs: ATTRIBUTE_DEFS,
  resolveSegment: (id) => SAVED[id],
  ...extra,
});

const HOSTILE = "'); drop table audience_contacts; --";

describe.each([duckDbDialect, postgresDialect])('compileSegment on $name', (dialect) => {
  it('binds the workspace first and every value after it, in order', () => {
    const def: SegmentDefinition = {
      root: {
        match: 'all',
        conditions: [
          { kind: 'attribute', field: 'city', operator: 'eq', value: HOSTILE },
          { kind: 'attribute', field: 'first_name', operator: 'in', value: ['محمد', 'Sara'] },
          { kind: 'attribute', field: 'lead_score', operator: 'gt', value: 10 },
        ],
      },
    };
    const compiled = compileSegment(def, options(dialect));
    expect(compiled.ok).toBe(true);
    if (!compiled.ok) return;
    expect(compiled.value.params).toEqual(['ws-1', HOSTILE, 'محمد', 'Sara', 10]);
    expect(compiled.value.sql).toBe(
      'select c.id from audience_contacts c where c.workspace_id = cast($1 as varchar) and ' +
        '(coalesce(lower(c.city) = lower(cast($2 as varchar)), false) and ' +
        'coalesce(lower(c.first_name) in (lower(cast($3 as varchar)), lower(cast($4 as varchar))), false) and ' +
        'coalesce(cast(c.lead_score as double precision) > cast($5 as double precision), false))',
    );
  });

  it('puts behaviour in one pass over attributed events, joined by contact id', () => {
    const def: SegmentDefinition = {
      root: {
        match: 'any',
        conditions: [
          {
            kind: 'event',
            name: 'Order Completed',
            did: true,
            count: { op: 'at_least', value: 2 },
            window: { lastDays: 7 },
          },
          { kind: 'message', action: 'opened', did: false, window: { lastDays: 30 } },
        ],
      },
    };
    const compiled = compileSegment(def, options(dialect));
    if (!compiled.ok) throw new Error(compiled.error.message);
    const { sql, params } = compiled.value;
    expect(sql.startsWith('with ev as (')).toBe(true);
    expect(sql).toContain('left join agg a on a.cid = c.id');
    expect(sql).toContain(
      'join audience_identities i on i.workspace_id = e.workspace_id and i.anonymous_id = e.anonymous_id',
    );
    expect(sql.match(/from events e/g)).toHaveLength(2);
    expect(sql).toContain('coalesce(a.a0, 0) >= cast($5 as bigint)');
    expect(sql).toContain('(not coalesce(a.a1, 0) >= cast($8 as bigint))');
    // Both windows bound the scan by the earlier of their starts (30 days ago).
    const earliest = new Date(NOW.getTime() - 30 * 86_400_000).toISOString();
    expect(params).toEqual(
      [
        'ws-1',
        'track',
        'Order Completed',
        new Date(NOW.getTime() - 7 * 86_400_000).toISOString(),
        2,
        'message.opened',
        earliest,
        1,
        '/campaignId',
        '/channel',
        earliest,
      ].map((v, i) => (dialect.name === 'postgres' && (i === 8 || i === 9) ? String(v).slice(1) : v)),
    );
  });

  it("aggregates only the events of contacts passing the root's own field tests", () => {
    const def: SegmentDefinition = {
      root: {
        match: 'all',
        conditions: [
          { kind: 'attribute', field: 'city', operator: 'eq', value: 'Riyadh' },
          { kind: 'event', name: 'Order Completed', did: true },
        ],
      },
    };
    const compiled = compileSegment(def, options(dialect));
    if (!compiled.ok) throw new Error(compiled.error.message);
    const test = 'coalesce(lower(c.city) = lower(cast($2 as varchar)), false)';
    expect(compiled.value.sql).toContain(
      `and e.cid in (select c.id from audience_contacts c where c.workspace_id = cast($1 as varchar) and ${test})`,
    );
    const one = compileSegmentForContact(def, options(dialect), 'c-1');
    expect(one.ok && one.value.sql.includes('e.cid in')).toBe(false);
  });

  it('references every parameter it binds, for every definition of the contract test', () => {
    for (const [name, def] of Object.entries(DEFINITIONS)) {
      for (const compiled of [
        compileSegment(def, options(dialect)),
        compileSegmentForContact(def, options(dialect), 'c-1'),
      ]) {
        if (!compiled.ok) throw new Error(`${name}: ${compiled.error.message}`);
        const { sql, params } = compiled.value;
        const missing = params.map((_, i) => i + 1).filter((n) => !new RegExp(`\\$${n}(?!\\d)`).test(sql));
        expect({ name, missing }).toEqual({ name, missing: [] });
        expect(sql).not.toContain('drop table');
      }
    }
  });

  it('restricts to one contact and counts', () => {
    const def: SegmentDefinition = {
      root: { match: 'all', conditions: [{ kind: 'list', listId: 'L', member: true }] },
    };
    const one = compileSegmentForContact(def, options(dialect), HOSTILE);
    if (!one.ok) throw new Error(one.error.message);
    expect(one.value.params).toEqual(['ws-1', 'L', HOSTILE]);
    expect(one.value.sql).toContain('and c.id = cast($3 as varchar) and');
    const count = countSegment(def, options(dialect));
    if (!count.ok) throw new Error(count.error.message);
    expect(
      count.value.sql.startsWith('select count(*) as n from (select c.id from audience_contacts c'),
    ).toBe(true);
  });
});

describe('compileSegment refuses', () => {
  const refused = (def: SegmentDefinition, extra: Partial<CompileOptions> = {}) => {
    const compiled = compileSegment(def, options(duckDbDialect, extra));
    return compiled.ok ? null : compiled.error;
  };
  const one = (c: SegmentDefinition['root']['conditions'][number]): SegmentDefinition => ({
    root: { match: 'all', conditions: [c] },
  });

  it('an unknown custom attribute, naming it', () => {
    expect(
      refused(one({ kind: 'attribute', field: 'attributes.colour', operator: 'eq', value: 'red' })),
    ).toEqual({
      code: 'invalid',
      message: 'root.conditions[0]: unknown custom attribute attributes.colour',
      field: 'root.conditions[0]',
    });
  });

  it('a number operator on a text attribute, naming the attribute and its type', () => {
    expect(
      refused(one({ kind: 'attribute', field: 'attributes.nickname', operator: 'gt', value: 3 }))?.message,
    ).toBe(
      'root.conditions[0]: attributes.nickname is a text attribute: gt does not apply (use eq, neq, in, not_in, contains, not_contains, starts_with, is_set, is_not_set)',
    );
    expect(
      refused(one({ kind: 'attribute', field: 'attributes.ltv', operator: 'gt', value: 'lots' }))?.message,
    ).toBe('root.conditions[0]: attributes.ltv is a number: "lots" is not one');
    expect(
      refused(one({ kind: 'attribute', field: 'attributes.plan', operator: 'eq', value: 'gold' }))?.message,
    ).toBe('root.conditions[0]: "gold" is not an option of attributes.plan (free, pro, enterprise)');
    expect(
      refused(one({ kind: 'attribute', field: 'birth_date', operator: 'gt', value: '01/02/1990' }))?.message,
    ).toBe('root.conditions[0]: birth_date is a date: "01/02/1990" is not YYYY-MM-DD');
  });

  it('a cycle of segment references, with the chain', () => {
    const defs: Record<string, SegmentDefinition> = {
      A: one({ kind: 'segment', segmentId: 'B', member: true }),
      B: {
        root: {
          match: 'any',
          conditions: [
            { kind: 'list', listId: 'L', member: true },
            { kind: 'segment', segmentId: 'A', member: false },
          ],
        },
      },
    };
    const error = refused(defs.A as SegmentDefinition, { segmentId: 'A', resolveSegment: (id) => defs[id] });
    expect(error?.message).toBe(
      'root.conditions[0] (segment B) root.conditions[1]: segments refer to each other in a cycle: A → B → A',
    );
    expect(refused(one({ kind: 'segment', segmentId: 'nope', member: true }))?.message).toBe(
      'root.conditions[0]: segment "nope" does not exist',
    );
  });

  it('referenced segments past the depth limit, counting the reference as a level', () => {
    const nest = (depth: number): SegmentDefinition['root'] =>
      depth === 1
        ? { match: 'all', conditions: [{ kind: 'list', listId: 'L', member: true }] }
        : { match: 'all', conditions: [nest(depth - 1)] };
    // The referenced root sits one level below the group that refers to it (depth 3): four more levels make 6.
    const defs: Record<string, SegmentDefinition> = { deep: { root: nest(4) } };
    const def: SegmentDefinition = {
      root: {
        match: 'all',
        conditions: [{ match: 'all', conditions: [{ kind: 'segment', segmentId: 'deep', member: true }] }],
      },
    };
    expect(
      refused(def, { resolveSegment: (id) => (id === 'deep' ? { root: nest(3) } : undefined) }),
    ).toBeNull();
    expect(refused(def, { resolveSegment: (id) => defs[id] })?.message).toBe(
      'root.conditions[0].conditions[0] (segment deep) root.conditions[0].conditions[0].conditions[0]: groups nest deeper than 5 levels',
    );
  });
});
