import { z } from 'zod';

/**
 * One fact in the log. The shape follows Segment's spec (page, track, identify,
 * alias, group) plus Wasl's `message.*` events for deliveries. Every report,
 * segment and journey trigger reads these, so numbers agree everywhere.
 */
export const EVENT_TYPES = ['page', 'track', 'identify', 'alias', 'group', 'message'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const UtmSchema = z
  .object({
    source: z.string().max(200).optional(),
    medium: z.string().max(200).optional(),
    campaign: z.string().max(200).optional(),
    term: z.string().max(200).optional(),
    content: z.string().max(200).optional(),
  })
  .strict();

export const EventContextSchema = z
  .object({
    url: z.string().max(4096).optional(),
    path: z.string().max(2048).optional(),
    title: z.string().max(1024).optional(),
    referrer: z.string().max(4096).optional(),
    utm: UtmSchema.optional(),
    clickId: z.string().max(512).optional(),
    locale: z.string().max(35).optional(),
    userAgent: z.string().max(1024).optional(),
    device: z
      .object({
        type: z.string().max(32).optional(),
        browser: z.string().max(64).optional(),
        os: z.string().max(64).optional(),
        screen: z.string().max(32).optional(),
      })
      .strict()
      .optional(),
    geo: z
      .object({
        country: z.string().length(2).optional(),
        region: z.string().max(64).optional(),
        city: z.string().max(128).optional(),
      })
      .strict()
      .optional(),
    source: z.string().max(200).optional(),
    medium: z.string().max(200).optional(),
    /** The visit (30 minutes of inactivity end one); analytics calls it a visit, Segment a session. */
    sessionId: z.string().max(64).optional(),
    bot: z.boolean().optional(),
    /** The tracked site (sites.id) for web analytics events. */
    siteId: z.string().max(64).optional(),
    /** Host of `referrer`, lower case, without `www.`; what the referrers report groups by. */
    referrerHost: z.string().max(255).optional(),
    /** How the visitor id was made: a daily-salted hash, or the first-party id kept with consent. */
    identity: z.enum(['cookieless', 'consent']).optional(),
    /** Visible time on the page, for `track` events named `$engagement` (the tracker's engagement beacons). */
    engagedMs: z.number().int().min(0).max(86_400_000).optional(),
  })
  .strict();
export type EventContext = z.infer<typeof EventContextSchema>;

const JsonRecord = z.record(z.string(), z.unknown());

export const WaslEventSchema = z
  .object({
    /** Unique per fact: re-delivering the same id is a no-op. */
    id: z.string().min(1).max(64),
    workspaceId: z.string().min(1).max(64),
    type: z.enum(EVENT_TYPES),
    /** `track`: the event name; `page`: page name or ''; `message`: e.g. 'message.delivered'. */
    name: z.string().max(200),
    anonymousId: z.string().max(128).nullable(),
    contactId: z.string().max(128).nullable(),
    occurredAt: z.date(),
    receivedAt: z.date(),
    properties: JsonRecord,
    context: EventContextSchema,
  })
  .strict()
  .refine((e) => e.anonymousId !== null || e.contactId !== null, {
    message: 'an event needs anonymousId or contactId',
    path: ['anonymousId'],
  });

export type WaslEvent = z.infer<typeof WaslEventSchema>;
