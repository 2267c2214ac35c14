/**
 * Clicks and opens of sent messages: checks the signed tracking token, tells
 * people from bots and security scanners, records a `message.clicked` or
 * `message.opened` fact (machines flagged `bot` / `scanner` so reports can
 * leave them out), and moves the message forward (message-status.ts) for
 * people only. The click's destination is the one signed into the token, so
 * the redirect cannot be pointed anywhere else.
 */
import { createHmac } from 'node:crypto';
import {
  BURST_WINDOW_MS,
  type Classification,
  classifyClick,
  type TrackingKind,
  userAgentFamily,
  verifyTrackingToken,
} from '@wasl/channels/tracking';
import { err, ok, problem, type Result } from '@wasl/core';
import type { Database, EventStore, MessageRow } from '@wasl/store';
import type { Kysely } from 'kysely';
import { findMessage, messageEvent, moveStatus, reportEventId } from './message-status.ts';

/** The key tracking tokens are signed with, derived from the instance secret so it serves no other purpose. */
export function trackingSecret(secret: string): string {
  return createHmac('sha256', secret).update('wasl:tracking-tokens:v1').digest('base64url');
}

export interface TrackingHit {
  token: string;
  kind: TrackingKind;
  userAgent: string | undefined;
  ip: string;
  now: number;
}

export interface TrackedHit {
  /** Where a click goes; absent for opens. */
  url?: string;
  classification: Classification;
  /** False when the message no longer exists (erased): nothing recorded, the redirect still works. */
  recorded: boolean;
  statusChanged: boolean;
}

const RECENT_LIMIT = 10_000;

/**
 * What this process saw lately of each message: click times (for the burst
 * rule) and the first open. Bounded, oldest forgotten first; per process,
 * so with several ingest processes a burst split between them is missed.
 */
export class RecentActivity {
  readonly #clicks = new Map<string, number[]>();
  readonly #opens = new Map<string, number>();

  clicksBefore(messageId: string, now: number): number {
    return (this.#clicks.get(messageId) ?? []).filter((t) => now - t <= BURST_WINDOW_MS).length;
  }

  click(messageId: string, now: number): void {
    const recent = (this.#clicks.get(messageId) ?? []).filter((t) => now - t <= BURST_WINDOW_MS);
    this.#clicks.delete(messageId);
    this.#clicks.set(messageId, [...recent, now]);
    trim(this.#clicks);
  }

  firstOpen(messageId: string): number | undefined {
    return this.#opens.get(messageId);
  }

  open(messageId: string, now: number): void {
    if (this.#opens.has(messageId)) return;
    this.#opens.set(messageId, now);
    trim(this.#opens);
  }
}

function trim(map: Map<string, unknown>): void {
  while (map.size > RECENT_LIMIT) {
    const oldest = map.keys().next().value;
    if (oldest === undefined) return;
    map.delete(oldest);
  }
}

/** Checks the token and records the click or open; 'invalid' / 'unauthorized' for a bad or forged token. */
export async function recordTrackingHit(
  db: Kysely<Database>,
  events: EventStore | undefined,
  recent: RecentActivity,
  secret: string,
  hit: TrackingHit,
): Promise<Result<TrackedHit>> {
  const target = verifyTrackingToken(hit.token, trackingSecret(secret));
  if (!target.ok) return target;
  if (target.value.kind !== hit.kind) {
    return err(problem('invalid', `this is not a ${hit.kind} tracking token`, 'token'));
  }
  const { workspaceId, messageId, url } = target.value;
  const message = await findMessage(db, workspaceId, { messageId });
  const sentAt = message ? (message.sent_at ?? message.committed_at ?? message.created_at) : hit.now;
  const opened = recent.firstOpen(messageId);
  const classification = classifyClick({
    kind: hit.kind,
    userAgent: hit.userAgent,
    ip: hit.ip,
    msSinceSent: hit.now - sentAt,
    ...(opened === undefined ? {} : { msSinceOpen: hit.now - opened }),
    sameMessageClicksInWindow: recent.clicksBefore(messageId, hit.now),
  });
  if (hit.kind === 'click') recent.click(messageId, hit.now);
  else if (classification.verdict === 'human') recent.open(messageId, hit.now);
  const base = { classification, ...(url === undefined ? {} : { url }) };
  if (!message) return ok({ ...base, recorded: false, statusChanged: false });
  const status = hit.kind === 'click' ? 'clicked' : 'opened';
  const statusChanged =
    classification.verdict === 'human' ? await moveStatus(db, message, status, hit.now) : false;
  await events?.append([hitEvent(message, hit, classification, url, statusChanged)]);
  return ok({ ...base, recorded: true, statusChanged });
}

function hitEvent(
  message: MessageRow,
  hit: TrackingHit,
  classification: Classification,
  url: string | undefined,
  statusChanged: boolean,
) {
  const status = hit.kind === 'click' ? 'clicked' : 'opened';
  return messageEvent(message, status, {
    id: reportEventId(
      JSON.stringify([message.id, status, hit.now, hit.ip, hit.userAgent ?? '', url ?? '']),
      hit.now,
    ),
    at: hit.now,
    now: hit.now,
    properties: {
      ...(url === undefined ? {} : { url }),
      classification: classification.verdict,
      classificationReason: classification.reason,
      userAgentFamily: userAgentFamily(hit.userAgent),
      bot: classification.verdict === 'bot',
      scanner: classification.verdict === 'scanner',
      statusChanged,
    },
    context: {
      bot: classification.verdict !== 'human',
      ...(hit.userAgent === undefined ? {} : { userAgent: hit.userAgent.slice(0, 1024) }),
    },
  });
}
