import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPasswordResetLink } from '../src/index.ts';
import { startTestApp, TEST_SECRET, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine, SQLITE } from './helpers/engines.ts';
import { person, signIn, team, uniqueEmail } from './helpers/people.ts';

const OLD = 'old password 123';
const NEW = 'كلمة مرور جديدة ١٢٣';

const tokenOf = (url: string) => new URL(url).searchParams.get('token') ?? '';

describeEachEngine('password reset', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine, { config: { publicUrl: 'https://wasl.example.com' } });
  });
  afterAll(() => t.close());

  const login = (email: string, password: string) =>
    call(t.app, 'POST', '/api/auth/login', { body: { email, password } });
  const confirm = (token: string, password = NEW) =>
    call(t.app, 'POST', '/api/auth/password-reset/confirm', { body: { token, password } });

  it('answers 202 whether or not the email has an account, sending a link only for a real one', async () => {
    const user = await person(t, { password: OLD });
    const before = t.resetLinks.length;
    const unknown = await call(t.app, 'POST', '/api/auth/password-reset', {
      body: { email: uniqueEmail('ghost') },
    });
    expect(unknown.statusCode).toBe(202);
    expect(t.resetLinks.length).toBe(before);
    const known = await call(t.app, 'POST', '/api/auth/password-reset', {
      body: { email: user.email.toUpperCase() },
    });
    expect(known.statusCode).toBe(202);
    expect(known.body).toBe(unknown.body);
    const sent = t.resetLinks.at(-1);
    expect(sent?.email).toBe(user.email);
    expect(sent?.url).toMatch(/^https:\/\/wasl\.example\.com\/reset-password\?token=/);
  });

  it('the link sets the password once, signs out every session and is recorded', async () => {
    const crew = await team(t, 'Reset');
    const user = await person(t, { password: OLD });
    await call(t.app, 'POST', `/api/workspaces/${crew.workspace.id}/members`, {
      as: crew.as.owner,
      body: { email: user.email, role: 'marketer' },
    });
    const session = await signIn(t, user);
    await call(t.app, 'POST', '/api/auth/password-reset', { body: { email: user.email } });
    const token = tokenOf(t.resetLinks.at(-1)?.url ?? '');

    expect((await confirm(token)).statusCode).toBe(204);
    expect((await login(user.email, NEW)).statusCode).toBe(200);
    expect((await login(user.email, OLD)).statusCode).toBe(401);
    expect((await call(t.app, 'GET', '/api/me', { as: session })).statusCode).toBe(401);

    const reused = await confirm(token, 'another new password');
    expect(reused.statusCode).toBe(400);
    expect(reused.json().error).toMatchObject({ code: 'invalid', field: 'token' });

    const audit = (
      await call(t.app, 'GET', `/api/workspaces/${crew.workspace.id}/audit-log`, { as: crew.as.owner })
    ).json().entries as { action: string }[];
    expect(audit.find((e) => e.action === 'user.password_reset')).toMatchObject({
      action: 'user.password_reset',
      target: `user:${user.id}`,
      actor: { type: 'user', id: user.id, name: user.name },
    });
  });

  it('refuses an expired link', async () => {
    const user = await person(t, { password: OLD });
    const url = await createPasswordResetLink(t.db, {
      email: user.email,
      publicUrl: t.config.publicUrl,
      secret: TEST_SECRET,
      now: t.clock.now,
    });
    t.clock.now += 61 * 60 * 1000;
    const res = await confirm(tokenOf(url ?? ''));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.field).toBe('token');
    expect((await login(user.email, OLD)).statusCode).toBe(200);
  });

  it('refuses a tampered link: changed expiry, signature, user or secret', async () => {
    const user = await person(t, { password: OLD });
    const other = await person(t, { password: OLD });
    const link = { publicUrl: t.config.publicUrl, now: t.clock.now };
    const token = tokenOf(
      (await createPasswordResetLink(t.db, { ...link, email: user.email, secret: TEST_SECRET })) ?? '',
    );
    const [id, expires, sig] = token.split('.');
    const forged = [
      `${id}.${Number(expires) + 86_400_000}.${sig}`,
      `${id}.${expires}.${sig?.slice(0, -2)}AA`,
      `${other.id}.${expires}.${sig}`,
      tokenOf(
        (await createPasswordResetLink(t.db, { ...link, email: user.email, secret: 'x'.repeat(40) })) ?? '',
      ),
      `${token}.extra`,
      'not a token',
    ];
    for (const bad of forged) {
      const res = await confirm(bad);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().error.field, bad).toBe('token');
    }
    expect((await login(user.email, OLD)).statusCode).toBe(200);
    expect((await login(other.email, OLD)).statusCode).toBe(200);
    // The genuine link still works after all that.
    expect((await confirm(token)).statusCode).toBe(204);
  });

  it('a weak new password is refused and the link stays usable', async () => {
    const user = await person(t, { password: OLD });
    const url = await createPasswordResetLink(t.db, {
      email: user.email,
      publicUrl: t.config.publicUrl,
      secret: TEST_SECRET,
      now: t.clock.now,
    });
    const weak = await confirm(tokenOf(url ?? ''), '🙂🙂🙂🙂🙂🙂');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.field).toBe('password');
    expect((await confirm(tokenOf(url ?? ''))).statusCode).toBe(204);
  });

  it('a person added by email gets a set-password link that lets them in', async () => {
    const crew = await team(t, 'Invites');
    const email = uniqueEmail('newcomer');
    const added = await call(t.app, 'POST', `/api/workspaces/${crew.workspace.id}/members`, {
      as: crew.as.admin,
      body: { email, name: 'ليلى', role: 'marketer' },
    });
    expect(added.statusCode).toBe(201);
    const { member, setPasswordUrl } = added.json();
    expect(member).toMatchObject({ email, name: 'ليلى', role: 'marketer' });
    expect(setPasswordUrl).toMatch(/\/reset-password\?token=/);
    // Set-password links last a week, not an hour.
    t.clock.now += 3 * 24 * 60 * 60 * 1000;
    expect((await confirm(tokenOf(setPasswordUrl))).statusCode).toBe(204);
    const signedIn = await login(email, NEW);
    expect(signedIn.statusCode).toBe(200);

    // Someone who already has a password gets no link.
    const existing = await person(t, { password: OLD });
    const again = await call(t.app, 'POST', `/api/workspaces/${crew.workspace.id}/members`, {
      as: crew.as.admin,
      body: { email: existing.email, role: 'analyst' },
    });
    expect(again.json().setPasswordUrl).toBeUndefined();
  });
});

describe('password reset flooding', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(SQLITE, { config: { loginAttemptsPerMinute: 2 } });
  });
  afterAll(() => t.close());

  it('still answers 202 past the limit but stops sending links', async () => {
    const user = await person(t);
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await call(t.app, 'POST', '/api/auth/password-reset', {
        body: { email: user.email },
        remoteAddress: `203.0.113.${i}`,
      });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202]);
    expect(t.resetLinks).toHaveLength(2);
  });

  it('works without a delivery sink (the link is simply not sent)', async () => {
    const bare = await startTestApp(SQLITE, { passwordResetSink: undefined });
    try {
      const user = await person(bare);
      const res = await call(bare.app, 'POST', '/api/auth/password-reset', { body: { email: user.email } });
      expect(res.statusCode).toBe(202);
    } finally {
      await bare.close();
    }
  });
});
