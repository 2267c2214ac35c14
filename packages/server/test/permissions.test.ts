import { type Action, can, type Principal } from '@wasl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { authoriseWorkspace, sendProblem } from '../src/index.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { type Caller, call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { apiKey, person, signIn, type Team, team } from './helpers/people.ts';
import { label, urlOf, WORKSPACE_ROUTES, type WorkspaceRoute } from './helpers/workspace-routes.ts';

const CALLERS = ['owner', 'admin', 'marketer', 'analyst', 'read-key', 'write-key'] as const;
type CallerName = (typeof CALLERS)[number];

/**
 * Who may do what, written out by hand from the product's role description
 * (owner > admin > marketer > analyst, analyst read-only; keys by scope).
 * The first test checks it agrees with the core permissions table, the rest
 * that every route enforces it.
 */
const MAY: Record<Action, string> = {
  'workspace.read': 'owner admin marketer analyst read-key write-key',
  'workspace.update': 'owner admin',
  'workspace.delete': 'owner',
  'members.read': 'owner admin',
  'members.manage': 'owner admin',
  'apikeys.read': 'owner admin',
  'apikeys.manage': 'owner admin',
  'audit.read': 'owner admin',
  'sites.read': 'owner admin marketer analyst read-key write-key',
  'sites.manage': 'owner admin marketer',
  'jobs.read': 'owner admin marketer analyst read-key write-key',
  'jobs.manage': 'owner admin',
  'data.read': 'owner admin marketer analyst read-key write-key',
  'data.write': 'owner admin marketer write-key',
  'privacy.manage': 'owner admin',
};

const principalOf = (name: CallerName): Principal =>
  name === 'read-key' || name === 'write-key'
    ? { kind: 'apikey', apiKeyId: 'k', scope: name === 'read-key' ? 'read' : 'write' }
    : { kind: 'user', userId: 'u', role: name };

/** What later slices' data routes look like: the same authorise step with data.read / data.write. */
const PROBES: WorkspaceRoute[] = [
  { method: 'GET', path: '/api/workspaces/:ws/probe-data', action: 'data.read', ok: 200 },
  { method: 'POST', path: '/api/workspaces/:ws/probe-data', action: 'data.write', ok: 200, body: () => ({}) },
];

function addProbeRoutes(t: TestApp) {
  for (const probe of PROBES) {
    t.app.route({
      method: probe.method,
      url: probe.path,
      config: { auth: 'principal' },
      schema: { params: z.strictObject({ ws: z.string() }) },
      handler: async (request, reply) => {
        const { ws } = request.params as { ws: string };
        const access = await authoriseWorkspace(t.db, request.auth, ws, probe.action);
        if (!access.ok) return sendProblem(reply, access.error);
        return { done: probe.action };
      },
    });
  }
}

describe('the permission table written here', () => {
  it('is the one in @wasl/core', () => {
    for (const [action, names] of Object.entries(MAY) as [Action, string][]) {
      for (const caller of CALLERS) {
        expect(can(principalOf(caller), action), `${caller} ${action}`).toBe(
          names.split(' ').includes(caller),
        );
      }
    }
  });
});

describeEachEngine('roles and API key scopes on every workspace route', (engine) => {
  let t: TestApp;
  let crew: Team;
  const callers = {} as Record<CallerName, Caller>;
  beforeAll(async () => {
    t = await startTestApp(engine);
    addProbeRoutes(t);
    crew = await team(t, 'Roles');
    Object.assign(callers, crew.as);
    callers['read-key'] = await apiKey(t, crew.workspace.id, 'read');
    callers['write-key'] = await apiKey(t, crew.workspace.id, 'write');
  });
  afterAll(() => t.close());

  for (const route of [...WORKSPACE_ROUTES, ...PROBES]) {
    it(`${label(route)} (${route.action}): allowed for ${MAY[route.action]}`, async () => {
      for (const caller of CALLERS) {
        const extra = route.prepare ? await route.prepare(t, crew.workspace.id) : {};
        const res = await call(t.app, route.method, urlOf(route, { ws: crew.workspace.id, ...extra }), {
          as: callers[caller],
          body: route.body?.(),
          ...(route.headers ? { headers: route.headers } : {}),
        });
        const allowed = MAY[route.action].split(' ').includes(caller);
        expect(res.statusCode, `${caller}: ${res.body}`).toBe(allowed ? route.ok : 403);
        if (!allowed) expect(res.json().error.code).toBe('forbidden');
      }
    });
  }

  it('API keys need no CSRF token, and a read key cannot write', async () => {
    const url = `/api/workspaces/${crew.workspace.id}/probe-data`;
    const write = await call(t.app, 'POST', url, { as: callers['write-key'], body: {} });
    expect(write.statusCode).toBe(200);
    const read = await call(t.app, 'POST', url, { as: callers['read-key'], body: {} });
    expect(read.statusCode).toBe(403);
    expect(read.json().error.message).toContain('read-scoped API key');
    // The same write by cookie needs the token.
    const cookie = await call(t.app, 'POST', url, { as: crew.as.marketer, body: {}, omitCsrf: true });
    expect(cookie.statusCode).toBe(403);
  });
});

describeEachEngine('owners', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(() => t.close());

  const memberUrl = (ws: string, userId: string) => `/api/workspaces/${ws}/members/${userId}`;

  it('the last owner can be neither demoted nor removed', async () => {
    const crew = await team(t, 'Solo');
    const ws = crew.workspace.id;
    const owner = crew.users.owner;
    const demote = await call(t.app, 'PATCH', memberUrl(ws, owner.id), {
      as: crew.as.owner,
      body: { role: 'admin' },
    });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().error.message).toContain('last owner');
    const remove = await call(t.app, 'DELETE', memberUrl(ws, owner.id), { as: crew.as.owner });
    expect(remove.statusCode).toBe(409);

    // With a second owner, one may step down, and then the other is the last again.
    const promote = await call(t.app, 'PATCH', memberUrl(ws, crew.users.admin.id), {
      as: crew.as.owner,
      body: { role: 'owner' },
    });
    expect(promote.json().member.role).toBe('owner');
    const stepDown = await call(t.app, 'PATCH', memberUrl(ws, owner.id), {
      as: crew.as.owner,
      body: { role: 'admin' },
    });
    expect(stepDown.statusCode).toBe(200);
    const last = await call(t.app, 'DELETE', memberUrl(ws, crew.users.admin.id), { as: crew.as.admin });
    expect(last.statusCode).toBe(409);
  });

  it('only an owner grants or takes away the owner role', async () => {
    const crew = await team(t, 'Hierarchy');
    const ws = crew.workspace.id;
    const grant = await call(t.app, 'PATCH', memberUrl(ws, crew.users.marketer.id), {
      as: crew.as.admin,
      body: { role: 'owner' },
    });
    expect(grant.statusCode).toBe(403);
    const invite = await call(t.app, 'POST', `/api/workspaces/${ws}/members`, {
      as: crew.as.admin,
      body: { email: 'would-be-owner@example.test', role: 'owner' },
    });
    expect(invite.statusCode).toBe(403);
    const demoteOwner = await call(t.app, 'PATCH', memberUrl(ws, crew.users.owner.id), {
      as: crew.as.admin,
      body: { role: 'analyst' },
    });
    expect(demoteOwner.statusCode).toBe(403);
    const removeOwner = await call(t.app, 'DELETE', memberUrl(ws, crew.users.owner.id), {
      as: crew.as.admin,
    });
    expect(removeOwner.statusCode).toBe(403);
    // An admin manages everyone else.
    const demoteMarketer = await call(t.app, 'PATCH', memberUrl(ws, crew.users.marketer.id), {
      as: crew.as.admin,
      body: { role: 'analyst' },
    });
    expect(demoteMarketer.json().member.role).toBe('analyst');
  });

  it('two owners demoting each other at once leave one owner', async () => {
    const crew = await team(t, 'Race');
    const ws = crew.workspace.id;
    const second = await person(t);
    await call(t.app, 'POST', `/api/workspaces/${ws}/members`, {
      as: crew.as.owner,
      body: { email: second.email, role: 'owner' },
    });
    const secondSession = await signIn(t, second);
    const [a, b] = await Promise.all([
      call(t.app, 'PATCH', memberUrl(ws, second.id), { as: crew.as.owner, body: { role: 'admin' } }),
      call(t.app, 'PATCH', memberUrl(ws, crew.users.owner.id), {
        as: secondSession,
        body: { role: 'admin' },
      }),
    ]);
    // The loser sees either the last-owner rule (409) or, if the winner finished first, that it is no longer an owner (403).
    const [winner, loser] = [a.statusCode, b.statusCode].sort();
    expect(winner).toBe(200);
    expect([403, 409]).toContain(loser);
    const owners = await t.db
      .selectFrom('memberships')
      .select('user_id')
      .where('workspace_id', '=', ws)
      .where('role', '=', 'owner')
      .execute();
    expect(owners).toHaveLength(1);
  });
});
