import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { SendContext, WebhookMessage } from '../../src/types.ts';
import {
  guardedLookup,
  newWebhookSecret,
  TargetError,
  verifyWebhook,
  WebhookAdapter,
  type WebhookAdapterOptions,
} from '../../src/webhook/index.ts';
import { type Answer, nextSeq, type Receiver, startReceiver } from './receiver.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function receiver(answer: Answer): Promise<Receiver> {
  const r = await startReceiver(answer);
  cleanups.push(r.close);
  return r;
}

function adapter(options: Partial<WebhookAdapterOptions> & { secrets?: string[] } = {}): WebhookAdapter {
  const secrets = options.secrets ?? [SECRET];
  const a = new WebhookAdapter({ secretsFor: () => secrets, allowPrivateTargets: true, ...options });
  cleanups.push(() => a.close());
  return a;
}

/** A SendContext that records when commit was called, in the same order as requests received. */
function context(signal = new AbortController().signal): SendContext & { commits: number[] } {
  const commits: number[] = [];
  return {
    signal,
    commits,
    commit: async () => {
      commits.push(nextSeq());
    },
  };
}

const SECRET = newWebhookSecret();
const body = JSON.stringify({ type: 'contact.created', data: { name: 'نورة القحطاني', city: 'الرياض' } });
const message = (url: string, over: Partial<WebhookMessage> = {}): WebhookMessage => ({
  id: 'msg_2Vb9x',
  url,
  type: 'contact.created',
  body,
  timestamp: Math.floor(Date.now() / 1000),
  ...over,
});

/** Answers 401 unless the request is a Standard Webhooks POST signed with one of `secrets`. */
const strict =
  (secrets: string[], then: Answer = (_req, res) => res.end('ok')): Answer =>
  (req, res) => {
    const verified = verifyWebhook(req.headers, req.body, secrets);
    if (req.method !== 'POST' || req.headers['content-type'] !== 'application/json' || !verified.ok) {
      res.writeHead(401).end(verified.ok ? 'bad request shape' : verified.error.message);
      return;
    }
    then(req, res);
  };

describe('WebhookAdapter: delivery', () => {
  it('POSTs the signed body; the receiver verifies it, and so does an independent HMAC', async () => {
    const r = await receiver(strict([SECRET], (_req, res) => res.writeHead(200).end('{"received":true}')));
    const ctx = context();
    const msg = message(r.url('/hooks/wasl'));
    const result = await adapter().send(msg, ctx);

    expect(result).toEqual({
      ok: true,
      providerMessageId: 'msg_2Vb9x',
      response: 'HTTP 200: {"received":true}',
    });
    expect(r.received).toHaveLength(1);
    const got = r.received[0]!;
    expect(got.path).toBe('/hooks/wasl');
    expect(got.body).toBe(body);
    expect(got.headers['webhook-id']).toBe('msg_2Vb9x');
    expect(got.headers['webhook-timestamp']).toBe(String(msg.timestamp));
    const key = Buffer.from(SECRET.slice(6), 'base64');
    const expected = createHmac('sha256', key).update(`msg_2Vb9x.${msg.timestamp}.${body}`).digest('base64');
    expect(got.headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(ctx.commits).toHaveLength(1);
    expect(ctx.commits[0]!).toBeLessThan(got.seq);
  });

  it('signs with both secrets during rotation: receivers holding either one accept', async () => {
    const [old, next] = [newWebhookSecret(), newWebhookSecret()];
    const holdsOld = await receiver(strict([old]));
    const holdsNew = await receiver(strict([next]));
    const holdsOther = await receiver(strict([newWebhookSecret()]));
    const a = adapter({ secrets: [old, next] });
    expect((await a.send(message(holdsOld.url('/')), context())).ok).toBe(true);
    expect((await a.send(message(holdsNew.url('/')), context())).ok).toBe(true);
    expect(await a.send(message(holdsOther.url('/')), context())).toEqual({
      ok: false,
      retryable: false,
      code: '401',
      reason: 'HTTP 401: webhook-signature: no signature matches the body and secrets',
    });
    expect(String(holdsNew.received[0]!.headers['webhook-signature']).split(' ')).toHaveLength(2);
  });

  it('keeps only the first 1 KB of the answer, without splitting an Arabic letter', async () => {
    const long = 'م'.repeat(1500); // 2 bytes each: 3000 bytes
    const r = await receiver((_req, res) => res.writeHead(202).end(long));
    const result = await adapter().send(message(r.url('/')), context());
    expect(result).toEqual({
      ok: true,
      providerMessageId: 'msg_2Vb9x',
      response: `HTTP 202: ${'م'.repeat(512)}`,
    });
  });
});

describe('WebhookAdapter: answers', () => {
  const answering =
    (status: number, text = ''): Answer =>
    (_req, res) =>
      res.writeHead(status).end(text);

  it.each([
    [410, false, 'gone', 'HTTP 410: endpoint removed'],
    [404, false, '404', 'HTTP 404: endpoint removed'],
    [400, false, '400', 'HTTP 400: endpoint removed'],
    [429, true, '429', 'HTTP 429: endpoint removed'],
    [408, true, '408', 'HTTP 408: endpoint removed'],
    [500, true, '500', 'HTTP 500: endpoint removed'],
    [503, true, '503', 'HTTP 503: endpoint removed'],
  ])('maps HTTP %i to retryable=%s code %s', async (status, retryable, code, reason) => {
    const r = await receiver(answering(status, 'endpoint removed'));
    expect(await adapter().send(message(r.url('/')), context())).toEqual({
      ok: false,
      retryable,
      code,
      reason,
    });
  });

  it('times out a receiver that never answers, as retryable', async () => {
    const r = await receiver(() => {});
    const started = Date.now();
    const result = await adapter({ timeoutMs: 300 }).send(message(r.url('/')), context());
    expect(result).toEqual({
      ok: false,
      retryable: true,
      code: 'timeout',
      reason: 'no complete answer within 300 ms',
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reports a refused connection as retryable', async () => {
    const r = await receiver(answering(200));
    const url = r.url('/');
    await r.close();
    const result = await adapter().send(message(url), context());
    expect(result.ok === false && [result.retryable, result.code]).toEqual([true, 'connection']);
    expect(result.ok === false && result.reason).toContain('ECONNREFUSED');
  });
});

describe('WebhookAdapter: redirects', () => {
  it('follows a 307 by hand, re-sending the same signed POST', async () => {
    const r = await receiver((req, res) => {
      if (req.path === '/old') res.writeHead(307, { location: '/new' }).end();
      else strict([SECRET])(req, res);
    });
    const result = await adapter().send(message(r.url('/old')), context());
    expect(result.ok).toBe(true);
    expect(r.received.map((x) => [x.method, x.path])).toEqual([
      ['POST', '/old'],
      ['POST', '/new'],
    ]);
    expect(r.received[1]!.body).toBe(body);
    expect(r.received[1]!.headers['webhook-signature']).toBe(r.received[0]!.headers['webhook-signature']);
  });

  it('stops after 3 redirects', async () => {
    const r = await receiver((req, res) => res.writeHead(302, { location: `${req.path}x` }).end());
    const result = await adapter().send(message(r.url('/r')), context());
    expect(result).toEqual({
      ok: false,
      retryable: false,
      code: 'too_many_redirects',
      reason: `more than 3 redirects from 127.0.0.1:${r.port}`,
    });
    expect(r.received.map((x) => x.path)).toEqual(['/r', '/rx', '/rxx', '/rxxx']);
  });

  it('refuses a redirect to a private host when only the first host is allowed', async () => {
    const target = await receiver((_req, res) => res.end('should not be reached'));
    const r = await receiver((_req, res) =>
      res.writeHead(308, { location: `http://localhost:${target.port}/internal` }).end(),
    );
    const a = adapter({ allowPrivateTargets: false, allowHosts: ['127.0.0.1'] });
    const result = await a.send(message(r.url('/')), context());
    expect(result.ok === false && [result.retryable, result.code]).toEqual([false, 'blocked_address']);
    expect(result.ok === false && result.reason).toMatch(
      /^redirect to localhost:\d+: localhost resolves to .*127\.0\.0\.1.*: a private, loopback or reserved address$/,
    );
    expect(r.received).toHaveLength(1);
    expect(target.received).toHaveLength(0);
  });

  it('refuses a redirect to the cloud metadata address', async () => {
    const r = await receiver((_req, res) =>
      res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
    );
    const a = adapter({ allowPrivateTargets: false, allowHosts: ['127.0.0.1'] });
    expect(await a.send(message(r.url('/')), context())).toEqual({
      ok: false,
      retryable: false,
      code: 'blocked_address',
      reason: 'redirect to 169.254.169.254: 169.254.169.254 is a private, loopback or reserved address',
    });
  });
});

describe('WebhookAdapter: refusals before sending', () => {
  it('refuses 127.0.0.1 and localhost when private targets are not allowed, without committing', async () => {
    const r = await receiver((_req, res) => res.end());
    const a = adapter({ allowPrivateTargets: false });
    const ctx = context();
    expect(await a.send(message(r.url('/')), ctx)).toEqual({
      ok: false,
      retryable: false,
      code: 'blocked_address',
      reason: '127.0.0.1 is a private, loopback or reserved address',
    });
    const byName = await a.send(message(`http://localhost:${r.port}/`), ctx);
    expect(byName.ok === false && [byName.code, byName.reason]).toEqual([
      'blocked_address',
      expect.stringMatching(
        /^localhost resolves to .*127\.0\.0\.1.*: a private, loopback or reserved address$/,
      ),
    ]);
    const v6 = await a.send(message(`http://[::1]:${r.port}/`), ctx);
    expect(v6.ok === false && v6.reason).toBe('::1 is a private, loopback or reserved address');
    expect(ctx.commits).toEqual([]);
    expect(r.received).toEqual([]);
  });

  it('refuses bad URLs and bad secrets, without committing', async () => {
    const ctx = context();
    expect(await adapter().send(message('hooks.example.com/x'), ctx)).toEqual({
      ok: false,
      retryable: false,
      code: 'invalid_url',
      reason: 'url "hooks.example.com/x" is not a valid URL',
    });
    const ftp = await adapter().send(message('ftp://example.com/'), ctx);
    expect(ftp.ok === false && ftp.reason).toBe('url "ftp://example.com/" must use http or https, not ftp:');
    const secret = await adapter({ secrets: ['not-a-secret'] }).send(message('https://example.com/'), ctx);
    expect(secret).toEqual({
      ok: false,
      retryable: false,
      code: 'invalid',
      reason: 'webhook secret must start with "whsec_"',
    });
    expect(ctx.commits).toEqual([]);
  });

  it('gives up before committing when the worker is stopping', async () => {
    const r = await receiver((_req, res) => res.end());
    const stop = new AbortController();
    stop.abort();
    const ctx = context(stop.signal);
    const result = await adapter().send(message(r.url('/')), ctx);
    expect(result).toEqual({
      ok: false,
      retryable: true,
      code: 'aborted',
      reason: 'the worker stopped before sending',
    });
    expect(ctx.commits).toEqual([]);
    expect(r.received).toEqual([]);
  });
});

describe('guardedLookup', () => {
  it('makes a socket refuse a host name that resolves to loopback, and allow it when told', async () => {
    const r = await receiver((_req, res) => res.end());
    const refused = await new Promise<Error>((resolve) => {
      const socket = connect({
        host: 'localhost',
        port: r.port,
        lookup: guardedLookup({ allowPrivateTargets: false }),
      });
      socket.on('error', resolve);
      socket.on('connect', () => resolve(new Error('connected')));
    });
    expect(refused).toBeInstanceOf(TargetError);
    expect((refused as TargetError).kind).toBe('blocked');
    const remote = await new Promise<string | undefined>((resolve, reject) => {
      const socket = connect({
        host: 'localhost',
        port: r.port,
        lookup: guardedLookup({ allowPrivateTargets: true }),
      });
      socket.on('error', reject);
      socket.on('connect', () => {
        resolve(socket.remoteAddress);
        socket.destroy();
      });
    });
    expect(['127.0.0.1', '::1']).toContain(remote);
  });
});
