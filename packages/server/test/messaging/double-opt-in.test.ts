import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmationToken } from '../../src/services/messaging/double-opt-in.ts';
import { startTestApp, TEST_SECRET, type TestApp } from '../helpers/app.ts';
import { call } from '../helpers/client.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { type Team, team } from '../helpers/people.ts';
import { addContact, type Mailroom, openMailroom } from './delivery.ts';

describeEachEngine('double opt-in', (engine) => {
  let t: TestApp;
  let crew: Team;
  let ws: string;
  let room: Mailroom;

  beforeAll(async () => {
    t = await startTestApp(engine, { messaging: { channels: ['email'] } });
    crew = await team(t, 'مكتبة جرير');
    ws = crew.workspace.id;
    room = await openMailroom();
  });
  afterAll(async () => {
    await room.close();
    await t.close();
  });

  const consentOf = async (contactId: string) =>
    (
      await call(t.app, 'GET', `/api/workspaces/${ws}/contacts/${contactId}/consents`, {
        as: crew.as.analyst,
      })
    ).json().consents as {
      channel: string;
      topicId: string | null;
      status: string;
      source: string;
      proof: Record<string, unknown>;
    }[];

  async function confirmationLink(address: string): Promise<{ subject: string; html: string; path: string }> {
    const mail = room.sink.received.find((m) => m.to[0] === address);
    if (!mail) throw new Error(`no mail to ${address}`);
    const parsed = await simpleParser(mail.raw);
    const url = /http:\/\/localhost:8080(\/confirm\/[A-Za-z0-9_.~-]+)/.exec(parsed.text ?? '')?.[1];
    if (!url) throw new Error('no link in the mail');
    return { subject: parsed.subject ?? '', html: String(parsed.html), path: url };
  }

  it('sends an Arabic confirmation email (right to left); its link grants consent with proof; a forged link fails', async () => {
    const contactId = await addContact(t, crew, {
      email: 'fatima@example.sa',
      firstName: 'فاطمة',
      locale: 'ar',
    });
    const asked = await call(t.app, 'POST', `/api/workspaces/${ws}/contacts/${contactId}/double-opt-in`, {
      as: crew.as.marketer,
      body: {},
    });
    expect(asked.statusCode).toBe(202);
    expect(asked.json().status).toBe('pending');
    expect(await consentOf(contactId)).toMatchObject([
      { channel: 'email', status: 'pending', source: 'double_opt_in' },
    ]);

    await room.deliver(t);
    const mail = await confirmationLink('fatima@example.sa');
    expect(mail.subject).toBe('أكّد اشتراكك في رسائل مكتبة جرير');
    expect(mail.html).toContain('<html lang="ar" dir="rtl">');
    expect(mail.html).toContain('مرحبًا فاطمة،');
    const logged = await call(t.app, 'GET', `/api/workspaces/${ws}/messages/${asked.json().messageId}`, {
      as: crew.as.analyst,
    });
    expect(logged.json().message).toMatchObject({ status: 'sent', sourceKind: 'system', marketing: false });

    const forged = `${mail.path.slice(0, -1)}${mail.path.endsWith('A') ? 'B' : 'A'}`;
    const bad = await call(t.app, 'GET', forged);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('رابط التأكيد هذا غير صالح.');
    expect(await consentOf(contactId)).toMatchObject([{ status: 'pending' }]);

    t.clock.now += 60_000;
    const page = await call(t.app, 'GET', mail.path, {
      headers: { 'user-agent': 'Mozilla/5.0 (iPhone) Safari' },
      remoteAddress: '203.0.113.9',
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="ar" dir="rtl">');
    expect(page.body).toContain('أكّدت اشتراكك في رسائل مكتبة جرير');
    expect(await consentOf(contactId)).toEqual([
      {
        channel: 'email',
        topicId: null,
        status: 'granted',
        source: 'double_opt_in',
        proof: {
          confirmedAt: new Date(t.clock.now).toISOString(),
          ip: '203.0.113.9',
          userAgent: 'Mozilla/5.0 (iPhone) Safari',
        },
        updatedAt: new Date(t.clock.now).toISOString(),
      },
    ]);
    const facts = (await t.events.store.recent(ws, 50)).filter(
      (e) => e.name === 'consent.changed' && e.contactId === contactId,
    );
    expect(facts.map((e) => e.properties.status).sort()).toEqual(['granted', 'pending']);
  });

  it('writes to an English contact in English, and an expired link answers 410', async () => {
    const contactId = await addContact(t, crew, {
      email: 'john@example.com',
      firstName: 'John',
      locale: 'en',
    });
    const asked = await call(t.app, 'POST', `/api/workspaces/${ws}/contacts/${contactId}/double-opt-in`, {
      as: crew.as.marketer,
      body: {},
    });
    expect(asked.statusCode).toBe(202);
    await room.deliver(t);
    const mail = await confirmationLink('john@example.com');
    expect(mail.subject).toBe('Confirm your subscription to مكتبة جرير');
    expect(mail.html).toContain('<html lang="en" dir="ltr">');
    t.clock.now += 7 * 86_400_000 + 1000;
    const expired = await call(t.app, 'GET', mail.path);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This confirmation link has expired.');
    expect(await consentOf(contactId)).toMatchObject([{ status: 'pending' }]);
  });

  it('refuses a contact who has confirmed already, and a link signed with another secret', async () => {
    const contactId = await addContact(t, crew, { email: 'done@example.sa' }, 'granted');
    const again = await call(t.app, 'POST', `/api/workspaces/${ws}/contacts/${contactId}/double-opt-in`, {
      as: crew.as.marketer,
      body: {},
    });
    expect(again.statusCode).toBe(409);
    const token = confirmationToken(`${TEST_SECRET}-other`, ws, contactId, t.clock.now + 86_400_000);
    expect((await call(t.app, 'GET', `/confirm/${token}`)).statusCode).toBe(400);
  });
});

describe('confirmation tokens', () => {
  it('carry the workspace, contact and expiry, and nothing verifies without the secret', async () => {
    const { readConfirmationToken } = await import('../../src/services/messaging/double-opt-in.ts');
    const token = confirmationToken(TEST_SECRET, 'ws1', 'c1', 2_000_000_000_000);
    const ws = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
    const contact = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c';
    const packed = confirmationToken(TEST_SECRET, ws, contact, 2_000_000_000_000);
    expect(packed.length).toBeLessThan(100);
    expect(readConfirmationToken(TEST_SECRET, packed, 0)).toEqual({
      ok: true,
      value: { workspaceId: ws, contactId: contact },
    });
    expect(readConfirmationToken(TEST_SECRET, token, 1_999_999_999_000)).toEqual({
      ok: true,
      value: { workspaceId: 'ws1', contactId: 'c1' },
    });
    expect(readConfirmationToken(TEST_SECRET, token, 2_000_000_000_000)).toEqual({
      ok: false,
      error: 'expired',
    });
    expect(readConfirmationToken('x'.repeat(40), token, 0)).toEqual({ ok: false, error: 'forged' });
    expect(readConfirmationToken(TEST_SECRET, 'garbage', 0)).toEqual({ ok: false, error: 'forged' });
  });
});
