import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSite } from '../src/index.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { apiKey, type Team, team } from './helpers/people.ts';

describeEachEngine('saved goals, funnels and calls to action', (engine) => {
  let t: TestApp;
  let crew: Team;
  let siteUrl: string;
  beforeAll(async () => {
    t = await startTestApp(engine);
    crew = await team(t, 'Goals');
    const site = await createSite(t.db, {
      workspaceId: crew.workspace.id,
      name: 'متجر الورد',
      domain: 'roses.example',
      actor: { type: 'system' },
    });
    if (!site.ok) throw new Error(site.error.message);
    siteUrl = `/api/workspaces/${crew.workspace.id}/sites/${site.value.id}`;
  });
  afterAll(() => t.close());

  const purchase = {
    kind: 'event',
    event: 'purchase',
    properties: { plan: 'pro' },
    revenueProperty: 'total',
    currency: 'SAR',
  };

  it('saves a goal, lists it, renames it, changes it and deletes it, each in the audit log', async () => {
    const created = await call(t.app, 'POST', `${siteUrl}/goals`, {
      as: crew.as.marketer,
      body: { name: '  شراء الباقة  ', definition: purchase },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { goal } = created.json();
    expect(goal).toMatchObject({
      name: 'شراء الباقة',
      definition: purchase,
      createdAt: '2026-01-15T09:00:00.000Z',
    });

    const listed = await call(t.app, 'GET', `${siteUrl}/goals`, { as: crew.as.analyst });
    expect(listed.json().goals).toEqual([goal]);

    t.clock.now += 60_000;
    const renamed = await call(t.app, 'PATCH', `${siteUrl}/goals/${goal.id}`, {
      as: crew.as.admin,
      body: { name: 'Purchase', definition: { kind: 'page', pattern: '/thanks*' } },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().goal).toEqual({
      ...goal,
      name: 'Purchase',
      definition: { kind: 'page', pattern: '/thanks*' },
      updatedAt: '2026-01-15T09:01:00.000Z',
    });

    t.clock.now += 60_000;
    const deleted = await call(t.app, 'DELETE', `${siteUrl}/goals/${goal.id}`, { as: crew.as.marketer });
    expect(deleted.statusCode).toBe(204);
    expect((await call(t.app, 'GET', `${siteUrl}/goals`, { as: crew.as.owner })).json().goals).toEqual([]);
    const again = await call(t.app, 'DELETE', `${siteUrl}/goals/${goal.id}`, { as: crew.as.marketer });
    expect(again.statusCode).toBe(404);
    expect(again.json().error.message).toBe('goal not found');

    const audit = (
      await call(t.app, 'GET', `/api/workspaces/${crew.workspace.id}/audit-log`, { as: crew.as.owner })
    ).json().entries as { action: string; target: string; actor: { id: string } }[];
    const ofGoal = audit.filter((e) => e.target === `goal:${goal.id}`).map((e) => [e.action, e.actor.id]);
    expect(ofGoal).toEqual([
      ['goal.deleted', crew.users.marketer.id],
      ['goal.updated', crew.users.admin.id],
      ['goal.created', crew.users.marketer.id],
    ]);
  });

  it('keeps names unique per site', async () => {
    const body = { name: 'Newsletter', definition: { kind: 'event', event: 'subscribe' } };
    expect((await call(t.app, 'POST', `${siteUrl}/goals`, { as: crew.as.owner, body })).statusCode).toBe(201);
    const twice = await call(t.app, 'POST', `${siteUrl}/goals`, { as: crew.as.owner, body });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error).toEqual({
      code: 'conflict',
      message: 'a goal named "Newsletter" already exists for this site',
      field: 'name',
    });
    // The same name is fine for another kind.
    const funnel = await call(t.app, 'POST', `${siteUrl}/funnels`, {
      as: crew.as.owner,
      body: {
        name: 'Newsletter',
        definition: {
          steps: [
            { kind: 'page', pattern: '/blog/*' },
            { kind: 'event', event: 'subscribe' },
          ],
          windowMs: 86_400_000,
        },
      },
    });
    expect(funnel.statusCode, funnel.body).toBe(201);
    expect(funnel.json().funnel.definition.steps[1]).toEqual({
      kind: 'event',
      event: 'subscribe',
      properties: {},
    });
  });

  it.each([
    ['goals', { name: 'x', definition: { kind: 'url', pattern: '/' } }, 'definition.kind'],
    [
      'goals',
      { name: 'x', definition: { kind: 'event', event: 'buy', currency: 'riyal' } },
      'definition.currency',
    ],
    ['goals', { name: 'x', definition: { kind: 'page', pattern: '/', colour: 'red' } }, 'definition.colour'],
    ['goals', { name: '', definition: { kind: 'page', pattern: '/' } }, 'name'],
    [
      'funnels',
      { name: 'x', definition: { steps: [{ kind: 'page', pattern: '/' }], windowMs: 60_000 } },
      'definition.steps',
    ],
    [
      'funnels',
      {
        name: 'x',
        definition: {
          steps: [
            { kind: 'page', pattern: '/' },
            { kind: 'event', event: 'buy', revenueProperty: 'total' },
          ],
          windowMs: 60_000,
        },
      },
      'definition.steps.1.revenueProperty',
    ],
    [
      'funnels',
      {
        name: 'x',
        definition: {
          steps: [
            { kind: 'page', pattern: '/' },
            { kind: 'page', pattern: '/b' },
          ],
          windowMs: 1000,
        },
      },
      'definition.windowMs',
    ],
    ['ctas', { name: 'x', definition: { impression: { event: 'view' } } }, 'definition.click'],
    [
      'ctas',
      { name: 'x', definition: { impression: { event: '' }, click: { event: 'c' } } },
      'definition.impression.event',
    ],
  ])('POST …/%s refuses %j naming %s', async (plural, body, field) => {
    const res = await call(t.app, 'POST', `${siteUrl}/${plural}`, { as: crew.as.owner, body });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid', field });
  });

  it('says why a funnel is refused in words', async () => {
    const res = await call(t.app, 'POST', `${siteUrl}/funnels`, {
      as: crew.as.owner,
      body: { name: 'x', definition: { steps: [{ kind: 'page', pattern: '/' }], windowMs: 60_000 } },
    });
    expect(res.json().error.message).toBe('definition.steps: a funnel needs at least 2 steps');
  });

  it('saves calls to action with property filters', async () => {
    const definition = {
      impression: { event: 'cta_view', properties: { cta: 'عرض رمضان' } },
      click: { event: 'cta_click', properties: { cta: 'عرض رمضان' } },
    };
    const res = await call(t.app, 'POST', `${siteUrl}/ctas`, {
      as: crew.as.marketer,
      body: { name: 'عرض رمضان', definition },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().cta).toMatchObject({ name: 'عرض رمضان', definition });
    const listed = (await call(t.app, 'GET', `${siteUrl}/ctas`, { as: crew.as.analyst })).json().ctas;
    expect(listed.map((c: { name: string }) => c.name)).toContain('عرض رمضان');
  });

  it('lets analysts and read keys read them but not change them', async () => {
    const readKey = await apiKey(t, crew.workspace.id, 'read');
    expect((await call(t.app, 'GET', `${siteUrl}/funnels`, { as: readKey })).statusCode).toBe(200);
    const body = { name: 'y', definition: { kind: 'page', pattern: '/' } };
    expect((await call(t.app, 'POST', `${siteUrl}/goals`, { as: crew.as.analyst, body })).statusCode).toBe(
      403,
    );
    expect((await call(t.app, 'POST', `${siteUrl}/goals`, { as: readKey, body })).statusCode).toBe(403);
  });

  it("finds neither another site's goals nor another workspace's site", async () => {
    const others = await team(t, 'Other goals');
    const theirSite = await createSite(t.db, {
      workspaceId: others.workspace.id,
      name: 'Theirs',
      domain: 'theirs.example',
      actor: { type: 'system' },
    });
    if (!theirSite.ok) throw new Error(theirSite.error.message);
    const theirUrl = `/api/workspaces/${others.workspace.id}/sites/${theirSite.value.id}`;
    const theirGoal = (
      await call(t.app, 'POST', `${theirUrl}/goals`, {
        as: others.as.owner,
        body: { name: 'Theirs', definition: { kind: 'page', pattern: '/' } },
      })
    ).json().goal;
    // Their site id under our workspace, and their goal id under our site.
    const viaOurWorkspace = `/api/workspaces/${crew.workspace.id}/sites/${theirSite.value.id}/goals`;
    const list = await call(t.app, 'GET', viaOurWorkspace, { as: crew.as.owner });
    expect(list.statusCode).toBe(404);
    expect(list.json().error.message).toBe('site not found');
    const create = await call(t.app, 'POST', viaOurWorkspace, {
      as: crew.as.owner,
      body: { name: 'sneaky', definition: { kind: 'page', pattern: '/' } },
    });
    expect(create.statusCode).toBe(404);
    const patch = await call(t.app, 'PATCH', `${siteUrl}/goals/${theirGoal.id}`, {
      as: crew.as.owner,
      body: { name: 'mine now' },
    });
    expect(patch.statusCode).toBe(404);
    const del = await call(t.app, 'DELETE', `${siteUrl}/goals/${theirGoal.id}`, { as: crew.as.owner });
    expect(del.statusCode).toBe(404);
    expect((await call(t.app, 'GET', `${theirUrl}/goals`, { as: others.as.owner })).json().goals).toEqual([
      theirGoal,
    ]);
  });

  it('goes with its site', async () => {
    const site = await createSite(t.db, {
      workspaceId: crew.workspace.id,
      name: 'Temporary',
      domain: 'temp.example',
      actor: { type: 'system' },
    });
    if (!site.ok) throw new Error(site.error.message);
    const url = `/api/workspaces/${crew.workspace.id}/sites/${site.value.id}`;
    await call(t.app, 'POST', `${url}/goals`, {
      as: crew.as.owner,
      body: { name: 'g', definition: { kind: 'page', pattern: '/' } },
    });
    await call(t.app, 'POST', `${url}/share-links`, { as: crew.as.owner });
    expect((await call(t.app, 'DELETE', url, { as: crew.as.owner })).statusCode).toBe(204);
    const goals = await t.db.selectFrom('goals').select('id').where('site_id', '=', site.value.id).execute();
    const links = await t.db
      .selectFrom('share_links')
      .select('id')
      .where('site_id', '=', site.value.id)
      .execute();
    expect([goals, links]).toEqual([[], []]);
  });
});
