import { lookup } from 'node:dns/promises';
import { isIP, type Socket, connect as tcpConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { type PeerCertificate, rootCertificates, type TLSSocket, connect as tlsConnect } from 'node:tls';
import { isBlockedAddress } from '@wasl/core';
import type { buildConnector } from 'undici';
import type { FetchErrorKind, TlsInfo } from '../types.ts';

/** An expected fetch failure carrying the kind the crawl records. */
export class CrawlFetchError extends Error {
  constructor(
    readonly kind: FetchErrorKind,
    message: string,
  ) {
    super(message);
  }
}

export interface ConnectPolicy {
  allowPrivateTargets: boolean;
  /** Host names (or IP literals) allowed even when they resolve to a private address. */
  allowHosts: ReadonlySet<string>;
  /** Extra trusted CA certificates (PEM), added to Node's roots. */
  ca?: string | Buffer | (string | Buffer)[];
  http2: boolean;
  connectTimeoutMs: number;
}

/** What one client's latest connection cost, and what it negotiated. */
export interface ConnectionSlot {
  /** Set by a new connection, taken by the first request that used it. */
  fresh?: { dnsMs?: number; connectMs: number; tlsMs?: number; readyAt: number };
  tls?: TlsInfo;
  httpVersion: string;
}

const dn = (name: PeerCertificate['issuer']) =>
  Object.entries(name ?? {})
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : value}`)
    .join(', ');

function tlsInfo(socket: TLSSocket): TlsInfo {
  const cert = socket.getPeerCertificate();
  const validTo = new Date(cert.valid_to);
  return {
    protocol: socket.getProtocol() ?? 'unknown',
    cipher: socket.getCipher().name,
    validTo: Number.isNaN(validTo.getTime()) ? cert.valid_to : validTo.toISOString(),
    issuer: dn(cert.issuer),
    subject: dn(cert.subject),
  };
}

/** Resolves the host once and picks an address the policy allows: the one we then connect to. */
async function resolveTarget(
  hostname: string,
  policy: ConnectPolicy,
): Promise<{ address: string; dnsMs?: number }> {
  const allowed = policy.allowPrivateTargets || policy.allowHosts.has(hostname);
  if (isIP(hostname)) {
    if (!allowed && isBlockedAddress(hostname)) {
      throw new CrawlFetchError('blocked_private_address', `${hostname} is a private or reserved address`);
    }
    return { address: hostname };
  }
  const started = performance.now();
  let addresses: { address: string }[];
  try {
    addresses = await lookup(hostname, { all: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'failed';
    throw new CrawlFetchError('dns', `DNS lookup of ${hostname}: ${code}`);
  }
  const dnsMs = performance.now() - started;
  const usable = allowed ? addresses[0] : addresses.find((a) => !isBlockedAddress(a.address));
  if (usable === undefined) {
    const list = addresses.map((a) => a.address).join(', ');
    throw new CrawlFetchError(
      'blocked_private_address',
      `${hostname} resolves to ${list}: private or reserved`,
    );
  }
  return { address: usable.address, dnsMs };
}

const tlsFailure = (error: NodeJS.ErrnoException) =>
  error.code === 'ECONNRESET' || error.code === 'EPIPE'
    ? new CrawlFetchError('connect', `connection reset during the TLS handshake (${error.code})`)
    : new CrawlFetchError('tls', `TLS handshake failed: ${error.code ?? ''} ${error.message}`.trim());

/**
 * An undici connector that does the DNS lookup, TCP connect and TLS handshake
 * itself, so each phase is timed on its own (undici's connector times none of
 * them), the SSRF check sees the address that is actually dialled (no DNS
 * rebinding gap), and the certificate and ALPN result are at hand.
 */
export function createConnector(policy: ConnectPolicy, slot: ConnectionSlot): buildConnector.connector {
  const ca = policy.ca === undefined ? undefined : [...rootCertificates, ...[policy.ca].flat()];
  return ({ hostname, protocol, port }, callback) => {
    const https = protocol === 'https:';
    // The TCP socket and the TLS socket over it: a failed attempt destroys both.
    const sockets: Socket[] = [];
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      callback(error, null);
    };
    const timer = setTimeout(
      () =>
        fail(
          new CrawlFetchError('timeout', `connecting to ${hostname} took over ${policy.connectTimeoutMs} ms`),
        ),
      policy.connectTimeoutMs,
    );
    resolveTarget(hostname, policy).then(({ address, dnsMs }) => {
      if (settled) return;
      const dialled = performance.now();
      const tcp = tcpConnect({ host: address, port: Number(port) || (https ? 443 : 80) });
      sockets.push(tcp);
      tcp.on('error', (error: NodeJS.ErrnoException) =>
        fail(
          new CrawlFetchError(
            'connect',
            `connecting to ${hostname} (${address}): ${error.code ?? error.message}`,
          ),
        ),
      );
      tcp.once('connect', () => {
        const connected = performance.now();
        if (!https) {
          settled = true;
          clearTimeout(timer);
          slot.fresh = { dnsMs, connectMs: connected - dialled, readyAt: connected };
          slot.httpVersion = '1.1';
          slot.tls = undefined;
          callback(null, tcp);
          return;
        }
        const secure = tlsConnect({
          socket: tcp,
          servername: isIP(hostname) ? undefined : hostname,
          ALPNProtocols: policy.http2 ? ['h2', 'http/1.1'] : ['http/1.1'],
          ca,
        });
        sockets.push(secure);
        secure.on('error', (error: NodeJS.ErrnoException) => fail(tlsFailure(error)));
        secure.once('secureConnect', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const ready = performance.now();
          slot.fresh = { dnsMs, connectMs: connected - dialled, tlsMs: ready - connected, readyAt: ready };
          slot.httpVersion = secure.alpnProtocol === 'h2' ? '2' : '1.1';
          slot.tls = tlsInfo(secure);
          callback(null, secure);
        });
      });
    }, fail);
  };
}
