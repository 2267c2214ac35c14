import { performance } from 'node:perf_hooks';
import { promisify, TextDecoder } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw } from 'node:zlib';
import { Client } from 'undici';
import type { FetchError, RedirectHop, RequestTimings, TlsInfo } from '../types.ts';
import { type ConnectionSlot, type ConnectPolicy, CrawlFetchError, createConnector } from './connect.ts';
import { tryNormaliseUrl } from './url.ts';

export interface FetchSettings {
  userAgent: string;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  maxRedirects: number;
  policy: ConnectPolicy;
}

/** What to do with a response body, decided from its Content-Type. */
export type BodyMode = 'keep' | 'count' | 'skip';

export interface FetchRequest {
  method: 'GET' | 'HEAD';
  /** Cap on the body, on the wire and after decompression. */
  maxBytes: number;
  body: (contentType: string | undefined) => BodyMode;
  signal?: AbortSignal;
}

export interface FetchOutcome {
  finalUrl: string;
  /** 0 when no response arrived. */
  status: number;
  redirects: RedirectHop[];
  headers: Record<string, string>;
  contentType?: string;
  /** The decompressed body, for bodies the caller asked to keep. */
  bytes?: Buffer;
  transferBytes: number;
  bodyBytes: number;
  encoding?: string;
  httpVersion?: string;
  /** Of the last request of the redirect chain, the one that produced the page. */
  timings?: RequestTimings;
  tls?: TlsInfo;
  error?: FetchError;
}

interface Connection {
  client: Client;
  slot: ConnectionSlot;
}

const decompressors: Record<string, (buf: Buffer, opts: { maxOutputLength: number }) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  br: promisify(brotliDecompress),
  deflate: async (buf, opts) => {
    // Servers send both zlib-wrapped and raw deflate under this name.
    try {
      return await promisify(inflate)(buf, opts);
    } catch (error) {
      if (error instanceof RangeError) throw error;
      return await promisify(inflateRaw)(buf, opts);
    }
  },
};

class TooLarge extends Error {
  constructor(readonly bytesRead: number) {
    super('body too large');
  }
}

function toFetchError(error: unknown): FetchError {
  if (error instanceof CrawlFetchError) return { kind: error.kind, message: error.message };
  const e = error as NodeJS.ErrnoException;
  // DOMException (an abort) has a numeric code.
  const code = typeof e.code === 'string' ? e.code : '';
  const message = `${code ? `${code}: ` : ''}${e.message}`;
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return { kind: 'timeout', message };
  }
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_CLOSED') {
    return { kind: 'connect', message: `connection reset or closed by the server (${message})` };
  }
  if (code.startsWith('HPE_') || code.startsWith('ERR_HTTP2') || code === 'UND_ERR_INFO') {
    return { kind: 'protocol', message };
  }
  return { kind: 'other', message };
}

function flatHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || name === 'set-cookie') continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Header bytes arrive as latin1; a raw UTF-8 Location (common with Arabic paths) is read as UTF-8, as browsers do. */
function readLocation(value: string): string {
  let high = false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code > 0xff) return value;
    if (code >= 0x80) high = true;
  }
  if (!high) return value;
  try {
    return utf8.decode(Buffer.from(value, 'latin1'));
  } catch {
    return value;
  }
}

/**
 * HTTP for the crawl. Each client is used by one request at a time, so the
 * connection a request ran on is known: a request that caused a new
 * connection gets its DNS/TCP/TLS times (measured in the connector), one on a
 * reused connection gets none. TTFB runs from when the request could be sent
 * (connection ready) to the response headers; download from there to the last
 * body byte.
 */
export class Fetcher {
  private readonly idle = new Map<string, Connection[]>();
  private readonly all = new Set<Connection>();

  constructor(private readonly settings: FetchSettings) {}

  private acquire(origin: string): Connection {
    const reusable = this.idle.get(origin)?.pop();
    if (reusable) return reusable;
    const slot: ConnectionSlot = { httpVersion: '1.1' };
    const client = new Client(origin, {
      connect: createConnector(this.settings.policy, slot),
      allowH2: this.settings.policy.http2,
      headersTimeout: this.settings.headersTimeoutMs,
      bodyTimeout: this.settings.bodyTimeoutMs,
    });
    const connection = { client, slot };
    this.all.add(connection);
    return connection;
  }

  private release(origin: string, connection: Connection): void {
    const list = this.idle.get(origin);
    if (list) list.push(connection);
    else this.idle.set(origin, [connection]);
  }

  async close(): Promise<void> {
    const clients = [...this.all].map((c) => c.client.destroy().catch(() => undefined));
    this.all.clear();
    this.idle.clear();
    await Promise.all(clients);
  }

  /** Fetches a URL following redirects by hand, every hop through the same checks; never throws. */
  async fetch(startUrl: string, request: FetchRequest): Promise<FetchOutcome> {
    const redirects: RedirectHop[] = [];
    const seen = new Set([startUrl]);
    let url = startUrl;
    let method = request.method;
    for (;;) {
      const outcome = await this.once(url, method, request);
      outcome.redirects = redirects;
      const location =
        outcome.headers.location === undefined ? undefined : readLocation(outcome.headers.location);
      if (!REDIRECTS.has(outcome.status) || location === undefined || outcome.error) return outcome;
      redirects.push({ url, status: outcome.status, location });
      const next = tryNormaliseUrl(location, url, { stripTracking: false });
      const stop = (error: FetchError) => ({ ...outcome, error, finalUrl: url });
      if (next === undefined) {
        return stop({ kind: 'other', message: `redirect from ${url} to an unusable Location '${location}'` });
      }
      if (seen.has(next)) {
        return stop({ kind: 'redirect_loop', message: `redirect loop: ${url} leads back to ${next}` });
      }
      if (redirects.length > this.settings.maxRedirects) {
        return stop({
          kind: 'too_many_redirects',
          message: `more than ${this.settings.maxRedirects} redirects from ${startUrl}`,
        });
      }
      seen.add(next);
      url = next;
      if (outcome.status === 303) method = 'GET';
    }
  }

  private async once(url: string, method: 'GET' | 'HEAD', request: FetchRequest): Promise<FetchOutcome> {
    const target = new URL(url);
    const base: FetchOutcome = {
      finalUrl: url,
      status: 0,
      redirects: [],
      headers: {},
      transferBytes: 0,
      bodyBytes: 0,
    };
    const connection = this.acquire(target.origin);
    const { slot } = connection;
    const started = performance.now();
    try {
      const response = await connection.client.request({
        path: target.pathname + target.search,
        method,
        headers: {
          'user-agent': this.settings.userAgent,
          accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
          'accept-encoding': 'gzip, deflate, br',
        },
        signal: request.signal,
      });
      const headersAt = performance.now();
      const fresh = slot.fresh;
      slot.fresh = undefined;
      const outcome: FetchOutcome = {
        ...base,
        status: response.statusCode,
        headers: flatHeaders(response.headers),
        httpVersion: slot.httpVersion,
        ...(slot.tls ? { tls: slot.tls } : {}),
      };
      const contentType = outcome.headers['content-type'];
      if (contentType !== undefined) outcome.contentType = contentType;
      const encoding = outcome.headers['content-encoding']?.trim().toLowerCase();
      if (encoding && encoding !== 'identity') outcome.encoding = encoding;

      const mode =
        method === 'HEAD' || REDIRECTS.has(response.statusCode) ? 'skip' : request.body(contentType);
      let raw: Buffer | undefined;
      try {
        if (mode === 'skip') {
          await response.body.dump({ limit: 65_536 });
        } else {
          raw = await readCapped(response.body, request.maxBytes, Number(outcome.headers['content-length']));
        }
      } catch (error) {
        // The status and headers arrived: keep them, with what went wrong with the body.
        if (error instanceof TooLarge) {
          outcome.error = {
            kind: 'too_large',
            message: `${url}: body over the ${request.maxBytes}-byte cap`,
          };
          outcome.transferBytes = error.bytesRead;
        } else {
          outcome.error = toFetchError(error);
        }
      }
      const endedAt = performance.now();
      const sentAt = fresh ? Math.max(started, fresh.readyAt) : started;
      outcome.timings = {
        ...(fresh?.dnsMs !== undefined ? { dnsMs: fresh.dnsMs } : {}),
        ...(fresh ? { connectMs: fresh.connectMs } : {}),
        ...(fresh?.tlsMs !== undefined ? { tlsMs: fresh.tlsMs } : {}),
        ttfbMs: headersAt - sentAt,
        downloadMs: endedAt - headersAt,
        totalMs: endedAt - started,
      };
      if (raw !== undefined) {
        outcome.transferBytes = raw.length;
        const decompress = outcome.encoding ? decompressors[outcome.encoding] : undefined;
        let body = raw;
        if (decompress) {
          try {
            body = await decompress(raw, { maxOutputLength: request.maxBytes });
          } catch (error) {
            outcome.error =
              error instanceof RangeError
                ? {
                    kind: 'too_large',
                    message: `${url}: body over the ${request.maxBytes}-byte cap once decompressed`,
                  }
                : { kind: 'protocol', message: `${url}: ${outcome.encoding} body does not decompress` };
            return outcome;
          }
        }
        outcome.bodyBytes = body.length;
        if (mode === 'keep') outcome.bytes = body;
      }
      return outcome;
    } catch (error) {
      slot.fresh = undefined;
      return { ...base, error: toFetchError(error), ...(slot.tls ? { tls: slot.tls } : {}) };
    } finally {
      this.release(target.origin, connection);
    }
  }
}

/** Reads a body up to `max` bytes; past that (or when the header says so) it stops and throws TooLarge. */
async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }, max: number, declared: number) {
  if (declared > max) {
    body.destroy();
    throw new TooLarge(0);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > max) {
      body.destroy();
      throw new TooLarge(total);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}
