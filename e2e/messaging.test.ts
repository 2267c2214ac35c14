import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SmtpSink, startSmtpSink } from '../packages/channels/src/testing/smtp-sink.ts';
import { CHROMIUM, type OwnerServer, SHOTS, signedInPage, startWithOwner } from './owner-session.ts';

/**
 * The messaging screens in Debian's Chromium against a real `wasl start`: an Arabic email
 * template written in the dashboard with its live preview in a sandboxed frame, a broken
 * template refused at its line, the SMS part counter, a sender identity with its DNS records,
 * and a test send showing in the contact's message log. Screenshots go to test-artifacts/.
 */

/** 71 UTF-16 units of Arabic: one more than a single Unicode SMS holds. */
const SMS_71 = 'عزيزتنا سارة، وصلت تشكيلة الربيع الجديدة إلى متجر الورد. تسوقي الآن هنا';

/** The starter with line 6 naming an element MJML does not have. */
const BROKEN = `<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text>مرحبًا {{ contact.first_name }}</mj-text>
        <mj-txt>سطر فيه خطأ</mj-txt>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>
`;

/** The starter's first line for the sample contact, the field's value isolated as the server does. */
const GREETING = /^مرحبًا \u2068سارة\u2069$/;

interface LoggedMessage {
  id: string;
  status: string;
  inDoubt: boolean;
  lastError: string | null;
  sentAt: string | null;
}

interface Sender {
  id: string;
  fromAddress: string;
  dkim: { selector: string; recordName: string; recordValue: string };
  dns: { ok: boolean; records: { kind: string; name: string; expected: string; ok: boolean }[] } | null;
}

describe.skipIf(!existsSync(CHROMIUM))(
  `Messaging screens in Chromium (${CHROMIUM})`,
  { timeout: 240_000 },
  () => {
    let owner: OwnerServer;
    let browser: Browser;
    let page: Page;
    let api: APIRequestContext;
    let base: string;
    let ws = '';
    let sink: SmtpSink;
    const contacts: Record<string, string> = {};
    let templateId = '';

    // From the top: the shell's sticky bar would otherwise be drawn where the page was scrolled to.
    const shot = async (name: string) => {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    };
    // A full-page capture leaves the preview's frame (its own origin, so drawn apart) blank below
    // the first screen: pages with a preview are captured in one viewport as tall as the page.
    const tallShot = async (name: string) => {
      const viewport = page.viewportSize() ?? { width: 1280, height: 900 };
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      await page.setViewportSize({ width: viewport.width, height: Math.max(height, viewport.height) });
      await page.evaluate(
        () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))),
      );
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(SHOTS, `${name}.png`) });
      await page.setViewportSize(viewport);
    };
    const htmlDir = () => page.evaluate(() => document.documentElement.dir);
    const frame = () => page.frameLocator('[data-testid="preview-frame"]');
    /** The message log of the contact with this email, from the API, newest first. */
    const messagesOf = (email: string) => async () => {
      const listed = await api.get(`/api/workspaces/${ws}/messages?contactId=${contacts[email]}`);
      return ((await listed.json()) as { messages: LoggedMessage[] }).messages;
    };

    beforeAll(async () => {
      mkdirSync(SHOTS, { recursive: true });
      // A real SMTP relay in this process: it takes Layla's mail, refuses one address for good,
      // and takes one message but hangs up instead of answering (the sender cannot know).
      sink = await startSmtpSink((rcpt) =>
        rcpt === 'nobody@example.com'
          ? { kind: 'refuse-rcpt', code: 550, message: '5.1.1 no such mailbox' }
          : rcpt === 'silent@example.com'
            ? { kind: 'drop-after-data' }
            : { kind: 'accept' },
      );
      owner = await startWithOwner({
        WASL_SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
        WASL_MAIL_FROM: 'متجر الورد <news@shop.example.sa>',
      });
      ({ base, api } = owner);
      ws = owner.workspaceId;
      for (const [name, email] of [
        ['ليلى', 'layla@example.com'],
        ['نورة', 'nobody@example.com'],
        ['فهد', 'silent@example.com'],
      ] as const) {
        const created = await api.post(`/api/workspaces/${ws}/contacts`, {
          headers: owner.csrf,
          data: { firstName: name, email, city: 'جدة' },
        });
        expect(created.status()).toBe(201);
        contacts[email] = ((await created.json()) as { contact: { id: string } }).contact.id;
      }
      ({ browser, page } = await signedInPage(base));
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await owner?.close();
      await sink?.close();
    });

    it('writes an Arabic email template with a live right-to-left preview and saves it', async () => {
      await page.getByTestId('nav-messaging').click();
      await page.getByTestId('templates-count').waitFor();
      expect(await htmlDir()).toBe('rtl');
      expect(await page.getByTestId('templates-count').textContent()).toBe('لا قوالب');
      await page.getByTestId('new-email-template').click();
      expect(page.url()).toBe(`${base}/messaging/templates/new/email`);

      // The code reads left to right inside the Arabic page.
      const body = page.getByTestId('template-body');
      expect(await body.getAttribute('dir')).toBe('ltr');
      expect(await body.evaluate((el) => getComputedStyle(el).direction)).toBe('ltr');
      await page.getByTestId('template-name').fill('ترحيب الربيع');
      await page.getByTestId('template-subject').fill('أهلًا {{ contact.first_name }}، وصلت تشكيلة الربيع');

      // Rendered for the sample contact, سارة (isolated, U+2068…U+2069), in a frame that may run no script.
      const greeting = frame().getByText(GREETING);
      await greeting.waitFor({ timeout: 15_000 });
      expect(await greeting.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
      expect(await frame().locator('html').getAttribute('dir')).toBe('rtl');
      // The server isolates each filled-in field (U+2068…U+2069); the words are what count here.
      const subject = async () =>
        (await page.getByTestId('preview-subject').textContent())?.replace(/[\u2066-\u2069]/g, '');
      await expect.poll(subject).toBe('أهلًا سارة، وصلت تشكيلة الربيع');
      const iframe = page.getByTestId('preview-frame');
      expect(await iframe.getAttribute('sandbox')).toBe('');
      expect((await iframe.boundingBox())?.width).toBe(600);
      await page.getByTestId('preview-width').locator('[data-value="mobile"]').click();
      expect((await iframe.boundingBox())?.width).toBe(375);
      await tallShot('ar-messaging-email-mobile');
      await page.getByTestId('preview-width').locator('[data-value="desktop"]').click();

      // The direction toggle is the template's: left to right re-renders the frame so.
      await page.getByTestId('template-dir').locator('[data-value="ltr"]').click();
      await expect.poll(() => frame().locator('html').getAttribute('dir'), { timeout: 10_000 }).toBe('ltr');
      await page.getByTestId('template-dir').locator('[data-value="rtl"]').click();
      await expect.poll(() => frame().locator('html').getAttribute('dir'), { timeout: 10_000 }).toBe('rtl');

      await page.getByTestId('template-save').click();
      await expect.poll(() => page.url()).toMatch(/\/messaging\/templates\/[\w-]+$/);
      templateId = page.url().split('/').pop() ?? '';
      // The URL moves to the saved template before the status line renders: wait for the words.
      await expect
        .poll(() => page.getByTestId('template-saved').textContent())
        .toBe('حُفظ القالب (النسخة ١).');
      const stored = await api.get(`/api/workspaces/${ws}/templates/${templateId}`);
      const { template } = (await stored.json()) as {
        template: { channel: string; name: string; subject: string; dir: string; lang: string; body: string };
      };
      expect(template).toMatchObject({
        channel: 'email',
        name: 'ترحيب الربيع',
        subject: 'أهلًا {{ contact.first_name }}، وصلت تشكيلة الربيع',
        dir: 'rtl',
        lang: 'ar',
      });
      expect(template.body).toContain(
        '<mj-text font-size="22px" font-weight="bold">مرحبًا {{ contact.first_name }}',
      );
      await tallShot('ar-messaging-email');
    });

    it('shows a broken template’s fault at its line, and a refused save moves the caret there', async () => {
      const body = page.getByTestId('template-body');
      await body.fill(BROKEN);
      // The live preview finds it first: line 6 is marked, and the message says where.
      const marked = page.getByTestId('editor-error-line');
      await expect.poll(() => marked.getAttribute('data-line'), { timeout: 15_000 }).toBe('6');
      expect(await page.getByTestId('editor-error-gutter').textContent()).toBe('6');
      expect(await page.getByTestId('preview-error').count()).toBe(1);

      await page.getByTestId('template-name').focus();
      await page.getByTestId('template-save').click();
      const describedBy = (await body.getAttribute('aria-describedby')) ?? '';
      const message = page.locator(`[id="${describedBy.split(' ')[0]}"]`);
      await expect
        .poll(() => message.textContent())
        .toMatch(/^السطر ٦، العمود ٩: MJML error: Element mj-txt doesn't exist/);
      expect(await body.getAttribute('aria-invalid')).toBe('true');
      // The caret selects line 6 of the source.
      const lineStart = BROKEN.split('\n').slice(0, 5).join('\n').length + 1;
      await expect.poll(() => body.evaluate((el) => document.activeElement === el)).toBe(true);
      expect(await body.evaluate((el: HTMLTextAreaElement) => [el.selectionStart, el.selectionEnd])).toEqual([
        lineStart,
        lineStart + '        <mj-txt>سطر فيه خطأ</mj-txt>'.length,
      ]);
      await tallShot('ar-messaging-email-error');
      // Nothing was saved: the stored template is still version 1.
      const stored = await api.get(`/api/workspaces/${ws}/templates/${templateId}`);
      expect(((await stored.json()) as { template: { version: number } }).template.version).toBe(1);
    });

    it('sends the saved template as a test to a contact, whose message log shows it sent', async () => {
      await page.getByTestId('send-test-email').fill('layla@example.com');
      await page.getByTestId('send-test-submit').click();
      const queued = page.getByTestId('send-test-queued');
      await expect
        .poll(() => queued.textContent(), { timeout: 10_000 })
        .toBe('وُضعت الرسالة في طابور الإرسال (الحالة: في الطابور).');
      // The delivery engine hands it to the relay: the Arabic subject, for Layla.
      await expect.poll(() => sink.received.length, { timeout: 30_000 }).toBe(1);
      expect(sink.received[0]?.to).toEqual(['layla@example.com']);
      const status = await messagesOf('layla@example.com');
      await expect.poll(async () => (await status())[0]?.status, { timeout: 30_000 }).toBe('sent');

      await page.goto(`${base}/contacts/${contacts['layla@example.com']}`);
      const row = page.getByTestId('message-row');
      await row.first().waitFor();
      expect(await page.getByTestId('messages-count').textContent()).toBe('رسالة واحدة');
      const [message] = await status();
      expect(await row.getAttribute('data-id')).toBe(message?.id);
      expect(await row.getAttribute('data-status')).toBe('sent');
      expect(await row.getByTestId('message-status').textContent()).toBe('أُرسلت');
      expect(await row.locator('td').first().textContent()).toBe('بريد إلكتروني');
      expect(await row.locator('td').nth(3).textContent()).toBe('رسالة مباشرةغير تسويقية');
      expect(await row.locator('time').getAttribute('datetime')).toBe(message?.sentAt);
      expect(await row.getByTestId('message-in-doubt').count()).toBe(0);
      await shot('ar-contact-messages');
    });

    it('shows a bounce with its reason and a send in doubt in the contacts’ logs', async () => {
      for (const email of ['nobody@example.com', 'silent@example.com']) {
        const sent = await api.post(`/api/workspaces/${ws}/messages`, {
          headers: owner.csrf,
          data: { contactId: contacts[email], marketing: false, content: { templateId } },
        });
        expect(sent.status()).toBe(202);
      }
      const refused = await messagesOf('nobody@example.com');
      await expect.poll(async () => (await refused())[0]?.status, { timeout: 30_000 }).toBe('bounced');
      const silent = await messagesOf('silent@example.com');
      await expect.poll(async () => (await silent())[0]?.inDoubt, { timeout: 30_000 }).toBe(true);

      const [bounce] = await refused();
      await page.goto(`${base}/contacts/${contacts['nobody@example.com']}`);
      const bounced = page.getByTestId('message-row');
      await bounced.waitFor();
      expect(await bounced.getAttribute('data-status')).toBe('bounced');
      expect(await bounced.getByTestId('message-status').textContent()).toBe('ارتدّت');
      // The relay's own words say why.
      expect(bounce?.lastError).toBe('550: 550 5.1.1 no such mailbox');
      expect(await bounced.getByTestId('message-note').allTextContents()).toEqual([
        'الخطأ: 550: 550 5.1.1 no such mailbox',
      ]);
      await shot('ar-contact-messages-bounced');

      const [doubt] = await silent();
      await page.goto(`${base}/contacts/${contacts['silent@example.com']}`);
      const doubtful = page.getByTestId('message-row');
      await doubtful.waitFor();
      expect(await doubtful.getAttribute('data-in-doubt')).toBe('true');
      // Handed over (so counted as sent), then no answer: marked in doubt, never sent again.
      expect(doubt?.status).toBe('sent');
      expect(await doubtful.getAttribute('data-status')).toBe('sent');
      expect(await doubtful.getByTestId('message-status').textContent()).toBe('أُرسلت');
      expect(await doubtful.getByTestId('message-in-doubt').textContent()).toBe('غير مؤكد');
      await shot('ar-contact-messages-in-doubt');
    });

    it('counts an Arabic SMS: 71 characters are two Unicode parts, and what they cost', async () => {
      expect(SMS_71.length).toBe(71);
      await page.getByTestId('nav-messaging').click();
      await page.getByTestId('new-sms-template').click();
      await page.getByTestId('template-name').fill('تذكير الربيع');
      await page.getByTestId('template-body').fill(SMS_71);
      const counter = page.getByTestId('sms-counter');
      await expect.poll(() => counter.getAttribute('data-parts'), { timeout: 15_000 }).toBe('2');
      expect(await counter.getAttribute('data-encoding')).toBe('ucs2');
      expect(await page.getByTestId('sms-encoding').textContent()).toBe('يونيكود (UCS-2)');
      expect(await page.getByTestId('sms-characters').textContent()).toBe('٧١');
      expect(await page.getByTestId('sms-parts').textContent()).toBe('جزءان');
      expect(await page.getByTestId('sms-per-part').textContent()).toBe('٦٧');
      expect(await page.getByTestId('sms-remaining').textContent()).toBe('٦٣');
      const forced = await page.getByTestId('sms-forced').locator('li').allTextContents();
      expect(forced.slice(0, 3)).toEqual(['ع', 'ز', 'ي']);
      expect(forced).not.toContain(' ');

      // A price typed in Arabic digits with the Arabic decimal separator.
      await page.getByTestId('sms-price').fill('٠٫٠٥');
      await expect.poll(() => page.getByTestId('sms-cost').textContent(), { timeout: 10_000 }).toBe('٠٫١');
      await page.getByTestId('template-save').click();
      await expect
        .poll(() => page.getByTestId('template-saved').textContent())
        .toBe('حُفظ القالب (النسخة ١).');
      await shot('ar-messaging-sms');

      // One character fewer fits in one part, exactly.
      await page.getByTestId('template-body').fill(SMS_71.slice(0, 70));
      await expect.poll(() => counter.getAttribute('data-parts'), { timeout: 15_000 }).toBe('1');
      expect(await page.getByTestId('sms-remaining').textContent()).toBe('٠');
      expect(await page.getByTestId('sms-per-part').textContent()).toBe('٧٠');
      // Latin text is GSM-7: 160 to a part, nothing forced Unicode.
      await page.getByTestId('template-body').fill('Spring sale at Al-Ward: 20% off today');
      await expect.poll(() => counter.getAttribute('data-encoding'), { timeout: 15_000 }).toBe('gsm7');
      expect(await page.getByTestId('sms-remaining').textContent()).toBe('١٢٣');
      expect(await page.getByTestId('sms-forced-none').count()).toBe(1);
    });

    it('adds a sender identity and shows the exact DNS records to publish, then checks them', async () => {
      await page.getByTestId('nav-messaging').click();
      await page.getByTestId('messaging-tab-senders').click();
      await page.getByTestId('sender-from').fill('news@shop.example.sa');
      await page.getByTestId('sender-name').fill('متجر الورد');
      await page.getByTestId('sender-reply-to').fill('care@shop.example.sa');
      await page.getByTestId('sender-submit').click();
      const card = page.getByTestId('sender');
      await card.waitFor();
      const listed = await api.get(`/api/workspaces/${ws}/senders`);
      const [sender] = ((await listed.json()) as { senders: Sender[] }).senders;
      expect(sender?.fromAddress).toBe('news@shop.example.sa');
      // Before any check: the DKIM record made with the key, to copy.
      expect(await card.getByTestId('dns-not-checked').count()).toBe(1);
      expect(await card.getByTestId('dns-name-dkim').inputValue()).toBe(sender?.dkim.recordName);
      expect(sender?.dkim.recordName).toBe(`${sender?.dkim.selector}._domainkey.shop.example.sa`);
      expect(await card.getByTestId('dns-value-dkim').textContent()).toBe(sender?.dkim.recordValue);
      expect(sender?.dkim.recordValue).toMatch(/^v=DKIM1; k=rsa; p=[A-Za-z0-9+/=]+$/);

      await card.getByTestId('dns-check').click();
      const records = card.getByTestId('dns-record');
      await expect.poll(() => records.count(), { timeout: 30_000 }).toBe(3);
      const checked = await api.get(`/api/workspaces/${ws}/senders/${sender?.id}`);
      const { dns } = ((await checked.json()) as { sender: Sender }).sender;
      expect(await records.evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')))).toEqual(
        dns?.records.map((r) => r.kind),
      );
      expect(new Set(dns?.records.map((r) => r.kind))).toEqual(new Set(['spf', 'dkim', 'dmarc']));
      for (const record of dns?.records ?? []) {
        const shown = card.locator(`[data-testid="dns-record"][data-kind="${record.kind}"]`);
        expect(await shown.getAttribute('data-ok')).toBe(String(record.ok));
        expect(await shown.getByTestId(`dns-name-${record.kind}`).inputValue()).toBe(record.name);
        expect(await shown.getByTestId(`dns-value-${record.kind}`).textContent()).toBe(record.expected);
        expect(await shown.getByTestId('dns-message').textContent()).toMatch(/[\u0600-\u06ff]/);
      }
      const byKind = new Map(dns?.records.map((r) => [r.kind, r]));
      expect(byKind.get('spf')?.expected).toMatch(/^v=spf1 .* [~-]all$/);
      expect(byKind.get('dkim')?.expected).toBe(sender?.dkim.recordValue);
      expect(byKind.get('dmarc')?.name).toBe('_dmarc.shop.example.sa');
      expect(byKind.get('dmarc')?.expected).toMatch(/^v=DMARC1; p=/);
      // Nothing is published for shop.example.sa: every record needs fixing, and the page says so.
      expect(await card.getByTestId('dns-summary').getAttribute('data-ok')).toBe(String(dns?.ok));
      expect(await card.getByTestId('dns-check').textContent()).toBe('إعادة الفحص');
      await shot('ar-messaging-senders');
    });

    it('shows the screens in English, left to right', async () => {
      await page.getByTestId('language-en').click();
      await expect.poll(htmlDir).toBe('ltr');
      expect(await page.getByTestId('dns-check').first().textContent()).toBe('Check again');
      await shot('en-messaging-senders');

      await page.goto(`${base}/messaging/templates/${templateId}`);
      await frame().getByText(GREETING).waitFor({ timeout: 15_000 });
      // The Arabic template keeps its own direction inside the English page.
      expect(await frame().locator('html').getAttribute('dir')).toBe('rtl');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Edit “ترحيب الربيع”');
      await tallShot('en-messaging-email');

      await page.getByTestId('template-back').click();
      expect(await page.getByTestId('templates-count').textContent()).toBe('2 templates');
      await page.getByTestId('new-sms-template').click();
      await page.getByTestId('template-body').fill(SMS_71);
      await expect
        .poll(() => page.getByTestId('sms-parts').textContent(), { timeout: 15_000 })
        .toBe('2 parts');
      expect(await page.getByTestId('sms-characters').textContent()).toBe('71');
      await shot('en-messaging-sms');
    });
  },
);
