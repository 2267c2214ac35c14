import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { APIRequestContext, Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, type OwnerServer, SHOTS, signedInPage, startWithOwner } from './owner-session.ts';

/**
 * Segments in Debian's Chromium against a real `wasl start`: contacts in Arabic cities come in
 * through the API, then a marketer builds "city = الرياض and stage = lead" in Arabic, watches the
 * live estimate reach the exact count, saves, sees the members and the personas' city bar, and
 * gets a warning on a contradictory condition. Then a B2B segment: retail accounts whose contacts
 * bought perfume between two dates typed in the workspace's time zone, checked through the API.
 * Screenshots go to test-artifacts/.
 */

const CONTACTS = [
  { firstName: 'نورة', email: 'noura@example.com', city: 'الرياض', lifecycleStage: 'lead' },
  { firstName: 'فهد', email: 'fahad@example.com', city: 'الرياض', lifecycleStage: 'lead' },
  { firstName: 'ريم', email: 'reem@example.com', city: 'الرياض', lifecycleStage: 'lead' },
  { firstName: 'خالد', email: 'khalid@example.com', city: 'الرياض', lifecycleStage: 'customer' },
  { firstName: 'سلمى', email: 'salma@example.com', city: 'جدة', lifecycleStage: 'lead' },
];

describe.skipIf(!existsSync(CHROMIUM))(`segments in Chromium (${CHROMIUM})`, { timeout: 120_000 }, () => {
  let owner: OwnerServer;
  let browser: Browser;
  let page: Page;
  let base: string;
  let api: APIRequestContext;
  let ws: string;
  let csrf: string;

  const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const conditions = () => page.getByTestId('segment-condition');
  const count = (estimate: Locator) => estimate.getByTestId('estimate-count').getAttribute('data-count');

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    owner = await startWithOwner();
    ({ base, api } = owner);
    ws = owner.workspaceId;
    csrf = owner.csrf['x-csrf-token'];
    for (const contact of CONTACTS) {
      const created = await api.post(`/api/workspaces/${ws}/contacts`, {
        headers: { 'x-csrf-token': csrf },
        data: contact,
      });
      expect(created.status()).toBe(201);
    }

    ({ browser, page } = await signedInPage(base));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await owner?.close();
  });

  it('builds a segment in Arabic, sees the exact estimate, saves it and sees its members', async () => {
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('audience-tab-segments').click();
    await page.getByTestId('segments-empty').waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.getByTestId('segment-new').click();

    await page.getByTestId('segment-name').fill('عملاء محتملون في الرياض');
    await conditions().nth(0).getByTestId('condition-value').fill('الرياض');
    const estimate = page.getByTestId('segment-estimate');
    await expect.poll(() => count(estimate), { timeout: 10_000 }).toBe('4');

    await page.getByTestId('add-condition').last().click();
    const stage = conditions().nth(1);
    await stage.getByTestId('condition-field').selectOption('lifecycle_stage');
    await stage.getByTestId('condition-value').selectOption('lead');
    await expect.poll(() => count(estimate), { timeout: 10_000 }).toBe('3');
    expect(await estimate.getByTestId('estimate-count').textContent()).toBe('٣ جهات اتصال تطابق الآن');
    expect(await estimate.getByTestId('estimate-took').textContent()).toMatch(/^في [٠-٩]+ م\.ث$/);

    await page.getByTestId('segment-save').click();
    await page.waitForURL(/\/contacts\/segments\/[^/]+\?tab=members$/);
    // Membership is evaluated in the background right after the save.
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByTestId('segment-member-count').waitFor();
          return page.getByTestId('contact-row').count();
        },
        { timeout: 15_000 },
      )
      .toBe(3);
    const names = await page.getByTestId('contact-link').allTextContents();
    expect(names.sort()).toEqual(['ريم', 'فهد', 'نورة']);
    expect(await page.getByTestId('segment-export').getAttribute('href')).toMatch(
      /\/segments\/[^/]+\/export$/,
    );
  });

  it('shows the personas with a city bar', async () => {
    await page.getByTestId('seo-tab-personas').click();
    const city = page.getByTestId('persona-city').getByTestId('persona-bar');
    await expect.poll(() => city.count(), { timeout: 10_000 }).toBe(1);
    expect(await city.first().getAttribute('data-value')).toBe('الرياض');
    expect(await city.first().getAttribute('data-count')).toBe('3');
    expect(await page.getByTestId('persona-members').textContent()).toContain('٣ أعضاء');
    expect(await page.getByTestId('personas-export').getAttribute('href')).toMatch(/\/personas\?format=csv$/);
    await page.waitForLoadState('networkidle');
    await shot('ar-personas');
  });

  it('warns at the contradictory condition, in Arabic then in English', async () => {
    await page.getByTestId('seo-tab-rules').click();
    await page.getByTestId('add-condition').last().click();
    const third = conditions().nth(2);
    await third.getByTestId('condition-value').fill('جدة');
    const warning = third.getByTestId('condition-warning');
    await warning.waitFor({ timeout: 10_000 });
    expect(await warning.textContent()).toBe(
      'تنبيه: «المدينة» لا يمكن أن يساوي "الرياض" و"جدة" معًا: لن يطابق أحد.',
    );
    expect(await conditions().nth(0).getByTestId('condition-warning').count()).toBe(0);
    await expect.poll(() => count(page.getByTestId('segment-estimate'))).toBe('0');
    await page.waitForLoadState('networkidle');
    await shot('ar-segment-editor');

    await page.getByTestId('language-en').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('ltr');
    await expect
      .poll(() => third.getByTestId('condition-warning').textContent())
      .toBe('Warning: “City” cannot equal both "الرياض" and "جدة": nobody will match.');
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLInputElement>('input:not([type=hidden]), select, textarea')]
        .filter((el) => el.labels?.length === 0 && !el.getAttribute('aria-label'))
        .map((el) => el.outerHTML.slice(0, 120)),
    );
    expect(unlabelled).toEqual([]);
    await shot('en-segment-editor');

    // A value the server refuses (over 1,000 characters): its 400 shows at the condition it names.
    await third.getByTestId('condition-value').fill('x'.repeat(1001));
    const error = third.getByTestId('condition-error');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.textContent()).toMatch(/^root\.conditions\[2\]\.value: /);
    expect(await conditions().nth(0).getByTestId('condition-error').count()).toBe(0);
  });

  it('refuses to delete a segment another one uses, with the reason in the dialog', async () => {
    const segments = await api.get(`/api/workspaces/${ws}/segments`);
    const [first] = ((await segments.json()) as { segments: { id: string }[] }).segments;
    const user = await api.post(`/api/workspaces/${ws}/segments`, {
      headers: { 'x-csrf-token': csrf },
      data: {
        name: 'Uses it',
        definition: {
          root: { match: 'all', conditions: [{ kind: 'segment', segmentId: first?.id, member: true }] },
        },
      },
    });
    expect(user.status()).toBe(201);
    await page.getByTestId('audience-tab-segments').click();
    const row = page.getByTestId('segment-row').filter({ hasText: 'عملاء محتملون في الرياض' });
    expect(await row.getByTestId('segment-count').textContent()).toBe('3 members');
    await row.getByTestId('segment-delete').click();
    await page.getByTestId('confirm-dialog-confirm').click();
    const alert = page.getByTestId('confirm-dialog').getByRole('alert');
    await expect
      .poll(() => alert.textContent())
      .toBe(
        '“عملاء محتملون في الرياض” cannot be deleted: segment "Uses it" uses this segment; change it first',
      );
    await page.getByTestId('confirm-dialog-cancel').click();
    // The refusal refreshes the list, which now shows the segment created through the API.
    await expect.poll(() => page.getByTestId('segment-row').count()).toBe(2);
  });

  it('compares personas side by side and exports both as CSV', async () => {
    await page
      .getByTestId('segment-row')
      .filter({ hasText: 'عملاء محتملون في الرياض' })
      .getByTestId('segment-link')
      .click();
    await page.getByTestId('seo-tab-personas').click();
    await page.getByTestId('persona-city').first().waitFor();
    await page.getByTestId('personas-compare').selectOption({ label: 'Uses it' });
    // Membership of the referring segment is evaluated in the background, like any save.
    await expect
      .poll(async () => (await page.getByTestId('persona-members').allTextContents()).join(' | '), {
        timeout: 10_000,
      })
      .toBe('عملاء محتملون في الرياض: 3 members | Uses it: 3 members');
    expect(await page.getByTestId('persona-city').count()).toBe(2);
    const href = (await page.getByTestId('personas-export').getAttribute('href')) ?? '';
    expect(href).toMatch(/\/personas\?compare=[^&]+&format=csv$/);
    const csv = await (await page.request.get(`${base}${href}`)).text();
    expect(csv.split(/\r?\n/)[0]).toBe('\uFEFFsegment,dimension,value,count,share');
    expect(csv).toContain('عملاء محتملون في الرياض,city,الرياض,3,1');
    expect(csv).toContain('Uses it,city,الرياض,3,1');

    const members = await page.request.get(
      `${base}/api/workspaces/${ws}/segments/${href.split('/')[5]}/export`,
    );
    // Not trim(): it would take the byte-order mark with it.
    const lines = (await members.text()).split(/\r\n/).filter((l) => l !== '');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe(
      '\uFEFFid,email,phone,first_name,last_name,city,country,lifecycle_stage,lead_score,created_at',
    );
  });

  it('builds an account condition and an event with property filters in an absolute window', async () => {
    const write = { headers: { 'x-csrf-token': csrf } };
    const zone = await api.patch(`/api/workspaces/${ws}`, { ...write, data: { timezone: 'Asia/Riyadh' } });
    expect(zone.status()).toBe(200);

    // Three buyers: one in a retail account who bought perfume in the window, one in the same account
    // who bought watches in it and perfume after it, one who bought perfume in it in a factory.
    const contact = async (firstName: string, email: string) => {
      const res = await api.post(`/api/workspaces/${ws}/contacts`, { ...write, data: { firstName, email } });
      expect(res.status()).toBe(201);
      return ((await res.json()) as { contact: { id: string } }).contact.id;
    };
    const haya = await contact('هيا', 'haya@example.com');
    const munira = await contact('منيرة', 'munira@example.com');
    const abdullah = await contact('عبدالله', 'abdullah@example.com');
    const account = async (name: string, industry: string, contactIds: string[]) => {
      const res = await api.post(`/api/workspaces/${ws}/accounts`, { ...write, data: { name, industry } });
      expect(res.status()).toBe(201);
      const { id } = ((await res.json()) as { account: { id: string } }).account;
      const set = await api.put(`/api/workspaces/${ws}/accounts/${id}/contacts`, {
        ...write,
        data: { contactIds },
      });
      expect(set.status()).toBe(200);
    };
    await account('شركة النخيل', 'التجزئة', [haya, munira]);
    await account('مصنع الأمل', 'الصناعة', [abdullah]);

    const site = await api.post(`/api/workspaces/${ws}/sites`, {
      ...write,
      data: { name: 'متجر الورد', domain: 'roses.example' },
    });
    expect(site.status()).toBe(201);
    const { key } = ((await site.json()) as { site: { key: string } }).site;
    const DAY = 86_400_000;
    const now = Date.now();
    const purchase = (userId: string, daysAgo: number, properties: object) => ({
      type: 'track',
      event: 'purchase',
      userId,
      timestamp: new Date(now - daysAgo * DAY).toISOString(),
      properties,
    });
    const sent = await api.post('/v1/batch', {
      headers: { authorization: `Basic ${Buffer.from(`${key}:`).toString('base64')}` },
      data: {
        batch: [
          purchase(haya, 5, { category: 'عطور', cart: { total: 300 } }),
          purchase(munira, 5, { category: 'ساعات', cart: { total: 300 } }),
          purchase(munira, 1, { category: 'عطور', cart: { total: 300 } }),
          purchase(abdullah, 5, { category: 'عطور', cart: { total: 300 } }),
        ],
      },
    });
    expect(sent.status()).toBe(200);

    // From ten days ago to two days ago, to the minute, as Riyadh's clock (UTC+3, no summer time) reads.
    const minute = (ms: number) => Math.floor(ms / 60_000) * 60_000;
    const [from, to] = [minute(now - 10 * DAY), minute(now - 2 * DAY)];
    const riyadh = (ms: number) => new Date(ms + 3 * 3_600_000).toISOString().slice(0, 16);
    const instant = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
    const expected = {
      root: {
        match: 'all',
        conditions: [
          { kind: 'account', field: 'industry', operator: 'eq', value: 'التجزئة' },
          {
            kind: 'event',
            name: 'purchase',
            properties: [
              { path: 'category', operator: 'eq', value: 'عطور' },
              { path: 'cart.total', operator: 'gte', value: 100 },
            ],
            did: true,
            window: { from: instant(from), to: instant(to) },
          },
        ],
      },
    };
    // The engine counts the absolute window once the batch is written (about every second).
    await expect
      .poll(
        async () => {
          const res = await api.post(`/api/workspaces/${ws}/segments/estimate`, {
            ...write,
            data: { definition: expected },
          });
          return ((await res.json()) as { count?: number }).count;
        },
        { timeout: 15_000 },
      )
      .toBe(1);

    // The dashboard read the workspace (and its zone) before the change above.
    await page.reload();
    await page.getByTestId('language-ar').click();
    await page.getByTestId('audience-tab-segments').click();
    await page.getByTestId('segment-new').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await page.getByTestId('segment-name').fill('متاجر التجزئة: مشترو العطور');

    const accountCondition = conditions().nth(0);
    await accountCondition.getByTestId('condition-kind').selectOption('account');
    await accountCondition.getByTestId('account-field').selectOption('industry');
    expect(await accountCondition.getByTestId('account-field').locator('option:checked').textContent()).toBe(
      'القطاع',
    );
    await accountCondition.getByTestId('condition-value').fill('التجزئة');

    await page.getByTestId('add-condition').last().click();
    const event = conditions().nth(1);
    await event.getByTestId('condition-kind').selectOption('event');
    // A named event needs its name: said at the name's input before anything is sent.
    const fieldError = (field: string) =>
      event.locator(`[data-testid=condition-error][data-field="${field}"]`);
    expect(await fieldError('name').textContent()).toBe('أدخل قيمة.');
    await expect.poll(() => page.getByTestId('segment-save').isDisabled()).toBe(true);
    // One the server refuses (over 200 characters): its 400 shows at the same input.
    await event.getByTestId('condition-event-name').fill('ش'.repeat(201));
    await expect
      .poll(() => fieldError('name').textContent(), { timeout: 10_000 })
      .toMatch(/^root\.conditions\[1\]\.name: /);
    expect(await event.getByTestId('condition-event-name').getAttribute('aria-invalid')).toBe('true');
    await event.getByTestId('condition-event-name').fill('purchase');
    await expect.poll(() => fieldError('name').count()).toBe(0);

    await event.getByTestId('property-add').click();
    const category = event.getByTestId('property-filter').nth(0);
    await category.getByTestId('property-path').fill('category');
    await category.getByTestId('property-value').fill('عطور');
    await event.getByTestId('property-add').click();
    const total = event.getByTestId('property-filter').nth(1);
    await total.getByTestId('property-path').fill('cart..total');
    await total.getByTestId('property-type').selectOption('number');
    await total.getByTestId('property-operator').selectOption('gte');
    await total.getByTestId('property-value').fill('100');
    expect(await fieldError('properties[1].path').textContent()).toBe(
      'اكتب اسم الخاصية، أو مسارًا مثل a.b بلا نقاط فارغة.',
    );
    await total.getByTestId('property-path').fill('cart.total');

    await event.getByTestId('window-mode').selectOption('range');
    await event.getByTestId('window-from').fill(riyadh(from));
    // An end before the start is named at the end's input.
    await event.getByTestId('window-to').fill(riyadh(from - DAY));
    expect(await fieldError('window.to').textContent()).toBe('يجب أن تأتي نهاية الفترة بعد بدايتها.');
    expect(await event.getByTestId('window-to').getAttribute('aria-invalid')).toBe('true');
    await shot('ar-segment-window-error');
    await event.getByTestId('window-to').fill(riyadh(to));
    expect(await fieldError('window.to').count()).toBe(0);
    expect(await event.getByTestId('window-from').getAttribute('dir')).toBe('ltr');
    expect(await event.getByText('بتوقيت Asia/Riyadh').count()).toBe(2);

    const estimate = page.getByTestId('segment-estimate');
    await expect.poll(() => count(estimate), { timeout: 10_000 }).toBe('1');
    expect(await estimate.getByTestId('estimate-count').textContent()).toBe('جهة اتصال واحدة تطابق الآن');
    await page.waitForLoadState('networkidle');
    await shot('ar-segment-account-event');

    await page.getByTestId('segment-save').click();
    await page.waitForURL(/\/contacts\/segments\/[^/]+\?tab=members$/);
    const id = new URL(page.url()).pathname.split('/').pop();
    const stored = await api.get(`/api/workspaces/${ws}/segments/${id}`);
    expect(((await stored.json()) as { segment: { definition: unknown } }).segment.definition).toEqual(
      expected,
    );
    await expect
      .poll(
        async () => {
          await page.reload();
          await page.getByTestId('segment-member-count').waitFor();
          return page.getByTestId('contact-link').allTextContents();
        },
        { timeout: 15_000 },
      )
      .toEqual(['هيا']);

    // Loaded back from the server, the editor shows what was built, in Riyadh's time.
    await page.getByTestId('seo-tab-rules').click();
    const loaded = conditions().nth(1);
    // The dates wait for the workspace's zone, then show its clock.
    await expect.poll(() => loaded.getByTestId('window-from').inputValue()).toBe(riyadh(from));
    expect(await loaded.getByTestId('window-to').inputValue()).toBe(riyadh(to));
    expect(await loaded.getByTestId('property-path').nth(1).inputValue()).toBe('cart.total');
    expect(await conditions().nth(0).getByTestId('condition-value').inputValue()).toBe('التجزئة');
    await expect.poll(() => count(page.getByTestId('segment-estimate')), { timeout: 10_000 }).toBe('1');
    await page.waitForLoadState('networkidle');
    await shot('ar-segment-account-event-loaded');
  });
});
