import { SmtpAdapter } from '@wasl/channels';
import { type SinkBehaviour, type SmtpSink, startSmtpSink } from '@wasl/channels/testing';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DeliveryEngine, type DeliveryEngineOptions } from '../../src/delivery/engine.ts';
import { enqueueMessages, pauseDelivery, resumeDelivery } from '../../src/delivery/message-store.ts';
import { BACKENDS, createWorkspace, type TestDb } from '../backends.ts';
import { messageIdOf, prepareTestEmail, type TestContent, testMessages } from './email.ts';

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`delivery engine over SMTP: ${backend.name}`, () => {
    let db: TestDb;
    let sink: SmtpSink;
    let engine: DeliveryEngine | undefined;
    let smtp: SmtpAdapter | undefined;
    let workspaceId: string;

    beforeEach(async () => {
      db = await backend.open();
      workspaceId = await createWorkspace(db.oltp);
    });
    afterEach(async () => {
      await engine?.stop();
      await smtp?.close();
      engine = undefined;
      smtp = undefined;
      await sink?.close();
      await db.close();
    });

    const run = async (
      behaviour?: (rcpt: string, attempt: number) => SinkBehaviour,
      options: Partial<DeliveryEngineOptions> = {},
    ) => {
      sink = await startSmtpSink(behaviour);
      smtp = new SmtpAdapter({ host: '127.0.0.1', port: sink.port, ignoreTLS: true, maxConnections: 3 });
      engine = new DeliveryEngine({
        db: db.oltp.db,
        dialect: db.oltp.dialect,
        adapters: { email: smtp },
        prepare: prepareTestEmail,
        pollMs: 20,
        onError: (e) => {
          throw e;
        },
        ...options,
      });
      engine.start();
      return smtp;
    };
    const statuses = async () =>
      db.oltp.db
        .selectFrom('messages')
        .select(['address', 'status', 'skip_reason', 'attempts', 'last_error', 'in_doubt', 'response'])
        .where('workspace_id', '=', workspaceId)
        .orderBy('address')
        .execute();
    const settled = () =>
      vi.waitFor(
        async () => {
          const open = (await statuses()).filter((s) =>
            ['queued', 'sending', 'committed'].includes(s.status),
          );
          expect(open).toEqual([]);
        },
        { timeout: 15_000, interval: 25 },
      );

    it('sends each message once, with its Arabic headers intact, and skips what the composer refuses', async () => {
      const recipients: TestContent[] = Array.from({ length: 40 }, (_, i) => ({
        to: `r${String(i).padStart(2, '0')}@example.sa`,
        name: `سارة ${i}`,
      }));
      recipients.push({ to: 'skipped@example.sa', name: 'x', skip: 'suppressed' });
      const messages = testMessages(workspaceId, recipients);
      expect(await enqueueMessages(db.oltp.db, messages, Date.now())).toBe(41);
      // The same keys again (a campaign launched twice): nothing new.
      expect(await enqueueMessages(db.oltp.db, testMessages(workspaceId, recipients), Date.now())).toBe(0);
      await run();
      await settled();

      const ids = sink.received.map((m) => m.messageId).sort();
      expect(ids).toEqual(
        messages
          .slice(0, 40)
          .map((m) => messageIdOf(m))
          .sort(),
      );
      expect(sink.received.map((m) => m.to[0])).not.toContain('skipped@example.sa');
      const rows = await statuses();
      expect(rows.filter((r) => r.status === 'sent')).toHaveLength(40);
      expect(rows.find((r) => r.address === 'skipped@example.sa')).toMatchObject({
        status: 'skipped',
        skip_reason: 'suppressed',
      });
      expect(rows.every((r) => r.in_doubt === 0)).toBe(true);
      expect(rows.find((r) => r.address === 'r07@example.sa')?.response).toMatch(/^250 Ok: queued as \d+$/);

      const mail = await simpleParser(sink.received.find((m) => m.to[0] === 'r07@example.sa')!.raw);
      expect(mail.subject).toBe('مرحبًا سارة 7، عروض هذا الأسبوع');
      expect(mail.from?.value[0]).toEqual({ address: 'news@mail.example.sa', name: 'متجر الورد' });
      expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]?.name : '').toBe('سارة 7');
      expect(mail.text?.trim()).toBe('مرحبًا سارة 7');
      expect(mail.html).toBe('<p dir="rtl">مرحبًا سارة 7</p>');
      const head = sink.received[0]!.raw.toString('latin1').split('\r\n\r\n')[0];
      expect(head).toMatch(/^List-Unsubscribe: <https:\/\/wasl\.example\.sa\/u\/[\w-]+>$/m);
      expect(head).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
      expect(sink.connections).toBeLessThanOrEqual(3);
    });

    it('bounces unknown mailboxes, retries temporary refusals and gives up after its attempts', async () => {
      const recipients = [
        { to: 'unknown@example.sa', name: 'a' },
        { to: 'greylisted@example.sa', name: 'b' },
        { to: 'spam@example.sa', name: 'c' },
        { to: 'flaky@example.sa', name: 'd' },
        { to: 'unanswered@example.sa', name: 'f' },
        { to: 'fine@example.sa', name: 'e' },
      ];
      await enqueueMessages(db.oltp.db, testMessages(workspaceId, recipients), Date.now());
      await run(
        (rcpt, attempt) => {
          if (rcpt === 'unknown@example.sa')
            return { kind: 'refuse-rcpt', code: 550, message: '5.1.1 <unknown@example.sa>: user unknown' };
          if (rcpt === 'greylisted@example.sa' && attempt === 1)
            return { kind: 'refuse-rcpt', code: 451, message: '4.7.1 greylisted, try again later' };
          if (rcpt === 'spam@example.sa')
            return { kind: 'refuse-data', code: 554, message: '5.7.1 message rejected as spam' };
          if (rcpt === 'flaky@example.sa') return { kind: 'drop-before-data' };
          if (rcpt === 'unanswered@example.sa') return { kind: 'drop-after-data' };
          return { kind: 'accept' };
        },
        { maxAttempts: 2, breakerFailures: 100 },
      );
      await settled();
      const rows = await statuses();
      const by = (a: string) => rows.find((r) => r.address === a);
      expect(by('unknown@example.sa')).toMatchObject({ status: 'bounced', attempts: 1 });
      expect(by('unknown@example.sa')?.last_error).toMatch(/^550: .*5\.1\.1/);
      expect(by('greylisted@example.sa')).toMatchObject({ status: 'sent', attempts: 2 });
      expect(by('spam@example.sa')).toMatchObject({ status: 'failed', attempts: 1 });
      expect(by('spam@example.sa')?.last_error).toMatch(/^554: .*5\.7\.1/);
      // The connection died before the data, twice: never handed over, so not in doubt.
      expect(by('flaky@example.sa')).toMatchObject({ status: 'failed', attempts: 2, in_doubt: 0 });
      // The server took the whole message and never answered: it may have it, so it is never sent again.
      expect(by('unanswered@example.sa')).toMatchObject({ status: 'sent', attempts: 1, in_doubt: 1 });
      expect(by('fine@example.sa')).toMatchObject({ status: 'sent', attempts: 1 });
      expect(sink.received.map((m) => m.to[0]).sort()).toEqual(['fine@example.sa', 'greylisted@example.sa']);
    });

    it('holds back a paused campaign and sends it once resumed', async () => {
      await pauseDelivery(
        db.oltp.db,
        { scope: 'source:c2', reason: 'checking the offer', by: 'user' },
        Date.now(),
      );
      await enqueueMessages(
        db.oltp.db,
        testMessages(workspaceId, [{ to: 'a@example.sa', name: 'a' }], 'c1'),
        Date.now(),
      );
      await enqueueMessages(
        db.oltp.db,
        testMessages(workspaceId, [{ to: 'b@example.sa', name: 'b' }], 'c2'),
        Date.now(),
      );
      await run();
      await vi.waitFor(() => expect(sink.received).toHaveLength(1), { timeout: 10_000 });
      await new Promise((r) => setTimeout(r, 200));
      expect(sink.received.map((m) => m.to[0])).toEqual(['a@example.sa']);
      expect((await statuses()).find((r) => r.address === 'b@example.sa')?.status).toBe('queued');
      expect(await resumeDelivery(db.oltp.db, 'source:c2')).toBe(true);
      await settled();
      expect(sink.received.map((m) => m.to[0]).sort()).toEqual(['a@example.sa', 'b@example.sa']);
    });

    it('pauses the channel when the provider keeps failing, leaving the messages queued', async () => {
      const recipients = Array.from({ length: 12 }, (_, i) => ({ to: `p${i}@example.sa`, name: `${i}` }));
      await enqueueMessages(db.oltp.db, testMessages(workspaceId, recipients), Date.now());
      await run(() => ({ kind: 'refuse-rcpt', code: 421, message: '4.3.2 service shutting down' }), {
        breakerFailures: 3,
        breakerCoolDownMs: 60_000,
        concurrency: 1,
      });
      await vi.waitFor(
        async () => {
          const pause = await db.oltp.db.selectFrom('delivery_pauses').selectAll().executeTakeFirst();
          expect(pause).toMatchObject({ scope: 'channel:email', by: 'circuit_breaker' });
          expect(pause?.reason).toMatch(/^the provider keeps failing: 421/);
        },
        { timeout: 10_000 },
      );
      await new Promise((r) => setTimeout(r, 300));
      const rows = await statuses();
      expect(rows.filter((r) => r.status === 'queued')).toHaveLength(12);
      // Three attempts opened the breaker; nothing was claimed after it.
      expect(rows.reduce((n, r) => n + r.attempts, 0)).toBe(3);
      expect(sink.received).toEqual([]);
    });
  });
}
