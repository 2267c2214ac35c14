/**
 * Messaging: the delivery engine wired to Wasl's data. `createDelivery`
 * builds the engine a worker runs (the composer checks and builds each
 * message; outcomes become events and suppressions); routes send through a
 * `MessagingHandle`.
 */
import type { ChannelAdapter, Mailbox } from '@wasl/channels';
import type { WaslEvent } from '@wasl/core';
import type { Database, OltpDialect } from '@wasl/store';
import { DeliveryEngine, type DeliveryEngineOptions } from '@wasl/worker';
import type { Kysely } from 'kysely';
import { prepareWebhook, webhookOutcome, webhookRetryAt } from '../webhooks/delivery.ts';
import { createComposer } from './compose.ts';
import { createOutcomeHandler } from './outcomes.ts';
import { smppReportHandler } from './sms-reports.ts';

export { DeliveryEngine } from '@wasl/worker';
export { createComposer } from './compose.ts';
export { MessageContent } from './content.ts';
export { type MessagingHandle, messagingHandle } from './messages.ts';
export { createOutcomeHandler } from './outcomes.ts';
export { smppReportHandler } from './sms-reports.ts';

export interface DeliveryOptions {
  db: Kysely<Database>;
  dialect: OltpDialect;
  secret: string;
  publicUrl: string;
  defaultFrom?: Mailbox;
  /** The sender id of SMS (WASL_SMS_SENDER); without it SMS is skipped `no_sender`. */
  smsSender?: string;
  adapters: Readonly<Record<string, ChannelAdapter<unknown>>>;
  /** Appends to the events store. */
  record: (events: WaslEvent[]) => Promise<unknown>;
  onError: (error: unknown) => void;
  clock?: () => number;
  /** Engine tuning (poll interval, concurrency, limits). */
  engine?: Partial<Omit<DeliveryEngineOptions, 'db' | 'dialect' | 'adapters' | 'prepare' | 'onOutcome'>>;
}

/**
 * The delivery engine with Wasl's composer and outcome handling, and what to
 * do with the SMSC's receipts and replies; the caller starts and stops it.
 */
export function createDelivery(o: DeliveryOptions) {
  const clock = o.clock ?? Date.now;
  const composer = createComposer({
    db: o.db,
    secret: o.secret,
    publicUrl: o.publicUrl,
    clock,
    ...(o.defaultFrom ? { defaultFrom: o.defaultFrom } : {}),
    ...(o.smsSender ? { smsSender: o.smsSender } : {}),
  });
  const outcomes = createOutcomeHandler({
    db: o.db,
    record: o.record,
    addressOf: composer.addressOf,
    handled: composer.forget,
    onError: o.onError,
    clock,
  });
  const engine = new DeliveryEngine({
    ...o.engine,
    db: o.db,
    dialect: o.dialect,
    adapters: o.adapters,
    clock,
    // Webhook deliveries carry their signed body; everything else goes through the composer.
    prepare: (row) =>
      row.channel === 'webhook' ? prepareWebhook(o.db, row, clock()) : composer.prepare(row),
    retryAt: { webhook: webhookRetryAt, ...o.engine?.retryAt },
    onOutcome: (row, outcome) => {
      outcomes.onOutcome(row, outcome);
      if (row.channel === 'webhook') webhookOutcome(o.db, row, outcome, clock()).catch(o.onError);
    },
    onError: o.onError,
  });
  /** The SmppAdapter's `onReport`: receipts and opt-out replies, recorded like the outcomes. */
  const smsReports = smppReportHandler(o.db, { append: (events) => o.record([...events]) }, clock);
  return { engine, composer, outcomes, smsReports };
}
