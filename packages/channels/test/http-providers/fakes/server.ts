/**
 * The common part of the provider fakes: a real node:http server on
 * 127.0.0.1 that records every request, rejects the ones its provider rules
 * say do not match the documented format, and otherwise answers with the
 * provider's success reply — unless a test has scripted the next answers
 * (an error reply, or 'hang' to never answer).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SendContext } from '../../../src/types.ts';

export interface Received {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Reply {
  status: number;
  body: unknown;
}

export type Scripted = Reply | 'hang';

export interface ProviderRules {
  /** The provider's error answer when the request breaks its documented format; undefined when it is fine. */
  check(req: Received): Reply | undefined;
  /** The provider's success answer to the n-th accepted request (n from 1). */
  accept(req: Received, n: number): Reply;
}

export class FakeProvider {
  /** Requests that passed the format check, in order. */
  readonly received: Received[] = [];
  /** Requests the format check refused, with the refusal. */
  readonly rejected: { request: Received; reply: Reply }[] = [];
  /** Called as soon as a request has fully arrived. */
  onRequest: (req: Received) => void = () => {};
  private readonly script: Scripted[] = [];
  private accepted = 0;

  private constructor(
    private readonly server: Server,
    private readonly rules: ProviderRules,
  ) {}

  static async start(rules: ProviderRules): Promise<FakeProvider> {
    const server = createServer();
    const fake = new FakeProvider(server, rules);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://fake');
        const received: Received = {
          method: req.method ?? '',
          path: url.pathname,
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        fake.onRequest(received);
        const reply = fake.answer(received);
        if (reply === 'hang') return;
        res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' });
        res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  private answer(req: Received): Scripted {
    const rejection = this.rules.check(req);
    if (rejection) {
      this.rejected.push({ request: req, reply: rejection });
      return rejection;
    }
    this.received.push(req);
    const scripted = this.script.shift();
    if (scripted) return scripted;
    this.accepted += 1;
    return this.rules.accept(req, this.accepted);
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The next well-formed requests get these answers instead of success. */
  answerNext(...replies: Scripted[]): void {
    this.script.push(...replies);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** The form fields of a request, or an empty set when it is not form-encoded. */
export function formOf(req: Received): URLSearchParams {
  const type = req.headers['content-type'] ?? '';
  return type.startsWith('application/x-www-form-urlencoded')
    ? new URLSearchParams(req.body)
    : new URLSearchParams();
}

/**
 * A SendContext whose commit() is slow and logs its start and end, while the
 * fake logs each arrival, so a test can see that commit finished before the
 * request reached the provider.
 */
export function trackedContext(fake: FakeProvider, signal: AbortSignal = new AbortController().signal) {
  const log: string[] = [];
  fake.onRequest = (req) => log.push(`request ${req.path}`);
  const ctx: SendContext = {
    signal,
    commit: async () => {
      log.push('commit');
      await new Promise((resolve) => setTimeout(resolve, 20));
      log.push('committed');
    },
  };
  return { ctx, log };
}
