// SMS throughput over SMPP: N single-part messages (English and Arabic
// alternating) sent through SmppAdapter with a window of 50 and ctx.commit()
// resolving at once, against an SMSC (the `smpp` package's server) in a child
// process that answers every submit_sm immediately. The physical limit in the
// same run: a bare `smpp` client bound to the same SMSC writing the same
// submit_sm with the same window, without the adapter's validation, encoding,
// commit and bookkeeping. Figures are submit_sm answered per second.
// Run: npm run bench -- sms-send            (20,000 messages)
//      SMS_BENCH_MESSAGES=50000 npm run bench -- sms-send
import { fork } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import smpp, { type PDU, type Session } from 'smpp';
import { SmppAdapter } from '../packages/channels/src/sms/smpp.ts';
import { submitSmParts } from '../packages/channels/src/sms/submit-sm.ts';
import type { SmsMessage } from '../packages/channels/src/types.ts';

const MESSAGES = Number(process.env.SMS_BENCH_MESSAGES ?? 20_000);
const WARMUP = 1_000;
const WINDOW = 50;
/** Concurrent send() callers, as delivery workers would be: enough to keep the window full. */
const CALLERS = 2 * WINDOW;
const TEXTS = [
  'Wasl: your order #4821 has shipped and will arrive on Tuesday. Reply STOP to opt out.',
  'وصل: تم شحن طلبك رقم ٤٨٢١ وسيصل يوم الثلاثاء. للإيقاف أرسل إلغاء',
];
const message = (i: number): SmsMessage => ({
  id: `m-${i}`,
  from: 'Wasl',
  to: `+9665${String(10_000_000 + (i % 90_000_000)).padStart(8, '0')}`,
  text: TEXTS[i % 2]!,
});

function serve(): void {
  let submits = 0;
  const server = smpp.createServer((session) => {
    session.socket.setNoDelay(true);
    session.on('error', () => session.destroy());
    session.on('bind_transceiver', (pdu: PDU) => session.send(pdu.response({ system_id: 'bench-smsc' })));
    session.on('submit_sm', (pdu: PDU) => {
      submits += 1;
      session.send(pdu.response({ message_id: submits.toString(16) }));
    });
    session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: PDU) => session.send(pdu.response()));
  });
  process.on('message', () => process.send?.({ submits }));
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as AddressInfo).port }));
}

const round = (n: number, digits = 0) => Number(n.toFixed(digits));
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function throughAdapter(port: number, count: number, offset: number) {
  const created = SmppAdapter.create({
    host: '127.0.0.1',
    port,
    systemId: 'bench',
    password: 'bench',
    windowSize: WINDOW,
    onReport: () => {},
  });
  if (!created.ok) throw new Error(created.error.message);
  const adapter = created.value;
  const connected = await adapter.connect();
  if (!connected.ok) throw new Error(connected.error.message);
  const ctx = { signal: new AbortController().signal, commit: () => Promise.resolve() };
  let next = 0;
  let refused = 0;
  const cpu0 = cpuMs();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      while (next < count) {
        const result = await adapter.send(message(offset + next++), ctx);
        if (!result.ok) refused += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuMs() - cpu0;
  await adapter.close();
  if (refused > 0) throw new Error(`${refused} sends refused`);
  return { perSecond: count / seconds, cpuUsPerMessage: (cpu * 1000) / count };
}

/** The same submit_sm written by a bare client: parameters prepared once, one new PDU per message. */
async function bare(port: number, count: number) {
  const session: Session = smpp.connect({ host: '127.0.0.1', port });
  session.socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    session.on('error', reject);
    session.on('connect', () =>
      session.send(new smpp.PDU('bind_transceiver', { system_id: 'bench', password: 'bench' }), () =>
        resolve(),
      ),
    );
  });
  const prepared = [0, 1].map((i) => {
    const parts = submitSmParts(message(i), 0, true);
    if (!parts.ok) throw new Error(parts.error.message);
    return parts.value[0]!;
  });
  const cpu0 = cpuMs();
  const started = performance.now();
  await new Promise<void>((resolve) => {
    let written = 0;
    let answered = 0;
    const write = () => {
      const i = written++;
      session.send(new smpp.PDU('submit_sm', { ...prepared[i % 2]! }), () => {
        answered += 1;
        if (written < count) write();
        else if (answered === count) resolve();
      });
    };
    for (let i = 0; i < Math.min(WINDOW, count); i++) write();
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = cpuMs() - cpu0;
  await new Promise<void>((resolve) => session.destroy(resolve));
  return { perSecond: count / seconds, cpuUsPerMessage: (cpu * 1000) / count };
}

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['serve'], { execArgv: ['--import', 'tsx'] });
  const port = await new Promise<number>((resolve) =>
    child.once('message', (m: { port: number }) => resolve(m.port)),
  );
  const submitted = () =>
    new Promise<number>((resolve) => {
      child.once('message', (m: { submits: number }) => resolve(m.submits));
      child.send('count');
    });
  console.error(
    `SMSC on 127.0.0.1:${port} (child process ${child.pid}); ${MESSAGES} messages, window ${WINDOW}`,
  );
  try {
    await throughAdapter(port, WARMUP, 0);
    await bare(port, WARMUP);
    const adapter = await throughAdapter(port, MESSAGES, WARMUP);
    console.error(`adapter: ${round(adapter.perSecond)} submit_sm/s`);
    const raw = await bare(port, MESSAGES);
    console.error(`bare client: ${round(raw.perSecond)} submit_sm/s`);
    const expected = 2 * WARMUP + 2 * MESSAGES;
    const seen = await submitted();
    if (seen !== expected) throw new Error(`the SMSC saw ${seen} submit_sm, expected ${expected}`);
    console.log(
      JSON.stringify({
        name: 'sms-send',
        messages: MESSAGES,
        perSecond: round(adapter.perSecond),
        rawPerSecond: round(raw.perSecond),
        window: WINDOW,
        callers: CALLERS,
        cpuUsPerMessage: round(adapter.cpuUsPerMessage, 1),
        rawCpuUsPerMessage: round(raw.cpuUsPerMessage, 1),
        smscSubmits: seen,
        node: process.version,
      }),
    );
  } finally {
    child.kill();
  }
}

if (process.argv[2] === 'serve') serve();
else await main();
