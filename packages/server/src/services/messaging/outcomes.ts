/**
 * The delivery engine's `onOutcome`: every recorded outcome becomes a
 * `message.<status>` fact in the events store (the contact's timeline,
 * segments and journeys read it), and an address that bounced hard or
 * complained is suppressed so no later send reaches it; a web push
 * subscription its push service calls gone is removed.
 */

import { classifyStatus } from '@wasl/channels/email/feedback';
import { newId, type WaslEvent } from '@wasl/core';
import type { Database, MessageRow } from '@wasl/store';
import type { Outcome } from '@wasl/worker';
import type { Kysely } from 'kysely';
import { consentEvent, suppress } from '../consent.ts';
import { getContact } from '../contacts.ts';
import { webPushOutcome } from './compose-webpush.ts';

/** The status an outcome is recorded as: `message.<status>`. */
export const outcomeStatus = (o: Outcome): string =>
  ({
    sent: 'sent',
    retry: 'retrying',
    failed: 'failed',
    bounced: 'bounced',
    skipped: 'skipped',
    deferred: 'deferred',
  })[o.kind];

/** One message's status as a fact for the events store. */
export function messageEvent(
  row: MessageRow,
  status: string,
  detail: { provider: string | null; reason: string | null; inDoubt: boolean },
  at: number,
): WaslEvent {
  return {
    id: newId(at),
    workspaceId: row.workspace_id,
    type: 'track',
    name: `message.${status}`,
    anonymousId: null,
    contactId: row.contact_id,
    occurredAt: new Date(at),
    receivedAt: new Date(at),
    properties: {
      messageId: row.id,
      channel: row.channel,
      sourceKind: row.source_kind,
      sourceId: row.source_id,
      provider: detail.provider,
      reason: detail.reason,
      inDoubt: detail.inDoubt,
    },
    context: {},
  };
}

export interface OutcomeHandlerOptions {
  db: Kysely<Database>;
  /** Appends to the events store. */
  record: (events: WaslEvent[]) => Promise<unknown>;
  /** The address a prepared message went to (the composer knows it), when known. */
  addressOf?: (messageId: string) => string | undefined;
  /** Told once the outcome of a message is handled. */
  handled?: (messageId: string) => void;
  onError: (error: unknown) => void;
  clock?: () => number;
}

/** What `onOutcome` does, as a promise (the engine does not wait for it; tests may). */
export function createOutcomeHandler(o: OutcomeHandlerOptions) {
  const clock = o.clock ?? Date.now;
  const pending = new Set<Promise<void>>();

  async function handle(row: MessageRow, outcome: Outcome): Promise<void> {
    const at = clock();
    const reason =
      outcome.kind === 'skipped' || outcome.kind === 'deferred'
        ? outcome.reason
        : outcome.kind === 'sent'
          ? null
          : outcome.error;
    const provider = 'provider' in outcome ? outcome.provider : null;
    const inDoubt = outcome.kind === 'sent' && outcome.inDoubt === true;
    // Suppression first: it must not wait on (or fail with) the events store.
    // A refusal final for the address itself (SMTP 5.1.1 user unknown) means never again;
    // a full mailbox (5.2.2) bounces softly and the address stays.
    if (outcome.kind === 'bounced' && isHardBounce(outcome.error))
      await suppressRecipient(o, row, 'hard_bounce', outcome.error, at);
    const events = [messageEvent(row, outcomeStatus(outcome), { provider, reason, inDoubt }, at)];
    // A push subscription its service calls gone (404/410) is removed, and consent with the last one.
    if (row.channel === 'webpush') {
      const consent = await webPushOutcome(o.db, row, outcome, o.addressOf?.(row.id), at);
      if (consent) events.push(consentEvent(row.workspace_id, consent));
    }
    await o.record(events);
  }

  function onOutcome(row: MessageRow, outcome: Outcome): void {
    const done = handle(row, outcome)
      .catch(o.onError)
      .finally(() => {
        pending.delete(done);
        o.handled?.(row.id);
      });
    pending.add(done);
  }

  /**
   * A status reported later (a DSN, an ARF complaint, a provider webhook) for
   * a message Wasl sent: recorded as a fact; hard bounces and complaints
   * suppress the address.
   */
  async function onReport(
    row: MessageRow,
    report: { status: string; reason: string; hard?: boolean; recipient?: string },
  ): Promise<void> {
    const at = clock();
    await o.record([
      messageEvent(row, report.status, { provider: row.provider, reason: report.reason, inDoubt: false }, at),
    ]);
    if (report.status === 'complained')
      await suppressRecipient(o, row, 'complaint', report.reason, at, report.recipient);
    if (report.status === 'bounced' && report.hard)
      await suppressRecipient(o, row, 'hard_bounce', report.reason, at, report.recipient);
  }

  return {
    onOutcome,
    onReport,
    /** Resolves when every outcome handed over so far is handled. */
    async idle(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

/**
 * Whether a bounce the engine recorded ("550: 5.1.1 …") is hard. The engine's
 * outcome keeps the provider's words, not the adapter's bounce kind, so the
 * SMTP status is classified again; a refusal in another form counts as hard,
 * as the adapter called it a final bounce of the address.
 */
export function isHardBounce(error: string): boolean {
  const smtp = /^([2-5]\d\d): (?:[2-5]\d\d[ -])?(?:([245]\.\d{1,3}\.\d{1,3})\b)?/.exec(error);
  if (!smtp) return true;
  const status = classifyStatus({
    code: Number(smtp[1]),
    ...(smtp[2] === undefined ? {} : { enhancedCode: smtp[2] }),
  });
  return status.ok && status.value.outcome === 'hard';
}

async function suppressRecipient(
  o: OutcomeHandlerOptions,
  row: MessageRow,
  reason: 'hard_bounce' | 'complaint',
  details: string,
  at: number,
  reported?: string,
): Promise<void> {
  let address = reported ?? o.addressOf?.(row.id) ?? row.address;
  if (!address && row.contact_id) {
    const contact = await getContact(o.db, row.workspace_id, row.contact_id);
    address = (row.channel === 'email' ? contact?.email : contact?.phone) ?? null;
  }
  if (!address || (row.channel !== 'email' && row.channel !== 'sms' && row.channel !== 'whatsapp')) return;
  await suppress(o.db, {
    workspaceId: row.workspace_id,
    channel: row.channel,
    address,
    reason,
    details,
    now: at,
  });
}
