import { randomUUID } from 'node:crypto';
import type { EventContext, WaslEvent } from '@wasl/core';

/** Where an event happened: a site of a workspace, a visitor, a visit, and the visit's attributes. */
export interface VisitOf {
  workspaceId: string;
  siteId: string;
  visitor: string;
  session: string;
  /** Copied into every event of the visit, as the ingest enrichment does. */
  context?: EventContext;
  bot?: boolean;
}

const event = (
  visit: VisitOf,
  type: 'page' | 'track',
  name: string,
  at: string,
  context: EventContext,
  properties: Record<string, unknown> = {},
): WaslEvent => ({
  id: randomUUID(),
  workspaceId: visit.workspaceId,
  type,
  name,
  anonymousId: visit.visitor,
  contactId: null,
  occurredAt: new Date(at),
  receivedAt: new Date(at),
  properties,
  context: {
    ...visit.context,
    ...context,
    siteId: visit.siteId,
    sessionId: visit.session,
    ...(visit.bot ? { bot: true } : {}),
  },
});

/** A pageview of `path` at `at` (ISO, UTC). */
export const pageview = (visit: VisitOf, at: string, path: string): WaslEvent =>
  event(visit, 'page', '', at, { path, url: `https://roses.example${encodeURI(path)}` });

/** A custom event, on the page `path`. */
export const track = (
  visit: VisitOf,
  at: string,
  name: string,
  properties: Record<string, unknown> = {},
  path = '/',
): WaslEvent => event(visit, 'track', name, at, { path }, properties);

/** The tracker's engagement beacon: `engagedMs` of visible time on `path`. */
export const engagement = (visit: VisitOf, at: string, path: string, engagedMs: number): WaslEvent =>
  event(visit, 'track', '$engagement', at, { path, engagedMs });
