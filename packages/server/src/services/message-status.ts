/**
 * What happens to a message after it was sent: provider receipts, bounces,
 * complaints, opens and clicks move its status and become `message.<status>`
 * facts in the events store.
 *
 * - Progress: sent < delivered < opened < clicked; a status only moves
 *   forward along it, never back.
 * - Outcomes: bounced, complained, failed, unsubscribed, replied replace a
 *   progress status, and once a message has one nothing replaces it (a late
 *   "delivered" does not undo a bounce); the fact is still recorded.
 * - Messages not yet recorded as sent (queued, sending, committed, skipped)
 *   keep their status: the delivery engine owns it until the send is
 *   recorded (docs/decisions/0010); the fact is still recorded.
 * - Any report about a message means the provider had it: in_doubt clears.
 * - A hard bounce or a complaint suppresses the address; an unsubscribe
 *   report sets the channel's consent to 'unsubscribed'.
 * Messages are looked up by Wasl's id or the provider's id, always inside the
 * one workspace: another workspace's message is never touched.
 * - An unsubscribe naming only a recipient (an SMS "STOP"/"إلغاء" reply names
 *   no message) sets that channel's consent to 'unsubscribed' for the
 *   workspace's contacts with that address; it needs `options.channel`.
 */
import { createHash } from 'node:crypto';
import type { StatusReport } from '@wasl/channels';
import { CONSENT_CHANNELS, type ConsentChannel, type WaslEvent } from '@wasl/core';
import type { Database, MessageRow } from '@wasl/store';
import type { Kysely } from 'kysely';
import { consentEvent, setConsent, suppress } from './consent.ts';

export const PROGRESS_STATUSES = ['sent', 'delivered', 'opened', 'clicked'] as const;
export const OUTCOME_STATUSES = ['bounced', 'complained', 'failed', 'unsubscribed', 'replied'] as const;
export type TrackedStatus = (typeof PROGRESS_STATUSES)[number] | (typeof OUTCOME_STATUSES)[number];

/** The statuses a message may be in for `target` to replace it. */
export function statusesBefore(target: TrackedStatus): readonly string[] {
  const rank = PROGRESS_STATUSES.indexOf(target as (typeof PROGRESS_STATUSES)[number]);
  return rank === -1 ? PROGRESS_STATUSES : PROGRESS_STATUSES.slice(0, rank);
}

/** A message of the workspace by Wasl's id, else by the provider's id. */
export async function findMessage(
  db: Kysely<Database>,
  workspaceId: string,
  ids: { messageId?: string; providerMessageId?: string },
): Promise<MessageRow | undefined> {
  if (ids.messageId !== undefined && ids.messageId !== '') {
    const byId = await db
      .selectFrom('messages')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', ids.messageId)
      .executeTakeFirst();
    if (byId) return byId;
  }
  if (ids.providerMessageId === undefined || ids.providerMessageId === '') return undefined;
  return db
    .selectFrom('messages')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('provider_message_id', '=', ids.providerMessageId)
    .executeTakeFirst();
}

/**
 * Moves a message to `status` when the rules above allow, and clears
 * in_doubt; true when the status changed.
 */
export async function moveStatus(
  db: Kysely<Database>,
  message: Pick<MessageRow, 'id' | 'workspace_id'>,
  status: TrackedStatus,
  now: number,
  lastError?: string,
): Promise<boolean> {
  const moved = await db
    .updateTable('messages')
    .set({
      status,
      in_doubt: 0,
      updated_at: now,
      ...(lastError === undefined ? {} : { last_error: lastError }),
    })
    .where('workspace_id', '=', message.workspace_id)
    .where('id', '=', message.id)
    .where('status', 'in', statusesBefore(status))
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) > 0) return true;
  await db
    .updateTable('messages')
    .set({ in_doubt: 0, updated_at: now })
    .where('workspace_id', '=', message.workspace_id)
    .where('id', '=', message.id)
    .where('in_doubt', '=', 1)
    .execute();
  return false;
}

/** A `message.<status>` fact about a message, with the properties segments and reports read. */
export function messageEvent(
  message: MessageRow,
  status: TrackedStatus,
  input: {
    id: string;
    at: number;
    now: number;
    properties: Record<string, unknown>;
    context?: WaslEvent['context'];
  },
): WaslEvent {
  return {
    id: input.id,
    workspaceId: message.workspace_id,
    type: 'message',
    name: `message.${status}`,
    anonymousId: message.contact_id === null ? `message:${message.id}` : null,
    contactId: message.contact_id,
    occurredAt: new Date(input.at),
    receivedAt: new Date(input.now),
    properties: {
      messageId: message.id,
      channel: message.channel,
      sourceKind: message.source_kind,
      ...(message.source_id === null ? {} : { sourceId: message.source_id }),
      ...(message.source_kind === 'campaign' && message.source_id !== null
        ? { campaignId: message.source_id }
        : {}),
      ...input.properties,
    },
    context: input.context ?? {},
  };
}

/**
 * An event id that is the same when a provider delivers the same report
 * again (the events store skips ids it holds): UUID v7 shaped, its time
 * part the report's time, the rest a hash of what the report says.
 */
export function reportEventId(fingerprint: string, at: number): string {
  const hash = createHash('sha256').update(fingerprint, 'utf8').digest();
  const bytes = Buffer.alloc(16);
  bytes.writeUIntBE(Math.max(0, Math.min(at, 2 ** 48 - 1)), 0, 6);
  hash.copy(bytes, 6, 0, 10);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Where the facts go: the events store, or anything that appends to it. */
export interface FactSink {
  append(events: readonly WaslEvent[]): Promise<unknown>;
}

export interface ApplyOptions {
  now: number;
  /** The channel the reports came in on; a message of another channel does not match. */
  channel?: string;
  /** The provider's name, kept in the events. */
  provider?: string;
}

export interface ApplyOutcome {
  /** Reports that matched a message of the workspace. */
  applied: number;
  /** Of those, how many moved the message's status. */
  moved: number;
  /** Reports naming no message of the workspace. */
  unmatched: number;
}

/** Applies provider reports to the workspace's messages; see the module comment. */
export async function applyStatusReports(
  db: Kysely<Database>,
  events: FactSink | undefined,
  workspaceId: string,
  reports: readonly StatusReport[],
  options: ApplyOptions,
): Promise<ApplyOutcome> {
  const outcome: ApplyOutcome = { applied: 0, moved: 0, unmatched: 0 };
  const facts: WaslEvent[] = [];
  for (const report of reports) {
    const message = await findMessage(db, workspaceId, report);
    if (!message && report.messageId === undefined && report.providerMessageId === undefined) {
      const consents = await unsubscribeRecipient(db, workspaceId, report, options);
      if (consents.length > 0) outcome.applied += 1;
      else outcome.unmatched += 1;
      facts.push(...consents);
      continue;
    }
    if (!message || (options.channel !== undefined && message.channel !== options.channel)) {
      outcome.unmatched += 1;
      continue;
    }
    outcome.applied += 1;
    const lastError =
      report.bounce?.reason ?? (report.status === 'failed' ? failureReason(report) : undefined);
    const moved = await moveStatus(db, message, report.status, options.now, lastError);
    if (moved) outcome.moved += 1;
    facts.push(reportEvent(message, report, options, moved));
    facts.push(...(await consequences(db, message, report, options)));
  }
  if (facts.length > 0) await events?.append(facts);
  return outcome;
}

/** Consent 'unsubscribed' for the workspace's contacts the report's recipient reaches on its channel. */
async function unsubscribeRecipient(
  db: Kysely<Database>,
  workspaceId: string,
  report: StatusReport,
  options: ApplyOptions,
): Promise<WaslEvent[]> {
  const channel = options.channel;
  if (report.status !== 'unsubscribed' || !report.recipient || channel === undefined) return [];
  if (!(CONSENT_CHANNELS as readonly string[]).includes(channel)) return [];
  const contacts = await db
    .selectFrom('contacts')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where(channel === 'email' ? 'email' : 'phone', '=', report.recipient)
    .execute();
  const facts: WaslEvent[] = [];
  for (const contact of contacts) {
    const changed = await setConsent(db, {
      workspaceId,
      contactId: contact.id,
      channel: channel as ConsentChannel,
      status: 'unsubscribed',
      source: channel === 'sms' ? 'sms_keyword' : (options.provider ?? 'provider'),
      proof: { recipient: report.recipient, ...(report.detail ?? {}) },
      now: options.now,
    });
    if (changed.ok) facts.push(consentEvent(workspaceId, changed.value));
  }
  return facts;
}

function failureReason(report: StatusReport): string {
  const reason = report.detail?.reason ?? report.detail?.errorMessage ?? report.detail?.event;
  return reason === undefined ? 'the provider reported a failure' : String(reason);
}

function reportEvent(
  message: MessageRow,
  report: StatusReport,
  options: ApplyOptions,
  moved: boolean,
): WaslEvent {
  const fingerprint = JSON.stringify([
    message.id,
    report.status,
    report.at,
    report.recipient ?? '',
    report.url ?? '',
    report.detail ?? {},
  ]);
  return messageEvent(message, report.status, {
    id: reportEventId(fingerprint, report.at),
    at: report.at,
    now: options.now,
    properties: {
      ...(options.provider === undefined ? {} : { provider: options.provider }),
      ...(report.recipient === undefined ? {} : { recipient: report.recipient }),
      ...(report.url === undefined ? {} : { url: report.url }),
      ...(report.bounce === undefined
        ? {}
        : {
            bounceKind: report.bounce.kind,
            bounceReason: report.bounce.reason,
            ...(report.bounce.code === undefined ? {} : { bounceCode: report.bounce.code }),
          }),
      ...(report.detail === undefined ? {} : { detail: report.detail }),
      statusChanged: moved,
    },
  });
}

/** Suppression on hard bounces and complaints, consent on unsubscribes; the consent facts to record. */
async function consequences(
  db: Kysely<Database>,
  message: MessageRow,
  report: StatusReport,
  options: ApplyOptions,
): Promise<WaslEvent[]> {
  const channel = message.channel;
  if (!(CONSENT_CHANNELS as readonly string[]).includes(channel)) return [];
  const address = message.address ?? report.recipient;
  const hardBounce = report.status === 'bounced' && report.bounce?.kind === 'hard';
  if ((hardBounce || report.status === 'complained') && address) {
    await suppress(db, {
      workspaceId: message.workspace_id,
      channel: channel as ConsentChannel,
      address,
      reason: hardBounce ? 'hard_bounce' : 'complaint',
      details: report.bounce?.reason ?? `${options.provider ?? 'provider'} complaint`,
      now: options.now,
    });
  }
  if (report.status !== 'unsubscribed' || message.contact_id === null) return [];
  const changed = await setConsent(db, {
    workspaceId: message.workspace_id,
    contactId: message.contact_id,
    channel: channel as ConsentChannel,
    status: 'unsubscribed',
    source: channel === 'sms' ? 'sms_keyword' : (options.provider ?? 'provider'),
    proof: { messageId: message.id, ...(report.detail ?? {}) },
    now: options.now,
  });
  return changed.ok ? [consentEvent(message.workspace_id, changed.value)] : [];
}
