// A real webhook receiver on 127.0.0.1 for the adapter tests: records every
// request it gets, and answers with what the test's handler decides.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Order number across the test, shared with the commit log. */
  seq: number;
}

export type Answer = (req: Received, res: ServerResponse) => void;

export interface Receiver {
  port: number;
  url: (path: string) => string;
  received: Received[];
  close: () => Promise<void>;
}

let counter = 0;
/** A number that orders events (requests received, commits) within a test. */
export const nextSeq = () => ++counter;

export async function startReceiver(answer: Answer): Promise<Receiver> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry: Received = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        seq: nextSeq(),
      };
      received.push(entry);
      answer(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
