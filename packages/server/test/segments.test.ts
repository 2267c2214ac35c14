import type { WaslEvent } from '@wasl/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { identifyContact } from '../src/index.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { type Team, team } from './helpers/people.ts';

const RIYADH_PRICING = {
  root: {
    match: 'all',
    conditions: [
      { kind: 'attribute', field: 'city', operator: 'eq', value: 'الرياض' },
      {
        kind: 'page',
        path: { op: 'starts_with', value: '/pricing' },
        did: true,
        count: { op: 'at_least', value: 2 },
        window: { lastDays: 7 },
      },
    ],
  },
};

describeEachEngine('segments', (engine) => {
  let t: TestApp;
  let crew: Team;
  let ws: string;
  let base: string;
  const people: Record<string, string> = {};
  let seq = 0;

  const page = (anonymousId: string, path: string, minutesAgo: number): WaslEvent => ({
    id: `ev-${++seq}`,
    workspaceId: ws,
    type: 'page',
    name: '',
    anonymousId,
    contactId: null,
    occurredAt: new Date(t.clock.now - minutesAgo * 60_000),
    receivedAt: new Date(t.clock.now),
    properties: { path },
    context: { path },
  });
  /** Events reach the store, then the engine hears of them, as the journal writer does it. */
  const store = async (events: WaslEvent[]) => {
    await t.events.append(events);
    await t.segmentEngine.eventsStored(events);
    await t.settled();
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    crew = await team(t, 'Segments');
    ws = crew.workspace.id;
    base = `/api/workspaces/${ws}/segments`;
    for (const [key, city] of [
      ['huda', 'الرياض'],
      ['omar', 'الرياض'],
      ['sara', 'جدة'],
      ['ali', 'الرياض'],
    ] as const) {
      const made = await identifyContact(t.db, {
        workspaceId: ws,
        traits: { email: `${key}@example.com`, city },
        anonymousIds: [`anon-${key}`],
        now: t.clock.now,
      });
      if (!made.ok) throw new Error(made.error.message);
      people[key] = made.value.contactId;
      t.audience.contactsChanged(ws, [made.value.contactId]);
    }
    await t.settled();
    await store([
      page('anon-huda', '/pricing', 60),
      page('anon-huda', '/pricing/annual', 30),
      page('anon-omar', '/pricing', 20),
      page('anon-sara', '/pricing', 50),
      page('anon-sara', '/pricing', 40),
      page('anon-ali', '/pricing', 10 * 24 * 60),
      page('anon-ali', '/pricing', 9 * 24 * 60),
    ]);
  });
  afterAll(() => t.close());

  const members = async (segmentId: string) =>
    (await call(t.app, 'GET', `${base}/${segmentId}/members`, { as: crew.as.analyst }))
      .json()
      .contacts.map((c: { email: string }) => c.email);

  it('estimates while editing, then keeps exactly the matching people as members', async () => {
    const estimate = await call(t.app, 'POST', `${base}/estimate`, {
      as: crew.as.analyst,
      body: { definition: RIYADH_PRICING },
    });
    expect(estimate.statusCode, estimate.body).toBe(200);
    expect(estimate.json()).toMatchObject({ count: 1, alwaysEmpty: false, warnings: [] });

    const created = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: { name: 'مهتمون بالأسعار في الرياض', definition: RIYADH_PRICING },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().segment.id;
    await t.segmentEngine.recompute(
      ws,
      await t.db.selectFrom('segments').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
      false,
    );
    expect(await members(id)).toEqual(['huda@example.com']);
    const one = (await call(t.app, 'GET', `${base}/${id}`, { as: crew.as.analyst })).json().segment;
    expect(one).toMatchObject({ memberCount: 1, name: 'مهتمون بالأسعار في الرياض' });
    expect(one.evaluatedAt).not.toBeNull();
  });

  it('lets a person in the moment their event is stored, out when their profile changes, and records both', async () => {
    const id = (await call(t.app, 'GET', base, { as: crew.as.analyst })).json().segments[0].id;
    t.clock.now += 1000;
    await store([page('anon-omar', '/pricing/monthly', 1)]);
    expect((await members(id)).sort()).toEqual(['huda@example.com', 'omar@example.com']);

    t.clock.now += 1000;
    const moved = await call(t.app, 'PATCH', `/api/workspaces/${ws}/contacts/${people.huda}`, {
      as: crew.as.marketer,
      body: { city: 'الدمام' },
    });
    expect(moved.statusCode).toBe(200);
    await t.settled();
    expect(await members(id)).toEqual(['omar@example.com']);

    const timeline = (
      await call(t.app, 'GET', `/api/workspaces/${ws}/contacts/${people.huda}/timeline`, {
        as: crew.as.analyst,
      })
    ).json().events;
    expect(
      timeline
        .filter((e: { name: string }) => e.name.startsWith('segment.'))
        .map((e: { name: string }) => e.name),
    ).toEqual(['segment.left', 'segment.entered']);
    expect(timeline[0].properties).toEqual({ segmentId: id, segmentName: 'مهتمون بالأسعار في الرياض' });
  });

  it('exports the members as CSV with a byte order mark', async () => {
    const id = (await call(t.app, 'GET', base, { as: crew.as.analyst })).json().segments[0].id;
    const res = await call(t.app, 'GET', `${base}/${id}/export`, { as: crew.as.analyst });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.body.split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFFid,email,phone,first_name,last_name,city,country,lifecycle_stage,lead_score,created_at',
    );
    expect(lines.slice(1, -1).map((l) => l.split(',')[1])).toEqual(['omar@example.com']);
  });

  it('answers an empty segment with a warning for contradictory rules', async () => {
    const contradictory = {
      root: {
        match: 'all',
        conditions: [
          { kind: 'attribute', field: 'city', operator: 'eq', value: 'الرياض' },
          { kind: 'attribute', field: 'city', operator: 'eq', value: 'جدة' },
        ],
      },
    };
    const res = await call(t.app, 'POST', `${base}/estimate`, {
      as: crew.as.analyst,
      body: { definition: contradictory },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ count: 0, alwaysEmpty: true });
    expect(body.warnings).toEqual([
      expect.objectContaining({ code: 'conflicting_values', path: 'root.conditions[1]' }),
    ]);
  });

  it('refuses bad definitions naming the place, cycles with their chain, and deleting a segment in use', async () => {
    const bad = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: {
        name: 'bad',
        definition: {
          root: {
            match: 'all',
            conditions: [{ kind: 'attribute', field: 'colour', operator: 'eq', value: 'x' }],
          },
        },
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toContain('definition.root.conditions[0]');

    const inner = (await call(t.app, 'GET', base, { as: crew.as.analyst })).json().segments[0].id;
    const outer = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: {
        name: 'outer',
        definition: {
          root: { match: 'all', conditions: [{ kind: 'segment', segmentId: inner, member: true }] },
        },
      },
    });
    expect(outer.statusCode, outer.body).toBe(201);
    const outerId = outer.json().segment.id;
    const cycle = await call(t.app, 'PATCH', `${base}/${inner}`, {
      as: crew.as.marketer,
      body: {
        definition: {
          root: { match: 'all', conditions: [{ kind: 'segment', segmentId: outerId, member: true }] },
        },
      },
    });
    expect(cycle.statusCode).toBe(400);
    expect(cycle.json().error.message).toContain(`${inner} → ${outerId} → ${inner}`);
    const inUse = await call(t.app, 'DELETE', `${base}/${inner}`, { as: crew.as.marketer });
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().error.message).toContain('outer');
  });

  it('repairs drift in a full recompute and reports it', async () => {
    const segment = await t.db
      .selectFrom('segments')
      .selectAll()
      .where('workspace_id', '=', ws)
      .where('name', '=', 'outer')
      .executeTakeFirstOrThrow();
    await t.segmentEngine.recompute(ws, segment, false);
    // Someone removed a member behind the engine's back.
    await t.db.deleteFrom('segment_members').where('segment_id', '=', segment.id).execute();
    const evaluated = await t.db
      .selectFrom('segments')
      .selectAll()
      .where('id', '=', segment.id)
      .executeTakeFirstOrThrow();
    const change = await t.segmentEngine.recompute(ws, evaluated);
    expect(change).toEqual({ segmentId: segment.id, entered: [people.omar], left: [] });
    expect(await members(segment.id)).toEqual(['omar@example.com']);
  });
});
