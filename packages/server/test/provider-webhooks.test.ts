import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { WaslEvent } from '@wasl/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioSignature, vonageSignature } from '../../channels/src/http-providers/index.ts';
import {
  makeSigner,
  type Signer,
  signedNotification,
  signedSubscription,
  TOPIC,
} from '../../channels/test/email/feedback/sns-signing.ts';
import { createContact } from '../src/index.ts';
import {
  type ProviderSecretMap,
  type ProviderSecrets,
  providerWebhookRoutes,
} from '../src/routes/provider-webhooks.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { messageState, sentMessage } from './helpers/messages.ts';
import { type Team, team } from './helpers/people.ts';

const FIXTURES = new URL('../../channels/test/email/feedback/fixtures/', import.meta.url);
const DSN_ID = '01935c7e-3b1a-7c4e-9f2d-8a1b2c3d4e5f';
const ARF_ID = '01935c7e-aaaa-7c4e-9f2d-8a1b2c3d4e5f';
const sendgridKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });

const SECRETS: ProviderSecretMap = {
  ses: { topicArns: [TOPIC] },
  sendgrid: {
    publicKey: sendgridKeys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  },
  mailgun: { signingKey: 'mailgun-signing-key-1' },
  postmark: { user: 'postmark', password: 'كلمة-سر' },
  inbound: { user: 'mta', password: 'inbound-secret' },
  twilio: { authToken: 'twilio-auth-token' },
  vonage: { signatureSecret: 'vonage-signature-secret', signatureMethod: 'sha256' },
  whatsapp: { appSecret: 'whatsapp-app-secret', verifyToken: 'verify-me' },
};

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

describeEachEngine('provider status webhooks', (engine) => {
  let t: TestApp;
  let crew: Team;
  let other: Team;
  let ws: string;
  let contactId: string;
  let signer: Signer;
  const confirmed: string[] = [];

  beforeAll(async () => {
    signer = makeSigner();
    // Routes on the API surface only, so this suite adds its own copy with test secrets and a certificate fetch.
    t = await startTestApp(engine, { surfaces: { api: true, ingest: false } });
    t.clock.now = Date.now();
    crew = await team(t, 'Hooks');
    other = await team(t, 'Other');
    ws = crew.workspace.id;
    const secrets: ProviderSecrets = {
      get: (workspaceId, provider) => (workspaceId === ws ? SECRETS[provider] : undefined),
    };
    t.app.register(async (root) =>
      providerWebhookRoutes(
        root.withTypeProvider<ZodTypeProvider>(),
        { db: t.db, events: t.events.store, clock: () => t.clock.now, config: t.config },
        secrets,
        {
          getSnsCertificate: async () => signer.certPem,
          confirmSnsSubscription: async (url) => {
            confirmed.push(url);
          },
        },
      ),
    );
    const made = await createContact(t.db, {
      workspaceId: ws,
      input: { email: 'salma@example.com', phone: '+966501234567', firstName: 'سلمى' },
      now: t.clock.now,
    });
    if (!made.ok) throw new Error(made.error.message);
    contactId = made.value.contact.id;
  });
  afterAll(() => t.close());

  const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
    (t.app as FastifyInstance).inject({
      method: 'POST',
      url: `/hooks/${ws}/${path}`,
      payload: body,
      headers,
    });
  const eventsOf = async (messageId: string): Promise<WaslEvent[]> =>
    (await t.events.store.recent(ws, 500)).filter((e) => e.properties.messageId === messageId);
  const email = (extra: Parameters<typeof sentMessage>[1] extends infer M ? Partial<M> : never = {}) =>
    sentMessage(t, { workspaceId: ws, contactId, address: 'salma@example.com', ...extra });
  const suppressed = (address: string) =>
    t.db
      .selectFrom('suppressions')
      .select(['workspace_id', 'address', 'reason'])
      .where('address', '=', address)
      .execute();

  describe('SES through SNS', () => {
    const delivery = (providerId: string) => ({
      notificationType: 'Delivery',
      mail: {
        timestamp: '2026-11-23T06:00:00.000Z',
        messageId: providerId,
        destination: ['salma@example.com'],
      },
      delivery: {
        timestamp: '2026-11-23T06:00:02.000Z',
        recipients: ['salma@example.com'],
        smtpResponse: '250 2.0.0 OK',
      },
    });

    it('applies a signed Delivery notification and clears in_doubt', async () => {
      const id = await email({ providerMessageId: 'ses-0001', inDoubt: true });
      const res = await post('email/ses', JSON.stringify(signedNotification(signer, delivery('ses-0001'))), {
        'content-type': 'text/plain; charset=UTF-8',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ applied: 1, moved: 1, unmatched: 0 });
      expect(await messageState(t, id)).toEqual({ status: 'delivered', in_doubt: 0 });
      const events = await eventsOf(id);
      expect(events.map((e) => [e.type, e.name, e.occurredAt.toISOString()])).toEqual([
        ['message', 'message.delivered', '2026-11-23T06:00:02.000Z'],
      ]);
      expect(events[0]?.properties).toMatchObject({ provider: 'ses', recipient: 'salma@example.com' });
      // SNS retries: the same notification again changes nothing and adds no second event.
      await post('email/ses', JSON.stringify(signedNotification(signer, delivery('ses-0001'))));
      expect((await eventsOf(id)).length).toBe(1);
    });

    it('refuses a changed message (401), an unknown topic (401), and confirms subscriptions', async () => {
      const id = await email({ providerMessageId: 'ses-0002' });
      const signed = signedNotification(signer, delivery('ses-0002'));
      const tampered = { ...signed, Message: signed.Message?.replace('Delivery', 'Bounce') ?? '' };
      const bad = await post('email/ses', JSON.stringify(tampered));
      expect(bad.statusCode).toBe(401);
      expect(bad.json().error).toMatchObject({ code: 'unauthorized', field: 'Signature' });
      const foreign = { ...signed, TopicArn: 'arn:aws:sns:eu-central-1:999999999999:someone-else' };
      const topic = await post('email/ses', JSON.stringify(foreign));
      expect(topic.statusCode).toBe(401);
      expect(topic.json().error.field).toBe('TopicArn');
      expect(await messageState(t, id)).toEqual({ status: 'sent', in_doubt: 0 });

      const subscription = await post('email/ses', JSON.stringify(signedSubscription(signer)));
      expect(subscription.statusCode, subscription.body).toBe(200);
      expect(confirmed).toEqual([
        `https://sns.eu-central-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TOPIC}&Token=2336412f37`,
      ]);
    });

    it('answers 400 for a malformed envelope', async () => {
      const res = await post('email/ses', '{"Type":"Notification"');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('invalid');
    });
  });

  describe('SendGrid', () => {
    const signed = (body: string, timestamp = String(Math.floor(t.clock.now / 1000))) => ({
      'content-type': 'application/json',
      'x-twilio-email-event-webhook-timestamp': timestamp,
      'x-twilio-email-event-webhook-signature': sign(
        'sha256',
        Buffer.from(timestamp + body, 'utf8'),
        sendgridKeys.privateKey,
      ).toString('base64'),
    });

    it('applies a signed open by our id; a forged signature is 401', async () => {
      const id = await email({ status: 'delivered' });
      const body = JSON.stringify([
        {
          email: 'salma@example.com',
          timestamp: Math.floor(t.clock.now / 1000),
          event: 'open',
          sg_message_id: 'sg-abc.filter0001',
          wasl_message_id: id,
          useragent: 'Mozilla/5.0',
        },
      ]);
      const forged = await post('email/sendgrid', body.replace('open', 'click'), signed(body));
      expect(forged.statusCode).toBe(401);
      expect(await messageState(t, id)).toEqual({ status: 'delivered', in_doubt: 0 });
      const res = await post('email/sendgrid', body, signed(body));
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ applied: 1, moved: 1, unmatched: 0 });
      expect(await messageState(t, id)).toEqual({ status: 'opened', in_doubt: 0 });
      expect((await eventsOf(id)).map((e) => e.name)).toEqual(['message.opened']);
    });
  });

  describe('Mailgun', () => {
    const webhook = (eventData: Record<string, unknown>, key = SECRETS.mailgun.signingKey) => {
      const timestamp = String(Math.floor(t.clock.now / 1000));
      const token = 'a8ce0edb2dd8301dcd3c2af4cb2fa1f7dd3d1cf2e6b1fa0e5c';
      const signature = createHmac('sha256', key)
        .update(timestamp + token)
        .digest('hex');
      return JSON.stringify({ signature: { timestamp, token, signature }, 'event-data': eventData });
    };

    it('applies a delivered event by provider id; wrong key 401; bad JSON 400', async () => {
      const id = await email({ providerMessageId: '20261123.1.ABC@mg.wasl.example' });
      const data = {
        event: 'delivered',
        id: 'ev-1',
        timestamp: Math.floor(t.clock.now / 1000),
        recipient: 'salma@example.com',
        message: { headers: { 'message-id': '20261123.1.ABC@mg.wasl.example' } },
      };
      const wrong = await post('email/mailgun', webhook(data, 'not-the-key'), {
        'content-type': 'application/json',
      });
      expect(wrong.statusCode).toBe(401);
      const broken = await post('email/mailgun', '{"signature":', { 'content-type': 'application/json' });
      expect(broken.statusCode).toBe(400);
      const res = await post('email/mailgun', webhook(data), { 'content-type': 'application/json' });
      expect(res.statusCode, res.body).toBe(200);
      expect(await messageState(t, id)).toEqual({ status: 'delivered', in_doubt: 0 });
    });

    it("an unsubscribe report sets the contact's email consent to unsubscribed", async () => {
      const id = await email({ status: 'clicked' });
      const data = {
        event: 'unsubscribed',
        id: 'ev-2',
        timestamp: Math.floor(t.clock.now / 1000),
        recipient: 'salma@example.com',
        'user-variables': { wasl_message_id: id },
      };
      const res = await post('email/mailgun', webhook(data), { 'content-type': 'application/json' });
      expect(res.statusCode, res.body).toBe(200);
      expect(await messageState(t, id)).toEqual({ status: 'unsubscribed', in_doubt: 0 });
      const consents = await t.db
        .selectFrom('consents')
        .select(['channel', 'topic_id', 'status', 'source'])
        .where('contact_id', '=', contactId)
        .execute();
      expect(consents).toEqual([
        { channel: 'email', topic_id: '', status: 'unsubscribed', source: 'mailgun' },
      ]);
      const names = (await t.events.store.recent(ws, 500))
        .filter((e) => e.contactId === contactId && e.occurredAt.getTime() >= t.clock.now - 1000)
        .map((e) => e.name)
        .sort();
      expect(names).toContain('consent.changed');
      expect(names).toContain('message.unsubscribed');
    });
  });

  describe('Postmark', () => {
    const bounce = (messageId: string, address: string) =>
      JSON.stringify({
        RecordType: 'Bounce',
        ID: 4323372036,
        Type: 'HardBounce',
        TypeCode: 1,
        Tag: 'newsletter',
        MessageID: '883953f4-6105-42a2-a16a-77a8eac79483',
        Metadata: { wasl_message_id: messageId },
        Details: 'smtp;550 5.1.1 The email account that you tried to reach does not exist.',
        Email: address,
        BouncedAt: new Date(t.clock.now).toISOString(),
        Inactive: true,
      });

    it('bounces the message over its progress and suppresses the address', async () => {
      const id = await email({ status: 'opened', address: 'huda@example.com' });
      const res = await post('email/postmark', bounce(id, 'huda@example.com'), {
        'content-type': 'application/json',
        authorization: basic('postmark', 'كلمة-سر'),
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(await messageState(t, id)).toEqual({ status: 'bounced', in_doubt: 0 });
      expect(await suppressed('huda@example.com')).toEqual([
        { workspace_id: ws, address: 'huda@example.com', reason: 'hard_bounce' },
      ]);
      const [event] = await eventsOf(id);
      expect(event?.name).toBe('message.bounced');
      expect(event?.properties).toMatchObject({
        bounceKind: 'hard',
        bounceCode: 'HardBounce',
        statusChanged: true,
      });
    });

    it('401 without the right credentials', async () => {
      const res = await post('email/postmark', bounce('x', 'a@example.com'), {
        'content-type': 'application/json',
        authorization: basic('postmark', 'wrong'),
      });
      expect(res.statusCode).toBe(401);
    });

    it('never applies a report to another workspace’s message', async () => {
      const theirs = await sentMessage(t, { workspaceId: other.workspace.id, address: 'their@example.com' });
      const res = await post('email/postmark', bounce(theirs, 'their@example.com'), {
        'content-type': 'application/json',
        authorization: basic('postmark', 'كلمة-سر'),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ applied: 0, moved: 0, unmatched: 1 });
      expect(await messageState(t, theirs)).toEqual({ status: 'sent', in_doubt: 0 });
      expect(await suppressed('their@example.com')).toEqual([]);
      // And the other workspace has no secrets configured: its endpoints are 404.
      const theirsHook = await (t.app as FastifyInstance).inject({
        method: 'POST',
        url: `/hooks/${other.workspace.id}/email/postmark`,
        payload: '{}',
        headers: { 'content-type': 'application/json' },
      });
      expect(theirsHook.statusCode).toBe(404);
    });
  });

  describe('raw DSN and ARF mail', () => {
    it('applies a DSN hard bounce and an ARF complaint by the Message-ID convention', async () => {
      const bounced = await email({ id: DSN_ID, address: 'no-such-user@example.net' });
      const complained = await email({ id: ARF_ID, address: 'salma@example.com' });
      const auth = { 'content-type': 'message/rfc822', authorization: basic('mta', 'inbound-secret') };
      const dsn = await post(
        'email/inbound',
        readFileSync(new URL('postfix-user-unknown.eml', FIXTURES)),
        auth,
      );
      expect(dsn.statusCode, dsn.body).toBe(200);
      expect(dsn.json()).toEqual({ applied: 1, moved: 1, unmatched: 0 });
      const arf = await post('email/inbound', readFileSync(new URL('yahoo-abuse.eml', FIXTURES)), auth);
      expect(arf.statusCode, arf.body).toBe(200);
      expect(await messageState(t, bounced)).toEqual({ status: 'bounced', in_doubt: 0 });
      expect(await messageState(t, complained)).toEqual({ status: 'complained', in_doubt: 0 });
      expect(await suppressed('no-such-user@example.net')).toEqual([
        { workspace_id: ws, address: 'no-such-user@example.net', reason: 'hard_bounce' },
      ]);
      expect((await suppressed('salma@example.com')).map((s) => s.reason)).toEqual(['complaint']);
      expect((await eventsOf(complained)).map((e) => e.name)).toEqual(['message.complained']);
    });

    it('answers 400 for mail that is not a report', async () => {
      const res = await post('email/inbound', 'Subject: hello\r\n\r\nمرحبا', {
        'content-type': 'message/rfc822',
        authorization: basic('mta', 'inbound-secret'),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'invalid', field: 'Content-Type' });
    });
  });

  describe('Twilio', () => {
    it('applies a signed delivered callback; an unsigned one is 401', async () => {
      const id = await sentMessage(t, {
        workspaceId: ws,
        contactId,
        channel: 'sms',
        address: '+966501234567',
        providerMessageId: 'SM0001',
      });
      const params = {
        MessageSid: 'SM0001',
        MessageStatus: 'delivered',
        To: '+966501234567',
        AccountSid: 'AC1',
      };
      const url = `${t.config.publicUrl.replace(/\/+$/, '')}/hooks/${ws}/sms/twilio`;
      const body = new URLSearchParams(params).toString();
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      expect((await post('sms/twilio', body, form)).statusCode).toBe(401);
      const res = await post('sms/twilio', body, {
        ...form,
        'x-twilio-signature': twilioSignature(url, params, SECRETS.twilio.authToken),
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(await messageState(t, id)).toEqual({ status: 'delivered', in_doubt: 0 });
      expect((await eventsOf(id)).map((e) => [e.name, e.properties.channel])).toEqual([
        ['message.delivered', 'sms'],
      ]);
    });

    it('does not apply an SMS receipt to an email message with the same provider id', async () => {
      const id = await email({ providerMessageId: 'SM0002' });
      const params = { MessageSid: 'SM0002', MessageStatus: 'delivered' };
      const url = `${t.config.publicUrl.replace(/\/+$/, '')}/hooks/${ws}/sms/twilio`;
      const res = await post('sms/twilio', new URLSearchParams(params).toString(), {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSignature(url, params, SECRETS.twilio.authToken),
      });
      expect(res.json()).toEqual({ applied: 0, moved: 0, unmatched: 1 });
      expect((await messageState(t, id)).status).toBe('sent');
    });
  });

  describe('Vonage', () => {
    it('applies a signed receipt by client-ref; a wrong sig is 401', async () => {
      const id = await sentMessage(t, {
        workspaceId: ws,
        contactId,
        channel: 'sms',
        address: '+966501234567',
      });
      const params: Record<string, string> = {
        messageId: '0A0000000123ABCD1',
        msisdn: '966501234567',
        to: 'Wasl',
        status: 'delivered',
        'err-code': '0',
        'client-ref': id,
        'message-timestamp': '2026-11-23 08:05:09',
        timestamp: String(Math.floor(t.clock.now / 1000)),
      };
      const sig = vonageSignature(params, SECRETS.vonage.signatureSecret, 'sha256');
      const wrong = await post(
        'sms/vonage',
        JSON.stringify({ ...params, sig: `${sig.startsWith('0') ? '1' : '0'}${sig.slice(1)}` }),
        {
          'content-type': 'application/json',
        },
      );
      expect(wrong.statusCode).toBe(401);
      const res = await post('sms/vonage', JSON.stringify({ ...params, sig }), {
        'content-type': 'application/json',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(await messageState(t, id)).toEqual({ status: 'delivered', in_doubt: 0 });
    });
  });

  describe('WhatsApp', () => {
    const signed = (body: string, secret = SECRETS.whatsapp.appSecret) => ({
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`,
    });
    const webhook = (statuses: unknown[]) =>
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
                  metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
                  statuses,
                },
              },
            ],
          },
        ],
      });

    it('answers the verification handshake', async () => {
      const url = `/hooks/${ws}/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444`;
      const res = await (t.app as FastifyInstance).inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.body).toBe('1158201444');
      const wrong = await (t.app as FastifyInstance).inject({
        method: 'GET',
        url: url.replace('verify-me', 'nope'),
      });
      expect(wrong.statusCode).toBe(403);
    });

    it('applies read as opened; a bad signature is 401; a wrong object is 400', async () => {
      const id = await sentMessage(t, {
        workspaceId: ws,
        contactId,
        channel: 'whatsapp',
        address: '+966501234567',
        providerMessageId: 'wamid.HBgM1',
      });
      const body = webhook([
        { id: 'wamid.HBgM1', status: 'read', timestamp: '1700000000', recipient_id: '966501234567' },
      ]);
      expect((await post('whatsapp', body, signed(body, 'other-secret'))).statusCode).toBe(401);
      const wrongObject = body.replace('whatsapp_business_account', 'page');
      expect((await post('whatsapp', wrongObject, signed(wrongObject))).statusCode).toBe(400);
      const res = await post('whatsapp', body, signed(body));
      expect(res.statusCode, res.body).toBe(200);
      expect(await messageState(t, id)).toEqual({ status: 'opened', in_doubt: 0 });
      expect((await eventsOf(id)).map((e) => [e.name, e.occurredAt.getTime()])).toEqual([
        ['message.opened', 1_700_000_000_000],
      ]);
    });
  });

  it('answers 200 with nothing applied for an unknown message', async () => {
    const params = { MessageSid: 'SM-unknown', MessageStatus: 'delivered' };
    const url = `${t.config.publicUrl.replace(/\/+$/, '')}/hooks/${ws}/sms/twilio`;
    const res = await post('sms/twilio', new URLSearchParams(params).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSignature(url, params, SECRETS.twilio.authToken),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ applied: 0, moved: 0, unmatched: 1 });
  });
});

describeEachEngine('provider webhooks as wired in buildServer', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    process.env.WASL_POSTMARK_WEBHOOK_USER = 'pm';
    process.env.WASL_POSTMARK_WEBHOOK_PASSWORD = 'pm-secret';
    t = await startTestApp(engine);
    // The routes read the environment when the server gets ready.
    await t.app.ready();
  });
  afterAll(async () => {
    delete process.env.WASL_POSTMARK_WEBHOOK_USER;
    delete process.env.WASL_POSTMARK_WEBHOOK_PASSWORD;
    await t.close();
  });

  it('reads secrets from the environment; unset providers answer 404', async () => {
    const crew = await team(t, 'Env');
    const id = await sentMessage(t, { workspaceId: crew.workspace.id, providerMessageId: 'pm-1' });
    const record = JSON.stringify({
      RecordType: 'Delivery',
      MessageID: 'pm-1',
      Recipient: 'salma@example.com',
      DeliveredAt: new Date(t.clock.now).toISOString(),
      Details: 'Test delivery webhook details',
    });
    const res = await t.app.inject({
      method: 'POST',
      url: `/hooks/${crew.workspace.id}/email/postmark`,
      payload: record,
      headers: { 'content-type': 'application/json', authorization: basic('pm', 'pm-secret') },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await messageState(t, id)).toEqual({ status: 'delivered', in_doubt: 0 });
    const unset = await t.app.inject({
      method: 'POST',
      url: `/hooks/${crew.workspace.id}/email/mailgun`,
      payload: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(unset.statusCode).toBe(404);
    expect(unset.json().error.message).toBe('no mailgun webhook is configured for this workspace');
  });
});
