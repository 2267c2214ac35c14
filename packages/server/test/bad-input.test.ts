import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { SQLITE } from './helpers/engines.ts';
import { person, type Team, team } from './helpers/people.ts';

describe('bad input is a 4xx that names the problem, never a 500', () => {
  let t: TestApp;
  let crew: Team;
  beforeAll(async () => {
    t = await startTestApp(SQLITE, { config: { bodyLimitBytes: 4096 } });
    crew = await team(t, 'Input');
  });
  afterAll(() => t.close());

  const raw = (
    url: string,
    payload: string,
    contentType = 'application/json',
    method: 'POST' | 'PATCH' = 'POST',
  ) => t.app.inject({ method, url, payload, headers: { 'content-type': contentType } });

  it('malformed JSON: 400 saying where', async () => {
    const res = await raw('/api/auth/login', '{"email": "a@b.co", "password": ');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid');
    expect(res.json().error.message).toMatch(/^the request body is not valid JSON: .+/);
  });

  it('an unknown field: 400 naming it', async () => {
    const res = await call(t.app, 'POST', '/api/auth/login', {
      body: { email: 'a@b.co', password: 'x', rememberMe: true },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({
      code: 'invalid',
      field: 'rememberMe',
      message: 'unknown field "rememberMe"',
    });
    const query = await call(t.app, 'GET', `/api/workspaces/${crew.workspace.id}/jobs?colour=red`, {
      as: crew.as.owner,
    });
    expect(query.statusCode).toBe(400);
    expect(query.json().error.field).toBe('colour');
  });

  it('a missing field: 400 naming it', async () => {
    const res = await call(t.app, 'POST', '/api/auth/login', { body: { email: 'a@b.co' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toEqual({ code: 'invalid', field: 'password', message: 'password is required' });
  });

  it('a wrong type or format: 400 naming the field', async () => {
    const type = await call(t.app, 'POST', '/api/auth/login', { body: { email: 42, password: 'x' } });
    expect(type.json().error).toMatchObject({ code: 'invalid', field: 'email' });
    expect(type.json().error.message).toMatch(/^email: /);
    const format = await call(t.app, 'POST', `/api/workspaces/${crew.workspace.id}/members`, {
      as: crew.as.owner,
      body: { email: 'not-an-email', role: 'overlord' },
    });
    expect(format.statusCode).toBe(400);
    expect(format.json().error.field).toBe('email');
    expect(format.json().error.message).toContain('role');
    const zone = await call(t.app, 'PATCH', `/api/workspaces/${crew.workspace.id}`, {
      as: crew.as.owner,
      body: { timezone: 'Mars/Olympus_Mons' },
    });
    expect(zone.json().error).toEqual({
      code: 'invalid',
      field: 'timezone',
      message: 'unknown time zone "Mars/Olympus_Mons"',
    });
  });

  it('a body that is not an object: 400', async () => {
    for (const body of ['[]', '"text"', 'null', '42']) {
      const res = await raw('/api/auth/login', body);
      expect(res.statusCode, body).toBe(400);
      expect(res.json().error.message, body).toBe('the request body must be a JSON object');
    }
  });

  it('prototype-poisoning keys: 400', async () => {
    const res = await raw('/api/auth/login', '{"email":"a@b.co","password":"x","__proto__":{"admin":true}}');
    expect(res.statusCode).toBe(400);
  });

  it('a content type other than JSON: 415', async () => {
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
    ]) {
      const res = await raw('/api/auth/login', 'email=a@b.co&password=x', type);
      expect(res.statusCode, type).toBe(415);
      expect(res.json().error.code, type).toBe('unsupported_media_type');
    }
    const charset = await raw(
      '/api/auth/login',
      '{"email":"nobody@example.test","password":"x"}',
      'application/json; charset=utf-8',
    );
    expect(charset.statusCode).toBe(401);
  });

  it('a body over the limit: 413', async () => {
    const res = await call(t.app, 'POST', '/api/auth/login', {
      body: { email: 'a@b.co', password: 'x'.repeat(5000) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error).toEqual({
      code: 'payload_too_large',
      message: 'the request body is larger than the limit of 4096 bytes',
    });
  });

  it('an empty JSON body counts as no body', async () => {
    const logout = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(logout.statusCode).toBe(204);
    const login = await raw('/api/auth/login', '');
    expect(login.statusCode).toBe(400);
    expect(login.json().error.message).toBe('the request body must be a JSON object');
  });

  it('unknown /api routes: JSON 404', async () => {
    for (const [method, url] of [
      ['GET', '/api/nope'],
      ['POST', '/api/workspaces/x/nothing'],
      ['DELETE', '/api/me'],
      ['GET', '/api'],
    ] as const) {
      const res = await call(t.app, method, url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toContain('application/json');
      expect(res.json().error).toEqual({ code: 'not_found', message: `no route ${method} ${url}` });
    }
  });

  it('a broken URL: 400', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/workspaces/%E0%A4%A' });
    expect(res.statusCode).toBeLessThan(500);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
  });

  it('any JSON value or byte string sent to any write route answers below 500', async () => {
    const user = await person(t);
    const ws = crew.workspace.id;
    const writes = [
      ['POST', '/api/setup'],
      ['POST', '/api/auth/login'],
      ['POST', '/api/auth/password-reset'],
      ['POST', '/api/auth/password-reset/confirm'],
      ['PATCH', '/api/me'],
      ['POST', '/api/workspaces'],
      ['PATCH', `/api/workspaces/${ws}`],
      ['POST', `/api/workspaces/${ws}/members`],
      ['PATCH', `/api/workspaces/${ws}/members/${user.id}`],
      ['POST', `/api/workspaces/${ws}/api-keys`],
    ] as const;
    const json = fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null');
    const text = fc.string({ unit: 'binary', maxLength: 200 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...writes), fc.oneof(json, text), async ([method, url], payload) => {
        const res = await t.app.inject({
          method,
          url,
          payload,
          headers: {
            'content-type': 'application/json',
            cookie: `wasl_session=${crew.as.owner.cookie}`,
            'x-csrf-token': crew.as.owner.csrfToken,
          },
        });
        expect(res.statusCode, `${method} ${url} ${payload} → ${res.body}`).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });
});
