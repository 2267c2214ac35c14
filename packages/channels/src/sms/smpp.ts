/**
 * The SMS channel over SMPP 3.4, as a client bound in transceiver mode with the
 * `smpp` package. One connection per adapter: at most `windowSize` submit_sm
 * awaiting their response, enquire_link when the link is idle, reconnect with
 * exponential backoff after it drops. Long texts go as one submit_sm per part
 * (see submit-sm.ts). Delivery receipts and replies arriving as deliver_sm are
 * turned into StatusReports for `onReport`, and each is answered with a
 * deliver_sm_resp once `onReport` has taken it.
 */
import { err, ok, type Problem, problem, type Result } from '@wasl/core';
import smpp, { type DecodedMessage, type PDU, type Session } from 'smpp';
import type {
  ChannelAdapter,
  SendContext,
  SendRefused,
  SendResult,
  SmsMessage,
  StatusReport,
} from '../types.ts';
import { reportFromDeliverSm } from './deliver.ts';
import { type SubmitSmParams, submitSmParts } from './submit-sm.ts';

export interface SmppOptions {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType?: string;
  /** Most submit_sm written and not yet answered (default 10). */
  windowSize?: number;
  /** An enquire_link goes out after this long without a PDU from the SMSC (default 30 s). */
  enquireLinkMs?: number;
  /** How long a submit_sm or enquire_link waits for its response (default 30 s). */
  submitTimeoutMs?: number;
  /** Connecting and binding (default 10 s). */
  connectTimeoutMs?: number;
  /** Delay before the first reconnect after a drop, doubled after each failed attempt up to maxMs (defaults 1 s, 60 s). */
  reconnect?: { initialMs?: number; maxMs?: number };
  /**
   * Receives delivery receipts and replies. The deliver_sm is acknowledged when
   * it returns (or its promise resolves); if it throws, the SMSC is told to try
   * again later (ESME_RX_T_APPN). Receipts are requested only when it is set.
   */
  onReport?: (report: StatusReport) => void | Promise<void>;
}

interface Settings {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType: string;
  windowSize: number;
  enquireLinkMs: number;
  submitTimeoutMs: number;
  connectTimeoutMs: number;
  reconnectInitialMs: number;
  reconnectMaxMs: number;
}

type Reply = { kind: 'resp'; pdu: PDU } | { kind: 'timeout' } | { kind: 'closed'; reason: string };

interface Link {
  session: Session;
  /** Requests awaiting their response; each is finished with 'closed' when the link drops. */
  pending: Set<(reply: Reply) => void>;
  closed: boolean;
  /** Why the link dropped, when known. */
  reason: string;
  lastHeard: number;
  enquiring: boolean;
  keepAlive?: NodeJS.Timeout;
}

type PartOutcome = { ok: true; id: string } | SendRefused;

const SMPP_3_4 = 0x34;
const ESME_RINVBNDSTS = 0x04;
const ESME_RINVDSTADR = 0x0b;
const ESME_RX_T_APPN = 0x64;
/** Statuses worth trying again later: system error, queue full, throttled, temporary application error. */
const RETRYABLE_STATUSES = new Set([0x08, 0x14, 0x58, ESME_RX_T_APPN]);
/** Bind refusals that name a setting. */
const BIND_FIELDS: Record<number, string> = { 14: 'password', 15: 'systemId', 83: 'systemType' };
/** Parts after the first are retried this many times on a throttling-like status before the send gives up. */
const PART_RETRIES = 3;
const PART_RETRY_MS = 200;
/** Receipt ids of later parts remembered to map them to the first part's id. */
const MAX_REMEMBERED_PARTS = 100_000;

const STATUS_NAMES = new Map(Object.entries(smpp.errors).map(([name, value]) => [value, name]));

const statusCode = (status: number) => `0x${status.toString(16).padStart(8, '0')}`;
const statusText = (status: number) =>
  `${STATUS_NAMES.get(status) ?? 'unknown status'} (${statusCode(status)})`;

const refused = (retryable: boolean, code: string, reason: string): SendRefused => ({
  ok: false,
  retryable,
  code,
  reason,
});

/** A submit_sm_resp's command_status as a refusal: throttling and full queues are retryable, a bad destination is a hard bounce. */
export function refusalForStatus(status: number): SendRefused {
  const reason = `submit_sm refused: ${statusText(status)}`;
  if (status === ESME_RINVDSTADR) return { ...refused(false, statusCode(status), reason), bounce: 'hard' };
  if (status === ESME_RINVBNDSTS) return refused(true, 'connection', reason);
  return refused(RETRYABLE_STATUSES.has(status), statusCode(status), reason);
}

function validate(options: SmppOptions): Result<Settings> {
  const invalid = (field: string, message: string) => err(problem('invalid', `${field} ${message}`, field));
  const positive = (field: string, value: number | undefined, integer = false) =>
    value === undefined || (Number.isFinite(value) && value > 0 && (!integer || Number.isInteger(value)))
      ? undefined
      : invalid(field, `must be a ${integer ? 'whole ' : ''}number > 0, got ${value}`);
  if (typeof options.host !== 'string' || options.host.trim() === '') return invalid('host', 'is empty');
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    return invalid('port', `must be 1–65535, got ${options.port}`);
  }
  if (typeof options.systemId !== 'string' || options.systemId === '') return invalid('systemId', 'is empty');
  if (typeof options.password !== 'string') return invalid('password', 'must be a string');
  const checks = [
    positive('windowSize', options.windowSize, true),
    positive('enquireLinkMs', options.enquireLinkMs),
    positive('submitTimeoutMs', options.submitTimeoutMs),
    positive('connectTimeoutMs', options.connectTimeoutMs),
    positive('reconnect.initialMs', options.reconnect?.initialMs),
    positive('reconnect.maxMs', options.reconnect?.maxMs),
  ];
  const failed = checks.find((check) => check !== undefined);
  if (failed) return failed;
  return ok({
    host: options.host,
    port: options.port,
    systemId: options.systemId,
    password: options.password,
    systemType: options.systemType ?? '',
    windowSize: options.windowSize ?? 10,
    enquireLinkMs: options.enquireLinkMs ?? 30_000,
    submitTimeoutMs: options.submitTimeoutMs ?? 30_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    reconnectInitialMs: options.reconnect?.initialMs ?? 1_000,
    reconnectMaxMs: options.reconnect?.maxMs ?? 60_000,
  });
}

/**
 * At most `size` holders at once; waiters are served in order. A waiter whose
 * signal has aborted is passed over (and told so) when its turn comes, so a
 * signal shared by many sends carries no listeners.
 */
class Window {
  private used = 0;
  private readonly waiters: Array<{ signal: AbortSignal | undefined; resolve: (held: boolean) => void }> = [];
  constructor(private readonly size: number) {}

  /** Resolves true once a slot is held, false if the signal aborted before that. */
  acquire(signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (this.used < this.size) {
      this.used += 1;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => this.waiters.push({ signal, resolve }));
  }

  release(): void {
    for (let next = this.waiters.shift(); next; next = this.waiters.shift()) {
      if (!next.signal?.aborted) {
        next.resolve(true);
        return;
      }
      next.resolve(false);
    }
    this.used -= 1;
  }
}

function messageText(value: DecodedMessage | Buffer | undefined): string {
  if (value === undefined) return '';
  const message = Buffer.isBuffer(value) ? value : value.message;
  return typeof message === 'string' ? message : message.toString('latin1');
}

export class SmppAdapter implements ChannelAdapter<SmsMessage> {
  readonly channel = 'sms' as const;
  readonly provider = 'smpp';
  private readonly window: Window;
  private readonly where: string;
  private link: Link | undefined;
  private connecting: Promise<Result<Link>> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private failedReconnects = 0;
  private lastProblem: Problem | undefined;
  private closing = false;
  private active = 0;
  /** Resolved when no send is in progress (close() waits on them). */
  private readonly idle: Array<() => void> = [];
  private reference = 0;
  /** message_id of a later part → the first part's message_id, for its receipts. */
  private readonly firstPartOf = new Map<string, string>();

  /** Checks the options; connects on `connect()` or the first send. */
  static create(options: SmppOptions): Result<SmppAdapter> {
    const settings = validate(options);
    return settings.ok ? ok(new SmppAdapter(settings.value, options.onReport)) : settings;
  }

  private constructor(
    private readonly settings: Settings,
    private readonly onReport: SmppOptions['onReport'],
  ) {
    this.window = new Window(settings.windowSize);
    this.where = `${settings.host}:${settings.port}`;
  }

  /** True while bound. */
  get bound(): boolean {
    return this.link !== undefined && !this.link.closed;
  }

  /**
   * Binds now (a no-op when bound), so receipts and replies flow before the
   * first send; a refused bind names the setting at fault. After a bind the
   * adapter stays connected and reconnects by itself until close().
   */
  async connect(): Promise<Result<void>> {
    const link = await this.ensureLink();
    return link.ok ? ok(undefined) : link;
  }

  async send(message: SmsMessage, ctx: SendContext): Promise<SendResult> {
    if (this.closing) return refused(true, 'connection', 'the SMPP adapter is closed');
    const parts = submitSmParts(message, this.reference, this.onReport !== undefined);
    if (!parts.ok) return refused(false, 'invalid', parts.error.message);
    if (parts.value.length > 1) this.reference = (this.reference + 1) % 256;
    this.active += 1;
    try {
      return await this.submitAll(parts.value, ctx);
    } finally {
      this.active -= 1;
      if (this.active === 0) for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  /** Lets sends in progress finish, unbinds and closes the connection; no reconnects after. */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    if (this.active > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    await this.connecting;
    const link = this.link;
    if (!link || link.closed) return;
    await this.request(link, new smpp.PDU('unbind'), Math.min(this.settings.submitTimeoutMs, 5_000));
    if (!link.closed) await new Promise<void>((resolve) => link.session.destroy(resolve));
  }

  private async submitAll([first, ...rest]: SubmitSmParams[], ctx: SendContext): Promise<SendResult> {
    const aborted = () => refused(true, 'aborted', 'the send was cancelled before anything was written');
    if (ctx.signal.aborted) return aborted();
    const linked = await this.ensureLink();
    if (!linked.ok) return refused(true, 'connection', linked.error.message);
    const link = linked.value;
    if (!(await this.window.acquire(ctx.signal))) return aborted();
    if (link.closed) {
      this.window.release();
      return refused(true, 'connection', `connection lost before submit_sm was written: ${link.reason}`);
    }
    try {
      await ctx.commit();
    } catch (error) {
      this.window.release();
      throw error;
    }
    const head = await this.submitPart(link, first!);
    if (!head.ok) return head;
    if (rest.length === 0) return { ok: true, providerMessageId: head.id, response: `message_id ${head.id}` };
    const tail = await Promise.all(
      rest.map(async (params) => {
        const outcome = await this.submitLaterPart(link, params);
        // Remembered at once: the part's receipt may come before the other parts are answered.
        if (outcome.ok) this.rememberPart(outcome.id, head.id);
        return outcome;
      }),
    );
    const ids = [head.id];
    for (const [i, outcome] of tail.entries()) {
      if (!outcome.ok) {
        return {
          ...outcome,
          retryable: false,
          reason: `part ${i + 2} of ${rest.length + 1} failed (${outcome.reason}) after part 1 was accepted as ${head.id}; the recipient may get an incomplete message`,
        };
      }
      ids.push(outcome.id);
    }
    return {
      ok: true,
      providerMessageId: head.id,
      response: `${ids.length} parts, message_id ${ids.join(' ')}`,
    };
  }

  /** Writes one submit_sm with a window slot already held, and frees the slot when it is answered. */
  private async submitPart(link: Link, params: SubmitSmParams): Promise<PartOutcome> {
    try {
      if (link.closed) {
        return refused(true, 'connection', `connection lost before submit_sm was written: ${link.reason}`);
      }
      const reply = await this.request(
        link,
        new smpp.PDU('submit_sm', { ...params }),
        this.settings.submitTimeoutMs,
      );
      if (reply.kind === 'timeout') {
        return refused(
          true,
          'timeout',
          `no submit_sm_resp within ${this.settings.submitTimeoutMs} ms; the SMSC may have the message`,
        );
      }
      if (reply.kind === 'closed') {
        return refused(
          true,
          'connection',
          `connection lost before submit_sm_resp (${reply.reason}); the SMSC may have the message`,
        );
      }
      const status = reply.pdu.command_status;
      if (status === 0) return { ok: true, id: reply.pdu.message_id ?? '' };
      if (status === ESME_RINVBNDSTS) link.session.destroy();
      return refusalForStatus(status);
    } finally {
      this.window.release();
    }
  }

  /** A part after the first: takes a window slot, and retries a few times on throttling-like statuses. */
  private async submitLaterPart(link: Link, params: SubmitSmParams): Promise<PartOutcome> {
    for (let attempt = 0; ; attempt++) {
      await this.window.acquire();
      const outcome = await this.submitPart(link, params);
      // Only a status the SMSC answered with is retried here: after a time-out or a drop it may have the part.
      const answered = !outcome.ok && outcome.code.startsWith('0x');
      if (outcome.ok || !outcome.retryable || !answered || attempt === PART_RETRIES) {
        return outcome;
      }
      await new Promise((resolve) => setTimeout(resolve, PART_RETRY_MS * 2 ** attempt));
    }
  }

  private rememberPart(id: string, firstId: string): void {
    this.firstPartOf.set(id, firstId);
    if (this.firstPartOf.size > MAX_REMEMBERED_PARTS) {
      const oldest = this.firstPartOf.keys().next().value;
      if (oldest !== undefined) this.firstPartOf.delete(oldest);
    }
  }

  /** Sends a request and waits for its response, a time-out, or the link dropping. */
  private request(link: Link, pdu: PDU, timeoutMs: number): Promise<Reply> {
    return new Promise((resolve) => {
      const finish = (reply: Reply) => {
        if (!link.pending.delete(finish)) return;
        clearTimeout(timer);
        resolve(reply);
      };
      const timer = setTimeout(() => finish({ kind: 'timeout' }), timeoutMs);
      link.pending.add(finish);
      if (!link.session.send(pdu, (response) => finish({ kind: 'resp', pdu: response }))) {
        finish({ kind: 'closed', reason: 'the socket is no longer writable' });
      }
    });
  }

  private ensureLink(): Promise<Result<Link>> {
    if (this.link && !this.link.closed) return Promise.resolve(ok(this.link));
    if (this.closing) return Promise.resolve(err(problem('unavailable', 'the SMPP adapter is closed')));
    if (this.connecting) return this.connecting;
    if (this.reconnectTimer) {
      const last = this.lastProblem?.message ?? 'the connection dropped';
      return Promise.resolve(
        err(problem('unavailable', `not bound to ${this.where}, reconnecting: ${last}`)),
      );
    }
    return this.bind();
  }

  private bind(): Promise<Result<Link>> {
    this.connecting = this.open().then((result) => {
      this.connecting = undefined;
      if (!result.ok) {
        this.lastProblem = result.error;
        return result;
      }
      if (this.closing) {
        result.value.session.destroy();
        return err(problem('unavailable', 'the SMPP adapter is closed'));
      }
      this.link = result.value;
      this.failedReconnects = 0;
      return result;
    });
    return this.connecting;
  }

  /** Connects and sends bind_transceiver. */
  private open(): Promise<Result<Link>> {
    const { host, port, connectTimeoutMs, systemId, password, systemType } = this.settings;
    const where = this.where;
    return new Promise((resolve) => {
      let settled = false;
      const session = smpp.connect({ host, port });
      // Without this, Nagle holds back every submit_sm written while one is unacknowledged.
      session.socket.setNoDelay(true);
      const fail = (failure: Problem) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        session.destroy();
        resolve(err(failure));
      };
      const timer = setTimeout(
        () => fail(problem('unavailable', `SMPP ${where}: not bound within ${connectTimeoutMs} ms`)),
        connectTimeoutMs,
      );
      session.on('error', (error: Error) => fail(problem('unavailable', `SMPP ${where}: ${error.message}`)));
      session.on('close', () =>
        fail(problem('unavailable', `SMPP ${where}: connection closed before the bind`)),
      );
      session.on('connect', () => {
        const bindPdu = new smpp.PDU('bind_transceiver', {
          system_id: systemId,
          password,
          system_type: systemType,
          interface_version: SMPP_3_4,
        });
        session.send(bindPdu, (response) => {
          const status = response.command_status;
          if (status !== 0) {
            const field = BIND_FIELDS[status];
            const hint = field ? `; check ${field}` : '';
            const message = `SMPP ${where} refused bind_transceiver for system_id "${systemId}": ${statusText(status)}${hint}`;
            return fail(problem('unauthorized', message, field));
          }
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(ok(this.attach(session)));
        });
      });
    });
  }

  private attach(session: Session): Link {
    const link: Link = {
      session,
      pending: new Set(),
      closed: false,
      reason: 'the SMSC closed the connection',
      lastHeard: Date.now(),
      enquiring: false,
    };
    session.on('pdu', () => {
      link.lastHeard = Date.now();
    });
    session.on('deliver_sm', (pdu: PDU) => this.onDeliverSm(link, pdu));
    session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: PDU) => {
      link.reason = 'the SMSC unbound';
      session.send(pdu.response(), () => session.destroy());
    });
    session.on('error', (error: Error) => {
      link.reason = error.message;
      session.destroy();
    });
    session.on('close', () => this.onClosed(link));
    this.scheduleKeepAlive(link, this.settings.enquireLinkMs);
    return link;
  }

  /** Sends enquire_link once the SMSC has been silent for enquireLinkMs; an unanswered one drops the link. */
  private scheduleKeepAlive(link: Link, delayMs: number): void {
    link.keepAlive = setTimeout(() => {
      if (link.closed) return;
      const { enquireLinkMs, submitTimeoutMs } = this.settings;
      const silent = Date.now() - link.lastHeard;
      if (silent < enquireLinkMs || link.enquiring) {
        return this.scheduleKeepAlive(link, Math.max(enquireLinkMs - silent, 1));
      }
      link.enquiring = true;
      void this.request(link, new smpp.PDU('enquire_link'), submitTimeoutMs).then((reply) => {
        link.enquiring = false;
        if (reply.kind === 'timeout') {
          link.reason = `no enquire_link_resp within ${submitTimeoutMs} ms`;
          link.session.destroy();
        }
      });
      this.scheduleKeepAlive(link, enquireLinkMs);
    }, delayMs);
  }

  private onClosed(link: Link): void {
    if (link.closed) return;
    link.closed = true;
    clearTimeout(link.keepAlive);
    for (const finish of [...link.pending]) finish({ kind: 'closed', reason: link.reason });
    if (this.link === link) this.link = undefined;
    this.lastProblem = problem('unavailable', `SMPP ${this.where}: ${link.reason}`);
    if (!this.closing) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const { reconnectInitialMs, reconnectMaxMs } = this.settings;
    const delay = Math.min(reconnectMaxMs, reconnectInitialMs * 2 ** this.failedReconnects);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.bind().then((result) => {
        if (result.ok || this.closing) return;
        this.failedReconnects += 1;
        this.scheduleReconnect();
      });
    }, delay);
  }

  /** Reports a receipt or reply and answers deliver_sm_resp once onReport has taken it. */
  private onDeliverSm(link: Link, pdu: PDU): void {
    const respond = (status: number) => link.session.send(pdu.response({ command_status: status }));
    const report = reportFromDeliverSm(
      {
        esmClass: pdu.esm_class ?? 0,
        sourceAddr: pdu.source_addr ?? '',
        destinationAddr: pdu.destination_addr ?? '',
        text: messageText(pdu.short_message) || messageText(pdu.message_payload),
        receiptedMessageId: pdu.receipted_message_id,
        messageState: pdu.message_state,
      },
      Date.now(),
    );
    const onReport = this.onReport;
    if (!report || !onReport) {
      respond(0);
      return;
    }
    const firstId = report.providerMessageId && this.firstPartOf.get(report.providerMessageId);
    if (firstId) {
      report.detail = { ...report.detail, partMessageId: report.providerMessageId! };
      report.providerMessageId = firstId;
    }
    Promise.resolve()
      .then(() => onReport(report))
      .then(
        () => respond(0),
        () => respond(ESME_RX_T_APPN),
      );
  }
}
