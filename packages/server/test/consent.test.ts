import { afterAll, beforeAll, expect, it } from 'vitest';
import { createContact, sendableAddress, suppress } from '../src/index.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { type Team, team } from './helpers/people.ts';

describeEachEngine('consent and suppression', (engine) => {
  let t: TestApp;
  let crew: Team;
  let ws: string;
  let contactId: string;
  beforeAll(async () => {
    t = await startTestApp(engine);
    crew = await team(t, 'Consent');
    ws = crew.workspace.id;
    const created = await createContact(t.db, {
      workspaceId: ws,
      input: { email: 'Huda@Example.com', phone: '+971501234567', firstName: 'هدى' },
      now: t.clock.now,
    });
    if (!created.ok) throw new Error(created.error.message);
    contactId = created.value.contact.id;
  });
  afterAll(() => t.close());

  const sendable = (channel: 'email' | 'sms', marketing: boolean, topicId?: string) =>
    sendableAddress(t.db, {
      workspaceId: ws,
      contactId,
      channel,
      marketing,
      ...(topicId ? { topicId } : {}),
    });

  it('needs consent for marketing, not for a transactional message', async () => {
    expect(await sendable('email', true)).toEqual({ ok: false, error: 'no_consent' });
    expect(await sendable('email', false)).toEqual({ ok: true, value: 'huda@example.com' });
    const granted = await call(t.app, 'PUT', `/api/workspaces/${ws}/contacts/${contactId}/consents`, {
      as: crew.as.marketer,
      body: {
        channel: 'email',
        status: 'granted',
        source: 'form',
        proof: { ip: '203.0.113.9', form: 'footer' },
      },
    });
    expect(granted.statusCode).toBe(200);
    expect(granted.json().consent).toMatchObject({
      channel: 'email',
      topicId: null,
      status: 'granted',
      source: 'form',
      proof: { ip: '203.0.113.9', form: 'footer' },
    });
    expect(await sendable('email', true)).toEqual({ ok: true, value: 'huda@example.com' });
    expect(await sendable('sms', true)).toEqual({ ok: false, error: 'no_consent' });
  });

  it('lets a person leave one topic while staying on the channel', async () => {
    const topic = await call(t.app, 'POST', `/api/workspaces/${ws}/topics`, {
      as: crew.as.marketer,
      body: { name: 'عروض رمضان' },
    });
    expect(topic.statusCode).toBe(201);
    const topicId = topic.json().topic.id;
    expect(await sendable('email', true, topicId)).toEqual({ ok: true, value: 'huda@example.com' });
    await call(t.app, 'PUT', `/api/workspaces/${ws}/contacts/${contactId}/consents`, {
      as: crew.as.marketer,
      body: { channel: 'email', topicId, status: 'unsubscribed', source: 'preference_page' },
    });
    expect(await sendable('email', true, topicId)).toEqual({ ok: false, error: 'topic_unsubscribed' });
    expect(await sendable('email', true)).toEqual({ ok: true, value: 'huda@example.com' });
    const listed = await call(t.app, 'GET', `/api/workspaces/${ws}/contacts/${contactId}/consents`, {
      as: crew.as.analyst,
    });
    expect(
      listed.json().consents.map((c: { topicId: string | null; status: string }) => [c.topicId, c.status]),
    ).toEqual([
      [null, 'granted'],
      [topicId, 'unsubscribed'],
    ]);
    const unknown = await call(t.app, 'PUT', `/api/workspaces/${ws}/contacts/${contactId}/consents`, {
      as: crew.as.marketer,
      body: { channel: 'email', topicId: 'no-such-topic', status: 'granted' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.field).toBe('topicId');
  });

  it('never reaches a suppressed address, whatever its consent, until an admin lifts it', async () => {
    const added = await call(t.app, 'POST', `/api/workspaces/${ws}/suppressions`, {
      as: crew.as.marketer,
      body: { channel: 'email', address: 'HUDA@example.com', details: 'asked by phone' },
    });
    expect(added.statusCode).toBe(201);
    expect(added.json().suppression).toMatchObject({ address: 'huda@example.com', reason: 'manual' });
    expect(await sendable('email', true)).toEqual({ ok: false, error: 'suppressed' });
    expect(await sendable('email', false)).toEqual({ ok: false, error: 'suppressed' });
    const byMarketer = await call(
      t.app,
      'DELETE',
      `/api/workspaces/${ws}/suppressions/email/huda%40example.com`,
      {
        as: crew.as.marketer,
      },
    );
    expect(byMarketer.statusCode).toBe(403);
    const byAdmin = await call(
      t.app,
      'DELETE',
      `/api/workspaces/${ws}/suppressions/email/huda%40example.com`,
      {
        as: crew.as.admin,
      },
    );
    expect(byAdmin.statusCode).toBe(204);
    expect(await sendable('email', true)).toEqual({ ok: true, value: 'huda@example.com' });
  });

  it('keeps the first reason when an address is suppressed again, and refuses a bad address', async () => {
    await suppress(t.db, {
      workspaceId: ws,
      channel: 'sms',
      address: '+971501234567',
      reason: 'complaint',
      now: t.clock.now,
    });
    await suppress(t.db, {
      workspaceId: ws,
      channel: 'sms',
      address: '+971501234567',
      reason: 'hard_bounce',
      now: t.clock.now,
    });
    const listed = await call(t.app, 'GET', `/api/workspaces/${ws}/suppressions?channel=sms`, {
      as: crew.as.analyst,
    });
    expect(listed.json().suppressions).toEqual([
      expect.objectContaining({ channel: 'sms', address: '+971501234567', reason: 'complaint' }),
    ]);
    const bad = await call(t.app, 'POST', `/api/workspaces/${ws}/suppressions`, {
      as: crew.as.marketer,
      body: { channel: 'email', address: 'nobody-at-example' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('address');
  });
});
