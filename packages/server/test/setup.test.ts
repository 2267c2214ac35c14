import { afterEach, beforeEach, expect, it } from 'vitest';
import { issueSetupToken, setupUrl } from '../src/index.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call, sessionCookieOf } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';

const owner = {
  name: 'نورة العتيبي',
  email: 'Noura@Example.TEST',
  password: 'كلمة سر طويلة',
  workspaceName: 'متجر الورد',
  locale: 'ar',
};

describeEachEngine('first-run setup', (engine) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp(engine);
  });
  afterEach(() => t.close());

  it('needs the printed token, works once, then answers 409', async () => {
    expect((await call(t.app, 'GET', '/api/setup')).json()).toEqual({ needsSetup: true });
    const token = await issueSetupToken(t.db);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(setupUrl('https://wasl.example.com/', token ?? '')).toBe(
      `https://wasl.example.com/setup?token=${token}`,
    );

    const missing = await call(t.app, 'POST', '/api/setup', { body: owner });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({
      code: 'invalid',
      field: 'token',
      message: 'token is required',
    });

    const wrong = await call(t.app, 'POST', '/api/setup', { body: { ...owner, token: 'not-the-token' } });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error).toMatchObject({ code: 'forbidden', field: 'token' });

    const done = await call(t.app, 'POST', '/api/setup', { body: { ...owner, token } });
    expect(done.statusCode).toBe(201);
    const body = done.json();
    // Arabic round-trips; the email is stored lower-cased.
    expect(body.user).toMatchObject({ name: 'نورة العتيبي', email: 'noura@example.test', locale: 'ar' });
    expect(body.workspace).toMatchObject({ name: 'متجر الورد', locale: 'ar', timezone: 'UTC' });
    expect(body.csrfToken).toEqual(expect.any(String));
    const cookie = sessionCookieOf(done);
    expect(cookie).toBeDefined();

    const me = await call(t.app, 'GET', '/api/me', {
      as: { cookie: cookie ?? '', csrfToken: body.csrfToken },
    });
    expect(me.json().workspaces).toEqual([{ id: body.workspace.id, name: 'متجر الورد', role: 'owner' }]);

    const again = await call(t.app, 'POST', '/api/setup', { body: { ...owner, token } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('conflict');
    expect((await call(t.app, 'GET', '/api/setup')).json()).toEqual({ needsSetup: false });
    expect(await issueSetupToken(t.db)).toBeUndefined();
  });

  it('a newly issued token replaces the previous one', async () => {
    const first = await issueSetupToken(t.db);
    const second = await issueSetupToken(t.db);
    expect(second).not.toBe(first);
    expect((await call(t.app, 'POST', '/api/setup', { body: { ...owner, token: first } })).statusCode).toBe(
      403,
    );
    expect((await call(t.app, 'POST', '/api/setup', { body: { ...owner, token: second } })).statusCode).toBe(
      201,
    );
  });

  it('two requests racing with the same token create exactly one owner', async () => {
    const token = await issueSetupToken(t.db);
    const results = await Promise.all([
      call(t.app, 'POST', '/api/setup', { body: { ...owner, token } }),
      call(t.app, 'POST', '/api/setup', { body: { ...owner, email: 'other@example.test', token } }),
    ]);
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses[0]).toBe(201);
    expect([403, 409]).toContain(statuses[1]);
    const users = await t.db.selectFrom('users').select('email').execute();
    expect(users).toHaveLength(1);
  });

  it('refuses a weak password, counting characters rather than bytes', async () => {
    const token = await issueSetupToken(t.db);
    // Nine Arabic letters are 18 bytes in UTF-8 but nine characters: too short.
    const weak = await call(t.app, 'POST', '/api/setup', {
      body: { ...owner, password: 'كلمةسرقصي', token },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error).toMatchObject({ field: 'password' });
    expect(weak.json().error.message).toContain('at least 10 characters');
  });
});
