import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { type Team, team } from './helpers/people.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describeEachEngine('API keys', (engine) => {
  let t: TestApp;
  let crew: Team;
  let keysUrl: string;
  beforeAll(async () => {
    t = await startTestApp(engine);
    crew = await team(t, 'Keys');
    keysUrl = `/api/workspaces/${crew.workspace.id}/api-keys`;
  });
  afterAll(() => t.close());

  it('creates a key shown once, stores only its hash and lists it by prefix', async () => {
    const res = await call(t.app, 'POST', keysUrl, {
      as: crew.as.admin,
      body: { name: 'مزامنة CRM', scope: 'write' },
    });
    expect(res.statusCode).toBe(201);
    const { apiKey, key } = res.json();
    expect(key).toMatch(/^wasl_[0-9A-Za-z]{8}_[0-9A-Za-z]{32,}$/);
    expect(apiKey).toMatchObject({
      name: 'مزامنة CRM',
      scope: 'write',
      prefix: key.slice(5, 13),
      lastUsedAt: null,
    });
    const row = await t.db
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', apiKey.id)
      .executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(sha256(key));
    expect(JSON.stringify(row)).not.toContain(key);

    const list = (await call(t.app, 'GET', keysUrl, { as: crew.as.owner })).json().apiKeys;
    const listed = list.find((k: { id: string }) => k.id === apiKey.id);
    expect(listed).toEqual(apiKey);
    expect(JSON.stringify(list)).not.toContain(key.slice(14));
  });

  it('authenticates with the key and notes its use at most once a minute', async () => {
    const { key, apiKey } = (
      await call(t.app, 'POST', keysUrl, { as: crew.as.owner, body: { name: 'reader', scope: 'read' } })
    ).json();
    const lastUsed = async () =>
      (
        await t.db
          .selectFrom('api_keys')
          .select('last_used_at')
          .where('id', '=', apiKey.id)
          .executeTakeFirstOrThrow()
      ).last_used_at;
    const res = await call(t.app, 'GET', `/api/workspaces/${crew.workspace.id}`, { as: { apiKey: key } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ workspace: { id: crew.workspace.id }, role: null });
    const first = await lastUsed();
    expect(first).toBe(t.clock.now);
    t.clock.now += 30_000;
    await call(t.app, 'GET', `/api/workspaces/${crew.workspace.id}/jobs`, { as: { apiKey: key } });
    expect(await lastUsed()).toBe(first);
    t.clock.now += 31_000;
    await call(t.app, 'GET', `/api/workspaces/${crew.workspace.id}/jobs`, { as: { apiKey: key } });
    expect(await lastUsed()).toBe(t.clock.now);
  });

  it('a revoked key is refused with 401; revoking twice is harmless', async () => {
    const { key, apiKey } = (
      await call(t.app, 'POST', keysUrl, { as: crew.as.owner, body: { name: 'old', scope: 'write' } })
    ).json();
    const wsUrl = `/api/workspaces/${crew.workspace.id}`;
    expect((await call(t.app, 'GET', wsUrl, { as: { apiKey: key } })).statusCode).toBe(200);
    expect((await call(t.app, 'DELETE', `${keysUrl}/${apiKey.id}`, { as: crew.as.owner })).statusCode).toBe(
      204,
    );
    const refused = await call(t.app, 'GET', wsUrl, { as: { apiKey: key } });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error).toEqual({
      code: 'unauthorized',
      message: 'the API key is invalid or has been revoked',
    });
    expect((await call(t.app, 'DELETE', `${keysUrl}/${apiKey.id}`, { as: crew.as.owner })).statusCode).toBe(
      204,
    );
    const listed = (await call(t.app, 'GET', keysUrl, { as: crew.as.owner })).json().apiKeys;
    expect(listed.find((k: { id: string }) => k.id === apiKey.id).revokedAt).toBe(
      new Date(t.clock.now).toISOString(),
    );
    const revocations = await t.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'apikey.revoked')
      .where('target', '=', `apikey:${apiKey.id}`)
      .execute();
    expect(revocations).toHaveLength(1);
  });

  it('refuses malformed, unknown and non-bearer credentials with 401', async () => {
    const wsUrl = `/api/workspaces/${crew.workspace.id}`;
    for (const authorization of [
      'Bearer nonsense',
      'Bearer wasl_AAAAAAAA_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      'Basic dXNlcjpwYXNz',
      'Bearer',
    ]) {
      const res = await call(t.app, 'GET', wsUrl, { headers: { authorization } });
      expect(res.statusCode, authorization).toBe(401);
    }
  });

  it('keys cannot use person-only endpoints', async () => {
    const { key } = (
      await call(t.app, 'POST', keysUrl, { as: crew.as.owner, body: { name: 'bot', scope: 'write' } })
    ).json();
    const me = await call(t.app, 'GET', '/api/me', { as: { apiKey: key } });
    expect(me.statusCode).toBe(403);
    const create = await call(t.app, 'POST', '/api/workspaces', { as: { apiKey: key }, body: { name: 'x' } });
    expect(create.statusCode).toBe(403);
    // A read key cannot change the workspace, and neither can a write key: that is workspace.update.
    const patch = await call(t.app, 'PATCH', `/api/workspaces/${crew.workspace.id}`, {
      as: { apiKey: key },
      body: { name: 'renamed by a key' },
    });
    expect(patch.statusCode).toBe(403);
  });
});
