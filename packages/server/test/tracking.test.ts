import type { WaslEvent } from '@wasl/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signTrackingToken, type TrackingTarget } from '../../channels/src/tracking/index.ts';
import { createContact } from '../src/index.ts';
import { TRACKING_HITS_PER_MINUTE } from '../src/routes/tracking.ts';
import { RecentActivity, recordTrackingHit, trackingSecret } from '../src/services/message-tracking.ts';
import { startTestApp, TEST_SECRET, type TestApp } from './helpers/app.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { messageState, sentMessage } from './helpers/messages.ts';
import { type Team, team } from './helpers/people.ts';

const CHROME =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const DESTINATION = 'https://shop.example/عروض?q=تخفيض&x=%D8%A7#top';
/** The same URL as a Location header: the Arabic percent-encoded, the existing escape untouched. */
const LOCATION =
  'https://shop.example/%D8%B9%D8%B1%D9%88%D8%B6?q=%D8%AA%D8%AE%D9%81%D9%8A%D8%B6&x=%D8%A7#top';
const MINUTE = 60_000;

function token(target: TrackingTarget, secret = trackingSecret(TEST_SECRET)): string {
  const signed = signTrackingToken(target, secret);
  if (!signed.ok) throw new Error(signed.error.message);
  return signed.value;
}

describeEachEngine('click and open tracking', (engine) => {
  let t: TestApp;
  let crew: Team;
  let ws: string;
  let contactId: string;

  beforeAll(async () => {
    t = await startTestApp(engine);
    crew = await team(t, 'Tracking');
    ws = crew.workspace.id;
    const made = await createContact(t.db, {
      workspaceId: ws,
      input: { email: 'salma@example.com', firstName: 'سلمى' },
      now: t.clock.now,
    });
    if (!made.ok) throw new Error(made.error.message);
    contactId = made.value.contact.id;
  });
  afterAll(() => t.close());

  const get = (url: string, userAgent = CHROME, ip = '203.0.113.7') =>
    t.app.inject({ method: 'GET', url, headers: { 'user-agent': userAgent }, remoteAddress: ip });
  const eventsOf = async (messageId: string): Promise<WaslEvent[]> =>
    (await t.events.store.recent(ws, 500)).filter((e) => e.properties.messageId === messageId);

  it('redirects a human click to the signed destination and moves the message to clicked', async () => {
    const id = await sentMessage(t, {
      workspaceId: ws,
      contactId,
      sentAt: t.clock.now - 10 * MINUTE,
      inDoubt: true,
    });
    const res = await get(
      `/t/c/${token({ kind: 'click', workspaceId: ws, messageId: id, url: DESTINATION })}`,
    );
    expect(res.statusCode, res.body).toBe(302);
    expect(res.headers.location).toBe(LOCATION);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(await messageState(t, id)).toEqual({ status: 'clicked', in_doubt: 0 });
    const [event, ...more] = await eventsOf(id);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      type: 'message',
      name: 'message.clicked',
      contactId,
      anonymousId: null,
      properties: {
        messageId: id,
        channel: 'email',
        campaignId: 'cmp_1',
        url: DESTINATION,
        classification: 'human',
        userAgentFamily: 'Chrome',
        bot: false,
        scanner: false,
        statusChanged: true,
      },
      context: { bot: false, userAgent: CHROME },
    });
  });

  it('records a scanner click flagged, without moving the status', async () => {
    const id = await sentMessage(t, { workspaceId: ws, contactId, sentAt: t.clock.now - 2_000 });
    const res = await get(
      `/t/c/${token({ kind: 'click', workspaceId: ws, messageId: id, url: DESTINATION })}`,
    );
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(LOCATION);
    expect(await messageState(t, id)).toEqual({ status: 'sent', in_doubt: 0 });
    const events = await eventsOf(id);
    expect(events.map((e) => e.properties)).toEqual([
      expect.objectContaining({
        classification: 'scanner',
        classificationReason: 'clicked-too-soon-after-send',
        scanner: true,
        bot: false,
        statusChanged: false,
      }),
    ]);
  });

  it('flags a bot click by user agent', async () => {
    const id = await sentMessage(t, { workspaceId: ws, contactId, sentAt: t.clock.now - 10 * MINUTE });
    const res = await get(
      `/t/c/${token({ kind: 'click', workspaceId: ws, messageId: id, url: DESTINATION })}`,
      'curl/8.5.0',
    );
    expect(res.statusCode).toBe(302);
    expect(await messageState(t, id)).toEqual({ status: 'sent', in_doubt: 0 });
    expect((await eventsOf(id))[0]?.properties).toMatchObject({
      bot: true,
      scanner: false,
      userAgentFamily: 'other',
    });
  });

  it('never moves a status backwards or over a bounce', async () => {
    const clicked = await sentMessage(t, {
      workspaceId: ws,
      contactId,
      status: 'clicked',
      sentAt: t.clock.now - 10 * MINUTE,
    });
    const bounced = await sentMessage(t, {
      workspaceId: ws,
      contactId,
      status: 'bounced',
      sentAt: t.clock.now - 10 * MINUTE,
    });
    for (const id of [clicked, bounced]) {
      expect((await get(`/t/o/${token({ kind: 'open', workspaceId: ws, messageId: id })}`)).statusCode).toBe(
        200,
      );
    }
    expect((await messageState(t, clicked)).status).toBe('clicked');
    expect((await messageState(t, bounced)).status).toBe('bounced');
    expect((await eventsOf(bounced)).map((e) => [e.name, e.properties.statusChanged])).toEqual([
      ['message.opened', false],
    ]);
  });

  it('answers the pixel with a 43-byte GIF and records a human open', async () => {
    const id = await sentMessage(t, {
      workspaceId: ws,
      contactId,
      status: 'delivered',
      sentAt: t.clock.now - MINUTE,
    });
    const res = await get(`/t/o/${token({ kind: 'open', workspaceId: ws, messageId: id })}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/gif');
    expect(res.headers['cache-control']).toContain('no-store');
    expect(res.rawPayload.length).toBe(43);
    expect(res.rawPayload.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    expect(await messageState(t, id)).toEqual({ status: 'opened', in_doubt: 0 });
    expect((await eventsOf(id))[0]).toMatchObject({
      name: 'message.opened',
      properties: { classification: 'human' },
    });
  });

  it('flags proxy opens and leaves the status', async () => {
    const id = await sentMessage(t, {
      workspaceId: ws,
      contactId,
      status: 'delivered',
      sentAt: t.clock.now - MINUTE,
    });
    const res = await get(`/t/o/${token({ kind: 'open', workspaceId: ws, messageId: id })}`, 'Mozilla/5.0');
    expect(res.statusCode).toBe(200);
    expect((await messageState(t, id)).status).toBe('delivered');
    expect((await eventsOf(id))[0]?.properties).toMatchObject({
      classification: 'scanner',
      classificationReason: 'open-proxy:apple-mail-privacy-protection',
      scanner: true,
    });
  });

  it('answers 400, never a redirect, for forged, altered and wrong-kind tokens', async () => {
    const id = await sentMessage(t, { workspaceId: ws, contactId, sentAt: t.clock.now - 10 * MINUTE });
    const good = token({ kind: 'click', workspaceId: ws, messageId: id, url: 'https://good.example/' });
    const forged = token(
      { kind: 'click', workspaceId: ws, messageId: id, url: 'https://evil.example/' },
      'a-different-secret-entirely!!',
    );
    const [, mac] = good.split('.');
    const swapped = `${Buffer.from(JSON.stringify(['c', ws, id, 'https://evil.example/'])).toString('base64url')}.${mac}`;
    const open = token({ kind: 'open', workspaceId: ws, messageId: id });
    for (const bad of [forged, swapped, open, 'garbage']) {
      const res = await get(`/t/c/${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.headers.location).toBeUndefined();
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('رابط غير صالح');
    }
    expect(await messageState(t, id)).toEqual({ status: 'sent', in_doubt: 0 });
    expect(await eventsOf(id)).toEqual([]);
  });

  it('touches no message of another workspace, even with a token naming it', async () => {
    const other = await team(t, 'Other');
    const theirs = await sentMessage(t, {
      workspaceId: other.workspace.id,
      sentAt: t.clock.now - 10 * MINUTE,
    });
    // A token signed for our workspace that names their message id: the lookup is scoped, nothing moves.
    const res = await get(
      `/t/c/${token({ kind: 'click', workspaceId: ws, messageId: theirs, url: DESTINATION })}`,
    );
    expect(res.statusCode).toBe(302);
    expect(await messageState(t, theirs)).toEqual({ status: 'sent', in_doubt: 0 });
    expect((await t.events.store.recent(other.workspace.id, 50)).length).toBe(0);
    expect(await eventsOf(theirs)).toEqual([]);
  });

  it('still moves the message when there is no events store', async () => {
    const id = await sentMessage(t, { workspaceId: ws, contactId, sentAt: t.clock.now - 10 * MINUTE });
    const hit = await recordTrackingHit(t.db, undefined, new RecentActivity(), TEST_SECRET, {
      token: token({ kind: 'click', workspaceId: ws, messageId: id, url: DESTINATION }),
      kind: 'click',
      userAgent: CHROME,
      ip: '203.0.113.8',
      now: t.clock.now,
    });
    expect(hit).toEqual({
      ok: true,
      value: {
        url: DESTINATION,
        classification: { verdict: 'human', reason: 'no-rule-matched' },
        recorded: true,
        statusChanged: true,
      },
    });
    expect(await messageState(t, id)).toEqual({ status: 'clicked', in_doubt: 0 });
  });

  it('calls the third quick click on one message a scanner burst', async () => {
    const id = await sentMessage(t, { workspaceId: ws, contactId, sentAt: t.clock.now - 10 * MINUTE });
    const verdicts: string[] = [];
    for (const n of [1, 2, 3]) {
      const url = `https://shop.example/${n}`;
      await get(
        `/t/c/${token({ kind: 'click', workspaceId: ws, messageId: id, url })}`,
        CHROME,
        '203.0.113.9',
      );
      t.clock.now += 300;
    }
    for (const e of await eventsOf(id)) verdicts.push(`${e.properties.url} ${e.properties.classification}`);
    expect(verdicts.sort()).toEqual([
      'https://shop.example/1 human',
      'https://shop.example/2 human',
      'https://shop.example/3 scanner',
    ]);
  });

  it('limits hits per IP address', async () => {
    // A token that does not verify: the pixel still answers 200, and nothing is written.
    const url = '/t/o/not-a-token';
    const codes: number[] = [];
    for (let i = 0; i <= TRACKING_HITS_PER_MINUTE; i++)
      codes.push((await get(url, CHROME, '198.51.100.9')).statusCode);
    expect(codes.filter((c) => c === 200).length).toBe(TRACKING_HITS_PER_MINUTE);
    expect(codes.at(-1)).toBe(429);
    expect((await get(url, CHROME, '198.51.100.10')).statusCode).toBe(200);
  });
});
