/**
 * A real SMSC for tests: the `smpp` package's server on 127.0.0.1, port 0.
 * It checks bind credentials, records every PDU it receives (as the package
 * decodes them), answers submit_sm through a replaceable responder, counts how
 * many submit_sm are outstanding, and can send deliver_sm or drop connections.
 */
import type { AddressInfo } from 'node:net';
import smpp, { type PDU, type Session } from 'smpp';

export interface Smsc {
  port: number;
  /** Every PDU received, in order, on every session. */
  received: PDU[];
  submits(): PDU[];
  /** Answers one submit_sm; call `answer` (now or later) with the response options. */
  responder: (pdu: PDU, answer: (options: Record<string, unknown>) => void) => void;
  /** Whether to answer enquire_link (default true). */
  answerEnquireLink: boolean;
  /** Refuse every bind with ESME_RBINDFAIL while true. */
  refuseBinds: boolean;
  /** When each bind_transceiver arrived (ms since epoch). */
  bindTimes: number[];
  outstanding: number;
  maxOutstanding: number;
  sessions(): Session[];
  /** Resolves with the response to a deliver_sm sent on the latest bound session. */
  deliver(options: Record<string, unknown>): Promise<PDU>;
  dropAll(): void;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const SYSTEM_ID = 'wasl';
export const PASSWORD = 'secret';

export async function startSmsc(): Promise<Smsc> {
  let nextId = 1;
  const bound: Session[] = [];
  const smsc: Smsc = {
    port: 0,
    received: [],
    submits: () => smsc.received.filter((pdu) => pdu.command === 'submit_sm'),
    responder: (_pdu, answer) => answer({ message_id: `M${nextId++}` }),
    answerEnquireLink: true,
    refuseBinds: false,
    bindTimes: [],
    outstanding: 0,
    maxOutstanding: 0,
    sessions: () => server.sessions,
    deliver: (options) =>
      new Promise((resolve, reject) => {
        const session = bound.at(-1);
        if (!session) return reject(new Error('no bound session'));
        session.send(new smpp.PDU('deliver_sm', options), resolve);
      }),
    dropAll: () => {
      for (const session of [...server.sessions]) session.destroy();
    },
    waitFor: async (predicate, timeoutMs = 5_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error('timed out waiting for the SMSC');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    close: () =>
      new Promise((resolve) => {
        smsc.dropAll();
        server.close(() => resolve());
      }),
  };
  const server = smpp.createServer((session) => {
    session.socket.setNoDelay(true);
    session.on('error', () => session.destroy());
    session.on('pdu', (pdu: PDU) => smsc.received.push(pdu));
    session.on('bind_transceiver', (pdu: PDU) => {
      smsc.bindTimes.push(Date.now());
      if (smsc.refuseBinds || pdu.system_id !== SYSTEM_ID || pdu.password !== PASSWORD) {
        const status = smsc.refuseBinds
          ? smpp.errors.ESME_RBINDFAIL
          : pdu.system_id !== SYSTEM_ID
            ? smpp.errors.ESME_RINVSYSID
            : smpp.errors.ESME_RINVPASWD;
        session.send(pdu.response({ command_status: status }), () => session.destroy());
        return;
      }
      bound.push(session);
      session.send(pdu.response({ system_id: 'test-smsc' }));
    });
    session.on('submit_sm', (pdu: PDU) => {
      smsc.outstanding += 1;
      smsc.maxOutstanding = Math.max(smsc.maxOutstanding, smsc.outstanding);
      smsc.responder(pdu, (options) => {
        smsc.outstanding -= 1;
        session.send(pdu.response(options));
      });
    });
    session.on('enquire_link', (pdu: PDU) => {
      if (smsc.answerEnquireLink) session.send(pdu.response());
    });
    session.on('unbind', (pdu: PDU) => session.send(pdu.response()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  smsc.port = (server.address() as AddressInfo).port;
  return smsc;
}
