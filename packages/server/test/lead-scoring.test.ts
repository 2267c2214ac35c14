import type { WaslEvent } from '@wasl/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createContact, LeadScorer, scoreAlongside } from '../src/index.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { type Team, team } from './helpers/people.ts';

const DAY = 86_400_000;

describeEachEngine('lead scoring', (engine) => {
  let t: TestApp;
  let crew: Team;
  let ws: string;
  let base: string;
  let scorer: LeadScorer;
  let huda: string;
  let omar: string;
  let seq = 0;

  const contact = async (email: string, country: string | null, lifecycleStage: 'lead' | 'customer') => {
    const made = await createContact(t.db, {
      workspaceId: ws,
      input: { email, country, lifecycleStage },
      now: t.clock.now,
    });
    if (!made.ok) throw new Error(made.error.message);
    t.audience.contactsChanged(ws, [made.value.contact.id]);
    return made.value.contact.id;
  };
  const event = (type: 'page' | 'track', name: string, extra: Partial<WaslEvent> = {}): WaslEvent => ({
    id: `ls-${++seq}`,
    workspaceId: ws,
    type,
    name,
    anonymousId: 'anon-huda',
    contactId: null,
    occurredAt: new Date(t.clock.now),
    receivedAt: new Date(t.clock.now),
    properties: {},
    context: {},
    ...extra,
  });
  const page = (path: string) => event('page', '', { context: { path } });
  const demo = (plan: string) => event('track', 'demo_requested', { properties: { plan } });

  /** Until the scorer, the audience copy and live segments have all caught up with each other. */
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await scorer.idle();
      await t.settled();
    }
  };
  /** Events reach the store, then the engine (and so the scorer) hears of them, as the journal writer does it. */
  const store = async (events: WaslEvent[]) => {
    await t.events.append(events);
    await t.segmentEngine.eventsStored(events);
    await settle();
  };
  const scoreOf = async (id: string) => {
    const res = await call(t.app, 'GET', `/api/workspaces/${ws}/contacts/${id}`, { as: crew.as.analyst });
    const c = res.json().contact;
    return [c.leadScore, c.lifecycleStage];
  };
  const stageEvents = async (id: string) =>
    (await t.events.store.history(ws, [id], { limit: 100 }))
      .filter((e) => e.name === 'lead.stage_changed')
      .map((e) => [e.occurredAt.getTime(), e.properties]);

  beforeAll(async () => {
    t = await startTestApp(engine);
    crew = await team(t, 'Scoring');
    ws = crew.workspace.id;
    base = `/api/workspaces/${ws}/lead-scoring`;
    scorer = new LeadScorer(t.db, t.events.store, {
      clock: () => t.clock.now,
      onError: (error) => {
        throw error;
      },
      record: (facts) => t.events.store.append(facts),
      changed: (w, ids) => t.audience.contactsChanged(w, ids),
    });
    scoreAlongside(t.segmentEngine, scorer);
    huda = await contact('huda@example.com', 'SA', 'lead');
    omar = await contact('omar@example.com', null, 'customer');
    await t.db
      .insertInto('contact_identities')
      .values({ workspace_id: ws, anonymous_id: 'anon-huda', contact_id: huda, created_at: t.clock.now })
      .execute();
    await settle();
  });
  afterAll(async () => {
    await scorer.stop();
    await t.close();
  });

  it('stores rules and settings, refusing bad ones with the field named', async () => {
    const settings = await call(t.app, 'PUT', `${base}/settings`, {
      as: crew.as.marketer,
      body: { halfLifeDays: 7, mqlThreshold: 40, sqlThreshold: 80 },
    });
    expect(settings.statusCode, settings.body).toBe(200);
    const backwards = await call(t.app, 'PUT', `${base}/settings`, {
      as: crew.as.marketer,
      body: { halfLifeDays: 7, mqlThreshold: 40, sqlThreshold: 30 },
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.field).toBe('sqlThreshold');

    const rules = [
      { name: 'صفحة الأسعار', kind: 'event', points: 10, match: { path: '/pricing*', capPerDay: 2 } },
      {
        name: 'طلب عرض',
        kind: 'event',
        points: 30,
        match: { event: 'demo_requested', properties: { plan: 'pro' } },
      },
      {
        name: 'السعودية',
        kind: 'attribute',
        points: 5,
        match: { field: 'country', operator: 'eq', value: 'SA' },
      },
    ];
    for (const body of rules) {
      t.clock.now += 1; // ids order rules by creation only across milliseconds
      const res = await call(t.app, 'POST', `${base}/rules`, { as: crew.as.marketer, body });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().rule).toMatchObject(body);
    }
    const both = await call(t.app, 'POST', `${base}/rules`, {
      as: crew.as.marketer,
      body: { name: 'خطأ', kind: 'event', points: 1, match: { event: 'x', path: '/y' } },
    });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.field).toBe('match.event');
    const field = await call(t.app, 'POST', `${base}/rules`, {
      as: crew.as.marketer,
      body: { name: 'خطأ', kind: 'attribute', points: 1, match: { field: 'salary', operator: 'exists' } },
    });
    expect(field.statusCode).toBe(400);
    expect(field.json().error.field).toBe('match.field');
    const listed = (await call(t.app, 'GET', `${base}/rules`, { as: crew.as.analyst })).json().rules;
    expect(listed.map((r: { name: string }) => r.name)).toEqual(rules.map((r) => r.name));
  });

  it('rescores everyone on demand: attribute points once, nothing for a contact without matches', async () => {
    const res = await call(t.app, 'POST', `${base}/recompute`, { as: crew.as.marketer });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ changed: 1, stageChanges: 0 });
    await settle();
    expect(await scoreOf(huda)).toEqual([5, 'lead']);
    expect(await scoreOf(omar)).toEqual([0, 'customer']);
  });

  it('awards points per event by any id the contact is known by, capped per day', async () => {
    await store([page('/pricing'), page('/pricing/annual'), page('/pricing'), page('/about'), demo('free')]);
    // Three pricing views, two counted (20), plus 5 for the country; the free-plan demo matches nothing.
    expect(await scoreOf(huda)).toEqual([25, 'lead']);
    expect(await stageEvents(huda)).toEqual([]);
  });

  it('moves a lead to MQL at the threshold and records the move once', async () => {
    await store([demo('pro')]);
    expect(await scoreOf(huda)).toEqual([55, 'mql']);
    expect(await stageEvents(huda)).toEqual([[t.clock.now, { from: 'lead', to: 'mql', score: 55 }]]);
  });

  it('halves event points every half-life in the periodic pass, never moving a stage back', async () => {
    const mqlAt = t.clock.now;
    t.clock.now += 7 * DAY;
    await scorer.fullPass();
    await settle();
    // (20 + 30) / 2 + 5: the attribute's points do not decay.
    expect(await scoreOf(huda)).toEqual([30, 'mql']);
    expect(await stageEvents(huda)).toEqual([[mqlAt, { from: 'lead', to: 'mql', score: 55 }]]);
  });

  it('moves an MQL to SQL, and segments on lead_score follow', async () => {
    const created = await call(t.app, 'POST', `/api/workspaces/${ws}/segments`, {
      as: crew.as.marketer,
      body: {
        name: 'عملاء محتملون مؤهلون',
        definition: {
          root: {
            match: 'all',
            conditions: [{ kind: 'computed', metric: 'lead_score', operator: 'gte', value: 50 }],
          },
        },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const segmentId = created.json().segment.id;
    const members = async () =>
      (
        await call(t.app, 'GET', `/api/workspaces/${ws}/segments/${segmentId}/members`, {
          as: crew.as.analyst,
        })
      )
        .json()
        .contacts.map((c: { email: string }) => c.email);
    await t.segmentEngine.recompute(
      ws,
      await t.db.selectFrom('segments').selectAll().where('id', '=', segmentId).executeTakeFirstOrThrow(),
      false,
    );
    expect(await members()).toEqual([]);

    await store([page('/pricing'), page('/pricing'), page('/pricing'), demo('pro')]);
    // 30 carried over, 20 for today's capped views, 30 for the demo.
    expect(await scoreOf(huda)).toEqual([80, 'sql']);
    const stages = await stageEvents(huda);
    expect(stages[0]).toEqual([t.clock.now, { from: 'mql', to: 'sql', score: 80 }]);
    expect(stages).toHaveLength(2);
    expect(await members()).toEqual(['huda@example.com']);

    // Two weeks of silence: day-0 points (50) are three half-lives old, day-7 points (50) two.
    t.clock.now += 14 * DAY;
    await scorer.fullPass();
    await settle();
    expect(await scoreOf(huda)).toEqual([Math.round(50 / 8 + 50 / 4 + 5), 'sql']);
    expect(await members()).toEqual([]);
  });
});
