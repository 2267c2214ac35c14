/**
 * Journeys through the services: publish checks, an event lets a contact in
 * once, the executor queues the step's message and rests the contact in a
 * wait (a due time in the table), travels two days on the test clock, and
 * counts every step once.
 */
import { newId, type WaslEvent } from '@wasl/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createContact } from '../../src/services/contacts.ts';
import { JourneyExecutor } from '../../src/services/journeys/executor.ts';
import { createJourney, journeyStats, publishJourney } from '../../src/services/journeys/journeys.ts';
import { JourneyTriggers } from '../../src/services/journeys/triggers.ts';
import { VersionCache } from '../../src/services/journeys/versions.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { type Team, team } from '../helpers/people.ts';

const DAY = 86_400_000;

describeEachEngine('journeys: publish, enter, send, wait, finish', (engine) => {
  let t: TestApp;
  let crew: Team;
  let ws: string;
  let contactId: string;
  let templateId: string;
  const errors: unknown[] = [];

  beforeAll(async () => {
    t = await startTestApp(engine);
    crew = await team(t, 'رحلات');
    ws = crew.workspace.id;
    const made = await createContact(t.db, {
      workspaceId: ws,
      input: { email: 'noura@example.test', firstName: 'نورة' },
      now: t.clock.now,
    });
    if (!made.ok) throw new Error(made.error.message);
    contactId = made.value.contact.id;
    templateId = newId(t.clock.now);
    await t.db
      .insertInto('message_templates')
      .values({
        id: templateId,
        workspace_id: ws,
        channel: 'email',
        name: 'أهلًا',
        subject: 'أهلًا {{ contact.first_name }}',
        body: '<mjml><mj-body><mj-section><mj-column><mj-text>مرحبًا</mj-text></mj-column></mj-section></mj-body></mjml>',
        dir: 'rtl',
        lang: 'ar',
        settings: '{}',
        version: 1,
        created_at: t.clock.now,
        updated_at: t.clock.now,
      })
      .execute();
  });
  afterAll(() => t.close());

  const actor = () => ({ type: 'user' as const, id: crew.users.owner.id });
  const signedUp = (id: string): WaslEvent => ({
    id,
    workspaceId: ws,
    type: 'track',
    name: 'signed_up',
    anonymousId: null,
    contactId,
    occurredAt: new Date(t.clock.now),
    receivedAt: new Date(t.clock.now),
    properties: { plan: 'pro' },
    context: {},
  });

  it('refuses to publish a journey whose step nobody reaches, naming the step', async () => {
    const made = await createJourney(t.db, {
      workspaceId: ws,
      name: 'مسودة ناقصة',
      definition: {
        trigger: { kind: 'api' },
        start: 'a',
        reentry: 'never',
        steps: {
          a: { type: 'send', channel: 'email', templateId },
          lost: { type: 'send', channel: 'email', templateId: 'no-such-template' },
        },
      },
      actor: actor(),
      now: t.clock.now,
    });
    if (!made.ok) throw new Error(made.error.message);
    const published = await publishJourney(t.db, {
      workspaceId: ws,
      id: made.value.id,
      channels: new Set(['email']),
      actor: actor(),
      now: t.clock.now,
    });
    expect(published.ok).toBe(false);
    if (published.ok) return;
    expect(published.error.faults?.map((f) => [f.field, f.message])).toEqual([
      ['steps.lost', 'step "lost" cannot be reached from the start'],
      ['steps.lost.templateId', 'step "lost" sends the template "no-such-template", which does not exist'],
    ]);
  });

  it('lets a contact in once per event, queues its email, waits two days, then finishes', async () => {
    const made = await createJourney(t.db, {
      workspaceId: ws,
      name: 'سلسلة الترحيب',
      definition: {
        trigger: {
          kind: 'event',
          event: { name: 'signed_up', properties: [{ path: 'plan', operator: 'eq', value: 'pro' }] },
        },
        start: 'hello',
        reentry: 'never',
        steps: {
          hello: { type: 'send', channel: 'email', templateId, next: 'pause' },
          pause: { type: 'wait', duration: { days: 2 }, next: 'sms' },
          sms: {
            type: 'branch',
            condition: { kind: 'consent', channel: 'sms', status: 'granted' },
            yes: 'tag',
            no: null,
          },
          tag: { type: 'update', addTags: ['sms-ok'] },
        },
      },
      actor: actor(),
      now: t.clock.now,
    });
    if (!made.ok) throw new Error(made.error.message);
    const journeyId = made.value.id;
    const published = await publishJourney(t.db, {
      workspaceId: ws,
      id: journeyId,
      channels: new Set(['email']),
      actor: actor(),
      now: t.clock.now,
    });
    expect(published.ok && published.value.version).toBe(1);

    const versions = new VersionCache(t.db);
    const clock = () => t.clock.now;
    const triggers = new JourneyTriggers({ db: t.db, versions, clock, onError: (e) => errors.push(e) });
    const executor = new JourneyExecutor({
      db: t.db,
      dialect: t.oltp.dialect,
      versions,
      clock,
      onError: (e) => errors.push(e),
    });

    const first = newId(t.clock.now);
    await triggers.eventsStored([signedUp(first), signedUp(first)]);
    await triggers.eventsStored([signedUp(newId(t.clock.now))]); // re-entry 'never', and already inside
    const enrollments = await t.db
      .selectFrom('journey_enrollments')
      .selectAll()
      .where('journey_id', '=', journeyId)
      .execute();
    expect(enrollments).toHaveLength(1);
    const enrollment = enrollments[0];
    expect(enrollment?.trigger_key).toBe(`event:${first}`);

    expect(await executor.runDue()).toBe(1);
    const messages = await t.db
      .selectFrom('messages')
      .selectAll()
      .where('source_id', '=', journeyId)
      .execute();
    expect(
      messages.map((m) => [m.idempotency_key, m.channel, m.contact_id, m.source_kind, m.status]),
    ).toEqual([[`journey:${enrollment?.id}:1`, 'email', contactId, 'journey', 'queued']]);
    const resting = await t.db
      .selectFrom('journey_enrollments')
      .selectAll()
      .where('journey_id', '=', journeyId)
      .executeTakeFirstOrThrow();
    expect([
      resting.step_id,
      resting.phase,
      Number(resting.due_at),
      resting.seq,
      resting.lease_until,
    ]).toEqual(['pause', 'sleep', t.clock.now + 2 * DAY, 2, null]);
    // Nothing is due before the two days are up.
    t.clock.now += 2 * DAY - 60_000;
    expect(await executor.runDue()).toBe(0);
    t.clock.now += 60_000;
    expect(await executor.runDue()).toBe(1);

    const done = await t.db
      .selectFrom('journey_enrollments')
      .selectAll()
      .where('journey_id', '=', journeyId)
      .executeTakeFirstOrThrow();
    expect([done.status, done.step_id, done.due_at, done.seq]).toEqual(['completed', null, null, 3]);
    const steps = await t.db
      .selectFrom('journey_steps')
      .select(['seq', 'step_id', 'outcome'])
      .where('enrollment_id', '=', done.id)
      .orderBy('seq')
      .execute();
    expect(steps).toEqual([
      { seq: 1, step_id: 'hello', outcome: 'sent' },
      { seq: 2, step_id: 'pause', outcome: 'waiting' },
      { seq: 3, step_id: 'sms', outcome: 'done' },
    ]);
    // Still one message: the email step ran once.
    expect(
      await t.db.selectFrom('messages').select('id').where('source_id', '=', journeyId).execute(),
    ).toHaveLength(1);

    const row = await t.db
      .selectFrom('journeys')
      .selectAll()
      .where('id', '=', journeyId)
      .executeTakeFirstOrThrow();
    const stats = await journeyStats(t.db, ws, row);
    expect(stats).toMatchObject({ version: 1, entered: 1, active: 0, completed: 1, exited: 0, converted: 0 });
    expect(stats.steps).toEqual([
      { stepId: 'hello', entered: 1, waiting: 0 },
      { stepId: 'pause', entered: 1, waiting: 0 },
      { stepId: 'sms', entered: 1, waiting: 0 },
      { stepId: 'tag', entered: 0, waiting: 0 },
    ]);
    expect(errors).toEqual([]);
  });
});
