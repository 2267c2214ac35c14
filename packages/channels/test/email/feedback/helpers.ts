/** Test helpers: fixture files, and a real SMTP server that collects what it receives. */
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

/** As a mail server sends it: CRLF line ends. */
export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

export interface Inbox {
  port: number;
  /** Resolves with the raw bytes of the next message received. */
  next(): Promise<Buffer>;
  close(): Promise<void>;
}

/** An SMTP server on 127.0.0.1, port 0, standing in for the inbound bounce endpoint. */
export async function startInbox(): Promise<Inbox> {
  const waiting: Array<(raw: Buffer) => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        waiting.shift()?.(Buffer.concat(chunks));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    next: () => new Promise((resolve) => waiting.push(resolve)),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
