import { z } from 'zod';

/**
 * Segment's message shapes (the HTTP Tracking API spec that Segment's and
 * RudderStack's SDKs send). Loose: fields Wasl does not read (`integrations`,
 * `_metadata`, `channel`, `version`…) are accepted and ignored, as Segment
 * does. Only the fields Wasl stores are typed and bounded.
 */
const Id = z.union([z.string().min(1).max(128), z.number()]);
const Time = z.string().max(64).meta({ description: 'ISO 8601 date-time' });
const Text = z.string().max(8192);
const Props = z.record(z.string(), z.unknown());

export const SegmentContextSchema = z.looseObject({
  ip: z
    .string()
    .max(64)
    .optional()
    .meta({ description: "The person's IP address, for geo only; never stored" }),
  userAgent: z.string().max(2048).optional(),
  locale: z.string().max(64).optional(),
  page: z
    .looseObject({
      url: Text.optional(),
      path: Text.optional(),
      title: Text.optional(),
      referrer: Text.optional(),
      search: Text.optional(),
    })
    .optional(),
  campaign: z
    .looseObject({
      name: Text.optional(),
      source: Text.optional(),
      medium: Text.optional(),
      term: Text.optional(),
      content: Text.optional(),
    })
    .optional(),
  screen: z.looseObject({ width: z.number().optional(), height: z.number().optional() }).optional(),
});

const Common = {
  messageId: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: 'Deduplication key: becomes the event id' }),
  anonymousId: Id.optional(),
  userId: Id.optional(),
  timestamp: Time.optional(),
  originalTimestamp: Time.optional(),
  sentAt: Time.optional(),
  context: SegmentContextSchema.optional(),
  writeKey: z
    .string()
    .max(200)
    .optional()
    .meta({ description: 'The write key, for senders that cannot set Basic auth' }),
};

export const SegmentTrackSchema = z
  .looseObject({
    ...Common,
    type: z.literal('track').optional(),
    event: z.string().min(1).max(200),
    properties: Props.optional(),
  })
  .meta({ id: 'SegmentTrack' });
export const SegmentPageSchema = z
  .looseObject({
    ...Common,
    type: z.literal('page').optional(),
    name: z.string().max(200).optional(),
    category: z.string().max(200).optional(),
    properties: Props.optional(),
  })
  .meta({ id: 'SegmentPage' });
export const SegmentIdentifySchema = z
  .looseObject({ ...Common, type: z.literal('identify').optional(), traits: Props.optional() })
  .meta({ id: 'SegmentIdentify' });
export const SegmentGroupSchema = z
  .looseObject({ ...Common, type: z.literal('group').optional(), groupId: Id, traits: Props.optional() })
  .meta({ id: 'SegmentGroup' });
export const SegmentAliasSchema = z
  .looseObject({ ...Common, type: z.literal('alias').optional(), previousId: Id })
  .meta({ id: 'SegmentAlias' });

/** The message schema of each Segment call Wasl accepts (`screen` is not one of them). */
export const SEGMENT_SCHEMAS = {
  track: SegmentTrackSchema,
  page: SegmentPageSchema,
  identify: SegmentIdentifySchema,
  group: SegmentGroupSchema,
  alias: SegmentAliasSchema,
} as const;
export type SegmentType = keyof typeof SEGMENT_SCHEMAS;
export const SEGMENT_TYPES = Object.keys(SEGMENT_SCHEMAS) as SegmentType[];

export type SegmentTrack = z.infer<typeof SegmentTrackSchema>;
export type SegmentPage = z.infer<typeof SegmentPageSchema>;
export type SegmentIdentify = z.infer<typeof SegmentIdentifySchema>;
export type SegmentGroup = z.infer<typeof SegmentGroupSchema>;
export type SegmentAlias = z.infer<typeof SegmentAliasSchema>;
export type SegmentContext = z.infer<typeof SegmentContextSchema>;

/** One message with its call, as the pipeline takes it. */
export type SegmentMessage =
  | { type: 'track'; message: SegmentTrack }
  | { type: 'page'; message: SegmentPage }
  | { type: 'identify'; message: SegmentIdentify }
  | { type: 'group'; message: SegmentGroup }
  | { type: 'alias'; message: SegmentAlias };

/**
 * `/v1/batch`: messages are checked one by one (see `parseSegmentBatchMessage`),
 * so one bad message does not cost the others. `context` at the batch level
 * applies to every message (a message's own fields win); `sentAt` too.
 */
export const SegmentBatchSchema = z
  .looseObject({
    batch: z.array(z.unknown()).max(10_000),
    sentAt: Time.optional(),
    context: Props.optional(),
    writeKey: Common.writeKey,
  })
  .meta({ id: 'SegmentBatch' });
export type SegmentBatch = z.infer<typeof SegmentBatchSchema>;
