/**
 * Outgoing webhooks: POSTs the signed JSON body (Standard Webhooks headers)
 * to the endpoint's URL over undici, guarded against SSRF (every target,
 * redirects included, is resolved and checked, and the socket connects only
 * to checked addresses), and maps the answer to a SendResult: 2xx accepted,
 * 410 the endpoint is gone, 408/429/5xx and network trouble retryable.
 */
import { TextDecoder } from 'node:util';
import { Agent, type Dispatcher, request } from 'undici';
import type { ChannelAdapter, SendContext, SendRefused, SendResult, WebhookMessage } from '../types.ts';
import { webhookHeaders } from './signature.ts';
import { guardedLookup, resolveTarget, TargetError, type TargetPolicy } from './target.ts';

export interface WebhookAdapterOptions {
  /**
   * The endpoint's active signing secrets ("whsec_…"); two while a secret is being rotated.
   * Used when the message does not carry its own (WebhookMessage.secrets).
   */
  secretsFor?(message: WebhookMessage): readonly string[] | Promise<readonly string[]>;
  /** For the whole send, redirects included. Default 15 000 ms. */
  timeoutMs?: number;
  /** Allow private, loopback and link-local targets. Default false. */
  allowPrivateTargets?: boolean;
  /** Host names or IP literals allowed even when private, e.g. an operator's own receiver. */
  allowHosts?: readonly string[];
  userAgent?: string;
}

/** Redirects followed by hand; each one re-sends the same signed POST. */
export const MAX_WEBHOOK_REDIRECTS = 3;
/** How much of the response body is kept in the delivery log. */
const RESPONSE_BYTES = 1024;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const refuse = (retryable: boolean, code: string, reason: string): SendRefused => ({
  ok: false,
  retryable,
  code,
  reason,
});

/** The URL as a webhook target: absolute http(s), no credentials. */
function parseTarget(text: string, base?: URL): URL | SendRefused {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    return refuse(false, 'invalid_url', `url "${text}" is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return refuse(false, 'invalid_url', `url "${text}" must use http or https, not ${url.protocol}`);
  }
  if (url.username !== '' || url.password !== '') {
    return refuse(false, 'invalid_url', `url "${url.host}${url.pathname}" must not carry credentials`);
  }
  return url;
}

function targetRefusal(error: TargetError): SendRefused {
  return error.kind === 'blocked'
    ? refuse(false, 'blocked_address', error.message)
    : refuse(true, 'dns', error.message);
}

/** The first bytes of a body as text; an incomplete trailing character is dropped. */
async function readStart(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size >= RESPONSE_BYTES) break;
  }
  const bytes = Buffer.concat(chunks).subarray(0, RESPONSE_BYTES);
  return new TextDecoder().decode(bytes, { stream: true });
}

/** What a final (non-redirect) answer means for the delivery. */
function classify(status: number, text: string, id: string): SendResult {
  const response = text === '' ? `HTTP ${status}` : `HTTP ${status}: ${text}`;
  if (status >= 200 && status < 300) return { ok: true, providerMessageId: id, response };
  if (status === 410) return refuse(false, 'gone', response);
  if (status === 408 || status === 429 || status >= 500) return refuse(true, String(status), response);
  return refuse(false, String(status), response);
}

export class WebhookAdapter implements ChannelAdapter<WebhookMessage> {
  readonly channel = 'webhook' as const;
  readonly provider = 'http';
  readonly #options: WebhookAdapterOptions;
  readonly #policy: TargetPolicy;
  readonly #agent: Agent;

  constructor(options: WebhookAdapterOptions) {
    this.#options = options;
    this.#policy = {
      allowPrivateTargets: options.allowPrivateTargets ?? false,
      allowHosts: new Set(options.allowHosts?.map((host) => host.toLowerCase())),
    };
    this.#agent = new Agent({ connect: { lookup: guardedLookup(this.#policy) } });
  }

  async send(message: WebhookMessage, ctx: SendContext): Promise<SendResult> {
    const first = parseTarget(message.url);
    if (!(first instanceof URL)) return first;
    const secrets = message.secrets ?? (await this.#options.secretsFor?.(message)) ?? [];
    const headers = webhookHeaders(message, secrets);
    if (!headers.ok) return refuse(false, 'invalid', headers.error.message);
    const refused = await this.#check(first);
    if (refused !== undefined) return refused;
    if (ctx.signal.aborted) return refuse(true, 'aborted', 'the worker stopped before sending');

    await ctx.commit();
    const timeoutMs = this.#options.timeoutMs ?? 15_000;
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    try {
      let target = first;
      for (let redirects = 0; ; redirects++) {
        const res = await request(target, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'user-agent': this.#options.userAgent ?? 'Wasl-Webhooks/1',
            ...headers.value,
          },
          body: message.body,
          dispatcher: this.#agent,
          signal: deadline.signal,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        const location = res.headers.location;
        if (!REDIRECTS.has(res.statusCode) || typeof location !== 'string') {
          return classify(res.statusCode, await readStart(res.body), message.id);
        }
        await res.body.dump();
        if (redirects === MAX_WEBHOOK_REDIRECTS) {
          return refuse(
            false,
            'too_many_redirects',
            `more than ${MAX_WEBHOOK_REDIRECTS} redirects from ${first.host}`,
          );
        }
        const next = parseTarget(location, target);
        if (!(next instanceof URL)) return { ...next, reason: `redirect: ${next.reason}` };
        const blocked = await this.#check(next);
        if (blocked !== undefined)
          return { ...blocked, reason: `redirect to ${next.host}: ${blocked.reason}` };
        target = next;
      }
    } catch (error) {
      if (error instanceof TargetError) return targetRefusal(error);
      if (deadline.signal.aborted)
        return refuse(true, 'timeout', `no complete answer within ${timeoutMs} ms`);
      const e = error as NodeJS.ErrnoException;
      return refuse(true, 'connection', `${typeof e.code === 'string' ? `${e.code}: ` : ''}${e.message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Refuses a target the policy blocks, before anything is sent to it. */
  async #check(url: URL): Promise<SendRefused | undefined> {
    try {
      await resolveTarget(url.hostname, this.#policy);
      return undefined;
    } catch (error) {
      if (error instanceof TargetError) return targetRefusal(error);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }
}
