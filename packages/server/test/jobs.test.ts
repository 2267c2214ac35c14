import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { type Team, team } from './helpers/people.ts';
import { insertJob } from './helpers/workspace-routes.ts';

describeEachEngine('jobs', (engine) => {
  let t: TestApp;
  let crew: Team;
  let base: string;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp(engine);
    crew = await team(t, 'Jobs');
    base = `/api/workspaces/${crew.workspace.id}/jobs`;
    for (const state of ['queued', 'running', 'done', 'dead']) {
      t.clock.now += 1000;
      ids[state] = await insertJob(t, crew.workspace.id, state);
    }
    // A system job (no workspace) is never listed.
    await t.db
      .updateTable('jobs')
      .set({ workspace_id: null })
      .where('id', '=', await insertJob(t, crew.workspace.id, 'queued'))
      .execute();
  });
  afterAll(() => t.close());

  it('lists the workspace jobs newest first, filtered by state', async () => {
    const all = (await call(t.app, 'GET', base, { as: crew.as.analyst })).json().jobs;
    expect(all.map((j: { state: string }) => j.state)).toEqual(['dead', 'done', 'running', 'queued']);
    expect(all[0]).toMatchObject({
      id: ids.dead,
      name: 'email.send',
      attempts: 5,
      maxAttempts: 5,
      lastError: 'SMTP 550 mailbox unavailable',
      finishedAt: expect.any(String),
    });
    const dead = (await call(t.app, 'GET', `${base}?state=dead`, { as: crew.as.analyst })).json().jobs;
    expect(dead.map((j: { id: string }) => j.id)).toEqual([ids.dead]);
    const two = (await call(t.app, 'GET', `${base}?limit=2`, { as: crew.as.analyst })).json().jobs;
    expect(two).toHaveLength(2);
    const bad = await call(t.app, 'GET', `${base}?state=stuck`, { as: crew.as.analyst });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('state');
  });

  it('retries a dead job once and refuses the others with 409', async () => {
    for (const state of ['queued', 'running', 'done']) {
      const res = await call(t.app, 'POST', `${base}/${ids[state]}/retry`, { as: crew.as.admin });
      expect(res.statusCode, state).toBe(409);
      expect(res.json().error.message).toContain(state);
    }
    const retried = await call(t.app, 'POST', `${base}/${ids.dead}/retry`, { as: crew.as.admin });
    expect(retried.statusCode).toBe(200);
    expect(retried.json().job).toMatchObject({
      id: ids.dead,
      state: 'queued',
      attempts: 0,
      finishedAt: null,
    });
    expect(retried.json().job.runAt).toBe(new Date(t.clock.now).toISOString());
    expect((await call(t.app, 'POST', `${base}/${ids.dead}/retry`, { as: crew.as.admin })).statusCode).toBe(
      409,
    );
  });
});
