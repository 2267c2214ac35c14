import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, type OwnerServer, SHOTS, signedInPage, startWithOwner } from './owner-session.ts';

/**
 * The audience screens in Debian's Chromium against a real `wasl start`: a marketer in Riyadh
 * signs in, adds a contact with an Arabic name and a local Saudi number (saved as E.164),
 * imports a small CSV with one bad row through the page and follows it to the end, then changes
 * a consent. Screenshots go to test-artifacts/.
 */

// Line 1 is the header; line 4 has neither a valid email nor a phone, so it cannot import. Sixty
// rows in all, so the contacts list needs a second page.
const CSV = [
  'الاسم,البريد الإلكتروني,الجوال,المدينة',
  'ريم,reem@example.com,0551112222,جدة',
  'فهد,fahad@example.com,,الرياض',
  'خالد,not-an-email,,الدمام',
  'Lina,lina@example.com,+971501234567,Dubai',
  ...Array.from(
    { length: 56 },
    (_, i) => `عميل ${i + 1},customer${i + 1}@example.com,05${String(60000000 + i)},مكة`,
  ),
].join('\r\n');

describe.skipIf(!existsSync(CHROMIUM))(`audience in Chromium (${CHROMIUM})`, { timeout: 240_000 }, () => {
  let owner: OwnerServer;
  let browser: Browser;
  let page: Page;
  let api: APIRequestContext;
  let base: string;

  const shot = (name: string, fullPage = true) =>
    page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage });
  const htmlDir = () => page.evaluate(() => document.documentElement.dir);
  const rows = () => page.getByTestId('contact-row');

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    owner = await startWithOwner();
    ({ base, api } = owner);
    const headers = owner.csrf;
    const zone = await api.patch(`/api/workspaces/${owner.workspaceId}`, {
      headers,
      data: { timezone: 'Asia/Riyadh' },
    });
    expect(zone.status()).toBe(200);
    const attribute = await api.post(`/api/workspaces/${owner.workspaceId}/attributes`, {
      headers,
      data: { key: 'tier', label: 'مستوى العضوية', type: 'list', options: ['ذهبي', 'فضي'] },
    });
    expect(attribute.status()).toBe(201);

    ({ browser, page } = await signedInPage(base));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await owner?.close();
  });

  it('adds a contact in Arabic: the API error at its field, then the local phone saved as E.164', async () => {
    await page.getByTestId('nav-contacts').click();
    await page.getByTestId('contacts-empty').waitFor();
    expect(await htmlDir()).toBe('rtl');

    await page.getByTestId('contacts-empty-add').click();
    const dialog = page.getByTestId('contact-add-dialog');
    await dialog.getByTestId('contact-firstName').fill('نورة');
    await dialog.getByTestId('contact-lastName').fill('العتيبي');
    await dialog.getByTestId('contact-phone').fill('0501234567');
    await dialog.getByTestId('contact-email').fill('noura@');
    await dialog.getByTestId('contact-attr-tier').selectOption('ذهبي');
    await dialog.getByTestId('contact-add-submit').click();

    // The server refuses the email; its message sits under the email field, which takes focus.
    const email = dialog.getByTestId('contact-email');
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
    const errorText = await page.locator(`[id="${describedBy.split(' ')[0]}"]`).textContent();
    expect(errorText).toContain('noura@');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('contact-email');
    await shot('ar-contact-add');

    await email.fill('');
    await dialog.getByTestId('contact-add-submit').click();
    await expect.poll(() => rows().count()).toBe(1);
    expect(await dialog.isVisible()).toBe(false);
    expect(await page.getByTestId('contact-added').textContent()).toContain(
      'أُضيفت نورة العتيبي إلى جهات الاتصال.',
    );
    const row = rows().first();
    expect(await row.getByTestId('contact-link').textContent()).toBe('نورة العتيبي');
    const phone = row.getByTestId('contact-phone').locator('bdi');
    expect(await phone.textContent()).toBe('+966501234567');
    expect(await phone.getAttribute('dir')).toBe('ltr');
    expect(await page.getByTestId('contacts-count').textContent()).toBe('١ جهة اتصال');
  });

  it('imports a CSV with one bad row and follows the progress to the end', async () => {
    await page.getByTestId('audience-tab-import').click();
    await page.getByTestId('import-file').setInputFiles({
      name: 'عملاء.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(CSV, 'utf8'),
    });
    const review = page.getByTestId('import-review');
    await review.waitFor();
    expect(await page.getByTestId('import-encoding').textContent()).toBe('utf-8');
    const targets = await page
      .getByTestId('mapping-row')
      .evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-header'), tr.querySelector('select')?.value ?? '']),
      );
    expect(targets).toEqual([
      ['الاسم', 'first_name'],
      ['البريد الإلكتروني', 'email'],
      ['الجوال', 'phone'],
      ['المدينة', 'city'],
    ]);
    // The preview already names the bad line.
    const previewLines = await page
      .getByTestId('import-preview-problems')
      .getByTestId('problem-row')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-line')));
    expect(previewLines).toContain('4');
    // Reading the sample with the server's mapping: the Saudi number in E.164.
    expect(await page.getByTestId('import-sample').textContent()).toContain('+966551112222');
    await shot('ar-import-review');

    await page.getByTestId('import-start').click();
    await page.waitForURL(/\/contacts\/imports\/[\w-]+$/);
    const progress = page.getByTestId('import-progress');
    await expect
      .poll(() => progress.getByTestId('import-status').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('done');
    expect(await page.getByTestId('import-errors-count').textContent()).toBe('خطأ واحد');
    expect(await page.getByTestId('import-count-inserted').textContent()).toBe('٥٩');
    expect(await page.getByTestId('import-count-rowsRead').textContent()).toBe('٦٠');
    expect(await page.getByTestId('import-count-failed').textContent()).toBe('١');
    expect(await page.getByTestId('import-percent').textContent()).toMatch(/^١٠٠٪/);
    const problem = page.getByTestId('import-problems').getByTestId('problem-row');
    await expect.poll(() => problem.count()).toBe(1);
    expect(await problem.getAttribute('data-line')).toBe('4');
    expect(await problem.getByTestId('problem-line').textContent()).toBe('٤');

    // The problems as CSV: BOM, the line and the value at fault.
    const csvHref = await page.getByTestId('import-errors-csv').getAttribute('href');
    const csv = await (await page.request.get(`${base}${csvHref}`)).body();
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8')).toMatch(/\r\n4,[^\r\n]*not-an-email/);
    // The bar fills from the inline start, the right in Arabic, to the end.
    const bar = page.getByTestId('import-progressbar');
    expect(await bar.getAttribute('aria-valuenow')).toBe('100');
    const fill = async () => {
      const [outer, inner] = [await bar.boundingBox(), await bar.locator('div').boundingBox()];
      return outer && inner
        ? [Math.round(inner.width - outer.width), Math.round(inner.x + inner.width - (outer.x + outer.width))]
        : null;
    };
    await expect.poll(fill).toEqual([0, 0]);
    await page.waitForLoadState('networkidle');
    await shot('ar-import');

    await page.getByTestId('import-view-contacts').click();
    // Newest first, fifty a page; the next page brings the first contact added.
    await expect.poll(() => rows().count()).toBe(50);
    expect(await page.getByTestId('contacts-count').textContent()).toBe('٥٠ جهة اتصال · وهناك المزيد');
    await page.getByTestId('contacts-load-more').click();
    await expect.poll(() => rows().count()).toBe(60);
    expect(await page.getByTestId('contacts-count').textContent()).toBe('٦٠ جهة اتصال');
    expect(await rows().last().getByTestId('contact-link').textContent()).toBe('نورة العتيبي');
    await page.waitForLoadState('networkidle');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('ar-contacts', false);
  });

  it('searches, opens a contact and records a consent change after confirming', async () => {
    await page.getByTestId('contacts-search').fill('نور');
    await expect.poll(() => rows().count()).toBe(1);
    await rows().first().getByTestId('contact-link').click();
    await page.getByTestId('consent-panel').waitFor();
    const emailConsent = page.locator('[data-testid="consent-row"][data-channel="email"]').first();
    await emailConsent.getByTestId('consent-status').selectOption('granted');
    await page.getByTestId('confirm-dialog-confirm').click();
    await expect
      .poll(() => page.getByTestId('consent-changed').textContent())
      .toBe('أصبحت موافقة البريد الإلكتروني: موافق.');
    expect(await emailConsent.getByTestId('consent-status').inputValue()).toBe('granted');
    expect(await emailConsent.textContent()).toContain('لوحة التحكم');

    // Edit sends only the changed field.
    await page.getByTestId('contact-edit').click();
    await page.getByTestId('contact-city').fill('الرياض');
    const patch = page.waitForRequest((r) => r.method() === 'PATCH');
    await page.getByTestId('contact-save').click();
    expect((await patch).postDataJSON()).toEqual({ city: 'الرياض' });
    await expect.poll(() => page.getByTestId('contact-saved').textContent()).toBe('حُفظت التغييرات.');
    expect(await page.getByTestId('contact-facts').textContent()).toContain('الرياض');
    await page.waitForLoadState('networkidle');
    await shot('ar-contact');
  });

  it('adds a custom field, refuses a bad key at its field, renames it and adds options', async () => {
    await page.goto(`${base}/contacts/attributes`);
    const table = page.getByTestId('attributes-table');
    await expect.poll(() => table.getByTestId('attribute-row').count()).toBe(1);
    await page.getByTestId('attribute-label').fill('المدينة المفضلة');
    await page.getByTestId('attribute-key').fill('Fav City');
    await page.getByTestId('attribute-type').selectOption('list');
    await page.getByTestId('attribute-options').fill('الرياض\nجدة\n\nجدة');
    await page.getByTestId('attribute-add-submit').click();
    const key = page.getByTestId('attribute-key');
    await expect.poll(() => key.getAttribute('aria-invalid')).toBe('true');

    await key.fill('fav_city');
    await page.getByTestId('attribute-add-submit').click();
    await expect
      .poll(() => page.getByTestId('attribute-added').textContent())
      .toBe('أُضيف الحقل «المدينة المفضلة».');
    const row = table.locator('[data-testid="attribute-row"][data-key="fav_city"]');
    expect(await row.textContent()).toContain('الرياض، جدة');
    expect(await page.getByTestId('attributes-count').textContent()).toBe('حقلان');

    await row.getByTestId('attribute-edit').click();
    await page.getByTestId('attribute-edit-label').fill('مدينة التسوق');
    await page.getByTestId('attribute-edit-options').fill('الدمام');
    await page.getByTestId('attribute-edit-save').click();
    await expect
      .poll(() => page.getByTestId('attribute-saved').textContent())
      .toBe('حُفظ الحقل «مدينة التسوق».');
    expect(await row.textContent()).toContain('مدينة التسوق');
    expect(await row.textContent()).toContain('الرياض، جدة، الدمام');
    await page.waitForLoadState('networkidle');
    await shot('ar-attributes');
  });

  it('shows the contacts in English, left to right, every control labelled', async () => {
    await page.getByTestId('language-en').click();
    await expect.poll(() => htmlDir()).toBe('ltr');
    await page.getByTestId('audience-tab-contacts').click();
    await expect.poll(() => rows().count()).toBe(50);
    expect(await page.getByTestId('contacts-count').textContent()).toBe('50 contacts · and more');
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLInputElement>('input:not([type=hidden]), select, textarea')]
        .filter(
          (el) =>
            el.labels?.length === 0 && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'),
        )
        .map((el) => el.outerHTML.slice(0, 120)),
    );
    expect(unlabelled).toEqual([]);
    await page.waitForLoadState('networkidle');
    await shot('en-contacts', false);
  });
});
