/**
 * The customer-service window as the inbound webhook records it
 * (`openServiceWindows`), on the real stores: the latest message counts, a
 * late report never moves it back, a timestamp from the future counts as its
 * arrival, closed windows are dropped.
 */
import type { StatusReport } from '@wasl/channels';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openServiceWindows, SERVICE_WINDOW_MS } from '../../src/services/messaging/compose-whatsapp.ts';
import { startTestApp, type TestApp } from '../helpers/app.ts';
import { describeEachEngine } from '../helpers/engines.ts';
import { team } from '../helpers/people.ts';

const inbound = (phone: string, at: number): StatusReport => ({
  status: 'replied',
  at,
  recipient: phone,
  detail: { event: 'message', type: 'text', inboundId: `wamid.${at}`, text: 'مرحبا' },
});

describeEachEngine('WhatsApp customer-service windows', (engine) => {
  let t: TestApp;
  let ws: string;
  beforeAll(async () => {
    t = await startTestApp(engine);
    ws = (await team(t, 'نوافذ')).workspace.id;
  });
  afterAll(() => t.close());

  const windows = async () =>
    (
      await t.db
        .selectFrom('whatsapp_windows')
        .select(['phone', 'last_inbound_at'])
        .where('workspace_id', '=', ws)
        .orderBy('phone')
        .execute()
    ).map((w) => [w.phone, Number(w.last_inbound_at)]);

  it('keeps the latest message per phone, never moves back, clamps the future, drops closed windows', async () => {
    const now = t.clock.now;
    const opened = await openServiceWindows(
      t.db,
      ws,
      [
        inbound('+966501000001', now - 3_000),
        inbound('+966501000001', now - 1_000),
        inbound('+966501000002', now + 60_000),
        // A status report (not an inbound message) opens nothing.
        {
          status: 'delivered',
          at: now,
          recipient: '+966501000003',
          providerMessageId: 'wamid.x',
          detail: { event: 'delivered' },
        },
        // Older than a window: nothing to record.
        inbound('+966501000004', now - SERVICE_WINDOW_MS),
      ],
      now,
    );
    expect(opened).toBe(3);
    expect(await windows()).toEqual([
      ['+966501000001', now - 1_000],
      ['+966501000002', now],
    ]);

    // A late webhook with an older message does not shorten the window.
    await openServiceWindows(t.db, ws, [inbound('+966501000001', now - 10_000)], now);
    expect(await windows()).toEqual([
      ['+966501000001', now - 1_000],
      ['+966501000002', now],
    ]);

    // A day later: a new message opens its window; the closed ones are gone.
    const later = now + SERVICE_WINDOW_MS;
    await openServiceWindows(t.db, ws, [inbound('+966501000002', later - 5_000)], later);
    expect(await windows()).toEqual([['+966501000002', later - 5_000]]);
  });
});
