import { afterAll, beforeAll, expect, it } from 'vitest';
import { createContact, createTopic, preferenceToken, sendableAddress, setConsent } from '../src/index.ts';
import { startTestApp, TEST_SECRET, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { type Team, team } from './helpers/people.ts';

describeEachEngine('preference page and unsubscribe', (engine) => {
  let t: TestApp;
  let crew: Team;
  let ws: string;
  let contactId: string;
  let topicId: string;
  let token: string;
  beforeAll(async () => {
    t = await startTestApp(engine);
    crew = await team(t, 'متجر العود');
    ws = crew.workspace.id;
    const made = await createContact(t.db, {
      workspaceId: ws,
      input: { email: 'fatima@example.com', phone: '+966501234567', firstName: 'فاطمة', locale: 'ar' },
      now: t.clock.now,
    });
    if (!made.ok) throw new Error(made.error.message);
    contactId = made.value.contact.id;
    const topic = await createTopic(t.db, {
      workspaceId: ws,
      name: 'عروض الأسبوع',
      actor: { type: 'system' },
      now: t.clock.now,
    });
    if (!topic.ok) throw new Error(topic.error.message);
    topicId = topic.value.id;
    await setConsent(t.db, {
      workspaceId: ws,
      contactId,
      channel: 'email',
      status: 'granted',
      source: 'form',
      now: t.clock.now,
    });
    token = preferenceToken(TEST_SECRET, ws, contactId);
  });
  afterAll(() => t.close());

  const sendable = (topic?: string) =>
    sendableAddress(t.db, {
      workspaceId: ws,
      contactId,
      channel: 'email',
      marketing: true,
      ...(topic ? { topicId: topic } : {}),
    });

  it('gives staff the signed links, and another workspace a 404', async () => {
    const res = await call(t.app, 'GET', `/api/workspaces/${ws}/contacts/${contactId}/preference-links`, {
      as: crew.as.marketer,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      preferences: `${t.config.publicUrl.replace(/\/$/, '')}/preferences/${token}`,
      unsubscribe: `${t.config.publicUrl.replace(/\/$/, '')}/unsubscribe/${token}`,
      channels: ['email', 'sms', 'whatsapp'],
    });
  });

  it('shows the page in Arabic, right to left, with the channels and topics as they stand', async () => {
    const res = await call(t.app, 'GET', `/preferences/${token}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<html lang="ar" dir="rtl">');
    expect(res.body).toContain('مرحبًا فاطمة،');
    expect(res.body).toContain('<input type="checkbox" name="channel" value="email" checked>');
    expect(res.body).toContain('<input type="checkbox" name="channel" value="sms">');
    expect(res.body).toContain(
      `<input type="checkbox" name="topic" value="${topicId}" checked> عروض الأسبوع`,
    );
  });

  it('saves choices from the form: SMS on, the topic off, with proof and timeline events', async () => {
    const res = await call(t.app, 'POST', `/preferences/${token}`, {
      body: `channel=email&channel=sms`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Mail/1.0' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('حُفظت تفضيلاتك.');
    expect(await sendable()).toEqual({ ok: true, value: 'fatima@example.com' });
    expect(await sendable(topicId)).toEqual({ ok: false, error: 'topic_unsubscribed' });
    const sms = await sendableAddress(t.db, { workspaceId: ws, contactId, channel: 'sms', marketing: true });
    expect(sms).toEqual({ ok: true, value: '+966501234567' });
    const rows = await t.db
      .selectFrom('consents')
      .selectAll()
      .where('contact_id', '=', contactId)
      .orderBy('channel')
      .orderBy('topic_id')
      .execute();
    expect(rows.map((r) => [r.channel, r.topic_id === '' ? '' : 'topic', r.status, r.source])).toEqual([
      ['email', '', 'granted', 'form'],
      ['email', 'topic', 'unsubscribed', 'preference_page'],
      ['sms', '', 'granted', 'preference_page'],
    ]);
    expect(JSON.parse(rows[2]!.proof)).toMatchObject({ userAgent: 'Mail/1.0' });
  });

  it('never unsubscribes on GET (mail scanners follow links); one-click POST does, as RFC 8058 asks', async () => {
    const look = await call(t.app, 'GET', `/unsubscribe/${token}`);
    expect(look.statusCode).toBe(200);
    expect(look.body).toContain('method="post"');
    expect(await sendable()).toEqual({ ok: true, value: 'fatima@example.com' });
    const oneClick = await call(t.app, 'POST', `/unsubscribe/${token}`, {
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(oneClick.statusCode).toBe(200);
    expect(oneClick.body).toContain('أُلغي اشتراكك');
    expect(await sendable()).toEqual({ ok: false, error: 'no_consent' });
  });

  it('refuses a forged or altered link without saying whose it would be', async () => {
    const forged = preferenceToken('another-secret-of-at-least-32-characters', ws, contactId);
    for (const bad of [forged, `${token.slice(0, -1)}x`, 'nonsense']) {
      const res = await call(t.app, 'GET', `/preferences/${encodeURIComponent(bad)}`);
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('فاطمة');
      const post = await call(t.app, 'POST', `/unsubscribe/${encodeURIComponent(bad)}`);
      expect(post.statusCode).toBe(404);
    }
  });
});
