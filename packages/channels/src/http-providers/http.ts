/**
 * The small HTTP layer the SMS and WhatsApp API adapters share: one undici
 * Pool per adapter, an overall time-out per request, ctx.commit() called
 * right before the request goes out, and the mapping of what cannot be read
 * as a provider answer (time-outs, dropped connections, odd statuses) into
 * SendRefused values. Also the E.164 and signature helpers the adapters use.
 */
import { timingSafeEqual } from 'node:crypto';
import { Pool, request } from 'undici';
import type { SendContext, SendRefused } from '../types.ts';

export interface HttpOptions {
  /** Whole request, from connecting to the last body byte. Default 15 s. */
  timeoutMs?: number;
  /** Connections the adapter keeps to the provider. Default 4. */
  connections?: number;
}

export interface PostRequest {
  /** Path under the adapter's base URL, starting with '/'. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

export type HttpOutcome =
  | { kind: 'response'; status: number; body: string }
  | { kind: 'refused'; refusal: SendRefused };

const MAX_RESPONSE_BYTES = 1_048_576;

export const refused = (
  retryable: boolean,
  code: string,
  reason: string,
  bounce?: SendRefused['bounce'],
): SendRefused =>
  bounce === undefined
    ? { ok: false, retryable, code, reason }
    : { ok: false, retryable, code, reason, bounce };

/** 429 and 5xx are worth another try later; other statuses are not. */
export const retryableStatus = (status: number): boolean => status === 429 || status >= 500;

/** One provider's HTTP connection pool. */
export class ProviderHttp {
  private readonly pool: Pool;
  private readonly origin: string;
  private readonly prefix: string;
  private readonly timeoutMs: number;

  constructor(baseUrl: string, options: HttpOptions = {}) {
    const base = new URL(baseUrl);
    this.origin = base.origin;
    this.prefix = base.pathname.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.pool = new Pool(base.origin, {
      connections: options.connections ?? 4,
      connect: { timeout: this.timeoutMs },
      headersTimeout: this.timeoutMs,
      bodyTimeout: this.timeoutMs,
    });
  }

  /**
   * Commits, then POSTs. When the worker's signal is already aborted nothing
   * is committed or sent. Once committed the request runs to its answer or
   * its time-out: aborting then would only leave the message in doubt.
   */
  async post(req: PostRequest, ctx: SendContext): Promise<HttpOutcome> {
    if (ctx.signal.aborted) {
      return { kind: 'refused', refusal: refused(true, 'aborted', 'the worker stopped before sending') };
    }
    await ctx.commit();
    const deadline = AbortSignal.timeout(this.timeoutMs);
    try {
      const res = await request(this.origin + this.prefix + req.path, {
        dispatcher: this.pool,
        method: 'POST',
        headers: req.headers,
        body: req.body,
        signal: deadline,
      });
      const body = await readText(res.body);
      return { kind: 'response', status: res.statusCode, body };
    } catch (error) {
      return { kind: 'refused', refusal: networkRefusal(error, deadline.aborted, this.timeoutMs) };
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

async function readText(body: AsyncIterable<Buffer> & { destroy(): void }): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > MAX_RESPONSE_BYTES) {
      body.destroy();
      throw new Error(`response body over ${MAX_RESPONSE_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

function networkRefusal(error: unknown, timedOut: boolean, timeoutMs: number): SendRefused {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (timedOut || TIMEOUT_CODES.has(code)) {
    return refused(true, 'timeout', `no answer within ${timeoutMs} ms${code ? ` (${code})` : ''}`);
  }
  return refused(true, 'connection', code ? `${code}: ${message}` : message);
}

/** The body as JSON, or undefined when it is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const E164 = /^\+[1-9]\d{6,14}$/;

/** The digits of an E.164 number (no '+'), or undefined when `to` is not E.164. */
export function e164Digits(to: string): string | undefined {
  return E164.test(to) ? to.slice(1) : undefined;
}

/** The refusal for a destination that is not E.164: nothing was sent, and the address itself is bad. */
export const notE164 = (to: string): SendRefused =>
  refused(false, 'invalid_recipient', `to: '${to}' is not an E.164 number such as +966501234567`, 'hard');

/** Compares two strings in time independent of where they differ. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A one-line version of a provider body for the delivery log. */
export const excerpt = (body: string): string => {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
};
