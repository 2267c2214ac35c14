import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ChannelAdapter, type DkimKey, SmtpAdapter } from '@wasl/channels';
import { WhatsAppAdapter } from '@wasl/channels/http-providers';
import { SmppAdapter } from '@wasl/channels/sms';
import { WebhookAdapter } from '@wasl/channels/webhook';
import { WebPushAdapter } from '@wasl/channels/webpush';
import { type Config, describeConfig, smppSettings, smtpSettings } from '@wasl/core';
import { type Journal, type JournalWriter, openJournal, startJournalWriter } from '@wasl/ingest';
import {
  AudienceSync,
  buildServer,
  createDelivery,
  EndpointDirectory,
  issueSetupToken,
  SegmentEngine,
  segmentSources,
  setupUrl,
  vapidForMessages,
  webhookFanOut,
  withWebhookFanOut,
} from '@wasl/server';
import { openAudienceMirror, openSegmentEvaluator } from '@wasl/store';
import { enqueueMessages, JobQueue, Worker } from '@wasl/worker';
import pino from 'pino';
import { instanceSecret, openMigratedStores } from '../boot.ts';
import { loadConfig } from '../config.ts';
import { CliError } from '../errors.ts';
import { parseRoles } from '../roles.ts';
import { openReports } from '../stores.ts';
import { scheduleSystemJobs, systemJobHandlers } from '../system-jobs.ts';

/** Unflushed journal bytes before /api/collect answers 503: about 400,000 tracker events. */
const JOURNAL_MAX_BYTES = 256 * 1024 * 1024;
const DASHBOARD_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../dashboard/dist');

export interface StartOptions {
  role?: string;
  port?: string;
}

/**
 * `wasl start`: the composition root. Opens and migrates the stores, then
 * runs the chosen roles in this process until SIGTERM/SIGINT.
 */
export async function startCommand(options: StartOptions = {}): Promise<void> {
  const config = withPort(loadConfig(), options.port);
  const roles = parseRoles(options.role ?? 'api,ingest,worker', config);
  const log = pino({ level: config.logLevel, base: { pid: process.pid } });
  log.info({ config: describeConfig(config), roles: [...roles] }, 'starting');

  const stores = await openMigratedStores(config);
  const secret = await instanceSecret(stores.oltp.db, config);
  // Wasl's own facts (contacts, consent, segments, messages) also go to the workspaces'
  // webhook endpoints: each appended event a subscribed endpoint wants becomes a delivery.
  const facts = withWebhookFanOut(
    stores.events,
    webhookFanOut(
      new EndpointDirectory(stores.oltp.db),
      (messages) => enqueueMessages(stores.oltp.db, messages, Date.now(), stores.oltp.dialect),
      Date.now,
    ),
    (error) => log.error({ err: error }, 'queueing webhook deliveries failed'),
  );
  // Live segment membership (set up below, once the events store's copy of contacts is).
  let segmentEngine: SegmentEngine | undefined;
  // Collected events are acknowledged once durable in this process's journal;
  // its writer moves them into the events store in batches (decision 0006).
  let journal: Journal | undefined;
  let journalWriter: JournalWriter | undefined;
  if (roles.has('ingest')) {
    journal = await openJournal({ dir: join(config.dataDir, 'ingest'), maxPendingBytes: JOURNAL_MAX_BYTES });
    journalWriter = startJournalWriter(journal, stores.events, {
      onError: (error) =>
        log.error({ err: error }, 'moving journaled events to the events store failed; retrying'),
      onDamage: (damage) =>
        log.warn({ damage }, 'ingest journal: unreadable bytes after a crash were dropped'),
      onStored: (events) => {
        segmentEngine
          ?.eventsStored(events)
          .catch((error) => log.error({ err: error }, 'live segments: failed'));
      },
    });
  }
  const closeJournal = async () => {
    const stopped = await journalWriter?.stop({ timeoutMs: config.shutdownTimeoutMs });
    if (stopped && !stopped.drained)
      log.warn('ingest journal not fully drained; the next start replays the rest');
    await journal?.close();
  };
  const queue = new JobQueue({ db: stores.oltp.db, dialect: stores.oltp.dialect });
  // Reports read the events store through the analytics port; only the API serves them.
  const analytics = roles.has('api') ? await openReports(stores) : undefined;

  // The events store's copy of contacts, which segments read (decision 0009): every
  // process reports the contacts it changed; the worker also catches up on a timer.
  const mirror = await openAudienceMirror(stores.eventsTarget);
  const evaluator = await openSegmentEvaluator(stores.eventsTarget, segmentSources(stores.oltp.db));
  segmentEngine = new SegmentEngine(stores.oltp.db, evaluator, {
    clock: Date.now,
    onError: (error) => log.error({ err: error }, 'live segments: evaluation failed'),
    record: (events) => facts.append(events),
    onDrift: (workspaceId, segmentId, change) =>
      log.warn(
        { workspaceId, segmentId, entered: change.entered.length, left: change.left.length },
        'live segments: the full recompute corrected the membership',
      ),
  });
  const engine = segmentEngine;
  const audience = new AudienceSync(stores.oltp.db, mirror, {
    clock: Date.now,
    onError: (error) => log.error({ err: error }, 'copying contacts to the events store failed; will retry'),
    synced: (workspaceId, ids) => engine.contactsTouched(workspaceId, ids),
  });
  if (roles.has('worker')) {
    audience
      .start()
      .catch((error) => log.error({ err: error }, 'first contacts catch-up failed; will retry'));
    engine.start();
  }
  const closeAudience = async () => {
    await audience.stop();
    await engine.stop();
    await Promise.all([mirror.close(), evaluator.close()]);
  };

  // Email goes out through the SMTP relay when one is configured; without it, email waits in the queue.
  const smtp = config.smtpUrl ? smtpSettings(config.smtpUrl) : undefined;
  const smtpAdapter: SmtpAdapter | undefined =
    smtp && roles.has('worker')
      ? new SmtpAdapter({
          ...smtp,
          maxConnections: config.smtpMaxConnections,
          // Signed with the key of the sender identity the composer chose.
          dkimFor: (message): DkimKey | undefined => delivery?.composer.dkimOf(message.id),
        })
      : undefined;
  if (!smtp) log.warn('no email provider configured (WASL_SMTP_URL): email is accepted and stays queued');
  // SMS goes out through the SMSC when one is configured; receipts and opt-out replies come back on the bind.
  const smpp = config.smppUrl ? smppSettings(config.smppUrl) : undefined;
  let smppAdapter: SmppAdapter | undefined;
  if (smpp && roles.has('worker')) {
    const created = SmppAdapter.create({
      ...smpp,
      onReport: (report) =>
        delivery ? delivery.smsReports(report) : Promise.reject(new Error('delivery is not running yet')),
    });
    if (!created.ok) throw new CliError(`WASL_SMPP_URL: ${created.error.message}`);
    smppAdapter = created.value;
  }
  if (!smpp) log.warn('no SMS provider configured (WASL_SMPP_URL): SMS is accepted and stays queued');
  else if (!config.smsSender) log.warn('WASL_SMS_SENDER is not set: SMS is skipped no_sender');
  // WhatsApp goes out through the Cloud API when a number and token are configured (config checks both).
  const whatsapp =
    config.whatsappPhoneNumberId && config.whatsappAccessToken
      ? {
          phoneNumberId: config.whatsappPhoneNumberId,
          accessToken: config.whatsappAccessToken,
          baseUrl: config.whatsappApiUrl,
          apiVersion: config.whatsappApiVersion,
        }
      : undefined;
  const whatsappAdapter = whatsapp && roles.has('worker') ? new WhatsAppAdapter(whatsapp) : undefined;
  if (!whatsapp)
    log.warn(
      'no WhatsApp provider configured (WASL_WHATSAPP_PHONE_NUMBER_ID): WhatsApp is accepted and stays queued',
    );
  else if (!process.env.WASL_WHATSAPP_APP_SECRET?.trim())
    log.warn(
      'WASL_WHATSAPP_APP_SECRET is not set: no WhatsApp statuses or inbound messages, so free-form WhatsApp is skipped outside_service_window',
    );
  // Webhooks need no provider: the worker delivers them to the endpoints' URLs (SSRF-guarded).
  const webhookAdapter = roles.has('worker') ? new WebhookAdapter({}) : undefined;
  // Web push needs no provider either: each workspace's VAPID keys sign, the browsers' push services receive.
  const webPushAdapter = roles.has('worker')
    ? new WebPushAdapter({
        vapidFor: vapidForMessages(stores.oltp.db, {
          ...(config.vapidSubject ? { subject: config.vapidSubject } : {}),
          clock: Date.now,
        }),
      })
    : undefined;
  const adapters: Record<string, ChannelAdapter<unknown>> = {};
  if (smtpAdapter) adapters.email = smtpAdapter;
  if (smppAdapter) adapters.sms = smppAdapter;
  if (whatsappAdapter) adapters.whatsapp = whatsappAdapter;
  if (webhookAdapter) adapters.webhook = webhookAdapter;
  if (webPushAdapter) adapters.webpush = webPushAdapter;
  const delivery = roles.has('worker')
    ? createDelivery({
        db: stores.oltp.db,
        dialect: stores.oltp.dialect,
        secret,
        publicUrl: config.publicUrl,
        ...(config.mailFrom ? { defaultFrom: config.mailFrom } : {}),
        ...(config.smsSender ? { smsSender: config.smsSender } : {}),
        adapters,
        record: (events) => facts.append(events),
        onError: (error) => log.error({ err: error }, 'delivery: failed'),
      })
    : undefined;
  delivery?.engine.start();
  // A bind refused now is logged; sends try to bind again (and the adapter reconnects once bound).
  const bound = await smppAdapter?.connect();
  if (bound && !bound.ok) log.error({ err: bound.error }, 'SMPP: binding to the SMSC failed');
  const stopDelivery = async () => {
    await delivery?.engine.stop();
    await delivery?.outcomes.idle();
    await Promise.all([
      smtpAdapter?.close(),
      smppAdapter?.close(),
      whatsappAdapter?.close(),
      webhookAdapter?.close(),
      webPushAdapter?.close(),
    ]);
  };

  let worker: Worker | undefined;
  if (roles.has('worker')) {
    await scheduleSystemJobs(queue);
    worker = new Worker({
      queue,
      handlers: systemJobHandlers(stores),
      concurrency: config.workerConcurrency,
      onError: (error, job) => log.error({ err: error, jobId: job?.id, jobName: job?.name }, 'job error'),
    });
    worker.start();
  }

  const app =
    roles.has('api') || roles.has('ingest')
      ? buildServer({
          config,
          oltp: stores.oltp,
          logger: log,
          secret,
          surfaces: { api: roles.has('api'), ingest: roles.has('ingest') },
          analytics,
          audience,
          events: facts,
          segments: { evaluator, engine },
          messaging: {
            channels: [
              ...(smtp ? ['email'] : []),
              ...(smpp ? ['sms'] : []),
              ...(whatsapp ? ['whatsapp'] : []),
              'webpush',
              'webhook',
            ],
          },
          ingest: journal ? { sink: journal } : undefined,
          dashboardDir: roles.has('api') && existsSync(DASHBOARD_DIR) ? DASHBOARD_DIR : undefined,
          readiness: [{ name: 'events store', check: () => stores.events.ping() }],
          metrics: {
            jobDepth: () => queue.depth(),
            ...(journal && { ingestJournal: () => journal.stats() }),
          },
          passwordResetSink: (email, url) => {
            // Until Wasl sends email (messaging issue), the operator relays the link.
            log.warn({ email }, 'password reset requested');
            process.stdout.write(`Password reset link for ${email}: ${url}\n`);
          },
        })
      : undefined;

  if (app) {
    try {
      await app.listen({ port: config.port, host: config.host });
    } catch (error) {
      await Promise.allSettled([
        worker?.stop({ timeoutMs: 1000 }),
        stopDelivery(),
        closeJournal(),
        analytics?.close(),
        closeAudience(),
      ]);
      await stores.close();
      const code = (error as NodeJS.ErrnoException).code;
      throw new CliError(
        code === 'EADDRINUSE'
          ? `port ${config.port} is already in use; set WASL_PORT or --port to another`
          : `cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`,
      );
    }
  }

  // Handlers first: a supervisor may send SIGTERM the moment it reads the banner.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs + 2000);
    timer.unref();
    // Stop taking work first, then let what is running finish, then flush and close.
    const [closed, stopped, delivered] = await Promise.allSettled([
      app?.close(),
      worker?.stop({ timeoutMs: config.shutdownTimeoutMs }),
      stopDelivery(),
    ]);
    if (closed.status === 'rejected') log.error({ err: closed.reason }, 'closing the HTTP server failed');
    if (stopped.status === 'rejected') log.error({ err: stopped.reason }, 'stopping the worker failed');
    if (delivered.status === 'rejected')
      log.error({ err: delivered.reason }, 'stopping the delivery engine failed');
    await closeJournal().catch((error) => log.error({ err: error }, 'flushing the ingest journal failed'));
    await analytics?.close().catch((error) => log.error({ err: error }, 'closing the reports failed'));
    await closeAudience().catch((error) => log.error({ err: error }, 'closing the contacts copy failed'));
    await stores.close();
    log.info('stopped');
    clearTimeout(timer);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  const banner = [`Wasl is running: ${config.publicUrl}`, `  roles: ${[...roles].join(', ')}`];
  banner.push(`  OLTP store:   ${stores.describe.oltp}`, `  events store: ${stores.describe.events}`);
  if (app && roles.has('api')) {
    const token = await issueSetupToken(stores.oltp.db);
    if (token)
      banner.push(
        '',
        'First run: open this link to create the owner account and the first workspace:',
        `  ${setupUrl(config.publicUrl, token)}`,
      );
  }
  process.stdout.write(`${banner.join('\n')}\n`);
}

function withPort(config: Config, port: string | undefined): Config {
  if (port === undefined) return config;
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
    throw new CliError(`--port: expected an integer from 1 to 65535, got "${port}"`);
  }
  const n = Number(port);
  const defaultUrl = `http://localhost:${config.port}`;
  return {
    ...config,
    port: n,
    publicUrl: config.publicUrl === defaultUrl ? `http://localhost:${n}` : config.publicUrl,
  };
}
