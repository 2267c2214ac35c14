import { z } from 'zod';
import { CONSENT_CHANNELS } from '../audience/fields.ts';
import { ACCOUNT_FIELDS, STANDARD_FIELDS } from './fields.ts';

/** Groups nest at most this deep (the root is depth 1); referenced segments count. */
export const MAX_SEGMENT_DEPTH = 5;
/** Conditions (not groups) in one definition, referenced segments included. */
export const MAX_SEGMENT_CONDITIONS = 50;

export const FIELD_OPERATORS = [
  'eq',
  'neq',
  'in',
  'not_in',
  'contains',
  'not_contains',
  'starts_with',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'is_set',
  'is_not_set',
  'within_last_days',
  'more_than_days_ago',
  'has_any',
  'has_all',
] as const;
export type FieldOperator = (typeof FIELD_OPERATORS)[number];

const Scalar = z.union([z.string().max(1000), z.number(), z.boolean()]);
const ScalarList = z
  .array(z.union([z.string().max(1000), z.number()]))
  .min(1)
  .max(500);
export const OperandSchema = z.union([Scalar, ScalarList]);
export type Operand = z.infer<typeof OperandSchema>;

/** The operand shape each operator takes: null means none. */
export function operandProblem(operator: FieldOperator, value: unknown): string | null {
  switch (operator) {
    case 'is_set':
    case 'is_not_set':
      return value === undefined ? null : `${operator} takes no value`;
    case 'in':
    case 'not_in':
    case 'has_any':
    case 'has_all':
      return Array.isArray(value) && value.length > 0 ? null : `${operator} takes a non-empty list of values`;
    case 'between':
      return Array.isArray(value) && value.length === 2 && typeof value[0] === typeof value[1]
        ? null
        : 'between takes [min, max]';
    case 'within_last_days':
    case 'more_than_days_ago':
      return Number.isSafeInteger(value) && (value as number) >= 0
        ? null
        : `${operator} takes a whole number of days`;
    default:
      return value === undefined || Array.isArray(value) ? `${operator} takes one value` : null;
  }
}

const CUSTOM_KEY = /^attributes\.[A-Za-z0-9_-]{1,64}$/;
const STANDARD = Object.keys(STANDARD_FIELDS);

function operand<T extends { operator: FieldOperator; value?: unknown }>(c: T, ctx: z.RefinementCtx): void {
  const problem = operandProblem(c.operator, c.value);
  if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
}

const AttributeCondition = z
  .object({
    kind: z.literal('attribute'),
    field: z.string().refine((f) => STANDARD.includes(f) || CUSTOM_KEY.test(f), {
      message: `field must be one of ${STANDARD.join(', ')} or attributes.<key>`,
    }),
    operator: z.enum(FIELD_OPERATORS),
    value: OperandSchema.optional(),
  })
  .strict()
  .superRefine(operand);

const AccountCondition = z
  .object({
    kind: z.literal('account'),
    field: z.string().refine((f) => (ACCOUNT_FIELDS as readonly string[]).includes(f) || CUSTOM_KEY.test(f), {
      message: `field must be one of ${ACCOUNT_FIELDS.join(', ')} or attributes.<key>`,
    }),
    operator: z.enum(FIELD_OPERATORS),
    value: OperandSchema.optional(),
  })
  .strict()
  .superRefine(operand);

const ConsentCondition = z
  .object({
    kind: z.literal('consent'),
    channel: z.enum(CONSENT_CHANNELS).optional(),
    topic: z.string().min(1).max(64).optional(),
    status: z.enum(['granted', 'not_granted']),
  })
  .strict()
  .refine((c) => (c.channel === undefined) !== (c.topic === undefined), {
    message: 'consent takes exactly one of channel or topic',
  });

const IsoInstant = z.iso.datetime({ offset: true });
export const WindowSchema = z.union([
  z.object({ lastDays: z.number().int().min(1).max(3650) }).strict(),
  z.object({ from: IsoInstant, to: IsoInstant }).strict(),
]);
export type Window = z.infer<typeof WindowSchema>;

export const CountSchema = z
  .object({ op: z.enum(['at_least', 'at_most', 'exactly']), value: z.number().int().min(0).max(1_000_000) })
  .strict();
export type Count = z.infer<typeof CountSchema>;

const PropertyFilter = z
  .object({
    path: z.string().regex(/^[^.]{1,100}(\.[^.]{1,100}){0,4}$/, 'path is a property name or a.b'),
    operator: z.enum(FIELD_OPERATORS),
    value: OperandSchema.optional(),
  })
  .strict()
  .superRefine(operand);
export type PropertyFilter = z.infer<typeof PropertyFilter>;

const EventCondition = z
  .object({
    kind: z.literal('event'),
    type: z.enum(['track', 'page', 'identify']).optional(),
    name: z.string().min(1).max(200).optional(),
    did: z.boolean(),
    count: CountSchema.optional(),
    window: WindowSchema.optional(),
    properties: z.array(PropertyFilter).max(10).optional(),
  })
  .strict()
  .refine((c) => (c.type ?? 'track') !== 'track' || c.name !== undefined, {
    message: 'a track event condition names the event',
    path: ['name'],
  });

const PageCondition = z
  .object({
    kind: z.literal('page'),
    path: z
      .object({ op: z.enum(['equals', 'starts_with', 'contains', 'matches']), value: z.string().max(2048) })
      .strict(),
    did: z.boolean(),
    count: CountSchema.optional(),
    window: WindowSchema.optional(),
  })
  .strict();

export const MESSAGE_ACTIONS = [
  'received',
  'opened',
  'clicked',
  'bounced',
  'complained',
  'unsubscribed',
] as const;
export const MESSAGE_CHANNELS = ['email', 'sms', 'whatsapp', 'webpush', 'webhook'] as const;
const MessageCondition = z
  .object({
    kind: z.literal('message'),
    action: z.enum(MESSAGE_ACTIONS),
    channel: z.enum(MESSAGE_CHANNELS).optional(),
    campaignId: z.string().min(1).max(64).optional(),
    did: z.boolean(),
    count: CountSchema.optional(),
    window: WindowSchema.optional(),
  })
  .strict();

const ComputedCondition = z
  .object({
    kind: z.literal('computed'),
    metric: z.enum(['last_seen', 'visit_count', 'total_revenue', 'lead_score']),
    operator: z.enum(['gt', 'gte', 'lt', 'lte', 'eq', 'between', 'within_last_days', 'more_than_days_ago']),
    value: z.union([z.number(), z.tuple([z.number(), z.number()])]),
    window: WindowSchema.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const days = c.operator === 'within_last_days' || c.operator === 'more_than_days_ago';
    if (days !== (c.metric === 'last_seen')) {
      ctx.addIssue({
        code: 'custom',
        path: ['operator'],
        message:
          c.metric === 'last_seen'
            ? 'last_seen takes within_last_days or more_than_days_ago'
            : `${c.metric} takes gt, gte, lt, lte, eq or between`,
      });
    }
    const problem = operandProblem(c.operator, c.value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
  });

const SegmentRefCondition = z
  .object({ kind: z.literal('segment'), segmentId: z.string().min(1).max(64), member: z.boolean() })
  .strict();
const ListCondition = z
  .object({ kind: z.literal('list'), listId: z.string().min(1).max(64), member: z.boolean() })
  .strict();

export const ConditionSchema = z.discriminatedUnion('kind', [
  AttributeCondition,
  AccountCondition,
  ConsentCondition,
  EventCondition,
  PageCondition,
  MessageCondition,
  ComputedCondition,
  SegmentRefCondition,
  ListCondition,
]);
export type Condition = z.infer<typeof ConditionSchema>;
export type AttributeCondition = z.infer<typeof AttributeCondition>;
export type AccountCondition = z.infer<typeof AccountCondition>;
export type ConsentCondition = z.infer<typeof ConsentCondition>;
export type EventCondition = z.infer<typeof EventCondition>;
export type PageCondition = z.infer<typeof PageCondition>;
export type MessageCondition = z.infer<typeof MessageCondition>;
export type ComputedCondition = z.infer<typeof ComputedCondition>;
export type SegmentRefCondition = z.infer<typeof SegmentRefCondition>;
export type ListCondition = z.infer<typeof ListCondition>;
export const CONDITION_KINDS = ConditionSchema.options.map((o) => o.shape.kind.value);

export interface Group {
  match: 'all' | 'any';
  negate?: boolean | undefined;
  conditions: (Group | Condition)[];
}

export const GroupSchema: z.ZodType<Group> = z
  .object({
    match: z.enum(['all', 'any']),
    negate: z.boolean().optional(),
    get conditions() {
      return z.array(z.union([GroupSchema, ConditionSchema])).max(MAX_SEGMENT_CONDITIONS);
    },
  })
  .strict();

export const SegmentDefinitionSchema = z.object({ root: GroupSchema }).strict();
export interface SegmentDefinition {
  root: Group;
}

export const isGroup = (node: Group | Condition): node is Group => !('kind' in node);
