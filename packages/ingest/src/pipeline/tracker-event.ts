import { err, newId, ok, type Problem, problem, type Result, type WaslEvent } from '@wasl/core';
import { cleanText } from '../clean-text.ts';
import type { GeoDatabase } from '../geo.ts';
import { eventTime } from './event-time.ts';
import type { RequestFacts } from './request.ts';
import type { SaltSource } from './salts.ts';
import type { CollectSite } from './site.ts';
import type { TrackerPayload } from './tracker-payload.ts';
import type { VisitTracker } from './visit-tracker.ts';
import { consentVisitor, cookielessVisitor } from './visitor-id.ts';
import { webContext } from './web-context.ts';

/** What turning a payload into an event needs besides the payload and the request. */
export interface PipelineDeps {
  geo: GeoDatabase;
  salts: SaltSource;
  visits: VisitTracker;
  /** Ids for events that bring none (all tracker events); core's uuidv7 by default. */
  newId?: (now: number) => string;
}

const NAME_MAX = 200;

/** The name of the tracker's engagement beacons as `track` events; reports read `context.engagedMs` from them. */
export const ENGAGEMENT_EVENT = '$engagement';

/**
 * A validated tracker payload as a `WaslEvent`:
 *
 * | payload | event |
 * |---|---|
 * | `pageview` | `page`, name '', `context.title` |
 * | `event` (incl. `outbound`, `download`) | `track`, name = `name`, properties = `props` |
 * | `engagement` | `track` `$engagement`, `context.engagedMs` |
 * | `identify` (consent mode only) | `identify`, properties = `{ email? , contactId? }` |
 *
 * Every event gets the page (`url`, readable `path`), campaign, source and
 * medium, device, bot verdict, geo, the site, the visitor id (cookieless hash
 * or consent id, `context.identity` says which) and the visit. The event time
 * is the receive time (the tracker sends at once; see `eventTime`).
 *
 * Expected refusals: `url` not an absolute http(s) URL; `identify` without
 * `uid` (linking a person to a cookieless hash would undo its anonymity).
 */
export function eventFromTracker(
  payload: TrackerPayload,
  request: RequestFacts,
  site: CollectSite,
  deps: PipelineDeps,
): Result<WaslEvent, Problem> {
  const url = URL.parse(payload.url);
  if (url === null || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    return err(problem('invalid', 'url must be an absolute http(s) URL', 'url'));
  }
  if (payload.type === 'identify' && payload.uid === undefined) {
    return err(problem('invalid', 'uid is required: identify is accepted in consent mode only', 'uid'));
  }
  const eventName = payload.type === 'event' ? cleanText(payload.name, NAME_MAX) : '';
  if (eventName === undefined) return err(problem('invalid', 'name must not be empty', 'name'));
  const { receivedAt } = request;
  const time = eventTime({ receivedAt, happenedAt: payload.ts, sentAt: payload.ts, field: 'ts' });
  if (!time.ok) return time;
  const occurredAt = time.value;

  const visitor =
    payload.uid === undefined
      ? cookielessVisitor(site.id, request, deps.salts)
      : consentVisitor(site.id, payload.uid);
  const { context, botReason } = webContext(
    {
      url,
      title: payload.type === 'pageview' ? payload.title : undefined,
      referrer: payload.referrer,
      locale: payload.lang,
      screen: payload.screen,
    },
    {
      userAgent: request.userAgent,
      ip: request.ip,
      checkBot: true,
      webdriver: payload.webdriver,
      acceptLanguage: request.acceptLanguage,
    },
    deps.geo,
  );
  const engagedMs = payload.type === 'engagement' ? payload.engagedMs : undefined;
  const visit = deps.visits.assign({
    visitor: visitor.id,
    previous: visitor.previous,
    eventAt: occurredAt,
    engagedMs,
  });
  context.siteId = site.id;
  context.identity = visitor.mode;
  if (visit !== undefined) context.sessionId = visit.visitId;
  if (engagedMs !== undefined) context.engagedMs = engagedMs;

  const { type, name, properties } = shapeOf(payload, eventName);
  if (botReason !== undefined) properties.$botReason = botReason;
  return ok({
    id: (deps.newId ?? newId)(receivedAt),
    workspaceId: site.workspaceId,
    type,
    name,
    anonymousId: visitor.id,
    contactId: null,
    occurredAt: new Date(occurredAt),
    receivedAt: new Date(receivedAt),
    properties,
    context,
  });
}

function shapeOf(
  payload: TrackerPayload,
  eventName: string,
): Pick<WaslEvent, 'type' | 'name' | 'properties'> {
  switch (payload.type) {
    case 'pageview':
      return { type: 'page', name: '', properties: {} };
    case 'event':
      return { type: 'track', name: eventName, properties: { ...payload.props } };
    case 'engagement':
      return { type: 'track', name: ENGAGEMENT_EVENT, properties: {} };
    case 'identify':
      return { type: 'identify', name: '', properties: { ...payload.props } };
  }
}
