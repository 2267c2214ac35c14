import { z } from 'zod';

/**
 * What the tracker POSTs to `/api/collect` (the contract is `Payload` in
 * `@wasl/tracker/payload`; a test checks the two agree). Strict: an unknown
 * field is a 400 naming it. Bounds are generous where the event schema is
 * tighter (titles, URLs are cut to fit later) and tight where a value is
 * stored as sent (names, property keys).
 */
const Base = {
  site: z.string().min(1).max(64).meta({ description: 'The site key (data-site)' }),
  url: z.string().min(1).max(8192).meta({ description: 'The page: an absolute http(s) URL' }),
  referrer: z.string().max(8192),
  lang: z.string().max(64),
  screen: z.string().max(32),
  webdriver: z.boolean(),
  ts: z.number().int().min(0).meta({
    description: "The browser's clock, ms since the epoch; not used as the event time (see the docs)",
  }),
  uid: z
    .string()
    .min(1)
    .max(128)
    .optional()
    .meta({ description: 'Consent mode only: the first-party id in localStorage.wasl_uid' }),
};

const PropValue = z.union([z.string().max(1024), z.number(), z.boolean(), z.null()]);

export const TrackerPageview = z.strictObject({
  ...Base,
  type: z.literal('pageview'),
  title: z.string().max(8192).optional(),
});
export const TrackerCustomEvent = z.strictObject({
  ...Base,
  type: z.literal('event'),
  name: z.string().min(1).max(200),
  props: z.record(z.string().max(200), PropValue).optional(),
});
export const TrackerEngagement = z.strictObject({
  ...Base,
  type: z.literal('engagement'),
  engagedMs: z.number().int().min(0).max(86_400_000),
});
export const TrackerIdentify = z.strictObject({
  ...Base,
  type: z.literal('identify'),
  props: z.strictObject({
    email: z.string().max(254).optional(),
    contactId: z.string().max(128).optional(),
  }),
});

export const TrackerPayloadSchema = z
  .discriminatedUnion('type', [TrackerPageview, TrackerCustomEvent, TrackerEngagement, TrackerIdentify])
  .meta({ id: 'TrackerPayload', description: 'One tracker payload (packages/tracker/src/payload.ts)' });

export type TrackerPayload = z.infer<typeof TrackerPayloadSchema>;
