import { createHash, createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGsm7, parseVonageReceipt, VonageSmsAdapter } from '../../src/http-providers/sms-vonage.ts';
import { type FakeProvider, formOf, trackedContext } from './fakes/server.ts';
import { startVonageFake, vonageError } from './fakes/vonage.ts';

const ARABIC = 'مرحباً أحمد، طلبك رقم ١٢٣ في الطريق';

describe('VonageSmsAdapter', () => {
  let fake: FakeProvider;
  let adapter: VonageSmsAdapter;
  beforeEach(async () => {
    fake = await startVonageFake('key-1', 'secret-1');
    adapter = new VonageSmsAdapter({ apiKey: 'key-1', apiSecret: 'secret-1', baseUrl: fake.url });
  });
  afterEach(async () => {
    await adapter.close();
    await fake.close();
  });

  it('posts English text as type=text with the number in digits only and our id as client-ref', async () => {
    const { ctx } = trackedContext(fake);
    const result = await adapter.send(
      { id: 'msg-1', from: 'Wasl', to: '+966501234567', text: 'Your code is [1234] €5' },
      ctx,
    );
    expect(result).toEqual({
      ok: true,
      providerMessageId: '0000000000000100',
      response: '1 part(s): 0000000000000100',
    });
    const [req] = fake.received;
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(formOf(req!))).toEqual({
      api_key: 'key-1',
      api_secret: 'secret-1',
      from: 'Wasl',
      to: '966501234567',
      text: 'Your code is [1234] €5',
      type: 'text',
      'client-ref': 'msg-1',
    });
  });

  it('sends Arabic as type=unicode, intact, and a numeric sender without its +', async () => {
    const { ctx } = trackedContext(fake);
    const result = await adapter.send(
      { id: 'msg-2', from: '+447700900001', to: '+971501234567', text: ARABIC },
      ctx,
    );
    expect(result.ok).toBe(true);
    const form = formOf(fake.received[0]!);
    expect(form.get('type')).toBe('unicode');
    expect(form.get('text')).toBe(ARABIC);
    expect(form.get('from')).toBe('447700900001');
    expect(form.get('to')).toBe('971501234567');
  });

  it('asks for the receipt at the configured callback URL', async () => {
    const withCallback = new VonageSmsAdapter({
      apiKey: 'key-1',
      apiSecret: 'secret-1',
      baseUrl: fake.url,
      callbackUrl: 'https://wasl.example/hooks/vonage',
    });
    const { ctx } = trackedContext(fake);
    expect(
      (await withCallback.send({ id: 'm', from: 'Wasl', to: '+966501234567', text: 'hi' }, ctx)).ok,
    ).toBe(true);
    await withCallback.close();
    expect(formOf(fake.received[0]!).get('callback')).toBe('https://wasl.example/hooks/vonage');
  });

  it('keeps the first part id of a long message and lists every part', async () => {
    const { ctx } = trackedContext(fake);
    const text = ARABIC.repeat(3); // 105 UTF-16 units: two unicode parts
    const result = await adapter.send({ id: 'msg-3', from: 'Wasl', to: '+966501234567', text }, ctx);
    expect(result).toEqual({
      ok: true,
      providerMessageId: '0000000000000100',
      response: '2 part(s): 0000000000000100 0000000000000101',
    });
  });

  it('maps Vonage statuses: 1/5/9 retryable, 6/7 hard bounce, 3 permanent, bad credentials permanent', async () => {
    fake.answerNext(
      vonageError('1', 'Throttled'),
      vonageError('6', 'Unroutable message - rejected'),
      vonageError('7', 'Number barred'),
      vonageError('3', 'Invalid from param'),
      vonageError('9', 'Partner quota exceeded'),
    );
    const { ctx } = trackedContext(fake);
    const send = () => adapter.send({ id: 'm', from: 'Wasl', to: '+966501234567', text: 'hi' }, ctx);
    expect(await send()).toEqual({ ok: false, retryable: true, code: '1', reason: 'Throttled' });
    expect(await send()).toEqual({
      ok: false,
      retryable: false,
      code: '6',
      reason: 'Unroutable message - rejected',
      bounce: 'hard',
    });
    expect(await send()).toEqual({
      ok: false,
      retryable: false,
      code: '7',
      reason: 'Number barred',
      bounce: 'hard',
    });
    expect(await send()).toEqual({ ok: false, retryable: false, code: '3', reason: 'Invalid from param' });
    expect(await send()).toEqual({ ok: false, retryable: true, code: '9', reason: 'Partner quota exceeded' });

    const wrong = new VonageSmsAdapter({ apiKey: 'key-1', apiSecret: 'nope', baseUrl: fake.url });
    expect(await wrong.send({ id: 'm', from: 'Wasl', to: '+966501234567', text: 'hi' }, ctx)).toEqual({
      ok: false,
      retryable: false,
      code: '4',
      reason: 'Bad Credentials',
    });
    await wrong.close();
  });
});

describe('isGsm7', () => {
  it('accepts the GSM alphabet and its extension table, nothing else', () => {
    expect(isGsm7('Hello @ £5 {x} ~ ^ € \\ | Ünïcode? no: ï')).toBe(false);
    expect(isGsm7('Hello @ £5 {x} ~ ^ € \\ | ÄÖÑÜ äöñü é')).toBe(true);
    expect(isGsm7('مرحبا')).toBe(false);
    expect(isGsm7('ok 👍')).toBe(false);
  });
});

describe('the Vonage fake', () => {
  let fake: FakeProvider;
  beforeEach(async () => {
    fake = await startVonageFake('key-1', 'secret-1');
  });
  afterEach(() => fake.close());

  const post = async (path: string, fields: Record<string, string>) => {
    const r = await fetch(fake.url + path, { method: 'POST', body: new URLSearchParams(fields) });
    return { status: r.status, body: (await r.json()) as unknown };
  };
  const good = { api_key: 'key-1', api_secret: 'secret-1', from: 'Wasl', to: '966501234567', text: 'hi' };
  const first = (status: string, text: string) => ({
    status: 200,
    body: { 'message-count': '1', messages: [{ status, 'error-text': text }] },
  });

  it('rejects what does not follow the documented format, in Vonage form', async () => {
    expect((await post('/sms/xml', good)).status).toBe(404);
    const { api_key: _key, ...noKey } = good;
    expect(await post('/sms/json', noKey)).toEqual(first('2', 'Missing api_key'));
    expect(await post('/sms/json', { ...good, to: '+966501234567' })).toEqual(
      first('3', 'Invalid to address: +966501234567'),
    );
    expect(await post('/sms/json', { ...good, text: 'مرحبا' })).toEqual(
      first('3', 'Non-GSM characters in text, use type=unicode'),
    );
    const { text: _text, ...noText } = good;
    expect(await post('/sms/json', noText)).toEqual(first('2', 'Missing text param'));
    expect(fake.received).toHaveLength(0);
  });
});

describe('parseVonageReceipt', () => {
  const receipt = {
    msisdn: '966501234567',
    to: 'Wasl',
    'network-code': '42001',
    messageId: '0000000000000100',
    price: '0.03330000',
    status: 'delivered',
    scts: '2611230805',
    'err-code': '0',
    'api-key': 'key-1',
    'client-ref': 'msg-1',
    'message-timestamp': '2026-11-23 08:05:09',
  };

  it('reads a delivered receipt with its time, recipient and our message id', () => {
    expect(parseVonageReceipt(receipt)).toEqual({
      ok: true,
      value: [
        {
          status: 'delivered',
          at: Date.UTC(2026, 10, 23, 8, 5, 9),
          providerMessageId: '0000000000000100',
          messageId: 'msg-1',
          recipient: '+966501234567',
          detail: { event: 'delivered', errCode: '0' },
        },
      ],
    });
  });

  it('maps failures by err-code: 3/9 hard bounce, 2 soft, expired soft, others failed; accepted/buffered nothing', () => {
    const status = (s: string, code: string) =>
      parseVonageReceipt({ ...receipt, status: s, 'err-code': code });
    expect(status('failed', '3')).toMatchObject({
      value: [{ status: 'bounced', bounce: { kind: 'hard', code: '3', reason: 'failed' } }],
    });
    expect(status('rejected', '9')).toMatchObject({
      value: [{ status: 'bounced', bounce: { kind: 'hard' } }],
    });
    expect(status('failed', '2')).toMatchObject({ value: [{ status: 'bounced', bounce: { kind: 'soft' } }] });
    expect(status('expired', '')).toMatchObject({
      value: [{ status: 'bounced', bounce: { kind: 'soft', reason: 'expired' } }],
    });
    expect(status('rejected', '6')).toMatchObject({
      value: [{ status: 'failed', detail: { errCode: '6' } }],
    });
    expect(status('accepted', '0')).toEqual({ ok: true, value: [] });
    expect(status('buffered', '0')).toEqual({ ok: true, value: [] });
  });

  it('names the field of a malformed receipt', () => {
    const { messageId: _id, ...noId } = receipt;
    expect(parseVonageReceipt(noId)).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'messageId is missing', field: 'messageId' },
    });
    expect(parseVonageReceipt({ ...receipt, status: 'vanished' })).toMatchObject({
      ok: false,
      error: { field: 'status', message: "status 'vanished' is not a Vonage DLR status" },
    });
    expect(parseVonageReceipt({ ...receipt, 'err-code': 'x' })).toMatchObject({
      error: { field: 'err-code' },
    });
    expect(parseVonageReceipt({ ...receipt, 'message-timestamp': '23/11/2026' })).toMatchObject({
      error: { field: 'message-timestamp' },
    });
  });

  describe('signed receipts', () => {
    const now = 1_700_000_100_000;
    const signed = { messageId: 'ABC', status: 'delivered', 'client-ref': 'a&b=c', timestamp: '1700000000' };
    // Sorted names, '&name=value', '&' and '=' in values replaced by '_'.
    const signedString = '&client-ref=a_b_c&messageId=ABC&status=delivered&timestamp=1700000000';

    it('accepts an md5hash signature: md5 of the string followed by the secret', () => {
      const sig = createHash('md5').update(`${signedString}sig-secret`).digest('hex');
      const result = parseVonageReceipt({ ...signed, sig }, { signatureSecret: 'sig-secret', now });
      expect(result).toMatchObject({ ok: true, value: [{ status: 'delivered', messageId: 'a&b=c' }] });
    });

    it('accepts a SHA-256 HMAC signature (uppercase hex)', () => {
      const sig = createHmac('sha256', 'sig-secret').update(signedString).digest('hex').toUpperCase();
      const options = { signatureSecret: 'sig-secret', signatureMethod: 'sha256' as const, now };
      expect(parseVonageReceipt({ ...signed, sig }, options)).toMatchObject({ ok: true });
    });

    it('refuses a missing, wrong or stale signature, naming the field', () => {
      const options = { signatureSecret: 'sig-secret', now };
      expect(parseVonageReceipt(signed, options)).toMatchObject({
        ok: false,
        error: { code: 'unauthorized', field: 'sig' },
      });
      const sig = createHash('md5').update(`${signedString}sig-secret`).digest('hex');
      expect(parseVonageReceipt({ ...signed, status: 'failed', sig }, options)).toMatchObject({
        ok: false,
        error: { code: 'unauthorized', field: 'sig' },
      });
      expect(parseVonageReceipt({ ...signed, sig }, { ...options, now: now + 600_000 })).toMatchObject({
        ok: false,
        error: { code: 'unauthorized', field: 'timestamp' },
      });
    });
  });
});
