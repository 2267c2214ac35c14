/**
 * A journey as the marketer draws it: a trigger that lets a contact in, a
 * graph of steps the contact walks one at a time, and the rules for entering
 * again and leaving. One schema (zod) per version; the graph checks that zod
 * cannot express (a loop without a wait, a step nobody reaches, a missing
 * channel) are in `checkJourney`, each naming the step at fault.
 */
import { z } from 'zod';
import { CONSENT_CHANNELS } from '../audience/fields.ts';
import { FIELD_OPERATORS, OperandSchema, operandProblem } from '../segments/definition.ts';
import { STANDARD_FIELDS } from '../segments/fields.ts';

export const MAX_JOURNEY_STEPS = 200;

const StepId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'a step id is 1–64 letters, digits, "_" or "-"')
  .describe('A step id, unique in the journey');
/** The step that comes next; absent or null ends the journey for the contact. */
const Next = StepId.nullable().optional();

const CUSTOM_KEY = /^attributes\.[A-Za-z0-9_-]{1,64}$/;
const STANDARD = Object.keys(STANDARD_FIELDS);
const ContactField = z.string().refine((f) => STANDARD.includes(f) || CUSTOM_KEY.test(f), {
  message: `field must be one of ${STANDARD.join(', ')} or attributes.<key>`,
});

/** A test on one value: an event property (path `a` or `a.b`) or a contact field. */
const PropertyTest = z
  .object({
    path: z.string().regex(/^[^.]{1,100}(\.[^.]{1,100}){0,4}$/, 'path is a property name or a.b'),
    operator: z.enum(FIELD_OPERATORS),
    value: OperandSchema.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const problem = operandProblem(c.operator, c.value);
    if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
  });
export type PropertyTest = z.infer<typeof PropertyTest>;

/** An event named so, whose properties pass every test. */
const EventMatch = z
  .object({
    name: z.string().min(1).max(200),
    properties: z.array(PropertyTest).max(10).optional(),
  })
  .strict();
export type EventMatch = z.infer<typeof EventMatch>;

const Duration = z
  .object({
    days: z.number().int().min(0).max(3650).optional(),
    hours: z.number().int().min(0).max(10_000).optional(),
    minutes: z.number().int().min(0).max(100_000).optional(),
  })
  .strict()
  .refine((d) => (d.days ?? 0) + (d.hours ?? 0) + (d.minutes ?? 0) > 0, {
    message: 'a duration is at least one minute',
  });
export type Duration = z.infer<typeof Duration>;

export const durationMs = (d: Duration): number =>
  ((d.days ?? 0) * 1440 + (d.hours ?? 0) * 60 + (d.minutes ?? 0)) * 60_000;

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM (00:00–23:59)');

export const TriggerSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), event: EventMatch }).strict(),
  z
    .object({
      kind: z.literal('segment'),
      segmentId: z.string().min(1).max(64),
      on: z.enum(['enter', 'leave']),
    })
    .strict(),
  z
    .object({
      kind: z.literal('date'),
      /** A date field: birth_date or a custom date attribute. */
      field: z.string().refine((f) => f === 'birth_date' || CUSTOM_KEY.test(f), {
        message: 'field must be birth_date or attributes.<key> (a date attribute)',
      }),
      /** Days after the date (negative: before it). */
      offsetDays: z.number().int().min(-365).max(365),
      /** Local time of day in the contact's time zone. */
      at: ClockTime,
      /** Every year on the date (birthdays, renewals), or once. */
      yearly: z.boolean(),
    })
    .strict(),
  z.object({ kind: z.literal('form'), formId: z.string().min(1).max(64) }).strict(),
  z.object({ kind: z.literal('api') }).strict(),
]);
export type Trigger = z.infer<typeof TriggerSchema>;

/** What a branch asks about the contact. */
export const BranchConditionSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('attribute'),
      field: ContactField,
      operator: z.enum(FIELD_OPERATORS),
      value: OperandSchema.optional(),
    })
    .strict()
    .superRefine((c, ctx) => {
      const problem = operandProblem(c.operator, c.value);
      if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
    }),
  z
    .object({ kind: z.literal('segment'), segmentId: z.string().min(1).max(64), member: z.boolean() })
    .strict(),
  z
    .object({
      kind: z.literal('consent'),
      channel: z.enum(CONSENT_CHANNELS),
      status: z.enum(['granted', 'not_granted']),
    })
    .strict(),
]);
export type BranchCondition = z.infer<typeof BranchConditionSchema>;

export const SEND_CHANNELS = ['email', 'sms', 'whatsapp', 'webpush'] as const;
export type SendChannel = (typeof SEND_CHANNELS)[number];

const SendStep = z
  .object({
    type: z.literal('send'),
    channel: z.enum(SEND_CHANNELS),
    templateId: z.string().min(1).max(100),
    topicId: z.string().min(1).max(100).optional(),
    senderId: z.string().min(1).max(100).optional(),
    variables: z.record(z.string(), z.unknown()).optional(),
    /** Marketing (consent, caps, quiet hours apply) unless this is a receipt-like message. Default true. */
    marketing: z.boolean().optional(),
    next: Next,
  })
  .strict();

const WaitStep = z.object({ type: z.literal('wait'), duration: Duration, next: Next }).strict();

const WaitUntilStep = z
  .object({
    type: z.literal('wait_until'),
    /** Local time of day in the contact's time zone (else the workspace's). */
    at: ClockTime,
    /** ISO weekdays allowed (1 Monday … 7 Sunday); any day when absent. */
    weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7).optional(),
    next: Next,
  })
  .strict();

const WaitEventStep = z
  .object({
    type: z.literal('wait_event'),
    event: EventMatch,
    timeout: Duration,
    /** When the event comes in time. */
    next: Next,
    /** When the timeout passes first. */
    timeoutNext: Next,
  })
  .strict();

const BranchStep = z
  .object({ type: z.literal('branch'), condition: BranchConditionSchema, yes: Next, no: Next })
  .strict();

const SplitStep = z
  .object({
    type: z.literal('split'),
    paths: z
      .array(z.object({ percent: z.number().int().min(1).max(100), next: Next }).strict())
      .min(2)
      .max(10)
      .refine((p) => p.reduce((a, b) => a + b.percent, 0) === 100, {
        message: 'the paths add up to 100 percent',
      }),
  })
  .strict();

const UpdateStep = z
  .object({
    type: z.literal('update'),
    /** Custom attributes to set (validated against their definitions when published). */
    set: z
      .record(
        z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
        z.union([z.string(), z.number(), z.boolean(), z.null()]),
      )
      .optional(),
    addTags: z.array(z.string().min(1).max(100)).max(20).optional(),
    removeTags: z.array(z.string().min(1).max(100)).max(20).optional(),
    lifecycleStage: z.enum(['subscriber', 'lead', 'mql', 'sql', 'customer', 'evangelist']).optional(),
    next: Next,
  })
  .strict()
  .refine((s) => s.set !== undefined || s.addTags || s.removeTags || s.lifecycleStage, {
    message: 'an update step changes something: set, addTags, removeTags or lifecycleStage',
  });

const ScoreStep = z
  .object({
    type: z.literal('score'),
    points: z
      .number()
      .int()
      .min(-1000)
      .max(1000)
      .refine((n) => n !== 0),
    next: Next,
  })
  .strict();

const WebhookStep = z
  .object({
    type: z.literal('webhook'),
    /** One of the workspace's webhook endpoints; it receives a `journey.step` event. */
    endpointId: z.string().min(1).max(64),
    next: Next,
  })
  .strict();

/** Goal check: has the contact reached the journey's goal yet? */
const GoalStep = z.object({ type: z.literal('goal'), yes: Next, no: Next }).strict();

export const StepSchema = z.discriminatedUnion('type', [
  SendStep,
  WaitStep,
  WaitUntilStep,
  WaitEventStep,
  BranchStep,
  SplitStep,
  UpdateStep,
  ScoreStep,
  WebhookStep,
  GoalStep,
]);
export type Step = z.infer<typeof StepSchema>;
export type StepType = Step['type'];
export type SendStep = z.infer<typeof SendStep>;
export type WaitEventStep = z.infer<typeof WaitEventStep>;

export const ReentrySchema = z.union([
  z.literal('never'),
  z.literal('always'),
  z.object({ afterDays: z.number().int().min(1).max(3650) }).strict(),
]);
export type Reentry = z.infer<typeof ReentrySchema>;

export const JourneyDefinitionSchema = z
  .object({
    trigger: TriggerSchema,
    start: StepId,
    steps: z.record(StepId, StepSchema),
    reentry: ReentrySchema,
    /** The conversion the journey works towards: an event of the contact's after entering. */
    goal: z.object({ event: EventMatch }).strict().optional(),
    /** Leave as soon as the goal is reached (default true when a goal is set). */
    exitOnGoal: z.boolean().optional(),
    /** Leave when the contact unsubscribes from the channel of a send step (default true). */
    exitOnUnsubscribe: z.boolean().optional(),
    /** At most `count` messages to one contact from this journey per `days`. */
    frequencyCap: z
      .object({ count: z.number().int().min(1).max(1000), days: z.number().int().min(1).max(365) })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((d, ctx) => {
    const n = Object.keys(d.steps).length;
    if (n === 0)
      ctx.addIssue({ code: 'custom', path: ['steps'], message: 'a journey has at least one step' });
    if (n > MAX_JOURNEY_STEPS)
      ctx.addIssue({
        code: 'custom',
        path: ['steps'],
        message: `a journey has at most ${MAX_JOURNEY_STEPS} steps`,
      });
  });
export type JourneyDefinition = z.infer<typeof JourneyDefinitionSchema>;

/** Where each step can go next, in the order the step lists them. */
export function successors(step: Step): (string | null)[] {
  switch (step.type) {
    case 'branch':
      return [step.yes ?? null, step.no ?? null];
    case 'goal':
      return [step.yes ?? null, step.no ?? null];
    case 'wait_event':
      return [step.next ?? null, step.timeoutNext ?? null];
    case 'split':
      return step.paths.map((p) => p.next ?? null);
    default:
      return [step.next ?? null];
  }
}

/** Steps that hold the contact for some time: every loop must pass one. */
export const WAITING_STEPS: ReadonlySet<StepType> = new Set(['wait', 'wait_until', 'wait_event']);

/** A fault in a journey's graph, naming the step. */
export interface JourneyFault {
  code: 'invalid';
  message: string;
  field: string;
  stepId?: string;
}

export interface JourneyCheckContext {
  /** Channels this installation can deliver; a send on another is refused. */
  channels: ReadonlySet<string>;
}

/**
 * The checks a schema cannot make, in a stable order: references to steps
 * that do not exist, steps nobody reaches, loops with no wait (a contact
 * would spin forever), and sends on channels with no provider.
 */
export function checkJourney(d: JourneyDefinition, ctx: JourneyCheckContext): JourneyFault[] {
  const faults: JourneyFault[] = [];
  const ids = Object.keys(d.steps).sort();
  if (!d.steps[d.start])
    faults.push({
      code: 'invalid',
      field: 'start',
      message: `start names the step "${d.start}", which does not exist`,
    });
  for (const id of ids) {
    const step = d.steps[id] as Step;
    for (const next of successors(step)) {
      if (next !== null && !d.steps[next])
        faults.push({
          code: 'invalid',
          field: `steps.${id}`,
          stepId: id,
          message: `step "${id}" goes to "${next}", which does not exist`,
        });
    }
    if (step.type === 'send' && !ctx.channels.has(step.channel))
      faults.push({
        code: 'invalid',
        field: `steps.${id}.channel`,
        stepId: id,
        message: `step "${id}" sends ${step.channel}, but no ${step.channel} provider is configured`,
      });
  }
  if (faults.length > 0) return faults;

  const reached = new Set<string>();
  const stack = [d.start];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (reached.has(id)) continue;
    reached.add(id);
    for (const next of successors(d.steps[id] as Step)) if (next !== null) stack.push(next);
  }
  for (const id of ids)
    if (!reached.has(id))
      faults.push({
        code: 'invalid',
        field: `steps.${id}`,
        stepId: id,
        message: `step "${id}" cannot be reached from the start`,
      });

  // A loop without a waiting step: look for a cycle among the edges that leave non-waiting steps.
  const state = new Map<string, 1 | 2>();
  const path: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, 1);
    path.push(id);
    const step = d.steps[id] as Step;
    if (!WAITING_STEPS.has(step.type)) {
      for (const next of successors(step)) {
        if (next === null || WAITING_STEPS.has((d.steps[next] as Step).type)) continue;
        const s = state.get(next);
        if (s === 1) return path.slice(path.indexOf(next));
        if (s === undefined) {
          const cycle = visit(next);
          if (cycle) return cycle;
        }
      }
    }
    path.pop();
    state.set(id, 2);
    return null;
  };
  for (const id of ids) {
    if (state.has(id)) continue;
    const cycle = visit(id);
    if (cycle) {
      const first = [...cycle].sort()[0] as string;
      faults.push({
        code: 'invalid',
        field: `steps.${first}`,
        stepId: first,
        message: `steps ${cycle.map((s) => `"${s}"`).join(' → ')} loop with no wait step: a contact would never stop`,
      });
      break;
    }
  }
  return faults;
}
