import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseTwilioStatus, TwilioSmsAdapter, twilioSignature } from '../../src/http-providers/sms-twilio.ts';
import { type FakeProvider, formOf, trackedContext } from './fakes/server.ts';
import { startTwilioFake, twilioError } from './fakes/twilio.ts';

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'auth-token-1';
const ARABIC = 'مرحباً أحمد، طلبك رقم ١٢٣ في الطريق 🚚';

describe('TwilioSmsAdapter', () => {
  let fake: FakeProvider;
  let adapter: TwilioSmsAdapter;
  beforeEach(async () => {
    fake = await startTwilioFake(SID, TOKEN);
    adapter = new TwilioSmsAdapter({
      accountSid: SID,
      authToken: TOKEN,
      baseUrl: fake.url,
      statusCallbackUrl: 'https://wasl.example/hooks/twilio?tenant=7',
    });
  });
  afterEach(async () => {
    await adapter.close();
    await fake.close();
  });

  it('posts English text form-encoded with Basic auth, the number keeping its +', async () => {
    const { ctx } = trackedContext(fake);
    const result = await adapter.send(
      { id: 'msg-1', from: 'Wasl', to: '+966501234567', text: 'Your order #123 has shipped.' },
      ctx,
    );
    expect(result).toEqual({
      ok: true,
      providerMessageId: 'SM00000000000000000000000000000001',
      response: '201 queued',
    });
    const [req] = fake.received;
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req?.headers.authorization).toBe(`Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`);
    expect(Object.fromEntries(formOf(req!))).toEqual({
      To: '+966501234567',
      From: 'Wasl',
      Body: 'Your order #123 has shipped.',
      StatusCallback: 'https://wasl.example/hooks/twilio?tenant=7&wasl_id=msg-1',
    });
  });

  it('delivers Arabic text and emoji intact', async () => {
    const { ctx } = trackedContext(fake);
    const result = await adapter.send(
      { id: 'msg-2', from: '+15005550006', to: '+971501234567', text: ARABIC },
      ctx,
    );
    expect(result.ok).toBe(true);
    const form = formOf(fake.received[0]!);
    expect(form.get('Body')).toBe(ARABIC);
    expect(form.get('From')).toBe('+15005550006');
    expect(form.get('To')).toBe('+971501234567');
  });

  it('sends through a Messaging Service instead of From when configured', async () => {
    const viaService = new TwilioSmsAdapter({
      accountSid: SID,
      authToken: TOKEN,
      baseUrl: fake.url,
      messagingServiceSid: 'MG0000000000000000000000000000000a',
    });
    const { ctx } = trackedContext(fake);
    expect((await viaService.send({ id: 'm', from: 'Wasl', to: '+966501234567', text: 'hi' }, ctx)).ok).toBe(
      true,
    );
    await viaService.close();
    const form = formOf(fake.received[0]!);
    expect(form.get('MessagingServiceSid')).toBe('MG0000000000000000000000000000000a');
    expect(form.has('From')).toBe(false);
    expect(form.has('StatusCallback')).toBe(false);
  });

  it('maps Twilio error codes: 21211/21614 hard bounce, 21610 permanent, 20429 retryable', async () => {
    fake.answerNext(
      twilioError(400, 21211, "The 'To' number +966500000000 is not a valid phone number."),
      twilioError(400, 21614, "'To' number is not a valid mobile number"),
      twilioError(400, 21610, 'Attempt to send to unsubscribed recipient'),
      twilioError(429, 20429, 'Too Many Requests'),
    );
    const { ctx } = trackedContext(fake);
    const send = () => adapter.send({ id: 'm', from: 'Wasl', to: '+966500000000', text: 'hi' }, ctx);
    expect(await send()).toEqual({
      ok: false,
      retryable: false,
      code: '21211',
      reason: "The 'To' number +966500000000 is not a valid phone number.",
      bounce: 'hard',
    });
    expect(await send()).toEqual({
      ok: false,
      retryable: false,
      code: '21614',
      reason: "'To' number is not a valid mobile number",
      bounce: 'hard',
    });
    expect(await send()).toEqual({
      ok: false,
      retryable: false,
      code: '21610',
      reason: 'Attempt to send to unsubscribed recipient',
    });
    expect(await send()).toEqual({ ok: false, retryable: true, code: '20429', reason: 'Too Many Requests' });
  });

  it('reports wrong credentials as the permanent error 20003 the fake answers with', async () => {
    const wrong = new TwilioSmsAdapter({ accountSid: SID, authToken: 'not-it', baseUrl: fake.url });
    const { ctx } = trackedContext(fake);
    const result = await wrong.send({ id: 'm', from: 'Wasl', to: '+966501234567', text: 'hi' }, ctx);
    await wrong.close();
    expect(result).toEqual({ ok: false, retryable: false, code: '20003', reason: 'Authenticate' });
    expect(fake.rejected).toHaveLength(1);
  });
});

describe('the Twilio fake', () => {
  let fake: FakeProvider;
  beforeEach(async () => {
    fake = await startTwilioFake(SID, TOKEN);
  });
  afterEach(() => fake.close());

  const auth = `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`;
  const post = (path: string, headers: Record<string, string>, body: string) =>
    fetch(fake.url + path, { method: 'POST', headers, body }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as { code: number; message: string },
    }));
  const path = `/2010-04-01/Accounts/${SID}/Messages.json`;
  const form = 'application/x-www-form-urlencoded';

  it('rejects what does not follow the documented format, in Twilio error form', async () => {
    expect(
      await post(
        '/2010-04-01/Messages.json',
        { authorization: auth, 'content-type': form },
        'To=%2B966501234567',
      ),
    ).toMatchObject({ status: 404, body: { code: 20404 } });
    expect(await post(path, { 'content-type': form }, 'To=%2B966501234567&From=W&Body=x')).toMatchObject({
      status: 401,
      body: { code: 20003, message: 'Authenticate' },
    });
    const json = JSON.stringify({ To: '+966501234567', From: 'W', Body: 'x' });
    expect(await post(path, { authorization: auth, 'content-type': 'application/json' }, json)).toMatchObject(
      {
        status: 400,
        body: { code: 21604 },
      },
    );
    expect(
      await post(path, { authorization: auth, 'content-type': form }, 'To=966501234567&From=W&Body=x'),
    ).toMatchObject({ status: 400, body: { code: 21211 } });
    expect(
      await post(path, { authorization: auth, 'content-type': form }, 'To=%2B966501234567&Body=x'),
    ).toMatchObject({ status: 400, body: { code: 21603 } });
    expect(
      await post(path, { authorization: auth, 'content-type': form }, 'To=%2B966501234567&From=W'),
    ).toMatchObject({ status: 400, body: { code: 21602 } });
    expect(fake.received).toHaveLength(0);
    expect(fake.rejected).toHaveLength(6);
  });
});

describe('parseTwilioStatus', () => {
  const url = 'https://wasl.example/hooks/twilio?tenant=7&wasl_id=msg-1';
  const hmac = (data: string) => createHmac('sha1', TOKEN).update(data, 'utf8').digest('base64');

  it('computes the signature of the example in Twilio’s security documentation', () => {
    const params = {
      CallSid: 'CA1234567890ABCDE',
      Caller: '+12349013030',
      Digits: '1234',
      From: '+12349013030',
      To: '+18005551212',
    };
    expect(twilioSignature('https://mycompany.com/myapp.php?foo=1&bar=2', params, '12345')).toBe(
      '0/KCTR6DLpKmkAf8muzZqo1nDgQ=',
    );
  });

  it('reads a signed delivered callback, with our message id from the callback URL', () => {
    const params = { MessageStatus: 'delivered', MessageSid: 'SM1', To: '+966501234567', AccountSid: SID };
    const signature = hmac(`${url}AccountSid${SID}MessageSidSM1MessageStatusdeliveredTo+966501234567`);
    expect(parseTwilioStatus(url, params, signature, TOKEN, 1_700_000_000_000)).toEqual({
      ok: true,
      value: [
        {
          status: 'delivered',
          at: 1_700_000_000_000,
          providerMessageId: 'SM1',
          messageId: 'msg-1',
          recipient: '+966501234567',
          detail: { event: 'delivered' },
        },
      ],
    });
  });

  it('maps undelivered 30005 to a hard bounce, 30003 to a soft one, 30007 to failed; sent gives nothing', () => {
    const parse = (MessageStatus: string, ErrorCode?: string) => {
      const params: Record<string, string> = {
        MessageSid: 'SM2',
        MessageStatus,
        ...(ErrorCode ? { ErrorCode } : {}),
      };
      return parseTwilioStatus(url, params, twilioSignature(url, params, TOKEN), TOKEN, 5);
    };
    expect(parse('undelivered', '30005')).toMatchObject({
      ok: true,
      value: [{ status: 'bounced', bounce: { kind: 'hard', code: '30005', reason: 'undelivered' } }],
    });
    expect(parse('failed', '30003')).toMatchObject({
      ok: true,
      value: [{ status: 'bounced', bounce: { kind: 'soft', code: '30003' } }],
    });
    expect(parse('undelivered', '30007')).toEqual({
      ok: true,
      value: [
        {
          status: 'failed',
          at: 5,
          providerMessageId: 'SM2',
          messageId: 'msg-1',
          detail: { event: 'undelivered', errorCode: '30007' },
        },
      ],
    });
    expect(parse('sent')).toEqual({ ok: true, value: [] });
  });

  it('refuses a missing or wrong signature, naming the header', () => {
    const params = { MessageSid: 'SM1', MessageStatus: 'delivered' };
    expect(parseTwilioStatus(url, params, undefined, TOKEN)).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', field: 'X-Twilio-Signature' },
    });
    const signedForOtherUrl = twilioSignature('https://wasl.example/hooks/twilio', params, TOKEN);
    expect(parseTwilioStatus(url, params, signedForOtherUrl, TOKEN)).toMatchObject({
      ok: false,
      error: { code: 'unauthorized', field: 'X-Twilio-Signature' },
    });
    const tampered = { ...params, MessageStatus: 'failed' };
    expect(parseTwilioStatus(url, tampered, twilioSignature(url, params, TOKEN), TOKEN)).toMatchObject({
      ok: false,
      error: { field: 'X-Twilio-Signature' },
    });
  });

  it('names the field of a malformed callback', () => {
    const check = (params: Record<string, string>) =>
      parseTwilioStatus(url, params, twilioSignature(url, params, TOKEN), TOKEN);
    expect(check({ MessageStatus: 'delivered' })).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'MessageSid is missing', field: 'MessageSid' },
    });
    expect(check({ MessageSid: 'SM1' })).toMatchObject({ ok: false, error: { field: 'MessageStatus' } });
    expect(check({ MessageSid: 'SM1', MessageStatus: 'exploded' })).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: "MessageStatus 'exploded' is not a Twilio message status",
        field: 'MessageStatus',
      },
    });
    expect(check({ MessageSid: 'SM1', MessageStatus: 'failed', ErrorCode: 'x1' })).toMatchObject({
      ok: false,
      error: { field: 'ErrorCode' },
    });
  });
});
