/** Test helpers for messaging: a workspace with a contact and a template, and running the real delivery engine once. */
import { type DkimKey, generateDkimKey, SmtpAdapter } from '@wasl/channels';
import { type SinkBehaviour, type SmtpSink, startSmtpSink } from '@wasl/channels/testing';
import { newId } from '@wasl/core';
import { expect } from 'vitest';
import { createDelivery } from '../../src/services/messaging/index.ts';
import { TEST_SECRET, type TestApp } from '../helpers/app.ts';
import { call } from '../helpers/client.ts';
import type { Team } from '../helpers/people.ts';

/**
 * Runs a started delivery engine until nothing due is left (nothing queued and due, sending or
 * committed, nothing in flight) or `waitMs` passes, then stops it and waits for its outcomes.
 */
export async function runUntilSettled(
  t: TestApp,
  engine: ReturnType<typeof createDelivery>['engine'],
  outcomes: ReturnType<typeof createDelivery>['outcomes'],
  errors: unknown[],
  waitMs: number,
): Promise<void> {
  const giveUp = Date.now() + waitMs;
  while (Date.now() < giveUp) {
    const busy = await t.db
      .selectFrom('messages')
      .select('id')
      .where((eb) =>
        eb.or([
          eb('status', 'in', ['sending', 'committed']),
          eb.and([eb('status', '=', 'queued'), eb('next_attempt_at', '<=', t.clock.now)]),
        ]),
      )
      .limit(1)
      .execute();
    if (busy.length === 0 && engine.inFlight === 0) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  await engine.stop();
  await outcomes.idle();
  expect(errors).toEqual([]);
}

export const TEMPLATE_MJML = `<mjml><mj-body><mj-section><mj-column>
<mj-text>مرحبًا {{ contact.first_name }}، وصلت تشكيلة {{ campaign.season }} الجديدة.</mj-text>
<mj-text><a href="https://shop.example.sa/ar/ورود?lang=ar">تسوّق الورود</a></mj-text>
<mj-text><a href="{{ preferences_url }}">التفضيلات</a></mj-text>
</mj-column></mj-section></mj-body></mjml>`;

export async function addTemplate(t: TestApp, workspaceId: string, version = 1): Promise<string> {
  const id = newId(t.clock.now);
  await t.db
    .insertInto('message_templates')
    .values({
      id,
      workspace_id: workspaceId,
      channel: 'email',
      name: 'عرض الموسم',
      subject: 'عرض {{ campaign.season }} لك يا {{ contact.first_name }}',
      body: TEMPLATE_MJML,
      dir: 'rtl',
      lang: 'ar-SA',
      settings: '{}',
      version,
      created_at: t.clock.now,
      updated_at: t.clock.now,
    })
    .execute();
  return id;
}

/** A sender identity with a real DKIM key (its public half returned, to verify signatures). */
export async function addSender(t: TestApp, workspaceId: string, address = 'news@mail.example.sa') {
  const key = generateDkimKey('rsa-sha256');
  await t.db
    .insertInto('sender_identities')
    .values({
      id: newId(t.clock.now),
      workspace_id: workspaceId,
      from_address: address,
      from_name: 'متجر الورد',
      reply_to: 'care@example.sa',
      domain: address.slice(address.indexOf('@') + 1),
      dkim_selector: 'wasl',
      dkim_private_key: key.privateKeyPem,
      dkim_public_key: key.publicKeyBase64,
      dns_status: null,
      dns_checked_at: null,
      created_at: t.clock.now,
      updated_at: t.clock.now,
    })
    .execute();
  return key.publicKeyBase64;
}

export async function addContact(
  t: TestApp,
  crew: Team,
  body: Record<string, unknown>,
  consent?: 'granted' | 'denied',
): Promise<string> {
  const ws = crew.workspace.id;
  const res = await call(t.app, 'POST', `/api/workspaces/${ws}/contacts`, { as: crew.as.marketer, body });
  expect(res.statusCode).toBe(201);
  const id = res.json().contact.id as string;
  if (consent) {
    const put = await call(t.app, 'PUT', `/api/workspaces/${ws}/contacts/${id}/consents`, {
      as: crew.as.marketer,
      body: { channel: 'email', status: consent, source: 'form' },
    });
    expect(put.statusCode).toBe(200);
  }
  return id;
}

export interface Mailroom {
  sink: SmtpSink;
  adapter: SmtpAdapter;
  /**
   * Runs the delivery engine until nothing due is left (or `waitMs` passed:
   * paused messages stay due), then stops it and waits for the outcomes' side effects.
   */
  deliver(t: TestApp, waitMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function openMailroom(
  behaviour?: (rcpt: string, attempt: number) => SinkBehaviour,
): Promise<Mailroom> {
  const sink = await startSmtpSink(behaviour);
  let dkimOf: ((id: string) => DkimKey | undefined) | undefined;
  const adapter = new SmtpAdapter({
    host: '127.0.0.1',
    port: sink.port,
    ignoreTLS: true,
    maxConnections: 2,
    dkimFor: (message) => dkimOf?.(message.id),
  });
  return {
    sink,
    adapter,
    async deliver(t, waitMs = 5_000) {
      const errors: unknown[] = [];
      const { engine, outcomes, composer } = createDelivery({
        db: t.db,
        dialect: t.oltp.dialect,
        secret: TEST_SECRET,
        publicUrl: t.config.publicUrl,
        defaultFrom: { address: 'system@wasl.example.sa', name: 'وصل' },
        adapters: { email: adapter },
        record: (events) => t.events.store.append(events),
        onError: (error) => errors.push(error),
        clock: () => t.clock.now,
        engine: { pollMs: 10 },
      });
      dkimOf = composer.dkimOf;
      engine.start();
      await runUntilSettled(t, engine, outcomes, errors, waitMs);
    },
    async close() {
      await adapter.close();
      await sink.close();
    },
  };
}
