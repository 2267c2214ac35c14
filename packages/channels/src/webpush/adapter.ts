/**
 * Web push: encrypts the payload for the browser's subscription (RFC 8291,
 * aes128gcm) and POSTs it to the subscription's push service with a VAPID
 * JWT, using the web-push package. The push endpoint is a URL the browser
 * gave us, so it goes through the same SSRF guard as webhooks.
 */
import { Agent } from 'node:https';
import { rootCertificates } from 'node:tls';
import { TextDecoder } from 'node:util';
import webpush from 'web-push';
import type { ChannelAdapter, SendContext, SendRefused, SendResult, WebPushMessage } from '../types.ts';
import { guardedLookup, resolveTarget, TargetError, type TargetPolicy } from '../webhook/target.ts';
import { base64urlBytes, checkVapidDetails, type VapidDetails } from './vapid.ts';

export interface WebPushAdapterOptions {
  /** The VAPID details of the workspace the message belongs to. */
  vapidFor(message: WebPushMessage): VapidDetails | Promise<VapidDetails>;
  /** Socket idle time-out. Default 15 000 ms. */
  timeoutMs?: number;
  /** Allow private, loopback and link-local push endpoints. Default false. */
  allowPrivateTargets?: boolean;
  /** Host names or IP literals allowed even when private. */
  allowHosts?: readonly string[];
  /** Extra trusted CA certificates (PEM) for the push service, added to Node's roots. */
  ca?: string | Buffer | (string | Buffer)[];
}

/**
 * The largest payload in bytes: a push service must accept 4096 octets of
 * body (RFC 8030), and aes128gcm adds an 86-byte header, a 16-byte tag and a
 * 1-byte padding delimiter (RFC 8291).
 */
export const MAX_PUSH_PAYLOAD_BYTES = 4096 - 86 - 16 - 1;
const RESPONSE_BYTES = 1024;

const refuse = (retryable: boolean, code: string, reason: string): SendRefused => ({
  ok: false,
  retryable,
  code,
  reason,
});

/** The first 1 KB of a response body; an incomplete trailing character is dropped. */
const clip = (text: string) =>
  new TextDecoder().decode(Buffer.from(text).subarray(0, RESPONSE_BYTES), { stream: true });

/** Everything that can be wrong with the message itself, found before anything is sent. */
function checkMessage(message: WebPushMessage): SendRefused | URL {
  let endpoint: URL;
  try {
    endpoint = new URL(message.subscription.endpoint);
  } catch {
    return refuse(false, 'invalid_subscription', 'subscription.endpoint is not a valid URL');
  }
  if (endpoint.protocol !== 'https:') {
    return refuse(
      false,
      'invalid_subscription',
      `subscription.endpoint must use https, not ${endpoint.protocol}`,
    );
  }
  const p256dh = base64urlBytes(message.subscription.keys.p256dh, 'subscription.keys.p256dh', 65);
  if (!p256dh.ok) return refuse(false, 'invalid_subscription', p256dh.error.message);
  const auth = base64urlBytes(message.subscription.keys.auth, 'subscription.keys.auth', 16);
  if (!auth.ok) return refuse(false, 'invalid_subscription', auth.error.message);
  if (!Number.isSafeInteger(message.ttl) || message.ttl < 0) {
    return refuse(false, 'invalid', `ttl ${message.ttl} must be a whole number of seconds, 0 or more`);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(message.payload);
  } catch {
    return refuse(false, 'invalid_payload', 'payload is not JSON');
  }
  if (
    typeof payload !== 'object' ||
    payload === null ||
    typeof (payload as { title?: unknown }).title !== 'string'
  ) {
    return refuse(false, 'invalid_payload', 'payload must be a JSON object with a string title');
  }
  const bytes = Buffer.byteLength(message.payload);
  if (bytes > MAX_PUSH_PAYLOAD_BYTES) {
    return refuse(
      false,
      'payload_too_large',
      `payload is ${bytes} bytes in UTF-8; push services take at most ${MAX_PUSH_PAYLOAD_BYTES}`,
    );
  }
  return endpoint;
}

function classify(status: number, body: string): SendRefused {
  const reason = body === '' ? `HTTP ${status}` : `HTTP ${status}: ${clip(body)}`;
  if (status === 404 || status === 410) return refuse(false, 'subscription_gone', reason);
  if (status === 413) return refuse(false, 'payload_too_large', reason);
  if (status === 408 || status === 429 || status >= 500) return refuse(true, String(status), reason);
  return refuse(false, String(status), reason);
}

const targetRefusal = (error: TargetError): SendRefused =>
  error.kind === 'blocked'
    ? refuse(false, 'blocked_address', error.message)
    : refuse(true, 'dns', error.message);

function failure(error: unknown, timeoutMs: number): SendRefused {
  if (error instanceof webpush.WebPushError) return classify(error.statusCode, error.body);
  if (error instanceof TargetError) return targetRefusal(error);
  const e = error as NodeJS.ErrnoException;
  if (e.message === 'Socket timeout') return refuse(true, 'timeout', `no answer within ${timeoutMs} ms`);
  if (typeof e.code === 'string') return refuse(true, 'connection', `${e.code}: ${e.message}`);
  return refuse(false, 'invalid', e.message);
}

export class WebPushAdapter implements ChannelAdapter<WebPushMessage> {
  readonly channel = 'webpush' as const;
  readonly provider = 'webpush';
  readonly #options: WebPushAdapterOptions;
  readonly #policy: TargetPolicy;
  readonly #agent: Agent;
  readonly #sending = new Set<Promise<SendResult>>();

  constructor(options: WebPushAdapterOptions) {
    this.#options = options;
    this.#policy = {
      allowPrivateTargets: options.allowPrivateTargets ?? false,
      allowHosts: new Set(options.allowHosts?.map((host) => host.toLowerCase())),
    };
    this.#agent = new Agent({
      keepAlive: true,
      lookup: guardedLookup(this.#policy),
      ca: options.ca === undefined ? undefined : [...rootCertificates, ...[options.ca].flat()],
    });
  }

  send(message: WebPushMessage, ctx: SendContext): Promise<SendResult> {
    const sending = this.#send(message, ctx);
    this.#sending.add(sending);
    const done = () => this.#sending.delete(sending);
    sending.then(done, done);
    return sending;
  }

  async #send(message: WebPushMessage, ctx: SendContext): Promise<SendResult> {
    const endpoint = checkMessage(message);
    if (!(endpoint instanceof URL)) return endpoint;
    const vapid = checkVapidDetails(await this.#options.vapidFor(message));
    if (!vapid.ok) return refuse(false, 'invalid_vapid', vapid.error.message);
    try {
      await resolveTarget(endpoint.hostname, this.#policy);
    } catch (error) {
      if (error instanceof TargetError) return targetRefusal(error);
      throw error;
    }
    if (ctx.signal.aborted) return refuse(true, 'aborted', 'the worker stopped before sending');

    const timeoutMs = this.#options.timeoutMs ?? 15_000;
    await ctx.commit();
    try {
      const sent = await webpush.sendNotification(message.subscription, message.payload, {
        vapidDetails: vapid.value,
        TTL: message.ttl,
        urgency: message.urgency ?? 'normal',
        contentEncoding: 'aes128gcm',
        agent: this.#agent,
        timeout: timeoutMs,
      });
      const location = sent.headers.location;
      return {
        ok: true,
        providerMessageId: typeof location === 'string' && location !== '' ? location : message.id,
        response:
          sent.body === '' ? `HTTP ${sent.statusCode}` : `HTTP ${sent.statusCode}: ${clip(sent.body)}`,
      };
    } catch (error) {
      return failure(error, timeoutMs);
    }
  }

  /** Lets sends in progress finish, then closes the pooled connections. */
  async close(): Promise<void> {
    await Promise.allSettled(this.#sending);
    this.#agent.destroy();
  }
}
