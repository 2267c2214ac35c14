import { can, type Principal } from '@wasl/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { type Caller, call } from '../helpers/client.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { apiKey, type Team, team } from '../helpers/people.ts';
import { label, urlOf } from '../helpers/workspace-routes.ts';
import { MESSAGE_ROUTES } from './workspace-routes.ts';

const NOT_FOUND = { error: { code: 'not_found', message: 'workspace not found' } };

describeEachEngine('messaging routes: roles and workspace isolation', (engine) => {
  let t: TestApp;
  let ours: Team;
  let theirs: Team;
  const callers: [string, Caller, Principal][] = [];

  beforeAll(async () => {
    t = await startTestApp(engine);
    ours = await team(t, 'Ours');
    theirs = await team(t, 'Theirs');
    for (const role of ['owner', 'admin', 'marketer', 'analyst'] as const)
      callers.push([role, ours.as[role], { kind: 'user', userId: ours.users[role].id, role }]);
    for (const scope of ['read', 'write'] as const) {
      const key = await apiKey(t, ours.workspace.id, scope);
      callers.push([`${scope}-key`, { apiKey: key.apiKey }, { kind: 'apikey', apiKeyId: key.id, scope }]);
    }
  });
  afterAll(() => t.close());

  for (const route of MESSAGE_ROUTES) {
    it(`${label(route)}: allowed by ${route.action}, forbidden otherwise`, async () => {
      for (const [name, caller, principal] of callers) {
        const extra = route.prepare ? await route.prepare(t, ours.workspace.id) : {};
        const res = await call(t.app, route.method, urlOf(route, { ws: ours.workspace.id, ...extra }), {
          as: caller,
          body: route.body?.(),
        });
        expect(res.statusCode, `${name}: ${res.body}`).toBe(can(principal, route.action) ? route.ok : 403);
      }
    });

    it(`${label(route)}: another workspace's people and keys get the 404 of a missing workspace`, async () => {
      const extra = route.prepare ? await route.prepare(t, ours.workspace.id) : {};
      for (const caller of [
        theirs.as.owner,
        { apiKey: (await apiKey(t, theirs.workspace.id, 'write')).apiKey },
      ]) {
        const res = await call(t.app, route.method, urlOf(route, { ws: ours.workspace.id, ...extra }), {
          as: caller,
          body: route.body?.(),
        });
        expect(res.statusCode).toBe(404);
        expect(res.json()).toEqual(NOT_FOUND);
      }
    });
  }
});
