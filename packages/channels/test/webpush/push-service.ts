// A fake push service on https://127.0.0.1 that checks requests the way a
// real one does (RFC 8030 / 8292 / 8291): the VAPID JWT signed with ES256 by
// the key the subscription was made for, the audience, expiry and subject,
// the aes128gcm encoding, TTL and Urgency, the body limit. It then plays the
// browser too: it decrypts the payload with the subscription's private key.
import { execFileSync } from 'node:child_process';
import {
  createDecipheriv,
  createECDH,
  createPublicKey,
  type ECDH,
  hkdfSync,
  randomBytes,
  verify,
} from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PushSubscription } from '../../src/types.ts';

/** A self-signed certificate for 127.0.0.1 and localhost, made by openssl for this run. */
export function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wasl-push-cert-'));
  try {
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
      ].concat(
        ['-subj', '/CN=wasl-push-test', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
        ['-keyout', key, '-out', cert],
      ),
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the browser keeps for one subscription: its ECDH key pair and auth secret. */
interface Browser {
  ecdh: ECDH;
  auth: Buffer;
  /** Answer with this status after checking the request (404, 410, 429, …); default 201. */
  status?: number;
  /** Never answer. */
  hang?: boolean;
}

export interface Delivery {
  path: string;
  ttl: string;
  urgency: string | undefined;
  claims: { aud: string; exp: number; sub: string };
  bodyBytes: number;
  /** The decrypted payload, as the browser's service worker would see it. */
  plaintext: string;
}

export interface PushService {
  origin: string;
  /** The service's self-signed certificate, for the sender's trusted CAs. */
  cert: string;
  /** A new browser subscription at this service (generated with node:crypto). */
  subscribe(options?: { status?: number; hang?: boolean }): PushSubscription;
  deliveries: Delivery[];
  /** Requests refused by the checks, with the reason. */
  rejected: string[];
  close(): Promise<void>;
}

const b64u = (text: string) => Buffer.from(text, 'base64url');

/** Decrypts one aes128gcm record (RFC 8188) with the keys derived per RFC 8291. */
export function decryptAes128gcm(body: Buffer, browser: { ecdh: ECDH; auth: Buffer }): Buffer {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body[20] ?? 0;
  const senderPublic = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  if (idLength !== 65) throw new Error(`keyid is ${idLength} bytes, not a 65-byte P-256 key`);
  if (record.length > recordSize) throw new Error('more than one record');
  const shared = browser.ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), browser.ecdh.getPublicKey(), senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, browser.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('the last record lacks the 0x02 padding delimiter');
  return padded.subarray(0, end);
}

/** Checks the VAPID Authorization header; returns the JWT claims or throws the reason. */
function checkVapid(authorization: string | undefined, audience: string, vapidPublicKey: string) {
  const match = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(authorization ?? '');
  if (!match) throw new Error(`Authorization is not "vapid t=…, k=…": ${authorization}`);
  const [jwt, k] = [match[1]!, match[2]!];
  if (k !== vapidPublicKey) throw new Error('k is not the key this subscription was made with');
  const [head, claims, signature] = jwt.split('.') as [string, string, string];
  const header = JSON.parse(b64u(head).toString());
  if (header.alg !== 'ES256' || header.typ !== 'JWT') throw new Error(`JWT header ${JSON.stringify(header)}`);
  const point = b64u(k);
  const key = createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33, 65).toString('base64url'),
    },
    format: 'jwk',
  });
  const valid = verify(
    'sha256',
    Buffer.from(`${head}.${claims}`),
    { key, dsaEncoding: 'ieee-p1363' },
    b64u(signature),
  );
  if (!valid) throw new Error('JWT signature does not verify with k');
  const body = JSON.parse(b64u(claims).toString()) as { aud: string; exp: number; sub: string };
  const now = Date.now() / 1000;
  if (body.aud !== audience) throw new Error(`aud ${body.aud} is not ${audience}`);
  if (!(body.exp > now && body.exp <= now + 24 * 3600)) throw new Error(`exp ${body.exp} is not within 24 h`);
  if (!/^(mailto:|https:)/.test(body.sub ?? '')) throw new Error(`sub ${body.sub} is not mailto: or https:`);
  return body;
}

export async function startPushService(vapidPublicKey: string): Promise<PushService> {
  const browsers = new Map<string, Browser>();
  const deliveries: Delivery[] = [];
  const rejected: string[] = [];
  let origin = '';
  const refuse = (res: ServerResponse, status: number, reason: string) => {
    rejected.push(reason);
    res.writeHead(status, { 'content-type': 'text/plain' }).end(reason);
  };
  const tls = selfSignedCert();
  const server = createServer(tls, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      const browser = browsers.get(path);
      if (req.method !== 'POST') return refuse(res, 405, `method ${req.method}`);
      if (browser === undefined) return refuse(res, 404, `no subscription at ${path}`);
      let claims: Delivery['claims'];
      try {
        claims = checkVapid(req.headers.authorization, origin, vapidPublicKey);
      } catch (error) {
        return refuse(res, 403, (error as Error).message);
      }
      const ttl = req.headers.ttl;
      if (typeof ttl !== 'string' || !/^\d+$/.test(ttl)) return refuse(res, 400, `TTL header ${ttl}`);
      const urgency = req.headers.urgency;
      if (urgency !== undefined && !['very-low', 'low', 'normal', 'high'].includes(urgency as string)) {
        return refuse(res, 400, `Urgency ${urgency}`);
      }
      if (req.headers['content-encoding'] !== 'aes128gcm') {
        return refuse(res, 415, `Content-Encoding ${req.headers['content-encoding']}`);
      }
      const body = Buffer.concat(chunks);
      if (body.length > 4096) return refuse(res, 413, `body of ${body.length} bytes`);
      let plaintext: string;
      try {
        plaintext = new TextDecoder('utf-8', { fatal: true }).decode(decryptAes128gcm(body, browser));
      } catch (error) {
        return refuse(res, 400, `cannot decrypt: ${(error as Error).message}`);
      }
      if (browser.hang) return;
      deliveries.push({
        path,
        ttl,
        urgency: urgency as string | undefined,
        claims,
        bodyBytes: body.length,
        plaintext,
      });
      const status = browser.status ?? 201;
      if (status === 201) {
        res.writeHead(201, { location: `${origin}/messages/${deliveries.length}` }).end();
      } else {
        res.writeHead(status, { 'content-type': 'text/plain' }).end(`status ${status} as asked`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    cert: tls.cert,
    deliveries,
    rejected,
    subscribe(options = {}) {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const path = `/push/${randomBytes(8).toString('hex')}`;
      browsers.set(path, { ecdh, auth, ...options });
      return {
        endpoint: `${origin}${path}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
