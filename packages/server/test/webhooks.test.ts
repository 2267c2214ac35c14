import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook, WebhookAdapter } from '@wasl/channels/webhook';
import type { WaslEvent } from '@wasl/core';
import { DeliveryEngine, enqueueMessages } from '@wasl/worker';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import {
  EndpointDirectory,
  prepareWebhook,
  webhookFanOut,
  webhookOutcome,
  webhookRetryAt,
  withWebhookFanOut,
} from '../src/services/webhooks/delivery.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { type Team, team } from './helpers/people.ts';

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on loopback that answers with the statuses it is given, in turn (then 200). */
async function receiver(statuses: number[] = []) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(statuses.shift() ?? 200, { 'content-type': 'text/plain' }).end('ok شكرًا');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/wasl`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const event = (workspaceId: string, id: string, type: WaslEvent['type'], name: string): WaslEvent => ({
  id,
  workspaceId,
  type,
  name,
  anonymousId: null,
  contactId: 'contact-1',
  occurredAt: new Date(Date.UTC(2026, 0, 15, 9, 0, 0)),
  receivedAt: new Date(Date.UTC(2026, 0, 15, 9, 0, 0)),
  properties: { subject: 'عروض الأسبوع', channel: 'email' },
  context: {},
});

describeEachEngine('outgoing webhooks', (engine) => {
  let t: TestApp;
  let crew: Team;
  let other: Team;
  let ws: string;
  let base: string;
  let running: DeliveryEngine | undefined;
  let adapter: WebhookAdapter | undefined;

  beforeAll(async () => {
    t = await startTestApp(engine);
    crew = await team(t, 'Hooks');
    other = await team(t, 'Elsewhere');
    ws = crew.workspace.id;
    base = `/api/workspaces/${ws}/webhooks`;
  });
  afterAll(() => t.close());
  afterEach(async () => {
    await running?.stop();
    await adapter?.close();
    running = undefined;
  });

  /** The engine as `wasl start` runs it for webhooks, on the test's clock. */
  const deliver = () => {
    adapter = new WebhookAdapter({ allowPrivateTargets: true, timeoutMs: 5_000 });
    running = new DeliveryEngine({
      db: t.db,
      dialect: t.oltp.dialect,
      adapters: { webhook: adapter },
      prepare: (row) => prepareWebhook(t.db, row, t.clock.now),
      retryAt: { webhook: webhookRetryAt },
      onOutcome: (row, outcome) => void webhookOutcome(t.db, row, outcome, t.clock.now),
      clock: () => t.clock.now,
      pollMs: 10,
      onError: (error) => {
        throw error;
      },
    });
    running.start();
  };
  const fannedOut = () =>
    withWebhookFanOut(
      t.events.store,
      webhookFanOut(
        new EndpointDirectory(t.db, 0),
        (m) => enqueueMessages(t.db, m, t.clock.now),
        () => t.clock.now,
      ),
      (error) => {
        throw error;
      },
    );
  const deliveries = async (endpointId: string) =>
    (await call(t.app, 'GET', `${base}/${endpointId}/deliveries`, { as: crew.as.analyst })).json().deliveries;

  it('adds endpoints for admins, shows the secret once, refuses bad URLs and event types', async () => {
    const byMarketer = await call(t.app, 'POST', base, {
      as: crew.as.marketer,
      body: { url: 'https://crm.example.sa/hooks', eventTypes: ['*'] },
    });
    expect(byMarketer.statusCode).toBe(403);
    const created = await call(t.app, 'POST', base, {
      as: crew.as.admin,
      body: { url: 'https://crm.example.sa/hooks', description: 'نظام العملاء', eventTypes: ['message.*'] },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.json().endpoint).toMatchObject({
      url: 'https://crm.example.sa/hooks',
      description: 'نظام العملاء',
      eventTypes: ['message.*'],
      enabled: true,
      rotating: false,
    });
    const listed = await call(t.app, 'GET', base, { as: crew.as.analyst });
    expect(listed.statusCode).toBe(200);
    expect(listed.body).not.toContain('whsec_');

    const badUrl = await call(t.app, 'POST', base, {
      as: crew.as.admin,
      body: { url: 'ftp://crm.example.sa/x', eventTypes: ['*'] },
    });
    expect(badUrl.statusCode).toBe(400);
    expect(badUrl.json().error).toMatchObject({
      field: 'url',
      message: 'url must use https or http, not ftp:',
    });
    const withPassword = await call(t.app, 'POST', base, {
      as: crew.as.admin,
      body: { url: 'https://user:pw@crm.example.sa/x', eventTypes: ['*'] },
    });
    expect(withPassword.json().error.field).toBe('url');
    const badType = await call(t.app, 'POST', base, {
      as: crew.as.admin,
      body: { url: 'https://crm.example.sa/x', eventTypes: ['message.*', 'has space'] },
    });
    expect(badType.statusCode).toBe(400);
    expect(badType.json().error.field).toBe('eventTypes');
    expect(badType.json().error.message).toContain('"has space"');
  });

  it('gives another workspace 404 for every endpoint route', async () => {
    const created = await call(t.app, 'POST', base, {
      as: crew.as.admin,
      body: { url: 'https://crm.example.sa/private', eventTypes: ['*'] },
    });
    const id = created.json().endpoint.id;
    const theirs = `/api/workspaces/${other.workspace.id}/webhooks/${id}`;
    const ours = `${base}/${id}`;
    for (const [method, url] of [
      ['GET', ours],
      ['PATCH', ours],
      ['DELETE', ours],
      ['POST', `${ours}/rotate-secret`],
      ['POST', `${ours}/test`],
      ['GET', `${ours}/deliveries`],
      ['GET', base],
      ['GET', theirs],
      ['PATCH', theirs],
      ['DELETE', theirs],
      ['POST', `${theirs}/rotate-secret`],
      ['POST', `${theirs}/test`],
      ['GET', `${theirs}/deliveries`],
    ] as const) {
      const res = await call(t.app, method, url, {
        as: other.as.owner,
        ...(method === 'PATCH' ? { body: { enabled: false } } : {}),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    const still = await call(t.app, 'GET', ours, { as: crew.as.analyst });
    expect(still.json().endpoint).toMatchObject({ id, enabled: true });
  });

  it('delivers subscribed events once each, signed per Standard Webhooks, and logs the deliveries', async () => {
    const hook = await receiver();
    try {
      const created = await call(t.app, 'POST', base, {
        as: crew.as.admin,
        body: { url: hook.url, eventTypes: ['message.*', 'contact.created'] },
      });
      const { endpoint, secret } = created.json();
      const store = fannedOut();
      const events = [
        event(ws, 'e-delivered', 'message', 'message.delivered'),
        event(ws, 'e-page', 'page', ''),
        event(ws, 'e-created', 'track', 'contact.created'),
        // Another workspace's event never reaches this workspace's endpoint.
        event(other.workspace.id, 'e-theirs', 'message', 'message.delivered'),
      ];
      await store.append(events);
      // Written twice (a retried batch): still one delivery per event.
      await store.append(events.slice(0, 1));
      deliver();
      await vi.waitFor(() => expect(hook.received).toHaveLength(2), { timeout: 10_000 });

      const bodies = hook.received.map((r) => JSON.parse(r.body)).sort((a, b) => (a.type < b.type ? -1 : 1));
      expect(bodies.map((b) => [b.type, b.data.id])).toEqual([
        ['contact.created', 'e-created'],
        ['message.delivered', 'e-delivered'],
      ]);
      expect(bodies[1].data.properties.subject).toBe('عروض الأسبوع');
      for (const r of hook.received) {
        const headers = {
          'webhook-id': String(r.headers['webhook-id']),
          'webhook-timestamp': String(r.headers['webhook-timestamp']),
          'webhook-signature': String(r.headers['webhook-signature']),
        };
        expect(verifyWebhook(headers, r.body, [secret], { now: t.clock.now }).ok).toBe(true);
        // Independently: HMAC-SHA256 over "id.timestamp.body" with the secret's bytes.
        const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
        const expected = createHmac('sha256', key)
          .update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${r.body}`)
          .digest('base64');
        expect(headers['webhook-signature']).toBe(`v1,${expected}`);
        expect(headers['webhook-timestamp']).toBe(String(Math.floor(t.clock.now / 1000)));
      }
      await vi.waitFor(async () => {
        const log = await deliveries(endpoint.id);
        expect(log.map((d: { status: string }) => d.status)).toEqual(['sent', 'sent']);
      });
      const log = await deliveries(endpoint.id);
      expect(log[0].response).toBe('HTTP 200: ok شكرًا');
      expect(log.map((d: { id: string }) => d.id).sort()).toEqual(
        hook.received.map((r) => String(r.headers['webhook-id'])).sort(),
      );
    } finally {
      await hook.close();
    }
  });

  it('retries on the Standard Webhooks schedule, signs with both secrets while rotating, and switches off on 410', async () => {
    const hook = await receiver([500, 200, 410]);
    try {
      const created = await call(t.app, 'POST', base, {
        as: crew.as.admin,
        body: { url: hook.url, eventTypes: ['webhook.test'] },
      });
      const { endpoint, secret: first } = created.json();
      const rotated = await call(t.app, 'POST', `${base}/${endpoint.id}/rotate-secret`, {
        as: crew.as.admin,
      });
      expect(rotated.json().endpoint.rotating).toBe(true);
      const second = rotated.json().secret;
      expect(second).not.toBe(first);

      const queued = await call(t.app, 'POST', `${base}/${endpoint.id}/test`, { as: crew.as.admin });
      expect(queued.statusCode, queued.body).toBe(202);
      const createdAt = t.clock.now;
      deliver();
      await vi.waitFor(() => expect(hook.received).toHaveLength(1), { timeout: 10_000 });
      await vi.waitFor(async () => expect((await deliveries(endpoint.id))[0].status).toBe('queued'));
      const retry = (await deliveries(endpoint.id))[0];
      // Attempt 2 comes 5 seconds (±10% jitter) after the first (Standard Webhooks: now, 5 s, 5 min, …).
      const wait = Date.parse(retry.nextAttemptAt) - createdAt;
      expect(wait).toBeGreaterThanOrEqual(4_500);
      expect(wait).toBeLessThanOrEqual(5_500);
      expect(retry.lastError).toBe('500: HTTP 500: ok شكرًا');
      t.clock.now += 4_000;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(hook.received).toHaveLength(1);
      t.clock.now += 1_500;
      await vi.waitFor(() => expect(hook.received).toHaveLength(2), { timeout: 10_000 });
      const signatures = String(hook.received[1]?.headers['webhook-signature']).split(' ');
      expect(signatures).toHaveLength(2);
      const headers = (r: Received) => ({
        'webhook-id': String(r.headers['webhook-id']),
        'webhook-timestamp': String(r.headers['webhook-timestamp']),
        'webhook-signature': String(r.headers['webhook-signature']),
      });
      const last = hook.received[1] as Received;
      expect(verifyWebhook(headers(last), last.body, [first], { now: t.clock.now }).ok).toBe(true);
      expect(verifyWebhook(headers(last), last.body, [second], { now: t.clock.now }).ok).toBe(true);

      // The receiver removed the endpoint: 410 switches it off.
      await call(t.app, 'POST', `${base}/${endpoint.id}/test`, { as: crew.as.admin });
      await vi.waitFor(
        async () => {
          const now = (await call(t.app, 'GET', `${base}/${endpoint.id}`, { as: crew.as.analyst })).json();
          expect(now.endpoint).toMatchObject({
            enabled: false,
            disabledReason: 'gone: the receiver answered 410',
          });
        },
        { timeout: 10_000 },
      );
      const log = await deliveries(endpoint.id);
      expect(log.map((d: { status: string }) => d.status)).toEqual(['failed', 'sent']);
    } finally {
      await hook.close();
    }
  });
});
