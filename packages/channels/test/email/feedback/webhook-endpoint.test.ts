/**
 * The feedback functions behind a real HTTP server on 127.0.0.1, the way a
 * route uses them: authenticate, parse, answer 200 with the reports, 400 for a
 * malformed body, 401 for bad credentials, 503 when the SNS certificate
 * cannot be had. Requests go over the wire with fetch.
 */
import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Problem, Result } from '@wasl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkBasicAuth,
  parseMailgunWebhook,
  parsePostmarkWebhook,
  parseSendGridEvents,
  parseSesWebhook,
  parseSnsEnvelope,
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
  verifyMailgunSignature,
  verifySendGridSignature,
  verifySnsSignature,
} from '../../../src/email/feedback/index.ts';
import type { StatusReport } from '../../../src/types.ts';
import { makeSigner, type Signer, signedNotification } from './sns-signing.ts';

const MAILGUN_KEY = 'mailgun-signing-key';
const sendgridKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const SENDGRID_PUBLIC = sendgridKeys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

let signer: Signer;
let certServer: Server;
let certBase: string;
let certAvailable = true;
let server: Server;
let base: string;
const log: string[] = [];

const STATUS: Record<Problem['code'], number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  unavailable: 503,
};

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Stands in for AWS: the SNS certificate URL's path, served from a local HTTP server. */
async function getCertificate(url: string): Promise<string> {
  const response = await fetch(`${certBase}${new URL(url).pathname}`);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
}

async function handle(path: string, req: IncomingMessage, raw: Buffer): Promise<Result<StatusReport[]>> {
  const body = raw.toString('utf8');
  const receivedAt = Date.now();
  switch (path) {
    case '/ses': {
      const envelope = parseSnsEnvelope(body);
      if (!envelope.ok) return envelope;
      const verified = await verifySnsSignature(envelope.value, { getCertificate });
      return verified.ok ? parseSesWebhook({ body, receivedAt }) : verified;
    }
    case '/sendgrid': {
      const header = (name: string) => req.headers[name] as string | undefined;
      const verified = verifySendGridSignature(
        {
          body: raw,
          signature: header(SENDGRID_SIGNATURE_HEADER),
          timestamp: header(SENDGRID_TIMESTAMP_HEADER),
        },
        { publicKey: SENDGRID_PUBLIC },
      );
      return verified.ok ? parseSendGridEvents({ body, receivedAt }) : verified;
    }
    case '/mailgun': {
      const verified = verifyMailgunSignature(body, { signingKey: MAILGUN_KEY });
      return verified.ok ? parseMailgunWebhook({ body, receivedAt }) : verified;
    }
    default: {
      const verified = checkBasicAuth(req.headers.authorization, 'postmark', 'كلمة-سر');
      return verified.ok ? parsePostmarkWebhook({ body, receivedAt }) : verified;
    }
  }
}

beforeAll(async () => {
  signer = makeSigner();
  certServer = createServer((req, res) => {
    if (certAvailable && req.url?.endsWith('.pem')) {
      res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(signer.certPem);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => certServer.listen(0, '127.0.0.1', resolve));
  certBase = `http://127.0.0.1:${(certServer.address() as AddressInfo).port}`;

  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    readBody(req)
      .then((raw) => handle(path, req, raw))
      .then((result) => {
        if (result.ok) {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result.value));
        } else {
          log.push(`${path} ${result.error.code} ${result.error.field ?? ''}: ${result.error.message}`);
          res
            .writeHead(STATUS[result.error.code], { 'content-type': 'application/json' })
            .end(JSON.stringify(result.error));
        }
      })
      .catch((error: unknown) => {
        log.push(`${path} crash: ${String(error)}`);
        res.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => certServer.close(resolve));
});

const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  return { status: response.status, json: (await response.json()) as unknown };
};

describe('feedback webhooks behind a real HTTP endpoint', () => {
  it('SES over SNS: a signed bounce is 200 with the report; a forged one 401; junk 400; a lost certificate 503', async () => {
    const message = {
      notificationType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [
          { emailAddress: 'نور@example.sa', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 unknown' },
        ],
        timestamp: '2026-11-23T06:00:58.000Z',
      },
      mail: { timestamp: '2026-11-23T06:00:57.000Z', messageId: 'ses-1', destination: ['نور@example.sa'] },
    };
    const good = signedNotification(signer, message, { version: '2' });
    const ok = await post('/ses', JSON.stringify(good));
    expect(ok).toEqual({
      status: 200,
      json: [
        {
          status: 'bounced',
          at: Date.UTC(2026, 10, 23, 6, 0, 58),
          providerMessageId: 'ses-1',
          recipient: 'نور@example.sa',
          bounce: { kind: 'hard', code: '5.1.1', reason: 'smtp; 550 5.1.1 unknown' },
          detail: {
            event: 'Bounce',
            bounceType: 'Permanent',
            bounceSubType: 'General',
            diagnosticCode: 'smtp; 550 5.1.1 unknown',
          },
        },
      ],
    });
    const forged = { ...good, Message: good.Message?.replace('Permanent', 'Transient') };
    expect((await post('/ses', JSON.stringify(forged))).status).toBe(401);
    expect(await post('/ses', '{"Type":"Notification"')).toMatchObject({
      status: 400,
      json: { field: 'body' },
    });
    // A certificate URL off SNS is refused before any fetch.
    const offSns = { ...good, SigningCertURL: 'https://sns.eu-central-1.amazonaws.com/cert.txt' };
    expect(await post('/ses', JSON.stringify(offSns))).toMatchObject({
      status: 400,
      json: { field: 'SigningCertURL' },
    });
    // The certificate server answers 404: 503, so SNS delivers again later.
    certAvailable = false;
    try {
      expect(await post('/ses', JSON.stringify(good))).toMatchObject({
        status: 503,
        json: { code: 'unavailable' },
      });
    } finally {
      certAvailable = true;
    }
  });

  it('SendGrid: signed events 200; a wrong signature 401; a stale timestamp 401; a malformed event 400', async () => {
    const events = JSON.stringify([
      {
        email: 'a@example.com',
        timestamp: 1795417200,
        event: 'spamreport',
        wasl_message_id: 'm-1',
        sg_message_id: 'sg1.filter0001',
      },
    ]);
    const headers = (body: string, timestamp: string) => ({
      [SENDGRID_TIMESTAMP_HEADER]: timestamp,
      [SENDGRID_SIGNATURE_HEADER]: sign('sha256', Buffer.from(timestamp + body), {
        key: sendgridKeys.privateKey,
        dsaEncoding: 'der',
      }).toString('base64'),
    });
    const now = String(Math.floor(Date.now() / 1000));
    expect(await post('/sendgrid', events, headers(events, now))).toEqual({
      status: 200,
      json: [
        {
          status: 'complained',
          at: 1795417200000,
          messageId: 'm-1',
          providerMessageId: 'sg1',
          recipient: 'a@example.com',
          detail: { event: 'spamreport', sgMessageId: 'sg1.filter0001' },
        },
      ],
    });
    expect((await post('/sendgrid', `${events} `, headers(events, now))).status).toBe(401);
    const stale = String(Math.floor(Date.now() / 1000) - 600);
    expect(await post('/sendgrid', events, headers(events, stale))).toMatchObject({
      status: 401,
      json: { field: SENDGRID_TIMESTAMP_HEADER },
    });
    const bad = JSON.stringify([{ email: 'a@example.com', timestamp: 1795417200 }]);
    expect(await post('/sendgrid', bad, headers(bad, now))).toMatchObject({
      status: 400,
      json: { field: '[0].event' },
    });
  });

  it('Mailgun: a signed event 200; a wrong key 401', async () => {
    const signed = (key: string) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const token = 'b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5';
      const signature = createHmac('sha256', key)
        .update(timestamp + token)
        .digest('hex');
      return JSON.stringify({
        signature: { timestamp, token, signature },
        'event-data': {
          event: 'delivered',
          timestamp: 1795417200.5,
          recipient: 'b@example.org',
          'user-variables': { wasl_message_id: 'm-2' },
        },
      });
    };
    expect(await post('/mailgun', signed(MAILGUN_KEY))).toEqual({
      status: 200,
      json: [
        {
          status: 'delivered',
          at: 1795417200500,
          messageId: 'm-2',
          recipient: 'b@example.org',
          detail: { event: 'delivered' },
        },
      ],
    });
    expect((await post('/mailgun', signed('wrong'))).status).toBe(401);
  });

  it('Postmark: Basic credentials with an Arabic password 200; wrong ones 401; malformed 400; nothing crashed', async () => {
    const auth = (pass: string) => ({
      authorization: `Basic ${Buffer.from(`postmark:${pass}`).toString('base64')}`,
    });
    const record = JSON.stringify({
      RecordType: 'Delivery',
      MessageID: 'pm-1',
      Recipient: 'c@example.com',
      DeliveredAt: '2026-11-23T06:33:54Z',
      Metadata: { wasl_message_id: 'm-3' },
    });
    expect(await post('/postmark', record, auth('كلمة-سر'))).toEqual({
      status: 200,
      json: [
        {
          status: 'delivered',
          at: Date.UTC(2026, 10, 23, 6, 33, 54),
          messageId: 'm-3',
          providerMessageId: 'pm-1',
          recipient: 'c@example.com',
          detail: { recordType: 'Delivery' },
        },
      ],
    });
    expect((await post('/postmark', record, auth('guess'))).status).toBe(401);
    expect(await post('/postmark', '[]', auth('كلمة-سر'))).toMatchObject({
      status: 400,
      json: { field: 'body' },
    });
    expect(log.some((line) => line.includes('crash'))).toBe(false);
    expect(log).toContain('/postmark invalid body: body must be an object');
  });
});
