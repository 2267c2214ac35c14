/**
 * WhatsApp end to end: the API queues, the real delivery engine composes and
 * sends through the WhatsAppAdapter to the Cloud API fake of the channels
 * tests (which refuses requests that break the documented format), and the
 * signed webhooks (statuses, inbound messages) come back through
 * /hooks/<ws>/whatsapp: they move message statuses and open the 24-hour
 * customer-service window free-form messages need.
 */
import { createHmac } from 'node:crypto';
import { WhatsAppAdapter } from '@wasl/channels/http-providers';
import { newId } from '@wasl/core';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import type { FakeProvider } from '../../../channels/test/http-providers/fakes/server.ts';
import { startWhatsAppFake } from '../../../channels/test/http-providers/fakes/whatsapp.ts';
import { type ProviderSecretMap, providerWebhookRoutes } from '../../src/routes/provider-webhooks.ts';
import { createDelivery } from '../../src/services/messaging/index.ts';
import { startTestApp, TEST_SECRET, type TestApp } from '../helpers/app.ts';
import { call } from '../helpers/client.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { type Team, team } from '../helpers/people.ts';
import { runUntilSettled } from './delivery.ts';

const PHONE_ID = '106540352242922';
const TOKEN = 'EAAG-whatsapp-test-token';
const APP_SECRET = 'whatsapp-app-secret';
const HOUR = 60 * 60 * 1000;

describeEachEngine('WhatsApp through the API, the engine and the Cloud API', (engine) => {
  let t: TestApp;
  let crew: Team;
  let other: Team;
  let ws: string;
  let fake: FakeProvider;
  let adapter: WhatsAppAdapter;
  let phones = 0;

  beforeAll(async () => {
    // The webhook routes are added below with test secrets, so the ingest surface (env secrets) stays off.
    t = await startTestApp(engine, {
      surfaces: { api: true, ingest: false },
      messaging: { channels: ['email', 'sms', 'whatsapp'] },
    });
    crew = await team(t, 'متجر الورد');
    other = await team(t, 'متجر آخر');
    ws = crew.workspace.id;
    // Like the environment's secrets: the same for every workspace.
    const whatsapp: ProviderSecretMap['whatsapp'] = { appSecret: APP_SECRET, verifyToken: 'verify-me' };
    t.app.register(async (root) =>
      providerWebhookRoutes(
        root.withTypeProvider<ZodTypeProvider>(),
        { db: t.db, events: t.events.store, clock: () => t.clock.now, config: t.config },
        { get: (_ws, provider) => (provider === 'whatsapp' ? (whatsapp as never) : undefined) },
      ),
    );
    fake = await startWhatsAppFake(PHONE_ID, TOKEN);
    adapter = new WhatsAppAdapter({ phoneNumberId: PHONE_ID, accessToken: TOKEN, baseUrl: fake.url });
  });
  afterAll(async () => {
    await adapter.close();
    await fake.close();
    await t.close();
  });
  beforeEach(() => {
    fake.received.length = 0;
    fake.rejected.length = 0;
  });

  /** Runs the real engine until nothing due is left, then stops it. */
  async function deliver() {
    const errors: unknown[] = [];
    const { engine, outcomes } = createDelivery({
      db: t.db,
      dialect: t.oltp.dialect,
      secret: TEST_SECRET,
      publicUrl: t.config.publicUrl,
      adapters: { whatsapp: adapter },
      record: (events) => t.events.store.append(events),
      onError: (error) => errors.push(error),
      clock: () => t.clock.now,
      engine: { pollMs: 10 },
    });
    engine.start();
    await runUntilSettled(t, engine, outcomes, errors, 5_000);
  }

  /** A contact with a fresh phone; consent on WhatsApp when asked. */
  async function addContact(firstName: string | undefined, consent?: 'granted' | 'denied') {
    phones += 1;
    const phone = `+9665077${String(phones).padStart(5, '0')}`;
    const res = await call(t.app, 'POST', `/api/workspaces/${ws}/contacts`, {
      as: crew.as.marketer,
      body: { phone, ...(firstName ? { firstName } : {}) },
    });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().contact.id as string;
    if (consent) {
      const put = await call(t.app, 'PUT', `/api/workspaces/${ws}/contacts/${id}/consents`, {
        as: crew.as.marketer,
        body: { channel: 'whatsapp', status: consent, source: 'form' },
      });
      expect(put.statusCode, put.body).toBe(200);
    }
    return { id, phone };
  }
  const send = (body: Record<string, unknown>, workspace = ws, as = crew.as.marketer) =>
    call(t.app, 'POST', `/api/workspaces/${workspace}/messages`, { as, body });
  const queued = async (body: Record<string, unknown>) => {
    const res = await send(body);
    expect(res.statusCode, res.body).toBe(202);
    return res.json().message.id as string;
  };
  const logOf = async (id: string) =>
    (await call(t.app, 'GET', `/api/workspaces/${ws}/messages/${id}`, { as: crew.as.analyst })).json()
      .message;
  const sentBodies = () => fake.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);

  /** A whatsapp_business_account webhook as Meta posts it, and its signature headers. */
  const webhook = (value: Record<string, unknown>) =>
    JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_ID },
                ...value,
              },
            },
          ],
        },
      ],
    });
  const seconds = (ms: number) => String(Math.floor(ms / 1000));
  const inbound = (phone: string, text: string, at = t.clock.now) =>
    webhook({
      contacts: [{ profile: { name: 'عميل' }, wa_id: phone.slice(1) }],
      messages: [
        {
          from: phone.slice(1),
          id: `wamid.in${newId(t.clock.now)}`,
          timestamp: seconds(at),
          type: 'text',
          text: { body: text },
        },
      ],
    });
  const status = (wamid: string, phone: string, name: string) =>
    webhook({
      statuses: [{ id: wamid, status: name, timestamp: seconds(t.clock.now), recipient_id: phone.slice(1) }],
    });
  const hook = (body: string, workspace = ws, secret = APP_SECRET) =>
    t.app.inject({
      method: 'POST',
      url: `/hooks/${workspace}/whatsapp`,
      payload: body,
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`,
      },
    });
  const windowOf = (phone: string, workspace = ws) =>
    t.db
      .selectFrom('whatsapp_windows')
      .select('last_inbound_at')
      .where('workspace_id', '=', workspace)
      .where('phone', '=', phone)
      .executeTakeFirst();

  const approved = (contactId: string, marketing = true) => ({
    contactId,
    channel: 'whatsapp',
    marketing,
    content: {
      whatsappTemplate: {
        name: 'spring_offer',
        language: 'ar',
        parameters: ['{{ contact.first_name }}', 'خصم ٢٠٪'],
        headerMedia: { kind: 'image', link: 'https://cdn.example.sa/ورود.png' },
      },
    },
  });

  it('sends an approved Arabic template (language ar) at any time, its parameters filled per contact', async () => {
    const a = await addContact('عبد الرحمن', 'granted');
    const b = await addContact('ليلى', 'granted');
    const ids = [await queued(approved(a.id)), await queued(approved(b.id))];
    await deliver();
    expect(fake.rejected).toEqual([]);
    const bodies = sentBodies().sort((x, y) => String(x.to).localeCompare(String(y.to)));
    expect(bodies).toEqual(
      [
        [a.phone, 'عبد الرحمن'],
        [b.phone, 'ليلى'],
      ].map(([to, name]) => ({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to,
        type: 'template',
        template: {
          name: 'spring_offer',
          language: { code: 'ar' },
          components: [
            {
              type: 'header',
              parameters: [{ type: 'image', image: { link: 'https://cdn.example.sa/ورود.png' } }],
            },
            {
              type: 'body',
              parameters: [
                { type: 'text', text: name },
                { type: 'text', text: 'خصم ٢٠٪' },
              ],
            },
          ],
        },
      })),
    );
    for (const id of ids) {
      expect(await logOf(id)).toMatchObject({
        channel: 'whatsapp',
        status: 'sent',
        provider: 'whatsapp-cloud',
        providerMessageId: expect.stringMatching(/^wamid\./),
      });
    }
  });

  it('skips an approved template whose parameter renders empty, naming the parameter; nothing is sent', async () => {
    const c = await addContact(undefined, 'granted');
    const id = await queued(approved(c.id));
    await deliver();
    const log = await logOf(id);
    expect(log.status).toBe('skipped');
    expect(log.skipReason).toMatch(
      /^missing_parameter: whatsappTemplate\.parameters\[0\] \(\{\{1\}\} of the approved template "spring_offer"\) is empty/,
    );
    expect(fake.received).toEqual([]);
  });

  it('sends free-form text only inside the 24-hour window its sender opened by writing to us', async () => {
    const c = await addContact('سارة', 'granted');
    const text = {
      contactId: c.id,
      channel: 'whatsapp',
      marketing: false,
      content: { text: 'طلبك في الطريق' },
    };
    const before = await queued(text);
    await deliver();
    expect(await logOf(before)).toMatchObject({ status: 'skipped' });
    expect((await logOf(before)).skipReason).toMatch(
      new RegExp(`^outside_service_window: \\${c.phone} has never written to this workspace on WhatsApp`),
    );
    expect(fake.received).toEqual([]);

    const res = await hook(inbound(c.phone, 'متى يصل طلبي؟'));
    expect(res.statusCode, res.body).toBe(200);
    expect(Number((await windowOf(c.phone))?.last_inbound_at)).toBe(Math.floor(t.clock.now / 1000) * 1000);
    const inside = await queued(text);
    const media = await queued({
      ...text,
      content: {
        media: { kind: 'document', link: 'https://cdn.example.sa/فاتورة.pdf', caption: 'الفاتورة' },
      },
    });
    await deliver();
    expect(await logOf(inside)).toMatchObject({ status: 'sent' });
    expect(await logOf(media)).toMatchObject({ status: 'sent' });
    expect(sentBodies()).toEqual(
      expect.arrayContaining([
        {
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          to: c.phone,
          type: 'text',
          text: { preview_url: false, body: 'طلبك في الطريق' },
        },
        {
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          to: c.phone,
          type: 'document',
          document: { link: 'https://cdn.example.sa/فاتورة.pdf', caption: 'الفاتورة' },
        },
      ]),
    );

    // 24 hours after their message the window has closed.
    const start = t.clock.now;
    t.clock.now += 24 * HOUR;
    fake.received.length = 0;
    const after = await queued(text);
    await deliver();
    const log = await logOf(after);
    expect(log.status).toBe('skipped');
    expect(log.skipReason).toMatch(/^outside_service_window: .* more than 24 hours ago/);
    expect(fake.received).toEqual([]);
    t.clock.now = start;
  });

  it('renders a whatsapp message template inside the window', async () => {
    const c = await addContact('نورة', 'granted');
    const templateId = newId(t.clock.now);
    await t.db
      .insertInto('message_templates')
      .values({
        id: templateId,
        workspace_id: ws,
        channel: 'whatsapp',
        name: 'رد',
        subject: '',
        body: 'أهلًا {{ contact.first_name }}، تشكيلة {{ campaign.season }} متوفرة.',
        dir: 'rtl',
        lang: 'ar-SA',
        settings: '{}',
        version: 1,
        created_at: t.clock.now,
        updated_at: t.clock.now,
      })
      .execute();
    expect((await hook(inbound(c.phone, 'هل وصلت التشكيلة؟', t.clock.now - HOUR))).statusCode).toBe(200);
    const id = await queued({
      contactId: c.id,
      channel: 'whatsapp',
      marketing: true,
      content: { templateId, variables: { season: 'الربيع' } },
    });
    await deliver();
    expect(await logOf(id)).toMatchObject({ status: 'sent' });
    expect(sentBodies()).toEqual([
      expect.objectContaining({
        to: c.phone,
        type: 'text',
        text: { preview_url: false, body: 'أهلًا نورة، تشكيلة الربيع متوفرة.' },
      }),
    ]);
  });

  it('needs opt-in for every WhatsApp message: without granted consent it is skipped no_consent, never sent', async () => {
    const none = await addContact('هدى');
    const denied = await addContact('خالد', 'denied');
    for (const c of [none, denied]) expect((await hook(inbound(c.phone, 'مرحبا'))).statusCode).toBe(200);
    const ids = [
      await queued(approved(none.id, false)),
      await queued({
        contactId: none.id,
        channel: 'whatsapp',
        marketing: false,
        content: { text: 'رمز التحقق ١٢٣٤' },
      }),
      await queued(approved(denied.id, false)),
    ];
    await deliver();
    for (const id of ids)
      expect(await logOf(id)).toMatchObject({ status: 'skipped', skipReason: 'no_consent' });
    expect(fake.received).toEqual([]);
  });

  it('never sends to a suppressed number, whatever its consent', async () => {
    const c = await addContact('فهد', 'granted');
    const suppressed = await call(t.app, 'POST', `/api/workspaces/${ws}/suppressions`, {
      as: crew.as.marketer,
      body: { channel: 'whatsapp', address: c.phone },
    });
    expect(suppressed.statusCode, suppressed.body).toBe(201);
    const id = await queued(approved(c.id));
    await deliver();
    expect(await logOf(id)).toMatchObject({ status: 'skipped', skipReason: 'suppressed' });
    expect(fake.received).toEqual([]);
  });

  it('moves a message to delivered, then opened, on signed status webhooks; a bad signature changes nothing', async () => {
    const c = await addContact('ريم', 'granted');
    const id = await queued(approved(c.id));
    await deliver();
    const sent = await logOf(id);
    expect(sent.status).toBe('sent');
    const wamid = sent.providerMessageId as string;

    const forged = await hook(status(wamid, c.phone, 'delivered'), ws, 'not-the-app-secret');
    expect(forged.statusCode).toBe(401);
    const forgedInbound = await hook(inbound(c.phone, 'مرحبا'), ws, 'not-the-app-secret');
    expect(forgedInbound.statusCode).toBe(401);
    expect(await logOf(id)).toMatchObject({ status: 'sent' });
    expect(await windowOf(c.phone)).toBeUndefined();

    const delivered = await hook(status(wamid, c.phone, 'delivered'));
    expect(delivered.statusCode, delivered.body).toBe(200);
    expect(delivered.json()).toEqual({ applied: 1, moved: 1, unmatched: 0 });
    expect(await logOf(id)).toMatchObject({ status: 'delivered' });
    expect((await hook(status(wamid, c.phone, 'read'))).statusCode).toBe(200);
    expect(await logOf(id)).toMatchObject({ status: 'opened' });
  });

  it('unsubscribes the contact on an "إلغاء" reply; the next message is skipped no_consent', async () => {
    const c = await addContact('منى', 'granted');
    expect((await hook(inbound(c.phone, 'إلغاء'))).statusCode).toBe(200);
    const consent = await t.db
      .selectFrom('consents')
      .select(['status', 'source'])
      .where('contact_id', '=', c.id)
      .where('channel', '=', 'whatsapp')
      .where('topic_id', '=', '')
      .executeTakeFirst();
    expect(consent).toEqual({ status: 'unsubscribed', source: 'whatsapp' });
    const id = await queued({
      contactId: c.id,
      channel: 'whatsapp',
      marketing: false,
      content: { text: 'تم' },
    });
    await deliver();
    expect(await logOf(id)).toMatchObject({ status: 'skipped', skipReason: 'no_consent' });
    expect(fake.received).toEqual([]);
  });

  it("keeps workspaces apart: another workspace's webhook opens no window here and moves no message here", async () => {
    const c = await addContact('سلمى', 'granted');
    const id = await queued(approved(c.id));
    await deliver();
    const wamid = (await logOf(id)).providerMessageId as string;
    expect((await hook(inbound(c.phone, 'مرحبا'), other.workspace.id)).statusCode).toBe(200);
    expect(await windowOf(c.phone)).toBeUndefined();
    expect(await windowOf(c.phone, other.workspace.id)).toBeDefined();
    const res = await hook(status(wamid, c.phone, 'read'), other.workspace.id);
    expect(res.json()).toEqual({ applied: 0, moved: 0, unmatched: 1 });
    expect(await logOf(id)).toMatchObject({ status: 'sent' });
    // A workspace that does not exist: nothing recorded, no error.
    expect((await hook(inbound(c.phone, 'مرحبا'), 'no-such-workspace')).statusCode).toBe(200);
    expect(await windowOf(c.phone, 'no-such-workspace')).toBeUndefined();

    fake.received.length = 0;
    const text = { contactId: c.id, channel: 'whatsapp', marketing: false, content: { text: 'أهلًا' } };
    const here = await queued(text);
    await deliver();
    expect((await logOf(here)).skipReason).toMatch(/^outside_service_window/);
    expect(fake.received).toEqual([]);
    // Another workspace cannot send to, or read the messages of, this one's contact.
    expect((await send(text, other.workspace.id, other.as.marketer)).statusCode).toBe(404);
    const read = await call(t.app, 'GET', `/api/workspaces/${other.workspace.id}/messages/${here}`, {
      as: other.as.analyst,
    });
    expect(read.statusCode).toBe(404);
  });

  it('refuses content WhatsApp cannot take with 400 naming the field', async () => {
    const c = await addContact('دانة', 'granted');
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ subject: 'س', html: '<p>ن</p>', text: 'ن' }, 'content', /^a whatsapp message has templateId/],
      [
        { whatsappTemplate: { name: 'spring_offer', language: 'Arabic' } },
        'content.whatsappTemplate.language',
        /WhatsApp language code/,
      ],
      [{ whatsappTemplate: { language: 'ar' } }, 'content', /whatsappTemplate\.name is required/],
      [
        {
          whatsappTemplate: {
            name: 'spring_offer',
            language: 'ar',
            parameters: ['x', '{{ workspace.secret }}'],
          },
        },
        'content.whatsappTemplate.parameters.1',
        /workspace\.secret/,
      ],
      [
        { media: { kind: 'audio', link: 'https://cdn.example.sa/a.ogg', caption: 'اسمع' } },
        'content.media.caption',
        /audio cannot have a caption/,
      ],
    ];
    for (const [content, field, message] of cases) {
      const res = await send({ contactId: c.id, channel: 'whatsapp', marketing: false, content });
      expect(res.statusCode, JSON.stringify(content)).toBe(400);
      expect(res.json().error.field, JSON.stringify(content)).toBe(field);
      expect(res.json().error.message).toMatch(message);
    }
    // WhatsApp forms do not fit other channels.
    const sms = await send({
      contactId: c.id,
      channel: 'sms',
      marketing: false,
      content: { media: { kind: 'image', link: 'https://cdn.example.sa/x.png' } },
    });
    expect(sms.statusCode).toBe(400);
    expect(sms.json().error.field).toBe('content');
  });

  it('describes the WhatsApp channel and content forms in the OpenAPI document', async () => {
    const doc = (await call(t.app, 'GET', '/api/openapi.json')).json();
    const schemas = doc.components.schemas;
    expect(schemas.SendMessage.properties.channel.enum).toEqual(expect.arrayContaining(['whatsapp']));
    expect(Object.keys(schemas.WhatsAppTemplateMessageContent.properties)).toEqual(
      expect.arrayContaining(['whatsappTemplate', 'topicId']),
    );
    expect(Object.keys(schemas.WhatsAppMediaMessageContent.properties)).toEqual(
      expect.arrayContaining(['media']),
    );
  });
});
