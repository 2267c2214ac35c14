/**
 * Email over SMTP: nodemailer's SMTP protocol client (SMTPConnection) in a
 * small pool of reused connections. Our own pool, not nodemailer's Mail
 * transport, for one reason: the delivery engine must record "handed over"
 * durably at the last moment before the end-of-data dot (ctx.commit), and that
 * needs the message as a stream whose end we control. Everything before the
 * dot can be repeated safely: a server discards a message whose DATA never
 * ended (RFC 5321 §4.1.1.4).
 */
import { Readable } from 'node:stream';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import type { ChannelAdapter, EmailMessage, SendContext, SendResult } from '../types.ts';
import { type DkimKey, signDkim } from './dkim.ts';
import { classifySmtpReply, parseSmtpReply } from './feedback/smtp-reply.ts';
import { buildMime } from './mime.ts';

export interface SmtpOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when offered. */
  secure?: boolean;
  requireTLS?: boolean;
  /** Never upgrade with STARTTLS (a local relay or a test sink). */
  ignoreTLS?: boolean;
  /** Verify the server's certificate; defaults to true. */
  rejectUnauthorized?: boolean;
  auth?: { user: string; pass: string };
  /** The EHLO name; defaults to the machine's host name. */
  name?: string;
  /** Connections kept open at once; defaults to 5. */
  maxConnections?: number;
  /** Messages sent over one connection before it is replaced; defaults to 1,000. */
  maxMessagesPerConnection?: number;
  /** Milliseconds for connecting, the greeting, and any silence in between; default 30 s each. */
  timeoutMs?: number;
  clock?: () => number;
  /** The DKIM key to sign each message with (by its From domain, say); unsigned when it gives none. */
  dkimFor?: (message: EmailMessage) => DkimKey | undefined;
}

interface PooledConnection {
  conn: SMTPConnection;
  sent: number;
  broken: boolean;
}

type SmtpError = Error & { code?: string; responseCode?: number; response?: string };

export class SmtpAdapter implements ChannelAdapter<EmailMessage> {
  readonly channel = 'email' as const;
  readonly provider = 'smtp';
  readonly #options: SmtpOptions;
  readonly #max: number;
  readonly #perConnection: number;
  readonly #clock: () => number;
  readonly #idle: PooledConnection[] = [];
  readonly #waiting: Array<(c: PooledConnection | Error) => void> = [];
  #open = 0;
  #closed = false;

  constructor(options: SmtpOptions) {
    this.#options = options;
    this.#max = options.maxConnections ?? 5;
    this.#perConnection = options.maxMessagesPerConnection ?? 1_000;
    this.#clock = options.clock ?? Date.now;
  }

  async send(message: EmailMessage, ctx: SendContext): Promise<SendResult> {
    let raw: Buffer;
    try {
      raw = buildMime(message, this.#clock());
      const dkim = this.#options.dkimFor?.(message);
      if (dkim) raw = signDkim(raw, dkim);
    } catch (error) {
      return { ok: false, retryable: false, code: 'invalid_message', reason: (error as Error).message };
    }
    let pooled: PooledConnection;
    try {
      pooled = await this.#acquire(ctx.signal);
    } catch (error) {
      return refusal(error as SmtpError);
    }
    const envelope = { from: message.returnPath ?? message.from.address, to: [message.to.address] };
    let withheld = false;
    const body = commitBeforeEnd(raw, ctx, () => {
      withheld = pooled.broken;
      return !withheld;
    });
    return new Promise<SendResult>((resolve) => {
      pooled.conn.send(envelope, body, (error, info) => {
        if (withheld) {
          this.#release(pooled, 'broken');
          resolve({
            ok: false,
            retryable: true,
            code: 'not_handed_over',
            reason: 'the connection closed before the end of the data',
          });
          return;
        }
        if (error) {
          const answered = error.code === 'EENVELOPE' || error.code === 'EMESSAGE';
          this.#release(pooled, answered ? 'refused' : 'broken');
          resolve(refusal(error as SmtpError));
          return;
        }
        pooled.sent += 1;
        this.#release(pooled, 'ok');
        resolve({ ok: true, providerMessageId: message.messageId, response: info.response });
      });
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const waiter of this.#waiting.splice(0)) waiter(new Error('the SMTP adapter is closed'));
    for (const pooled of this.#idle.splice(0)) pooled.conn.quit();
  }

  async #acquire(signal: AbortSignal): Promise<PooledConnection> {
    if (this.#closed) throw new Error('the SMTP adapter is closed');
    const idle = this.#idle.pop();
    if (idle) return idle;
    if (this.#open < this.#max) {
      this.#open += 1;
      try {
        return await this.#connect();
      } catch (error) {
        this.#open -= 1;
        throw error;
      }
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        const i = this.#waiting.indexOf(take);
        if (i >= 0) this.#waiting.splice(i, 1);
        reject(Object.assign(new Error('stopped while waiting for an SMTP connection'), { code: 'ABORTED' }));
      };
      const take = (c: PooledConnection | Error) => {
        signal.removeEventListener('abort', onAbort);
        if (c instanceof Error) reject(c);
        else resolve(c);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.push(take);
    });
  }

  #connect(): Promise<PooledConnection> {
    const o = this.#options;
    const timeout = o.timeoutMs ?? 30_000;
    const conn = new SMTPConnection({
      host: o.host,
      port: o.port,
      secure: o.secure ?? false,
      requireTLS: o.requireTLS ?? false,
      ignoreTLS: o.ignoreTLS ?? false,
      name: o.name,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      tls: { rejectUnauthorized: o.rejectUnauthorized ?? true },
    });
    const pooled: PooledConnection = { conn, sent: 0, broken: false };
    conn.on('error', () => {
      pooled.broken = true;
    });
    conn.on('end', () => {
      pooled.broken = true;
    });
    return new Promise((resolve, reject) => {
      conn.connect((error) => {
        if (error) return reject(error);
        if (!o.auth) return resolve(pooled);
        conn.login({ user: o.auth.user, pass: o.auth.pass }, (loginError) => {
          if (loginError) {
            conn.close();
            reject(loginError);
          } else resolve(pooled);
        });
      });
    });
  }

  /**
   * Back to the pool when the server answered (after RSET when it refused the
   * envelope or the message), else closed; a waiter then gets a new connection.
   */
  #release(pooled: PooledConnection, outcome: 'ok' | 'refused' | 'broken'): void {
    const reusable =
      outcome !== 'broken' && !pooled.broken && !this.#closed && pooled.sent < this.#perConnection;
    if (!reusable) {
      this.#open -= 1;
      if (pooled.broken) pooled.conn.close();
      else pooled.conn.quit();
      pooled.broken = true;
      const waiter = this.#waiting.shift();
      if (waiter) this.#acquire(new AbortController().signal).then(waiter, (error: Error) => waiter(error));
      return;
    }
    const handOver = () => {
      const waiter = this.#waiting.shift();
      if (waiter) waiter(pooled);
      else this.#idle.push(pooled);
    };
    if (outcome === 'ok') {
      handOver();
      return;
    }
    pooled.conn.reset((error) => {
      if (error) {
        pooled.broken = true;
        this.#release(pooled, 'broken');
      } else handOver();
    });
  }
}

/**
 * The message as a stream that asks the engine to commit after the last body
 * chunk has been taken downstream, and ends only then: nodemailer writes the
 * end-of-data dot when the stream ends, so the dot goes out only once the
 * commit is durable. Chunks go one per read, so backpressure keeps what is
 * still buffered in this process at commit time small. `stillOpen` is asked
 * after the commit: a connection that died meanwhile gets no dot at all.
 */
function commitBeforeEnd(raw: Buffer, ctx: SendContext, stillOpen: () => boolean): Readable {
  const CHUNK = 16 * 1024;
  let offset = 0;
  let committing = false;
  return new Readable({
    read() {
      if (offset < raw.length) {
        this.push(raw.subarray(offset, offset + CHUNK));
        offset += CHUNK;
        return;
      }
      if (committing) return;
      committing = true;
      if (ctx.signal.aborted) {
        this.destroy(new Error('stopped before the message was handed over'));
        return;
      }
      ctx.commit().then(
        () =>
          stillOpen()
            ? this.push(null)
            : this.destroy(new Error('the connection closed before the end of the data')),
        (error: Error) => this.destroy(error),
      );
    },
  });
}

/** An SMTP error as a refusal: the server's reply by the RFC 3463 table, else connection trouble (temporary). */
function refusal(error: SmtpError): SendResult {
  if (error.response !== undefined && error.responseCode !== undefined) {
    const reply = parseSmtpReply(error.response);
    const judged = reply.ok ? classifySmtpReply(reply.value) : undefined;
    if (judged?.ok) return { ...judged.value.refused, reason: error.response };
  }
  const kind = error.code === 'ETIMEDOUT' ? 'timeout' : error.code === 'ABORTED' ? 'aborted' : 'connection';
  return { ok: false, retryable: true, code: kind, reason: error.response ?? error.message };
}
