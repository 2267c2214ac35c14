import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  addMember,
  createApiKey,
  createPasswordResetLink,
  createSession,
  createUser,
  createWorkspace,
  issueSetupToken,
  listMembers,
  removeMember,
  revokeApiKey,
  setPassword,
} from '../src/index.ts';
import { startTestApp, TEST_SECRET, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { uniqueEmail } from './helpers/people.ts';

describeEachEngine('services the CLI calls', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(() => t.close());

  it('createUser lower-cases the email and refuses a second account for it', async () => {
    const email = uniqueEmail('Mixed').replace('mixed', 'MiXeD');
    const first = await createUser(t.db, { email: `  ${email} `, name: 'عبدالله', password: 'ten chars!' });
    expect(first.ok && first.value).toMatchObject({
      email: email.toLowerCase(),
      name: 'عبدالله',
      locale: 'ar',
    });
    expect(first.ok && first.value.password_hash).toMatch(/^\$argon2id\$/);
    const again = await createUser(t.db, { email: email.toUpperCase(), name: 'x' });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict', field: 'email' } });
    const weak = await createUser(t.db, { email: uniqueEmail(), name: 'x', password: 'short' });
    expect(weak).toMatchObject({ ok: false, error: { code: 'invalid', field: 'password' } });
  });

  it('setPassword counts characters, not bytes, and signs the person out everywhere', async () => {
    const created = await createUser(t.db, { email: uniqueEmail(), name: 'x' });
    if (!created.ok) throw new Error(created.error.message);
    const user = created.value;
    const session = await createSession(t.db, user.id, t.clock.now);
    // Nine characters (18 bytes of UTF-8) are too few; ten (emoji: 40 bytes) are enough.
    expect(await setPassword(t.db, user.id, 'سبعةأحرفه')).toMatchObject({
      ok: false,
      error: { field: 'password' },
    });
    expect(await setPassword(t.db, user.id, '🌙🌙🌙🌙🌙🌙🌙🌙🌙🌙')).toEqual({ ok: true, value: undefined });
    const me = await call(t.app, 'GET', '/api/me', {
      as: { cookie: session.token, csrfToken: session.csrfToken },
    });
    expect(me.statusCode).toBe(401);
    const login = await call(t.app, 'POST', '/api/auth/login', {
      body: { email: user.email, password: '🌙🌙🌙🌙🌙🌙🌙🌙🌙🌙' },
    });
    expect(login.statusCode).toBe(200);
    expect(await setPassword(t.db, 'no-such-user', 'long enough pw')).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('createWorkspace makes its creator the owner; addMember and removeMember keep the last owner', async () => {
    const created = await createUser(t.db, { email: uniqueEmail(), name: 'Founder', locale: 'en' });
    if (!created.ok) throw new Error(created.error.message);
    const founder = created.value;
    const ws = await createWorkspace(t.db, { name: 'Acme', ownerUserId: founder.id, timezone: 'Asia/Dubai' });
    if (!ws.ok) throw new Error(ws.error.message);
    expect(ws.value).toMatchObject({ name: 'Acme', locale: 'en', timezone: 'Asia/Dubai' });
    expect(await listMembers(t.db, ws.value.id)).toEqual([
      expect.objectContaining({ userId: founder.id, role: 'owner' }),
    ]);
    expect(
      await createWorkspace(t.db, { name: 'x', ownerUserId: founder.id, timezone: 'Nowhere/Land' }),
    ).toMatchObject({
      ok: false,
      error: { field: 'timezone' },
    });
    expect(await createWorkspace(t.db, { name: 'x', ownerUserId: 'ghost' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });

    const system = { type: 'system' } as const;
    const add = { workspaceId: ws.value.id, email: founder.email, role: 'admin', actor: system } as const;
    expect(await addMember(t.db, add)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await addMember(t.db, { ...add, workspaceId: 'missing' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
    const last = await removeMember(t.db, { workspaceId: ws.value.id, userId: founder.id, actor: system });
    expect(last).toMatchObject({ ok: false, error: { code: 'conflict' } });
  });

  it('createApiKey returns the key once in its documented format; revokeApiKey is scoped to the workspace', async () => {
    const owner = await createUser(t.db, { email: uniqueEmail(), name: 'o' });
    if (!owner.ok) throw new Error(owner.error.message);
    const a = await createWorkspace(t.db, { name: 'A', ownerUserId: owner.value.id });
    const b = await createWorkspace(t.db, { name: 'B', ownerUserId: owner.value.id });
    if (!a.ok || !b.ok) throw new Error('workspaces');
    const actor = { type: 'user', id: owner.value.id } as const;
    const created = await createApiKey(t.db, { workspaceId: a.value.id, name: 'cli', scope: 'write', actor });
    if (!created.ok) throw new Error(created.error.message);
    expect(created.value.key).toMatch(/^wasl_[0-9A-Za-z]{8}_[0-9A-Za-z]{32}$/);
    expect(created.value.apiKey.created_by).toBe(owner.value.id);
    const elsewhere = await revokeApiKey(t.db, {
      workspaceId: b.value.id,
      keyId: created.value.apiKey.id,
      actor,
    });
    expect(elsewhere).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const revoked = await revokeApiKey(t.db, {
      workspaceId: a.value.id,
      keyId: created.value.apiKey.id,
      actor,
    });
    expect(revoked.ok && revoked.value.revoked_at).toEqual(expect.any(Number));
    expect(
      await createApiKey(t.db, { workspaceId: 'missing', name: 'x', scope: 'read', actor }),
    ).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('issueSetupToken stores only a hash, and stops once someone has an account', async () => {
    // This store already has accounts (earlier tests).
    expect(await issueSetupToken(t.db)).toBeUndefined();
    const fresh = await engine.open();
    try {
      const token = await issueSetupToken(fresh.oltp.db);
      const rows = await fresh.oltp.db.selectFrom('settings').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]?.value).toBe(
        createHash('sha256')
          .update(token ?? '')
          .digest('hex'),
      );
      expect(JSON.stringify(rows)).not.toContain(token);
    } finally {
      await fresh.dispose();
    }
  });

  it('createPasswordResetLink gives nothing for an unknown email', async () => {
    const link = await createPasswordResetLink(t.db, {
      email: uniqueEmail('ghost'),
      publicUrl: 'http://localhost:8080',
      secret: TEST_SECRET,
    });
    expect(link).toBeUndefined();
  });
});
