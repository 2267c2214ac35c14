/**
 * SMS end to end: the API queues, the real delivery engine composes and
 * sends through the SmppAdapter to a real SMPP server (the SMSC of the
 * channels tests), and what the SMSC sends back (receipts, "إلغاء") is applied.
 */
import { SmppAdapter } from '@wasl/channels/sms';
import { newId } from '@wasl/core';
import type { DecodedMessage, PDU } from 'smpp';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { PASSWORD, type Smsc, SYSTEM_ID, startSmsc } from '../../../channels/test/sms/smsc.ts';
import { createDelivery, smppReportHandler } from '../../src/services/messaging/index.ts';
import { startTestApp, TEST_SECRET, type TestApp } from '../helpers/app.ts';
import { call } from '../helpers/client.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { type Team, team } from '../helpers/people.ts';
import { runUntilSettled } from './delivery.ts';

const SENDER = 'WaslShop';
const BODY = 'مرحبًا {{ contact.first_name }}، تشكيلة {{ campaign.season }} وصلت. للإلغاء أرسل إلغاء';
const decoded = (pdu: PDU) => pdu.short_message as DecodedMessage;

describeEachEngine('SMS delivery through the API, the engine and an SMSC', (engine) => {
  let t: TestApp;
  let crew: Team;
  let ws: string;
  let templateId: string;
  let smsc: Smsc;
  let adapter: SmppAdapter;

  beforeAll(async () => {
    t = await startTestApp(engine, { messaging: { channels: ['email', 'sms'] } });
    crew = await team(t, 'متجر الورد');
    ws = crew.workspace.id;
    templateId = newId(t.clock.now);
    await t.db
      .insertInto('message_templates')
      .values({
        id: templateId,
        workspace_id: ws,
        channel: 'sms',
        name: 'عرض الموسم',
        subject: '',
        body: BODY,
        dir: 'rtl',
        lang: 'ar-SA',
        settings: '{}',
        version: 1,
        created_at: t.clock.now,
        updated_at: t.clock.now,
      })
      .execute();
    smsc = await startSmsc();
    const created = SmppAdapter.create({
      host: '127.0.0.1',
      port: smsc.port,
      systemId: SYSTEM_ID,
      password: PASSWORD,
      onReport: smppReportHandler(t.db, t.events.store, () => t.clock.now),
    });
    if (!created.ok) throw new Error(created.error.message);
    adapter = created.value;
    expect((await adapter.connect()).ok).toBe(true);
  });
  afterAll(async () => {
    await adapter.close();
    await smsc.close();
    await t.close();
  });
  beforeEach(() => {
    smsc.received.length = 0;
  });

  /** Runs the real engine until nothing due is left, then stops it. */
  async function deliver() {
    const errors: unknown[] = [];
    const { engine, outcomes } = createDelivery({
      db: t.db,
      dialect: t.oltp.dialect,
      secret: TEST_SECRET,
      publicUrl: t.config.publicUrl,
      smsSender: SENDER,
      adapters: { sms: adapter },
      record: (events) => t.events.store.append(events),
      onError: (error) => errors.push(error),
      clock: () => t.clock.now,
      engine: { pollMs: 10 },
    });
    engine.start();
    await runUntilSettled(t, engine, outcomes, errors, 5_000);
  }

  async function addContact(phone: string, firstName: string, consent?: 'granted', timezone?: string) {
    const res = await call(t.app, 'POST', `/api/workspaces/${ws}/contacts`, {
      as: crew.as.marketer,
      body: { phone, firstName, ...(timezone ? { timezone } : {}) },
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().contact.id as string;
    if (consent) {
      const put = await call(t.app, 'PUT', `/api/workspaces/${ws}/contacts/${id}/consents`, {
        as: crew.as.marketer,
        body: { channel: 'sms', status: consent, source: 'form' },
      });
      expect(put.statusCode).toBe(200);
    }
    return id;
  }
  const send = (body: Record<string, unknown>) =>
    call(t.app, 'POST', `/api/workspaces/${ws}/messages`, { as: crew.as.marketer, body });
  const marketing = (contactId: string) => ({
    contactId,
    channel: 'sms',
    marketing: true,
    content: { templateId, variables: { season: 'الربيع' } },
  });
  const logOf = async (id: string) =>
    (await call(t.app, 'GET', `/api/workspaces/${ws}/messages/${id}`, { as: crew.as.analyst })).json()
      .message;

  it('sends an Arabic SMS template to a consenting contact once, as UCS-2, with the rendered text', async () => {
    const contactId = await addContact('+966501110001', 'ليلى', 'granted');
    const res = await send(marketing(contactId));
    expect(res.statusCode).toBe(202);
    expect(res.json().message).toMatchObject({ channel: 'sms', status: 'queued', waiting: null });
    await deliver();
    const text = 'مرحبًا ليلى، تشكيلة الربيع وصلت. للإلغاء أرسل إلغاء';
    const submits = smsc.submits();
    expect(submits).toHaveLength(1);
    expect(submits[0]).toMatchObject({
      source_addr: SENDER,
      destination_addr: '966501110001',
      data_coding: 8,
      esm_class: 0,
    });
    expect(decoded(submits[0]!)).toEqual({ message: text });
    expect(await logOf(res.json().message.id)).toMatchObject({
      status: 'sent',
      attempts: 1,
      provider: 'smpp',
    });
  });

  it('sends a 2-part Arabic text as two submit_sm with a concatenation UDH', async () => {
    const contactId = await addContact('+966501110002', 'سارة');
    const text = 'طلبك رقم ١٢٣ في الطريق إليك. '.repeat(4).trim();
    expect(text.length).toBeGreaterThan(70);
    expect(text.length).toBeLessThanOrEqual(134);
    const res = await send({ contactId, channel: 'sms', marketing: false, content: { text } });
    expect(res.statusCode).toBe(202);
    await deliver();
    const submits = smsc.submits();
    expect(submits.map((pdu) => [pdu.esm_class, pdu.data_coding])).toEqual([
      [0x40, 8],
      [0x40, 8],
    ]);
    expect(submits.map((pdu) => [...(decoded(pdu).udh?.[0] ?? [])].slice(3))).toEqual([
      [2, 1],
      [2, 2],
    ]);
    expect(submits.map((pdu) => decoded(pdu).message).join('')).toBe(text);
  });

  it('skips a contact without SMS consent: no_consent, nothing reaches the SMSC', async () => {
    const contactId = await addContact('+966501110003', 'هدى');
    const id = (await send(marketing(contactId))).json().message.id;
    await deliver();
    expect(await logOf(id)).toMatchObject({ status: 'skipped', skipReason: 'no_consent' });
    expect(smsc.submits()).toHaveLength(0);
  });

  it('defers marketing SMS in the quiet hours (21:00–08:00 in the contact’s zone) until they end', async () => {
    const contactId = await addContact('+966501110004', 'خالد', 'granted', 'Asia/Riyadh');
    const day = new Date(t.clock.now);
    const before = t.clock.now;
    // 19:30Z is 22:30 in Riyadh; the quiet hours end at 08:00 Riyadh, 05:00Z.
    t.clock.now = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 19, 30);
    const id = (await send(marketing(contactId))).json().message.id;
    await deliver();
    const end = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1, 5, 0);
    expect(await logOf(id)).toMatchObject({
      status: 'queued',
      waiting: 'quiet_hours',
      nextAttemptAt: new Date(end).toISOString(),
    });
    expect(smsc.submits()).toHaveLength(0);
    t.clock.now = end;
    await deliver();
    expect(await logOf(id)).toMatchObject({ status: 'sent' });
    expect(smsc.submits().map((pdu) => pdu.destination_addr)).toEqual(['966501110004']);
    t.clock.now = before;
  });

  it('moves a message to delivered on the SMSC’s delivery receipt', async () => {
    const contactId = await addContact('+966501110005', 'نورة', 'granted');
    const id = (await send(marketing(contactId))).json().message.id;
    await deliver();
    const sent = await logOf(id);
    expect(sent).toMatchObject({ status: 'sent' });
    const response = await smsc.deliver({
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '966501110005',
      destination_addr: SENDER,
      esm_class: 0x04,
      short_message: `id:${sent.providerMessageId} sub:001 dlvrd:001 submit date:2601150900 done date:2601150901 stat:DELIVRD err:000 text:x`,
      receipted_message_id: sent.providerMessageId,
      message_state: 2,
    });
    expect(response).toMatchObject({ command: 'deliver_sm_resp', command_status: 0 });
    expect(await logOf(id)).toMatchObject({ status: 'delivered' });
  });

  it('unsubscribes the contact on an "إلغاء" reply from their phone; the next SMS is skipped', async () => {
    const contactId = await addContact('+966501110006', 'فهد', 'granted');
    await send(marketing(contactId));
    await deliver();
    expect(smsc.submits()).toHaveLength(1);
    const response = await smsc.deliver({
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '966501110006',
      destination_addr: SENDER,
      esm_class: 0,
      data_coding: 8,
      short_message: 'إلغاء',
    });
    expect(response).toMatchObject({ command: 'deliver_sm_resp', command_status: 0 });
    const consent = await t.db
      .selectFrom('consents')
      .select(['status', 'source'])
      .where('contact_id', '=', contactId)
      .where('channel', '=', 'sms')
      .where('topic_id', '=', '')
      .executeTakeFirst();
    expect(consent).toEqual({ status: 'unsubscribed', source: 'sms_keyword' });
    smsc.received.length = 0;
    const next = (await send(marketing(contactId))).json().message.id;
    await deliver();
    expect(await logOf(next)).toMatchObject({ status: 'skipped', skipReason: 'no_consent' });
    expect(smsc.submits()).toHaveLength(0);
  });

  it('refuses email content on the SMS channel with 400 naming content', async () => {
    const contactId = await addContact('+966501110007', 'ريم');
    const res = await send({
      contactId,
      channel: 'sms',
      marketing: false,
      content: { subject: 'س', html: '<p>ن</p>', text: 'ن' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      field: 'content',
      message: 'an sms message has templateId or text (subject and html are for email)',
    });
  });
});
