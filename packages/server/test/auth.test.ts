import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call, sessionCookieOf } from './helpers/client.ts';
import { describeEachEngine, SQLITE } from './helpers/engines.ts';
import { person, signIn, uniqueEmail } from './helpers/people.ts';

const PASSWORD = 'correct horse battery';
const DAY = 24 * 60 * 60 * 1000;

describeEachEngine('sign-in and sessions', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(() => t.close());

  it('signs in with any letter case of the email and sets a safe session cookie', async () => {
    const email = uniqueEmail('login');
    await person(t, { email, password: PASSWORD, name: 'خالد' });
    const res = await call(t.app, 'POST', '/api/auth/login', {
      body: { email: email.toUpperCase(), password: PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ email, name: 'خالد' });
    const cookie = res.cookies.find((c) => c.name === 'wasl_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 30 * 24 * 60 * 60 });
    expect(cookie?.secure).toBeFalsy();
    // Only the hash of the token is stored.
    const stored = await t.db.selectFrom('sessions').select('id').execute();
    expect(stored.map((s) => s.id)).not.toContain(cookie?.value);
  });

  it('answers a wrong password and an unknown email identically', async () => {
    const email = uniqueEmail('victim');
    await person(t, { email, password: PASSWORD });
    const invited = await person(t); // no password yet
    const wrong = await call(t.app, 'POST', '/api/auth/login', {
      body: { email, password: 'wrong password!' },
    });
    const unknown = await call(t.app, 'POST', '/api/auth/login', {
      body: { email: uniqueEmail('nobody'), password: PASSWORD },
    });
    const noPassword = await call(t.app, 'POST', '/api/auth/login', {
      body: { email: invited.email, password: PASSWORD },
    });
    for (const res of [wrong, unknown, noPassword]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'unauthorized', message: 'wrong email or password' } });
      expect(sessionCookieOf(res)).toBeUndefined();
    }
  });

  it('logs out: the session stops working and the cookie is cleared', async () => {
    const user = await person(t);
    const session = await signIn(t, user);
    expect((await call(t.app, 'GET', '/api/me', { as: session })).statusCode).toBe(200);
    const withoutCsrf = await call(t.app, 'POST', '/api/auth/logout', { as: session, omitCsrf: true });
    expect(withoutCsrf.statusCode).toBe(403);
    const out = await call(t.app, 'POST', '/api/auth/logout', { as: session });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'wasl_session')?.value).toBe('');
    expect((await call(t.app, 'GET', '/api/me', { as: session })).statusCode).toBe(401);
    // Signing out twice, or without a session, is not an error.
    expect((await call(t.app, 'POST', '/api/auth/logout')).statusCode).toBe(204);
  });

  it('requires the CSRF token on cookie writes, not on reads', async () => {
    const session = await signIn(t, await person(t));
    expect((await call(t.app, 'GET', '/api/me', { as: session })).statusCode).toBe(200);
    const missing = await call(t.app, 'PATCH', '/api/me', {
      as: session,
      omitCsrf: true,
      body: { locale: 'en' },
    });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().error.message).toContain('x-csrf-token');
    const wrong = await call(t.app, 'PATCH', '/api/me', {
      as: session,
      omitCsrf: true,
      headers: { 'x-csrf-token': 'guess' },
      body: { locale: 'en' },
    });
    expect(wrong.statusCode).toBe(403);
    const right = await call(t.app, 'PATCH', '/api/me', { as: session, body: { locale: 'en' } });
    expect(right.statusCode).toBe(200);
  });

  it('keeps the locale preference and an Arabic name on /api/me', async () => {
    const user = await person(t, { name: 'Sara' });
    const session = await signIn(t, user);
    const me = (await call(t.app, 'GET', '/api/me', { as: session })).json();
    expect(me.csrfToken).toBe(session.csrfToken);
    expect(me.user.locale).toBe('ar');
    const patched = await call(t.app, 'PATCH', '/api/me', {
      as: session,
      body: { locale: 'en', name: '  سارة الحربي  ' },
    });
    expect(patched.json().user).toMatchObject({ locale: 'en', name: 'سارة الحربي' });
    const again = (await call(t.app, 'GET', '/api/me', { as: session })).json();
    expect(again.user).toMatchObject({ locale: 'en', name: 'سارة الحربي' });
    expect((await call(t.app, 'PATCH', '/api/me', { as: session, body: { locale: 'fr' } })).statusCode).toBe(
      400,
    );
  });

  it('answers 401 to /api/me without a session, and 403 to an API key', async () => {
    expect((await call(t.app, 'GET', '/api/me')).json()).toEqual({
      error: { code: 'unauthorized', message: 'sign in first' },
    });
    const bogus = await call(t.app, 'GET', '/api/me', { as: { cookie: 'forged', csrfToken: 'x' } });
    expect(bogus.statusCode).toBe(401);
  });

  it('slides the expiry forward with use and ends an unused session after 30 days', async () => {
    const session = await signIn(t, await person(t));
    t.clock.now += 20 * DAY;
    const used = await call(t.app, 'GET', '/api/me', { as: session });
    expect(used.statusCode).toBe(200);
    // Renewed: the cookie is sent again with a full 30-day lifetime.
    expect(used.cookies.find((c) => c.name === 'wasl_session')?.maxAge).toBe(30 * 24 * 60 * 60);
    t.clock.now += 20 * DAY; // 40 days after sign-in, 20 after last use
    expect((await call(t.app, 'GET', '/api/me', { as: session })).statusCode).toBe(200);
    t.clock.now += 31 * DAY;
    const expired = await call(t.app, 'GET', '/api/me', { as: session });
    expect(expired.statusCode).toBe(401);
    expect(expired.cookies.find((c) => c.name === 'wasl_session')?.value).toBe('');
  });
});

describe('sign-in rate limit and https cookies', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(SQLITE, {
      config: { loginAttemptsPerMinute: 3, publicUrl: 'https://wasl.example.com' },
    });
  });
  afterAll(() => t.close());

  it('limits attempts per email, whatever the IP, with Retry-After', async () => {
    const email = uniqueEmail('target');
    await person(t, { email, password: PASSWORD });
    for (let i = 0; i < 3; i++) {
      const res = await call(t.app, 'POST', '/api/auth/login', {
        body: { email, password: 'wrong password!' },
        remoteAddress: `10.0.0.${i + 1}`,
      });
      expect(res.statusCode).toBe(401);
    }
    const limited = await call(t.app, 'POST', '/api/auth/login', {
      body: { email, password: PASSWORD },
      remoteAddress: '10.0.0.99',
    });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  it('limits attempts per IP, whatever the email', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await call(t.app, 'POST', '/api/auth/login', {
        body: { email: uniqueEmail('spray'), password: PASSWORD },
        remoteAddress: '192.0.2.7',
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('marks the cookie Secure and sends HSTS when the public URL is https', async () => {
    const email = uniqueEmail('secure');
    await person(t, { email, password: PASSWORD });
    const res = await call(t.app, 'POST', '/api/auth/login', {
      body: { email, password: PASSWORD },
      remoteAddress: '198.51.100.1',
    });
    expect(res.statusCode).toBe(200);
    expect(res.cookies.find((c) => c.name === 'wasl_session')?.secure).toBe(true);
    expect(res.headers['strict-transport-security']).toContain('max-age=');
  });
});
