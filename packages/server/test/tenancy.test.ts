import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { type Caller, call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { apiKey, type Team, team } from './helpers/people.ts';
import { insertJob, label, type Target, urlOf, WORKSPACE_ROUTES } from './helpers/workspace-routes.ts';

const NOT_FOUND = { error: { code: 'not_found', message: 'workspace not found' } };

describeEachEngine('workspace isolation', (engine) => {
  let t: TestApp;
  let ours: Team;
  let theirs: Team;
  let outsiders: Record<string, Caller>;
  beforeAll(async () => {
    t = await startTestApp(engine);
    ours = await team(t, 'Ours');
    theirs = await team(t, 'Theirs');
    outsiders = {
      'owner of another workspace': theirs.as.owner,
      'write key of another workspace': await apiKey(t, theirs.workspace.id, 'write'),
      'read key of another workspace': await apiKey(t, theirs.workspace.id, 'read'),
    };
  });
  afterAll(() => t.close());

  it('lists every workspace route of the OpenAPI document in WORKSPACE_ROUTES', async () => {
    const doc = (await call(t.app, 'GET', '/api/openapi.json')).json() as { paths: Record<string, object> };
    const documented = Object.entries(doc.paths)
      .filter(([path]) => path.includes('{ws}'))
      .flatMap(([path, item]) =>
        Object.keys(item).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
      );
    expect(documented.sort()).toEqual(WORKSPACE_ROUTES.map(label).sort());
  });

  for (const route of WORKSPACE_ROUTES) {
    it(`${label(route)}: another workspace's people and keys get the 404 of a missing workspace`, async () => {
      const extra = route.prepare ? await route.prepare(t, ours.workspace.id) : {};
      const target: Target = { ws: ours.workspace.id, ...extra };
      const missing = await call(t.app, route.method, urlOf(route, { ...target, ws: randomUUID() }), {
        as: theirs.as.owner,
        body: route.body?.(),
        ...(route.headers ? { headers: route.headers } : {}),
      });
      expect(missing.statusCode).toBe(404);
      expect(missing.json()).toEqual(NOT_FOUND);
      for (const [who, caller] of Object.entries(outsiders)) {
        const res = await call(t.app, route.method, urlOf(route, target), {
          as: caller,
          body: route.body?.(),
          ...(route.headers ? { headers: route.headers } : {}),
        });
        expect(res.statusCode, who).toBe(404);
        expect(res.json(), who).toEqual(NOT_FOUND);
      }
      // Still there and untouched for its own owner.
      const check = await call(t.app, 'GET', `/api/workspaces/${ours.workspace.id}`, { as: ours.as.owner });
      expect(check.json().workspace.name).toBe('Ours');
    });
  }

  it("ids of our members, keys and jobs are not found through another workspace's URL", async () => {
    const ourKey = await apiKey(t, ours.workspace.id, 'read');
    const ourJob = await insertJob(t, ours.workspace.id, 'dead');
    const ws = theirs.workspace.id;
    const as = theirs.as.owner;
    const attempts = [
      call(t.app, 'PATCH', `/api/workspaces/${ws}/members/${ours.users.analyst.id}`, {
        as,
        body: { role: 'admin' },
      }),
      call(t.app, 'DELETE', `/api/workspaces/${ws}/members/${ours.users.analyst.id}`, { as }),
      call(t.app, 'DELETE', `/api/workspaces/${ws}/api-keys/${ourKey.id}`, { as }),
      call(t.app, 'POST', `/api/workspaces/${ws}/jobs/${ourJob}/retry`, { as }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    // Nothing changed: the key still works, the job is still dead, the analyst still an analyst.
    expect(
      (await call(t.app, 'GET', `/api/workspaces/${ours.workspace.id}`, { as: ourKey })).statusCode,
    ).toBe(200);
    const job = await t.db
      .selectFrom('jobs')
      .select('state')
      .where('id', '=', ourJob)
      .executeTakeFirstOrThrow();
    expect(job.state).toBe('dead');
    const members = (
      await call(t.app, 'GET', `/api/workspaces/${ours.workspace.id}/members`, { as: ours.as.owner })
    ).json().members as { userId: string; role: string }[];
    expect(members.find((m) => m.userId === ours.users.analyst.id)?.role).toBe('analyst');
  });

  it('lists only your own workspaces on /api/me', async () => {
    const me = (await call(t.app, 'GET', '/api/me', { as: ours.as.analyst })).json();
    expect(me.workspaces).toEqual([{ id: ours.workspace.id, name: 'Ours', role: 'analyst' }]);
  });
});
