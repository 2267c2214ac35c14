import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordAudit } from '../src/index.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { apiKey, type Team, team } from './helpers/people.ts';
import { insertJob } from './helpers/workspace-routes.ts';

interface Entry {
  action: string;
  target: string | null;
  details: Record<string, unknown>;
  actor: { type: string; id: string | null; name: string | null };
  createdAt: string;
}

describeEachEngine('audit log', (engine) => {
  let t: TestApp;
  let crew: Team;
  let base: string;
  const step = () => {
    t.clock.now += 1000; // one entry per second, so the expected order is unambiguous
  };
  beforeAll(async () => {
    t = await startTestApp(engine);
    crew = await team(t, 'Audited');
    base = `/api/workspaces/${crew.workspace.id}`;
  });
  afterAll(() => t.close());

  const entries = async (query = '') =>
    (await call(t.app, 'GET', `${base}/audit-log${query}`, { as: crew.as.owner })).json().entries as Entry[];

  it('records every admin action with the person who did it', async () => {
    const admin = crew.users.admin;
    const as = crew.as.admin;
    step();
    await call(t.app, 'PATCH', base, { as, body: { name: 'مساحة التدقيق', timezone: 'Asia/Riyadh' } });
    step();
    const added = (
      await call(t.app, 'POST', `${base}/members`, {
        as,
        body: { email: 'audit-new@example.test', role: 'analyst' },
      })
    ).json().member;
    step();
    await call(t.app, 'PATCH', `${base}/members/${added.userId}`, { as, body: { role: 'marketer' } });
    step();
    await call(t.app, 'DELETE', `${base}/members/${added.userId}`, { as });
    step();
    const key = (
      await call(t.app, 'POST', `${base}/api-keys`, { as, body: { name: 'ETL', scope: 'read' } })
    ).json();
    step();
    await call(t.app, 'DELETE', `${base}/api-keys/${key.apiKey.id}`, { as });
    step();
    const job = await insertJob(t, crew.workspace.id, 'dead');
    await call(t.app, 'POST', `${base}/jobs/${job}/retry`, { as });

    const log = (await entries('?limit=7')).reverse();
    expect(log.map((e) => e.action)).toEqual([
      'workspace.updated',
      'member.added',
      'member.role_changed',
      'member.removed',
      'apikey.created',
      'apikey.revoked',
      'job.retried',
    ]);
    for (const e of log) expect(e.actor).toEqual({ type: 'user', id: admin.id, name: admin.name });
    expect(log[0]?.details).toEqual({ changes: { name: 'مساحة التدقيق', timezone: 'Asia/Riyadh' } });
    expect(log[2]).toMatchObject({
      target: `user:${added.userId}`,
      details: { from: 'analyst', to: 'marketer' },
    });
    expect(log[4]).toMatchObject({
      target: `apikey:${key.apiKey.id}`,
      details: { name: 'ETL', scope: 'read' },
    });
    expect(log[6]).toMatchObject({ target: `job:${job}` });
  });

  it('names an API key or the system as the actor when they act', async () => {
    const key = await apiKey(t, crew.workspace.id, 'write');
    step();
    await recordAudit(t.db, {
      workspaceId: crew.workspace.id,
      actor: { type: 'apikey', id: key.id },
      action: 'contact.imported',
      target: 'import:42',
      details: { rows: 1200 },
      now: t.clock.now,
    });
    step();
    await recordAudit(t.db, {
      workspaceId: crew.workspace.id,
      actor: { type: 'system' },
      action: 'workspace.retention_applied',
      now: t.clock.now,
    });
    const [system, byKey] = await entries('?limit=2');
    expect(byKey).toMatchObject({
      action: 'contact.imported',
      actor: { type: 'apikey', id: key.id, name: 'write key' },
      details: { rows: 1200 },
    });
    expect(system).toMatchObject({
      action: 'workspace.retention_applied',
      actor: { type: 'system', id: null },
      target: null,
    });
  });

  it('pages backwards with limit, before and beforeId without losing entries of the same millisecond', async () => {
    const all = await entries('?limit=200');
    // The team was set up in one millisecond: several entries share a timestamp.
    const times = all.map((e) => e.createdAt);
    expect(new Set(times).size).toBeLessThan(times.length);
    const paged: Entry[] = [];
    let query = '?limit=3';
    for (;;) {
      const page = await entries(query);
      paged.push(...page);
      const last = page.at(-1) as (Entry & { id: string }) | undefined;
      if (!last) break;
      query = `?limit=3&before=${encodeURIComponent(last.createdAt)}&beforeId=${last.id}`;
    }
    expect(paged).toEqual(all);
    // `before` alone returns strictly older entries.
    const older = await entries(`?before=${encodeURIComponent(all[0]?.createdAt ?? '')}`);
    expect(older.every((e) => e.createdAt < (all[0]?.createdAt ?? ''))).toBe(true);

    const bad = await call(t.app, 'GET', `${base}/audit-log?limit=0`, { as: crew.as.owner });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('limit');
    const badBefore = await call(t.app, 'GET', `${base}/audit-log?before=yesterday`, { as: crew.as.owner });
    expect(badBefore.json().error.field).toBe('before');
  });
});
