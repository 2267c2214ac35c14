import type { DecodedMessage, PDU } from 'smpp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { splitSms } from '../../src/sms/encoding.ts';
import { SmppAdapter, type SmppOptions } from '../../src/sms/smpp.ts';
import type { SendContext, SmsMessage, StatusReport } from '../../src/types.ts';
import { PASSWORD, type Smsc, SYSTEM_ID, startSmsc } from './smsc.ts';

let smsc: Smsc;
const adapters: SmppAdapter[] = [];

beforeEach(async () => {
  smsc = await startSmsc();
});
afterEach(async () => {
  for (const adapter of adapters.splice(0)) await adapter.close();
  await smsc.close();
});

function adapter(options: Partial<SmppOptions> = {}): SmppAdapter {
  const created = SmppAdapter.create({
    host: '127.0.0.1',
    port: smsc.port,
    systemId: SYSTEM_ID,
    password: PASSWORD,
    reconnect: { initialMs: 20, maxMs: 200 },
    ...options,
  });
  if (!created.ok) throw new Error(created.error.message);
  adapters.push(created.value);
  return created.value;
}

/** A SendContext that records when commit() is called and how many submit_sm the SMSC had by then. */
function context(signal = new AbortController().signal) {
  const commits: number[] = [];
  const ctx: SendContext = {
    signal,
    commit: async () => {
      commits.push(smsc.submits().length);
    },
  };
  return { ctx, commits };
}

const sms = (text: string, from = 'Wasl', to = '+966501234567'): SmsMessage => ({
  id: 'msg-1',
  from,
  to,
  text,
});
const decoded = (pdu: PDU) => pdu.short_message as DecodedMessage;

describe('SmppAdapter: binding', () => {
  it('binds as a transceiver with the configured credentials and SMPP 3.4', async () => {
    const sender = adapter({ systemType: 'wasl' });
    expect(await sender.connect()).toEqual({ ok: true, value: undefined });
    expect(sender.bound).toBe(true);
    const bind = smsc.received.find((pdu) => pdu.command === 'bind_transceiver');
    expect(bind).toMatchObject({
      system_id: SYSTEM_ID,
      password: PASSWORD,
      system_type: 'wasl',
      interface_version: 0x34,
    });
  });

  it('names the password when the SMSC refuses it, and refuses sends as retryable connection failures', async () => {
    const sender = adapter({ password: 'wrong' });
    const result = await sender.connect();
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'unauthorized',
        field: 'password',
        message: `SMPP 127.0.0.1:${smsc.port} refused bind_transceiver for system_id "wasl": ESME_RINVPASWD (0x0000000e); check password`,
      },
    });
    const { ctx, commits } = context();
    const sent = await sender.send(sms('Hello'), ctx);
    expect(sent).toMatchObject({ ok: false, retryable: true, code: 'connection' });
    expect(sent.ok || sent.reason).toContain('ESME_RINVPASWD');
    expect(commits).toEqual([]);
    expect(smsc.submits()).toHaveLength(0);
  });

  it('names systemId when the SMSC does not know it', async () => {
    const result = await adapter({ systemId: 'nobody' }).connect();
    expect(result.ok || result.error.field).toBe('systemId');
    expect(result.ok || result.error.message).toContain('ESME_RINVSYSID');
  });

  it('reports an unreachable SMSC as unavailable', async () => {
    const port = smsc.port;
    await smsc.close();
    const created = SmppAdapter.create({ host: '127.0.0.1', port, systemId: SYSTEM_ID, password: PASSWORD });
    const result = created.ok ? await created.value.connect() : created;
    expect(result.ok || result.error.code).toBe('unavailable');
    expect(result.ok || result.error.message).toContain('ECONNREFUSED');
    smsc = await startSmsc();
  });

  it('rejects bad options with the field at fault', () => {
    const base = { host: '127.0.0.1', port: 2775, systemId: 'a', password: 'b' };
    const field = (options: SmppOptions) => {
      const created = SmppAdapter.create(options);
      return created.ok ? undefined : created.error.field;
    };
    expect(field({ ...base, port: 0 })).toBe('port');
    expect(field({ ...base, host: ' ' })).toBe('host');
    expect(field({ ...base, systemId: '' })).toBe('systemId');
    expect(field({ ...base, windowSize: 2.5 })).toBe('windowSize');
    expect(field({ ...base, reconnect: { initialMs: -1 } })).toBe('reconnect.initialMs');
    expect(field(base)).toBeUndefined();
  });
});

describe('SmppAdapter: submit_sm', () => {
  it('sends English as GSM 7-bit (data_coding 0) from an alphanumeric sender (TON 5)', async () => {
    const reports: StatusReport[] = [];
    const sender = adapter({ onReport: (r) => void reports.push(r) });
    const { ctx, commits } = context();
    const text = 'Sale: {50%} off [today] ~ only €9 | Café';
    const result = await sender.send(sms(text), ctx);
    expect(result).toEqual({ ok: true, providerMessageId: 'M1', response: 'message_id M1' });
    expect(commits).toEqual([0]);
    const [submit] = smsc.submits();
    expect(submit).toMatchObject({
      source_addr_ton: 5,
      source_addr_npi: 0,
      source_addr: 'Wasl',
      dest_addr_ton: 1,
      dest_addr_npi: 1,
      destination_addr: '966501234567',
      esm_class: 0,
      data_coding: 0,
      registered_delivery: 1,
    });
    expect(decoded(submit!)).toEqual({ message: text });
  });

  it('sends Arabic as UCS-2 (data_coding 8) from an E.164 sender (TON 1, NPI 1)', async () => {
    const sender = adapter();
    const text = 'مرحباً بك في وصل! خصم ٥٠٪ اليوم فقط';
    const result = await sender.send(sms(text, '+971501234567'), context().ctx);
    expect(result.ok).toBe(true);
    const [submit] = smsc.submits();
    expect(submit).toMatchObject({
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '971501234567',
      data_coding: 8,
      esm_class: 0,
      registered_delivery: 0,
    });
    expect(decoded(submit!)).toEqual({ message: text });
  });

  it('sends a 3-part GSM text as three submit_sm with a concatenation UDH, one reference', async () => {
    const sender = adapter();
    const text = `${'Wasl newsletter: '.repeat(23)}end`;
    expect(splitSms(text).map((part) => part.length)).toEqual([153, 153, 88]);
    const { ctx, commits } = context();
    const result = await sender.send(sms(text), ctx);
    expect(result).toEqual({ ok: true, providerMessageId: 'M1', response: '3 parts, message_id M1 M2 M3' });
    expect(commits).toEqual([0]);
    const submits = smsc.submits();
    expect(submits.map((pdu) => [pdu.esm_class, pdu.data_coding])).toEqual([
      [0x40, 0],
      [0x40, 0],
      [0x40, 0],
    ]);
    expect(submits.map((pdu) => decoded(pdu).udh)).toEqual([
      [Buffer.from([0x00, 0x03, 0, 3, 1])],
      [Buffer.from([0x00, 0x03, 0, 3, 2])],
      [Buffer.from([0x00, 0x03, 0, 3, 3])],
    ]);
    expect(submits.map((pdu) => decoded(pdu).message).join('')).toBe(text);
    expect(submits.map((pdu) => decoded(pdu).message)).toEqual(splitSms(text));
  });

  it('sends a 3-part Arabic text as UCS-2 parts of 67, 67 and the rest, with the next reference', async () => {
    const sender = adapter();
    await sender.send(sms(`${'ا'.repeat(200)}`), context().ctx);
    const text = 'عرض خاص لعملاء وصل: '.repeat(8);
    expect(text.length).toBe(160);
    const result = await sender.send(sms(text), context().ctx);
    expect(result).toMatchObject({ ok: true, providerMessageId: 'M4' });
    const submits = smsc.submits().slice(3);
    expect(submits.map((pdu) => [pdu.esm_class, pdu.data_coding])).toEqual([
      [0x40, 8],
      [0x40, 8],
      [0x40, 8],
    ]);
    expect(submits.map((pdu) => decoded(pdu).udh?.[0])).toEqual([
      Buffer.from([0x00, 0x03, 1, 3, 1]),
      Buffer.from([0x00, 0x03, 1, 3, 2]),
      Buffer.from([0x00, 0x03, 1, 3, 3]),
    ]);
    expect(submits.map((pdu) => (decoded(pdu).message as string).length)).toEqual([67, 67, 26]);
    expect(submits.map((pdu) => decoded(pdu).message).join('')).toBe(text);
  });

  it('never has more than windowSize submit_sm outstanding', async () => {
    smsc.responder = (_pdu, answer) => setTimeout(() => answer({ message_id: 'slow' }), 20);
    const sender = adapter({ windowSize: 3 });
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => sender.send(sms(`Message ${i}`), context().ctx)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(smsc.submits()).toHaveLength(12);
    expect(smsc.maxOutstanding).toBe(3);
  });

  it('maps throttling and a full queue to retryable refusals, a bad destination to a hard bounce', async () => {
    const statuses = [0x58, 0x14, 0x0b];
    smsc.responder = (_pdu, answer) => answer({ command_status: statuses.shift() });
    const sender = adapter();
    expect(await sender.send(sms('one'), context().ctx)).toEqual({
      ok: false,
      retryable: true,
      code: '0x00000058',
      reason: 'submit_sm refused: ESME_RTHROTTLED (0x00000058)',
    });
    expect(await sender.send(sms('two'), context().ctx)).toEqual({
      ok: false,
      retryable: true,
      code: '0x00000014',
      reason: 'submit_sm refused: ESME_RMSGQFUL (0x00000014)',
    });
    expect(await sender.send(sms('three'), context().ctx)).toEqual({
      ok: false,
      retryable: false,
      code: '0x0000000b',
      reason: 'submit_sm refused: ESME_RINVDSTADR (0x0000000b)',
      bounce: 'hard',
    });
  });

  it('retries a throttled later part instead of failing a half-sent message', async () => {
    let calls = 0;
    smsc.responder = (_pdu, answer) => {
      calls += 1;
      answer(calls === 2 ? { command_status: 0x58 } : { message_id: `P${calls}` });
    };
    const result = await adapter().send(sms('x'.repeat(200)), context().ctx);
    expect(result).toEqual({ ok: true, providerMessageId: 'P1', response: '2 parts, message_id P1 P3' });
    expect(smsc.submits().map((pdu) => decoded(pdu).udh?.[0]?.[4])).toEqual([1, 2, 2]);
  });

  it('refuses bad messages without committing or writing anything', async () => {
    const sender = adapter();
    const { ctx, commits } = context();
    expect(await sender.send(sms('hi', 'Wasl', '0501234567'), ctx)).toEqual({
      ok: false,
      retryable: false,
      code: 'invalid',
      reason: 'to "0501234567" is not an E.164 number such as +966501234567',
    });
    const arabicSender = await sender.send(sms('hi', 'وصل'), ctx);
    expect(arabicSender.ok || arabicSender.reason).toContain('from "وصل"');
    expect(await sender.send(sms(''), ctx)).toMatchObject({
      ok: false,
      code: 'invalid',
      reason: 'text is empty',
    });
    expect(commits).toEqual([]);
    expect(smsc.received).toHaveLength(0);
  });

  it('gives up before commit when the send is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const { ctx, commits } = context(controller.signal);
    expect(await adapter().send(sms('hi'), ctx)).toMatchObject({
      ok: false,
      retryable: true,
      code: 'aborted',
    });
    expect(commits).toEqual([]);
  });

  it('gives up a send waiting for the window when its signal aborts, without committing', async () => {
    const held: Array<() => void> = [];
    smsc.responder = (_pdu, answer) => held.push(() => answer({ message_id: 'first' }));
    const sender = adapter({ windowSize: 1 });
    const first = sender.send(sms('first'), context().ctx);
    await smsc.waitFor(() => held.length === 1);
    const controller = new AbortController();
    const { ctx, commits } = context(controller.signal);
    const second = sender.send(sms('second'), ctx);
    controller.abort();
    held[0]!();
    expect(await first).toMatchObject({ ok: true, providerMessageId: 'first' });
    expect(await second).toMatchObject({ ok: false, retryable: true, code: 'aborted' });
    expect(commits).toEqual([]);
    expect(smsc.submits()).toHaveLength(1);
    smsc.responder = (_pdu, answer) => answer({ message_id: 'third' });
    expect(await sender.send(sms('third'), context().ctx)).toMatchObject({
      ok: true,
      providerMessageId: 'third',
    });
  });

  it('times out a submit_sm that is never answered, as in doubt', async () => {
    smsc.responder = () => {};
    const result = await adapter({ submitTimeoutMs: 100 }).send(sms('hi'), context().ctx);
    expect(result).toEqual({
      ok: false,
      retryable: true,
      code: 'timeout',
      reason: 'no submit_sm_resp within 100 ms; the SMSC may have the message',
    });
  });
});

describe('SmppAdapter: connection', () => {
  it('reconnects after the SMSC drops the connection, and the next send works', async () => {
    smsc.responder = () => {};
    const sender = adapter({ reconnect: { initialMs: 100 } });
    const inFlight = sender.send(sms('lost'), context().ctx);
    await smsc.waitFor(() => smsc.submits().length === 1);
    smsc.dropAll();
    const lost = await inFlight;
    expect(lost).toMatchObject({ ok: false, retryable: true, code: 'connection' });
    expect(lost.ok || lost.reason).toContain('the SMSC may have the message');
    const { ctx, commits } = context();
    const duringBackoff = await sender.send(sms('too early'), ctx);
    expect(duringBackoff).toMatchObject({ ok: false, retryable: true, code: 'connection' });
    expect(duringBackoff.ok || duringBackoff.reason).toContain(
      `not bound to 127.0.0.1:${smsc.port}, reconnecting`,
    );
    expect(commits).toEqual([]);
    const binds = () => smsc.received.filter((pdu) => pdu.command === 'bind_transceiver').length;
    await smsc.waitFor(() => binds() === 2 && sender.bound);
    smsc.responder = (_pdu, answer) => answer({ message_id: 'after-reconnect' });
    expect(await sender.send(sms('again'), context().ctx)).toMatchObject({
      ok: true,
      providerMessageId: 'after-reconnect',
    });
  });

  it('backs off exponentially while the SMSC refuses to bind, then binds again', async () => {
    const sender = adapter({ reconnect: { initialMs: 30, maxMs: 1_000 } });
    await sender.connect();
    smsc.refuseBinds = true;
    smsc.dropAll();
    await smsc.waitFor(() => smsc.bindTimes.length === 4);
    const [, first, second, third] = smsc.bindTimes as [number, number, number, number];
    expect(second - first).toBeGreaterThanOrEqual(55);
    expect(third - second).toBeGreaterThanOrEqual(115);
    smsc.refuseBinds = false;
    await smsc.waitFor(() => sender.bound);
    expect(await sender.send(sms('back'), context().ctx)).toMatchObject({ ok: true });
  });

  it('sends enquire_link when idle and drops a link whose enquire_link goes unanswered', async () => {
    const sender = adapter({ enquireLinkMs: 50, submitTimeoutMs: 100 });
    await sender.connect();
    const enquiries = () => smsc.received.filter((pdu) => pdu.command === 'enquire_link').length;
    await smsc.waitFor(() => enquiries() >= 2);
    smsc.answerEnquireLink = false;
    const binds = () => smsc.received.filter((pdu) => pdu.command === 'bind_transceiver').length;
    await smsc.waitFor(() => binds() === 2);
  });

  it('close() lets a send in progress finish, then unbinds', async () => {
    smsc.responder = (_pdu, answer) => setTimeout(() => answer({ message_id: 'late' }), 50);
    const sender = adapter();
    const sending = sender.send(sms('hi'), context().ctx);
    await smsc.waitFor(() => smsc.submits().length === 1);
    await sender.close();
    expect(await sending).toMatchObject({ ok: true, providerMessageId: 'late' });
    expect(smsc.received.map((pdu) => pdu.command)).toEqual(['bind_transceiver', 'submit_sm', 'unbind']);
    expect(sender.bound).toBe(false);
  });
});

describe('SmppAdapter: deliver_sm', () => {
  it('reports a delivery receipt and answers deliver_sm_resp', async () => {
    const reports: StatusReport[] = [];
    const sender = adapter({ onReport: (r) => void reports.push(r) });
    await sender.send(sms('hi'), context().ctx);
    const response = await smsc.deliver({
      source_addr_ton: 1,
      source_addr_npi: 1,
      source_addr: '966501234567',
      destination_addr: 'Wasl',
      esm_class: 0x04,
      short_message:
        'id:M1 sub:001 dlvrd:001 submit date:2611230815 done date:2611230816 stat:DELIVRD err:000 text:hi',
      receipted_message_id: 'M1',
      message_state: 2,
    });
    expect(response).toMatchObject({ command: 'deliver_sm_resp', command_status: 0 });
    expect(reports).toEqual([
      {
        status: 'delivered',
        at: Date.UTC(2026, 10, 23, 8, 16),
        providerMessageId: 'M1',
        recipient: '+966501234567',
        detail: { stat: 'DELIVRD', err: '000' },
      },
    ]);
  });

  it('reports an UNDELIV receipt from the text alone as failed, under the first part id', async () => {
    const reports: StatusReport[] = [];
    const sender = adapter({ onReport: (r) => void reports.push(r) });
    await sender.send(sms('y'.repeat(170)), context().ctx);
    await smsc.deliver({
      source_addr: '966501234567',
      esm_class: 0x04,
      short_message:
        'id:M2 sub:001 dlvrd:000 submit date:2611230815 done date:2611230817 stat:UNDELIV err:001',
    });
    expect(reports).toEqual([
      {
        status: 'failed',
        at: Date.UTC(2026, 10, 23, 8, 17),
        providerMessageId: 'M1',
        recipient: '+966501234567',
        detail: { stat: 'UNDELIV', err: '001', partMessageId: 'M2' },
      },
    ]);
  });

  it('reports an Arabic "إلغاء" reply as unsubscribed and other replies as replied', async () => {
    const reports: StatusReport[] = [];
    const sender = adapter({ onReport: (r) => void reports.push(r) });
    await sender.connect();
    const mo = (text: string) =>
      smsc.deliver({
        source_addr_ton: 1,
        source_addr_npi: 1,
        source_addr: '966501234567',
        destination_addr: 'Wasl',
        esm_class: 0,
        data_coding: 8,
        short_message: text,
      });
    expect(await mo(' إلغاء ')).toMatchObject({ command: 'deliver_sm_resp', command_status: 0 });
    await mo('شكراً، متى ينتهي العرض؟');
    expect(reports).toEqual([
      {
        status: 'unsubscribed',
        at: expect.any(Number),
        recipient: '+966501234567',
        detail: { text: ' إلغاء ', to: 'Wasl', intent: 'stop' },
      },
      {
        status: 'replied',
        at: expect.any(Number),
        recipient: '+966501234567',
        detail: { text: 'شكراً، متى ينتهي العرض؟', to: 'Wasl' },
      },
    ]);
    expect(Math.abs(reports[0]!.at - Date.now())).toBeLessThan(5_000);
  });

  it('asks the SMSC to redeliver when onReport fails', async () => {
    const sender = adapter({
      onReport: async () => {
        throw new Error('database down');
      },
    });
    await sender.connect();
    const response = await smsc.deliver({ source_addr: '966501234567', short_message: 'STOP' });
    expect(response).toMatchObject({ command: 'deliver_sm_resp', command_status: 0x64 });
  });
});
