import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  parseWhatsAppWebhook,
  verifyWhatsAppSubscription,
  WhatsAppAdapter,
} from '../../src/http-providers/whatsapp.ts';
import { type FakeProvider, trackedContext } from './fakes/server.ts';
import { graphError, startWhatsAppFake } from './fakes/whatsapp.ts';

const PHONE_ID = '106540352242922';
const TOKEN = 'EAAG-token';

describe('WhatsAppAdapter', () => {
  let fake: FakeProvider;
  let adapter: WhatsAppAdapter;
  beforeEach(async () => {
    fake = await startWhatsAppFake(PHONE_ID, TOKEN);
    adapter = new WhatsAppAdapter({ accessToken: TOKEN, phoneNumberId: PHONE_ID, baseUrl: fake.url });
  });
  afterEach(async () => {
    await adapter.close();
    await fake.close();
  });
  const sent = (i = 0) => JSON.parse(fake.received[i]!.body) as unknown;

  it('sends an Arabic template with a header image and body parameters, Bearer auth, JSON', async () => {
    const { ctx } = trackedContext(fake);
    const result = await adapter.send(
      {
        id: 'msg-1',
        to: '+966501234567',
        template: {
          name: 'order_shipped',
          language: 'ar',
          parameters: ['أحمد', '١٢٣'],
          headerMedia: { kind: 'image', link: 'https://cdn.example/box.png' },
        },
      },
      ctx,
    );
    expect(result).toEqual({
      ok: true,
      providerMessageId: 'wamid.HBgM000000000001',
      response: '200 accepted',
    });
    const req = fake.received[0]!;
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.headers['content-type']).toBe('application/json');
    expect(sent()).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+966501234567',
      type: 'template',
      template: {
        name: 'order_shipped',
        language: { code: 'ar' },
        components: [
          { type: 'header', parameters: [{ type: 'image', image: { link: 'https://cdn.example/box.png' } }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'أحمد' },
              { type: 'text', text: '١٢٣' },
            ],
          },
        ],
      },
    });
  });

  it('sends English free-form text and media with an Arabic caption', async () => {
    const { ctx } = trackedContext(fake);
    await adapter.send({ id: 'msg-2', to: '+971501234567', text: 'Thanks, your order is on its way.' }, ctx);
    await adapter.send(
      {
        id: 'msg-3',
        to: '+971501234567',
        media: { kind: 'document', link: 'https://cdn.example/i.pdf', caption: 'فاتورتك' },
      },
      ctx,
    );
    expect(sent(0)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+971501234567',
      type: 'text',
      text: { preview_url: false, body: 'Thanks, your order is on its way.' },
    });
    expect(sent(1)).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '+971501234567',
      type: 'document',
      document: { link: 'https://cdn.example/i.pdf', caption: 'فاتورتك' },
    });
  });

  it('refuses a message with no content, or two kinds, before committing', async () => {
    const { ctx, log } = trackedContext(fake);
    expect(await adapter.send({ id: 'm', to: '+966501234567' }, ctx)).toEqual({
      ok: false,
      retryable: false,
      code: 'invalid_message',
      reason: 'template: exactly one of template, text or media must be given',
    });
    expect(
      await adapter.send(
        { id: 'm', to: '+966501234567', text: 'a', media: { kind: 'image', link: 'https://x/y.png' } },
        ctx,
      ),
    ).toMatchObject({ ok: false, code: 'invalid_message' });
    expect(log).toEqual([]);
  });

  it('maps Graph errors: 131047 permanent, 131026 hard bounce, 130429/131056 retryable', async () => {
    fake.answerNext(
      graphError(400, 131047, 'Re-engagement message'),
      graphError(400, 131026, 'Message undeliverable'),
      graphError(400, 130429, 'Rate limit hit'),
      graphError(400, 131056, '(Business Account, Consumer Account) pair rate limit hit'),
      { status: 400, body: { error: { message: 'Invalid parameter', code: 100, error_subcode: 2494010 } } },
    );
    const { ctx } = trackedContext(fake);
    const send = () => adapter.send({ id: 'm', to: '+966501234567', text: 'hi' }, ctx);
    expect(await send()).toEqual({
      ok: false,
      retryable: false,
      code: '131047',
      reason: 'Re-engagement message',
    });
    expect(await send()).toEqual({
      ok: false,
      retryable: false,
      code: '131026',
      reason: 'Message undeliverable',
      bounce: 'hard',
    });
    expect(await send()).toEqual({ ok: false, retryable: true, code: '130429', reason: 'Rate limit hit' });
    expect(await send()).toMatchObject({ ok: false, retryable: true, code: '131056' });
    expect(await send()).toEqual({
      ok: false,
      retryable: false,
      code: '100',
      reason: 'Invalid parameter (subcode 2494010)',
    });
  });

  it('reports a wrong token as the permanent error 190 the fake answers with', async () => {
    const wrong = new WhatsAppAdapter({ accessToken: 'expired', phoneNumberId: PHONE_ID, baseUrl: fake.url });
    const { ctx } = trackedContext(fake);
    const result = await wrong.send({ id: 'm', to: '+966501234567', text: 'hi' }, ctx);
    await wrong.close();
    expect(result).toEqual({
      ok: false,
      retryable: false,
      code: '190',
      reason: 'Invalid OAuth access token - Cannot parse access token',
    });
  });
});

describe('the WhatsApp fake', () => {
  let fake: FakeProvider;
  beforeEach(async () => {
    fake = await startWhatsAppFake(PHONE_ID, TOKEN);
  });
  afterEach(() => fake.close());

  const post = async (path: string, headers: Record<string, string>, body: string) => {
    const r = await fetch(fake.url + path, { method: 'POST', headers, body });
    return {
      status: r.status,
      body: (await r.json()) as { error: { code: number; error_data?: { details: string } } },
    };
  };
  const path = `/v21.0/${PHONE_ID}/messages`;
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  const text = { messaging_product: 'whatsapp', to: '966501234567', type: 'text', text: { body: 'hi' } };

  it('rejects what does not follow the documented format, in Graph error form', async () => {
    expect(await post('/v21.0/messages', headers, JSON.stringify(text))).toMatchObject({
      status: 400,
      body: { error: { code: 2500 } },
    });
    expect(await post('/v21.0/999/messages', headers, JSON.stringify(text))).toMatchObject({
      status: 400,
      body: { error: { code: 100 } },
    });
    expect(await post(path, { 'content-type': 'application/json' }, JSON.stringify(text))).toMatchObject({
      status: 400,
      body: { error: { code: 2500 } },
    });
    expect(
      await post(
        path,
        { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        'to=966501234567',
      ),
    ).toMatchObject({ status: 400, body: { error: { code: 100 } } });
    const noBody = { ...text, text: {} };
    expect(await post(path, headers, JSON.stringify(noBody))).toMatchObject({
      status: 400,
      body: { error: { code: 100, error_data: { details: "Param text['body'] is required" } } },
    });
    const badTemplate = {
      ...text,
      type: 'template',
      template: {
        name: 'x',
        language: { code: 'ar' },
        components: [{ type: 'body', parameters: [{ type: 'text' }] }],
      },
    };
    expect(await post(path, headers, JSON.stringify(badTemplate))).toMatchObject({
      body: {
        error: {
          error_data: { details: "Param template['components'][0]['parameters'][0]['text'] is required" },
        },
      },
    });
    expect(fake.received).toHaveLength(0);
  });
});

describe('parseWhatsAppWebhook', () => {
  const SECRET = 'app-secret-1';
  const sign = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body, 'utf8').digest('hex')}`;
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
  const status = (id: string, s: string, extra: Record<string, unknown> = {}) => ({
    id,
    status: s,
    timestamp: '1700000000',
    recipient_id: '966501234567',
    ...extra,
  });

  it('turns signed statuses into reports: delivered, read → opened, failed, 131026 → hard bounce, sent → none', () => {
    const body = webhook({
      statuses: [
        status('wamid.1', 'sent'),
        status('wamid.1', 'delivered'),
        status('wamid.1', 'read'),
        status('wamid.2', 'failed', { errors: [{ code: 131047, title: 'Re-engagement message' }] }),
        status('wamid.3', 'failed', { errors: [{ code: 131026, title: 'Message undeliverable' }] }),
      ],
    });
    const result = parseWhatsAppWebhook(body, sign(body), SECRET);
    const base = { at: 1_700_000_000_000, recipient: '+966501234567' };
    expect(result).toEqual({
      ok: true,
      value: [
        { ...base, status: 'delivered', providerMessageId: 'wamid.1', detail: { event: 'delivered' } },
        { ...base, status: 'opened', providerMessageId: 'wamid.1', detail: { event: 'read' } },
        {
          ...base,
          status: 'failed',
          providerMessageId: 'wamid.2',
          detail: { event: 'failed', errorCode: '131047', error: 'Re-engagement message' },
        },
        {
          ...base,
          status: 'bounced',
          providerMessageId: 'wamid.3',
          bounce: { kind: 'hard', code: '131026', reason: 'Message undeliverable' },
          detail: { event: 'failed', errorCode: '131026', error: 'Message undeliverable' },
        },
      ],
    });
  });

  it('turns inbound messages into replies, and stop words (English or Arabic) into unsubscribes', () => {
    const inbound = (id: string, words: string, extra: Record<string, unknown> = {}) => ({
      from: '966501234567',
      id,
      timestamp: '1700000100',
      type: 'text',
      text: { body: words },
      ...extra,
    });
    const body = webhook({
      contacts: [{ profile: { name: 'أحمد' }, wa_id: '966501234567' }],
      messages: [
        inbound('wamid.in1', 'شكراً، وصل الطلب', { context: { from: '15550783881', id: 'wamid.1' } }),
        inbound('wamid.in2', ' إلغاء '),
        inbound('wamid.in3', 'Stop'),
      ],
    });
    const result = parseWhatsAppWebhook(Buffer.from(body, 'utf8'), sign(body), SECRET);
    expect(result).toEqual({
      ok: true,
      value: [
        {
          status: 'replied',
          at: 1_700_000_100_000,
          recipient: '+966501234567',
          providerMessageId: 'wamid.1',
          detail: { event: 'message', type: 'text', inboundId: 'wamid.in1', text: 'شكراً، وصل الطلب' },
        },
        {
          status: 'unsubscribed',
          at: 1_700_000_100_000,
          recipient: '+966501234567',
          detail: { event: 'message', type: 'text', inboundId: 'wamid.in2', text: ' إلغاء ' },
        },
        {
          status: 'unsubscribed',
          at: 1_700_000_100_000,
          recipient: '+966501234567',
          detail: { event: 'message', type: 'text', inboundId: 'wamid.in3', text: 'Stop' },
        },
      ],
    });
  });

  it('refuses a missing or wrong signature, and a body changed after signing', () => {
    const body = webhook({ statuses: [status('wamid.1', 'delivered')] });
    expect(parseWhatsAppWebhook(body, undefined, SECRET)).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', field: 'X-Hub-Signature-256' },
    });
    expect(parseWhatsAppWebhook(body, sign(body).replace('sha256=', 'sha1='), SECRET)).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', field: 'X-Hub-Signature-256' },
    });
    const changed = body.replace('delivered', 'read');
    expect(parseWhatsAppWebhook(changed, sign(body), SECRET)).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', field: 'X-Hub-Signature-256' },
    });
    expect(parseWhatsAppWebhook(body, sign(body), 'other-secret')).toMatchObject({ ok: false });
  });

  it('names the field of a malformed body', () => {
    const check = (body: string) => parseWhatsAppWebhook(body, sign(body), SECRET);
    expect(check('{not json')).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'body: is not a JSON object', field: 'body' },
    });
    expect(check(JSON.stringify({ object: 'page', entry: [] }))).toMatchObject({
      error: { field: 'object' },
    });
    expect(
      check(JSON.stringify({ object: 'whatsapp_business_account', entry: [{ id: '1' }] })),
    ).toMatchObject({
      error: { field: 'entry[0].changes' },
    });
    expect(
      check(webhook({ statuses: [status('wamid.1', 'delivered', { timestamp: 'yesterday' })] })),
    ).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: "entry[0].changes[0].value.statuses[0].timestamp: 'yesterday' is not epoch seconds",
        field: 'entry[0].changes[0].value.statuses[0].timestamp',
      },
    });
    expect(
      check(webhook({ statuses: [status('wamid.1', 'delivered', { recipient_id: undefined })] })),
    ).toMatchObject({
      error: { field: 'entry[0].changes[0].value.statuses[0].recipient_id' },
    });
    const noText = { from: '966501234567', id: 'wamid.x', timestamp: '1700000000', type: 'text' };
    expect(check(webhook({ messages: [noText] }))).toMatchObject({
      error: { field: 'entry[0].changes[0].value.messages[0].text.body' },
    });
  });
});

describe('verifyWhatsAppSubscription', () => {
  it('answers the challenge when mode and token match', () => {
    const query = new URLSearchParams('hub.mode=subscribe&hub.verify_token=vt-1&hub.challenge=1158201444');
    expect(verifyWhatsAppSubscription(query, 'vt-1')).toEqual({ ok: true, value: '1158201444' });
    expect(
      verifyWhatsAppSubscription(
        { 'hub.mode': 'subscribe', 'hub.verify_token': 'vt-1', 'hub.challenge': 'c' },
        'vt-1',
      ),
    ).toEqual({ ok: true, value: 'c' });
  });

  it('refuses a wrong token, another mode or a missing challenge, naming the parameter', () => {
    const q = (s: string) => new URLSearchParams(s);
    expect(
      verifyWhatsAppSubscription(q('hub.mode=subscribe&hub.verify_token=x&hub.challenge=1'), 'vt-1'),
    ).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'hub.verify_token does not match', field: 'hub.verify_token' },
    });
    expect(
      verifyWhatsAppSubscription(q('hub.mode=unsubscribe&hub.verify_token=vt-1&hub.challenge=1'), 'vt-1'),
    ).toMatchObject({ ok: false, error: { field: 'hub.mode' } });
    expect(verifyWhatsAppSubscription(q('hub.mode=subscribe&hub.verify_token=vt-1'), 'vt-1')).toMatchObject({
      ok: false,
      error: { field: 'hub.challenge' },
    });
  });
});
