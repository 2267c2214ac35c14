/**
 * A real SMTP server (smtp-server) for tests, in the test process: it
 * records every accepted message and can fail on purpose per recipient —
 * refuse the recipient (550, 451), refuse the message after the data (554,
 * 452), answer slowly, drop the connection before the data, or take the
 * whole message and drop the connection instead of answering (the sender
 * cannot know whether it was accepted).
 */
import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The Message-ID header without angle brackets ('' when absent). */
  messageId: string;
  raw: Buffer;
}

/** What the sink does for one recipient; `attempt` counts deliveries tried to that address, from 1. */
export type SinkBehaviour =
  | { kind: 'accept'; delayMs?: number }
  | { kind: 'refuse-rcpt'; code: number; message: string }
  | { kind: 'refuse-data'; code: number; message: string }
  | { kind: 'drop-before-data' }
  | { kind: 'drop-after-data' };

export interface SmtpSink {
  port: number;
  received: ReceivedMail[];
  /** Connections opened so far. */
  connections: number;
  close(): Promise<void>;
}

export async function startSmtpSink(
  behaviour: (recipient: string, attempt: number) => SinkBehaviour = () => ({ kind: 'accept' }),
  options: { keepRaw?: boolean } = {},
): Promise<SmtpSink> {
  const attempts = new Map<string, number>();
  const sockets = new Map<string, Socket>();
  const received: ReceivedMail[] = [];
  const socketOf = (s: SMTPServerSession) => sockets.get(`${s.remoteAddress}:${s.remotePort}`);
  const plan = (session: SMTPServerSession): SinkBehaviour => {
    const rcpt = session.envelope.rcptTo[0]?.address ?? '';
    return behaviour(rcpt, attempts.get(rcpt) ?? 1);
  };
  const replyError = (code: number, message: string) =>
    Object.assign(new Error(message), { responseCode: code });

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 50 * 1024 * 1024,
    onRcptTo(address, session, callback) {
      const attempt = (attempts.get(address.address) ?? 0) + 1;
      attempts.set(address.address, attempt);
      const b = behaviour(address.address, attempt);
      if (b.kind === 'refuse-rcpt') return callback(replyError(b.code, b.message));
      if (b.kind === 'drop-before-data') return socketOf(session)?.destroy();
      callback();
    },
    onData(stream, session, callback) {
      const b = plan(session);
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (b.kind === 'drop-after-data') return socketOf(session)?.destroy();
        if (b.kind === 'refuse-data') return callback(replyError(b.code, b.message));
        const raw = Buffer.concat(chunks);
        const head = raw.subarray(0, Math.min(raw.length, 8192)).toString('latin1');
        const id = /^Message-ID:\s*<([^>\r\n]*)>/im.exec(head)?.[1] ?? '';
        const finish = () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            messageId: id,
            raw: options.keepRaw === false ? Buffer.alloc(0) : raw,
          });
          callback(null, `Ok: queued as ${received.length}`);
        };
        if (b.kind === 'accept' && b.delayMs) setTimeout(finish, b.delayMs);
        else finish();
      });
    },
  });
  const sink: SmtpSink = {
    port: 0,
    received,
    connections: 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const net = (server as unknown as { server: import('node:net').Server }).server;
  // A client killed mid-session resets its connections: that is a test's business, not an error.
  server.on('error', () => undefined);
  net.on('connection', (socket: Socket) => {
    sink.connections += 1;
    const key = `${socket.remoteAddress}:${socket.remotePort}`;
    sockets.set(key, socket);
    socket.on('close', () => sockets.delete(key));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  sink.port = (net.address() as AddressInfo).port;
  return sink;
}
