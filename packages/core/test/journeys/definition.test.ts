import { describe, expect, it } from 'vitest';
import {
  checkJourney,
  type JourneyDefinition,
  JourneyDefinitionSchema,
} from '../../src/journeys/definition.ts';

const channels = new Set(['email', 'sms']);

function parse(input: unknown): JourneyDefinition {
  const parsed = JourneyDefinitionSchema.safeParse(input);
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
}

const welcome = {
  trigger: { kind: 'event', event: { name: 'signed_up' } },
  start: 'hello',
  reentry: 'never',
  steps: {
    hello: { type: 'send', channel: 'email', templateId: 'tpl_1', next: 'pause' },
    pause: { type: 'wait', duration: { days: 2 }, next: 'opened' },
    opened: {
      type: 'branch',
      condition: { kind: 'consent', channel: 'sms', status: 'granted' },
      yes: 'sms',
      no: null,
    },
    sms: { type: 'send', channel: 'sms', templateId: 'tpl_2' },
  },
};

describe('journey definitions', () => {
  it('accepts a welcome series and finds nothing wrong with it', () => {
    expect(checkJourney(parse(welcome), { channels })).toEqual([]);
  });

  it('refuses bad shapes with the field at fault', () => {
    const bad = JourneyDefinitionSchema.safeParse({
      ...welcome,
      steps: { ...welcome.steps, pause: { type: 'wait', duration: {}, next: 'opened' } },
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['steps', 'pause', 'duration']);
    expect(bad.error?.issues[0]?.message).toBe('a duration is at least one minute');

    const split = JourneyDefinitionSchema.safeParse({
      ...welcome,
      steps: {
        hello: {
          type: 'split',
          paths: [
            { percent: 30, next: null },
            { percent: 60, next: null },
          ],
        },
      },
    });
    expect(split.error?.issues[0]?.message).toBe('the paths add up to 100 percent');
    expect(split.error?.issues[0]?.path).toEqual(['steps', 'hello', 'paths']);
  });

  it('names the step that goes nowhere, the step nobody reaches, and a send with no provider', () => {
    const d = parse({
      ...welcome,
      steps: {
        ...welcome.steps,
        sms: { type: 'send', channel: 'whatsapp', templateId: 'tpl_2', next: 'gone' },
        orphan: { type: 'score', points: 5 },
      },
    });
    expect(checkJourney(d, { channels })).toEqual([
      {
        code: 'invalid',
        field: 'steps.sms',
        stepId: 'sms',
        message: 'step "sms" goes to "gone", which does not exist',
      },
      {
        code: 'invalid',
        field: 'steps.sms.channel',
        stepId: 'sms',
        message: 'step "sms" sends whatsapp, but no whatsapp provider is configured',
      },
    ]);
    const orphan = parse({ ...welcome, steps: { ...welcome.steps, orphan: { type: 'score', points: 5 } } });
    expect(checkJourney(orphan, { channels })).toEqual([
      {
        code: 'invalid',
        field: 'steps.orphan',
        stepId: 'orphan',
        message: 'step "orphan" cannot be reached from the start',
      },
    ]);
  });

  it('refuses a loop with no wait, and accepts the same loop once it waits', () => {
    const spin = {
      ...welcome,
      start: 'a',
      steps: {
        a: { type: 'score', points: 1, next: 'b' },
        b: { type: 'goal', yes: null, no: 'c' },
        c: { type: 'send', channel: 'email', templateId: 't', next: 'a' },
      },
    };
    const faults = checkJourney(parse(spin), { channels });
    expect(faults).toEqual([
      {
        code: 'invalid',
        field: 'steps.a',
        stepId: 'a',
        message: 'steps "a" → "b" → "c" loop with no wait step: a contact would never stop',
      },
    ]);
    const waits = {
      ...spin,
      steps: {
        ...spin.steps,
        c: { type: 'send', channel: 'email', templateId: 't', next: 'w' },
        w: {
          type: 'wait_event',
          event: { name: 'purchased' },
          timeout: { days: 3 },
          next: null,
          timeoutNext: 'a',
        },
      },
    };
    expect(checkJourney(parse(waits), { channels })).toEqual([]);
  });

  it('refuses a start that names no step', () => {
    expect(checkJourney(parse({ ...welcome, start: 'nope' }), { channels })).toEqual([
      { code: 'invalid', field: 'start', message: 'start names the step "nope", which does not exist' },
    ]);
  });
});
