import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueSetupToken } from '../src/index.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { SQLITE } from './helpers/engines.ts';
import { apiKey, person, signIn, team } from './helpers/people.ts';

function captured() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe('logs', () => {
  let t: TestApp;
  const out = captured();
  beforeAll(async () => {
    // A caller's pino instance: the server derives its logger from it, adding redaction.
    t = await startTestApp(SQLITE, { logger: pino({ level: 'info' }, out.stream) });
  });
  afterAll(() => t.close());

  it('are JSON lines with request ids, and never hold a password, token, cookie or key', async () => {
    const password = 'very secret password';
    const user = await person(t, { password });
    const session = await signIn(t, user);
    const crew = await team(t, 'Logs');
    const key = await apiKey(t, crew.workspace.id, 'read');
    const setupToken = (await issueSetupToken(t.db)) ?? 'setup-token-value';
    await call(t.app, 'POST', '/api/auth/login', { body: { email: user.email, password } });
    await call(t.app, 'GET', '/api/me', { as: session });
    await call(t.app, 'GET', `/api/workspaces/${crew.workspace.id}`, { as: key });
    await call(t.app, 'GET', `/setup?token=${setupToken}`);
    await call(t.app, 'POST', '/api/auth/password-reset/confirm', { body: { token: 'x.1.y', password } });

    const text = out.lines.join('\n');
    for (const secret of [password, session.cookie, session.csrfToken, key.apiKey, setupToken]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('/setup?token=[redacted]');
    const entries = out.lines.map((l) => JSON.parse(l) as { reqId?: string; msg?: string });
    const completed = entries.filter((e) => e.msg === 'request completed');
    expect(completed.length).toBeGreaterThanOrEqual(5);
    for (const e of completed) expect(e.reqId).toEqual(expect.any(String));
  });

  it('a bug answers 500 with the request id only, and the details go to the log', async () => {
    const app = await startTestApp(SQLITE, { logger: pino({ level: 'info' }, out.stream) });
    try {
      app.app.get('/api/boom', async () => {
        throw new Error('internal detail: table users is locked');
      });
      const res = await call(app.app, 'GET', '/api/boom');
      expect(res.statusCode).toBe(500);
      expect(res.json().error.code).toBe('internal');
      expect(res.json().error.message).toContain(String(res.headers['x-request-id']));
      expect(res.body).not.toContain('table users is locked');
      expect(out.lines.join('\n')).toContain('table users is locked');
    } finally {
      await app.close();
    }
  });
});
