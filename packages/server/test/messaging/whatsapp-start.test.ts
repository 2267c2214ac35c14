/**
 * `wasl start` wires WhatsApp from its configuration: a real process with
 * WASL_WHATSAPP_* pointing at the Cloud API fake (through WASL_WHATSAPP_API_URL)
 * sends an approved template queued through its API, and takes the signed
 * status webhook (WASL_WHATSAPP_APP_SECRET) for it. Without the settings it
 * warns and WhatsApp waits in the queue.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FakeProvider } from '../../../channels/test/http-providers/fakes/server.ts';
import { startWhatsAppFake } from '../../../channels/test/http-providers/fakes/whatsapp.ts';
import { freePort, spawnWasl, tempDataDir, wasl } from '../../../cli/test/wasl-process.ts';

const PHONE_ID = '106540352242922';
interface Logged {
  id: string;
  status: string;
  waiting: string | null;
  provider: string | null;
  providerMessageId: string | null;
}
interface Reply {
  contact?: { id: string };
  message?: Logged;
}
const TOKEN = 'EAAG-whatsapp-start-token';
const APP_SECRET = 'whatsapp-app-secret-for-start';

describe('wasl start with WhatsApp configured', { timeout: 180_000 }, () => {
  let fake: FakeProvider;
  beforeAll(async () => {
    fake = await startWhatsAppFake(PHONE_ID, TOKEN);
  });
  afterAll(() => fake.close());

  it('sends through the configured Cloud API and applies its signed status webhook', async () => {
    const dir = tempDataDir();
    const port = await freePort();
    const env = {
      WASL_DATA_DIR: dir,
      WASL_PORT: String(port),
      WASL_LOG_LEVEL: 'info',
      WASL_WHATSAPP_PHONE_NUMBER_ID: PHONE_ID,
      WASL_WHATSAPP_ACCESS_TOKEN: TOKEN,
      WASL_WHATSAPP_API_URL: fake.url,
      WASL_WHATSAPP_APP_SECRET: APP_SECRET,
      WASL_WHATSAPP_VERIFY_TOKEN: 'verify-me',
    };
    const server = spawnWasl(['start'], env);
    try {
      await server.waitFor(/setup\?token=/, 90_000);
      expect(server.output()).not.toContain('no WhatsApp provider configured');
      expect(wasl(['user', 'create', '--email', 'owner@example.com', '--name', 'مالك'], env).code).toBe(0);
      const made = wasl(['workspace', 'create', '--name', 'متجر', '--owner-email', 'owner@example.com'], env);
      const ws = made.stdout.match(/\(([0-9a-f-]{36})\)/)?.[1];
      const created = wasl(['apikey', 'create', '--workspace', ws!, '--name', 'ci', '--scope', 'write'], env);
      const key = created.stdout.match(/^(wasl_\w+)$/m)?.[1];
      // A 401 in one loaded CI run: say what the CLI printed if the key is missing.
      expect(key, `apikey create: code ${created.code}\n${created.stdout}\n${created.stderr}`).toBeDefined();
      const api = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`http://127.0.0.1:${port}/api/workspaces/${ws}${path}`, {
          method,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        return { status: res.status, json: (await res.json()) as Reply };
      };
      const contact = await api('POST', '/contacts', { phone: '+966501234567', firstName: 'عبد الله' });
      expect(contact.status).toBe(201);
      const contactId = contact.json.contact?.id as string;
      expect(
        (
          await api('PUT', `/contacts/${contactId}/consents`, {
            channel: 'whatsapp',
            status: 'granted',
            source: 'form',
          })
        ).status,
      ).toBe(200);
      const sent = await api('POST', '/messages', {
        contactId,
        channel: 'whatsapp',
        marketing: false,
        content: {
          whatsappTemplate: { name: 'order_ready', language: 'ar', parameters: ['{{ contact.first_name }}'] },
        },
      });
      expect(sent.status).toBe(202);
      expect(sent.json.message?.waiting).toBeNull();
      const id = sent.json.message?.id as string;

      // The worker polls the queue: wait for the message to be recorded as sent.
      let message: Partial<Logged> = {};
      for (let i = 0; i < 300 && message.status !== 'sent'; i += 1) {
        message = (await api('GET', `/messages/${id}`)).json.message ?? {};
        if (message.status !== 'sent') await new Promise((r) => setTimeout(r, 100));
      }
      expect(message).toMatchObject({ status: 'sent', provider: 'whatsapp-cloud' });
      expect(fake.received.map((r) => JSON.parse(r.body))).toEqual([
        expect.objectContaining({
          to: '+966501234567',
          type: 'template',
          template: {
            name: 'order_ready',
            language: { code: 'ar' },
            components: [{ type: 'body', parameters: [{ type: 'text', text: 'عبد الله' }] }],
          },
        }),
      ]);

      const body = JSON.stringify({
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '1',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  statuses: [
                    {
                      id: message.providerMessageId,
                      status: 'delivered',
                      timestamp: String(Math.floor(Date.now() / 1000)),
                      recipient_id: '966501234567',
                    },
                  ],
                },
              },
            ],
          },
        ],
      });
      const hook = await fetch(`http://127.0.0.1:${port}/hooks/${ws}/whatsapp`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`,
        },
      });
      expect(hook.status).toBe(200);
      expect((await api('GET', `/messages/${id}`)).json.message?.status).toBe('delivered');
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited()).toBe(0);
  });

  it('warns when WhatsApp is not configured, and refuses a half-done setup', async () => {
    const dir = tempDataDir();
    const env = { WASL_DATA_DIR: dir, WASL_PORT: String(await freePort()), WASL_LOG_LEVEL: 'info' };
    const half = wasl(['start'], { ...env, WASL_WHATSAPP_PHONE_NUMBER_ID: PHONE_ID });
    expect(half.code).not.toBe(0);
    expect(half.stderr).toContain(
      'WASL_WHATSAPP_ACCESS_TOKEN: required when WASL_WHATSAPP_PHONE_NUMBER_ID is set',
    );
    const server = spawnWasl(['start'], env);
    try {
      // The banner comes once the process handles SIGTERM; the warning was logged before it.
      await server.waitFor(/setup\?token=/, 90_000);
      expect(server.output()).toContain(
        'no WhatsApp provider configured (WASL_WHATSAPP_PHONE_NUMBER_ID): WhatsApp is accepted and stays queued',
      );
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited()).toBe(0);
  });
});
