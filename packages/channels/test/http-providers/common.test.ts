/**
 * What every HTTP adapter must do the same way, run against each provider's
 * fake: commit before the request arrives, time-outs / dropped connections /
 * 429 / 5xx are retryable, and an aborted worker sends nothing.
 */
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TwilioSmsAdapter } from '../../src/http-providers/sms-twilio.ts';
import { UnifonicSmsAdapter } from '../../src/http-providers/sms-unifonic.ts';
import { VonageSmsAdapter } from '../../src/http-providers/sms-vonage.ts';
import { WhatsAppAdapter } from '../../src/http-providers/whatsapp.ts';
import type { ChannelAdapter, SmsMessage, WhatsAppMessage } from '../../src/types.ts';
import { type FakeProvider, trackedContext } from './fakes/server.ts';
import { startTwilioFake } from './fakes/twilio.ts';
import { startUnifonicFake } from './fakes/unifonic.ts';
import { startVonageFake } from './fakes/vonage.ts';
import { startWhatsAppFake } from './fakes/whatsapp.ts';

interface Case {
  name: string;
  path: string;
  start(): Promise<FakeProvider>;
  adapter(baseUrl: string, timeoutMs?: number): ChannelAdapter<never>;
  message: SmsMessage | WhatsAppMessage;
}

const sms: SmsMessage = { id: 'msg-1', from: 'Wasl', to: '+966501234567', text: 'مرحبا' };

const cases: Case[] = [
  {
    name: 'twilio',
    path: '/2010-04-01/Accounts/AC123/Messages.json',
    start: () => startTwilioFake('AC123', 'token'),
    adapter: (baseUrl, timeoutMs) =>
      new TwilioSmsAdapter({ accountSid: 'AC123', authToken: 'token', baseUrl, timeoutMs }),
    message: sms,
  },
  {
    name: 'vonage',
    path: '/sms/json',
    start: () => startVonageFake('key', 'secret'),
    adapter: (baseUrl, timeoutMs) =>
      new VonageSmsAdapter({ apiKey: 'key', apiSecret: 'secret', baseUrl, timeoutMs }),
    message: sms,
  },
  {
    name: 'unifonic',
    path: '/rest/SMS/messages',
    start: () => startUnifonicFake('app-sid'),
    adapter: (baseUrl, timeoutMs) => new UnifonicSmsAdapter({ appSid: 'app-sid', baseUrl, timeoutMs }),
    message: sms,
  },
  {
    name: 'whatsapp',
    path: '/v21.0/1055/messages',
    start: () => startWhatsAppFake('1055', 'wa-token'),
    adapter: (baseUrl, timeoutMs) =>
      new WhatsAppAdapter({ accessToken: 'wa-token', phoneNumberId: '1055', baseUrl, timeoutMs }),
    message: { id: 'msg-1', to: '+966501234567', text: 'مرحبا' },
  },
];

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe.each(cases)('$name adapter over HTTP', (c) => {
  const open: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((x) => x.close()));
  });
  async function setup(timeoutMs?: number) {
    const fake = await c.start();
    const adapter = c.adapter(fake.url, timeoutMs);
    open.push(adapter, fake);
    return { fake, adapter };
  }

  it('finishes commit() before the request reaches the provider', async () => {
    const { fake, adapter } = await setup();
    const { ctx, log } = trackedContext(fake);
    const result = await adapter.send(c.message as never, ctx);
    expect(result.ok).toBe(true);
    expect(log).toEqual(['commit', 'committed', `request ${c.path}`]);
  });

  it('turns a provider that never answers into a retryable time-out, after committing', async () => {
    const { fake, adapter } = await setup(300);
    fake.answerNext('hang');
    const { ctx, log } = trackedContext(fake);
    const started = Date.now();
    const result = await adapter.send(c.message as never, ctx);
    expect(result).toMatchObject({ ok: false, retryable: true, code: 'timeout' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(log).toEqual(['commit', 'committed', `request ${c.path}`]);
  });

  it('turns a refused connection into a retryable connection error', async () => {
    const adapter = c.adapter(`http://127.0.0.1:${await closedPort()}`, 2000);
    open.push(adapter);
    const result = await adapter.send(c.message as never, {
      signal: new AbortController().signal,
      commit: async () => {},
    });
    expect(result).toMatchObject({ ok: false, retryable: true, code: 'connection' });
    expect(result.ok === false && result.reason).toMatch(/ECONNREFUSED/);
  });

  it('treats 429 and 5xx answers as retryable', async () => {
    const { fake, adapter } = await setup();
    fake.answerNext(
      { status: 429, body: 'Too Many Requests' },
      { status: 502, body: '<html>Bad Gateway</html>' },
    );
    const { ctx } = trackedContext(fake);
    expect(await adapter.send(c.message as never, ctx)).toEqual({
      ok: false,
      retryable: true,
      code: 'http_429',
      reason: 'Too Many Requests',
    });
    expect(await adapter.send(c.message as never, ctx)).toEqual({
      ok: false,
      retryable: true,
      code: 'http_502',
      reason: '<html>Bad Gateway</html>',
    });
  });

  it('sends nothing and commits nothing when the worker is already stopping', async () => {
    const { fake, adapter } = await setup();
    const stop = new AbortController();
    stop.abort();
    const { ctx, log } = trackedContext(fake, stop.signal);
    const result = await adapter.send(c.message as never, ctx);
    expect(result).toMatchObject({ ok: false, retryable: true, code: 'aborted' });
    expect(log).toEqual([]);
    expect(fake.received).toHaveLength(0);
  });

  it('refuses a destination that is not E.164 before committing, as a hard bounce', async () => {
    const { fake, adapter } = await setup();
    const { ctx, log } = trackedContext(fake);
    const result = await adapter.send({ ...c.message, to: '0501234567' } as never, ctx);
    expect(result).toEqual({
      ok: false,
      retryable: false,
      code: 'invalid_recipient',
      reason: "to: '0501234567' is not an E.164 number such as +966501234567",
      bounce: 'hard',
    });
    expect(log).toEqual([]);
  });
});
