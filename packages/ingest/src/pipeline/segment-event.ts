import { createHash } from 'node:crypto';
import { err, newId, ok, type Problem, problem, type Result, type WaslEvent } from '@wasl/core';
import { cleanText } from '../clean-text.ts';
import { eventTime } from './event-time.ts';
import type { RequestFacts } from './request.ts';
import type { SegmentContext, SegmentMessage } from './segment-message.ts';
import type { CollectSite } from './site.ts';
import type { PipelineDeps } from './tracker-event.ts';
import { type PageFacts, webContext } from './web-context.ts';

const ID_MAX = 128;
const NAME_MAX = 200;
const EVENT_ID_MAX = 64;

/**
 * A validated Segment message as a `WaslEvent`, the way Segment's spec
 * defines each call:
 *
 * | call | event |
 * |---|---|
 * | `track` | `track`, name = `event`, properties |
 * | `page` | `page`, name = `name` or '', properties; page fields from `properties` or `context.page` |
 * | `identify` | `identify`, properties = `traits` |
 * | `group` | `group`, properties = `{ groupId, traits }` |
 * | `alias` | `alias`, properties = `{ previousId }` |
 *
 * `anonymousId` is kept as sent (the sender's own first-party id, so
 * `context.identity` is 'consent'); `userId` becomes `contactId`. `messageId`
 * becomes the event id (SHA-256 in hex when longer than 64 characters), so a
 * re-sent message is stored once; without one the event gets a fresh uuidv7.
 * The time follows `eventTime`: `originalTimestamp` (else `timestamp`)
 * corrected by `sentAt`.
 *
 * Enrichment: page and campaign (`context.campaign` wins over the URL's UTM
 * tags), device and bot verdict from `context.userAgent` when present (a
 * server-side event without one is not judged a bot), geo from `context.ip`,
 * else from the request's address when the message has a user agent (a browser
 * or app sent it directly). Neither address is stored. A message joins its
 * sender's open visit; only a `page` or a message with a user agent starts one.
 */
export function eventFromSegment(
  input: SegmentMessage,
  request: RequestFacts,
  site: CollectSite,
  deps: PipelineDeps,
): Result<WaslEvent, Problem> {
  const { message } = input;
  const anonymousId = idText(message.anonymousId);
  const userId = idText(message.userId);
  if (input.type === 'alias' && userId === undefined) {
    return err(problem('invalid', 'userId is required for alias', 'userId'));
  }
  if (anonymousId === undefined && userId === undefined) {
    return err(problem('invalid', 'anonymousId or userId is required', 'anonymousId'));
  }
  const time = timeOf(message, request.receivedAt);
  if (!time.ok) return time;
  const occurredAt = time.value;

  const shape = shapeOf(input);
  if (!shape.ok) return shape;
  const ctx = message.context;
  const userAgent = cleanText(ctx?.userAgent, 2048);
  const geoIp = ctx?.ip ?? (userAgent === undefined ? undefined : request.ip);
  const { context, botReason } = webContext(
    pageFacts(input, ctx),
    { userAgent, ip: geoIp, checkBot: userAgent !== undefined },
    deps.geo,
  );
  const visit = deps.visits.assign({
    visitor: `${site.id}\u0000${anonymousId ?? `user\u0000${userId}`}`,
    eventAt: occurredAt,
    startsVisit: input.type === 'page' || userAgent !== undefined,
  });
  context.siteId = site.id;
  context.identity = 'consent';
  if (visit !== undefined) context.sessionId = visit.visitId;
  const { type, name, properties } = shape.value;
  if (botReason !== undefined) properties.$botReason = botReason;

  return ok({
    id: eventIdOf(message.messageId) ?? (deps.newId ?? newId)(request.receivedAt),
    workspaceId: site.workspaceId,
    type,
    name,
    anonymousId: anonymousId ?? null,
    contactId: userId ?? null,
    occurredAt: new Date(occurredAt),
    receivedAt: new Date(request.receivedAt),
    properties,
    context,
  });
}

/** Segment message ids are often longer than the store's 64-character ids: long ones are hashed, deterministically. */
export function eventIdOf(messageId: string | undefined): string | undefined {
  if (messageId === undefined || messageId === '') return undefined;
  return messageId.length <= EVENT_ID_MAX ? messageId : createHash('sha256').update(messageId).digest('hex');
}

function idText(id: string | number | undefined): string | undefined {
  if (id === undefined) return undefined;
  return cleanText(String(id), ID_MAX);
}

interface Timed {
  timestamp?: string;
  originalTimestamp?: string;
  sentAt?: string;
}

function timeOf(message: Timed, receivedAt: number): Result<number, Problem> {
  const field = message.originalTimestamp !== undefined ? 'originalTimestamp' : 'timestamp';
  const happenedText = message.originalTimestamp ?? message.timestamp;
  const happenedAt = happenedText === undefined ? undefined : Date.parse(happenedText);
  if (happenedAt !== undefined && Number.isNaN(happenedAt)) {
    return err(problem('invalid', `${field} is not an ISO 8601 date-time`, field));
  }
  const sentAt = message.sentAt === undefined ? undefined : Date.parse(message.sentAt);
  if (sentAt !== undefined && Number.isNaN(sentAt)) {
    return err(problem('invalid', 'sentAt is not an ISO 8601 date-time', 'sentAt'));
  }
  return eventTime({ receivedAt, happenedAt, sentAt, field });
}

function shapeOf(input: SegmentMessage): Result<Pick<WaslEvent, 'type' | 'name' | 'properties'>, Problem> {
  switch (input.type) {
    case 'track': {
      const name = cleanText(input.message.event, NAME_MAX);
      if (name === undefined) return err(problem('invalid', 'event must not be empty', 'event'));
      return ok({ type: 'track', name, properties: { ...input.message.properties } });
    }
    case 'page':
      return ok({
        type: 'page',
        name: cleanText(input.message.name, NAME_MAX) ?? '',
        properties: { ...input.message.properties },
      });
    case 'identify':
      return ok({ type: 'identify', name: '', properties: { ...input.message.traits } });
    case 'group':
      return ok({
        type: 'group',
        name: '',
        properties: { groupId: String(input.message.groupId), traits: { ...input.message.traits } },
      });
    case 'alias':
      return ok({ type: 'alias', name: '', properties: { previousId: String(input.message.previousId) } });
  }
}

const stringAt = (record: Record<string, unknown> | undefined, key: string): string | undefined => {
  const value = record?.[key];
  return typeof value === 'string' ? value : undefined;
};

function pageFacts(input: SegmentMessage, ctx: SegmentContext | undefined): PageFacts {
  // A page call's own properties describe the page; other calls only have context.page.
  const props = input.type === 'page' ? input.message.properties : undefined;
  const page = ctx?.page;
  const href = stringAt(props, 'url') ?? page?.url;
  const parsed = href === undefined ? null : URL.parse(href);
  const facts: PageFacts = {
    path: stringAt(props, 'path') ?? page?.path,
    title: stringAt(props, 'title') ?? page?.title,
    referrer: stringAt(props, 'referrer') ?? page?.referrer,
    locale: ctx?.locale,
  };
  if (parsed !== null && (parsed.protocol === 'https:' || parsed.protocol === 'http:')) facts.url = parsed;
  const { width, height } = ctx?.screen ?? {};
  if (width !== undefined && height !== undefined) facts.screen = `${width}x${height}`;
  const campaign = ctx?.campaign;
  if (campaign !== undefined) {
    facts.utm = {
      source: campaign.source,
      medium: campaign.medium,
      campaign: campaign.name,
      term: campaign.term,
      content: campaign.content,
    };
  }
  return facts;
}
