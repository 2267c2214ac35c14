import { readFileSync } from 'node:fs';
import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { createEngine, tidy } from '../../src/templates/engine.ts';
import { type CompiledTemplate, compileTemplate, render } from '../../src/templates/index.ts';
import { tidyText } from '../../src/templates/plaintext.ts';
import { FSI, iso, PDI } from './helpers.ts';
import { newsletterContext, newsletterFields } from './newsletter.ts';

const mjml = readFileSync(new URL('./fixtures/newsletter.ar.mjml', import.meta.url), 'utf8');
const settings = { locale: 'ar-SA', timeZone: 'Asia/Riyadh' };

const compileNewsletter = async (): Promise<CompiledTemplate> => {
  const compiled = await compileTemplate(
    {
      subject: '{{ campaign.name }}: أخبار {{ contact.first_name }}',
      mjml,
      dir: 'rtl',
      lang: 'ar-SA',
      timeZone: 'Asia/Riyadh',
    },
    { fields: newsletterFields },
  );
  if (!compiled.ok) throw new Error(compiled.error.message);
  return compiled.value;
};

describe('the Arabic newsletter fixture', () => {
  it('renders one recipient with Arabic numbers, plurals, Hijri dates and isolated values', async () => {
    const compiled = await compileNewsletter();
    const out = render(compiled, newsletterContext(3));
    if (!out.ok) throw new Error(out.error.message);
    const lines = out.value.text.split('\n');
    expect(out.value.subject).toBe(`${iso('نشرة مارس')}: أخبار ${iso('Sarah')}`);
    expect(lines.slice(0, 5)).toEqual([
      'نشرة وصل الشهرية',
      '',
      iso('\u0661 شوال \u0661\u0664\u0664\u0667 هـ'),
      '',
      `مرحبًا ${iso('Sarah')}،`,
    ]);
    expect(lines).toContain(
      `رصيدك الحالي: ${iso('\u0661\u066c\u0662\u0665\u0663')} نقطة، وعدد طلباتك المكتملة: ${iso('\u0663 طلبات')}.`,
    );
    expect(lines).toContain(
      `تنتهي العروض في ${iso('الجمعة، \u0662\u0667 مارس \u0662\u0660\u0662\u0666')} الموافق ${iso('الجمعة، \u0668 شوال \u0661\u0664\u0664\u0667 هـ')}، أو عند نفاد الكمية.`,
    );
    expect(lines).toContain('القهوة السعودية [https://blog.example.sa/coffee?c=c3]');
    expect(lines.at(-1)).toBe(
      'إلغاء الاشتراك [https://wasl.example.sa/u/3?sig=abc] · تعديل التفضيلات [https://shop.example.sa/preferences?c=c3]',
    );

    const doc = parseDocument(out.value.html);
    const hrefs = DomUtils.findAll((e) => e.name === 'a', doc.children).map((a) => a.attribs.href ?? '');
    expect(hrefs).toContain('https://shop.example.sa/account?ref=cmp-42&c=c3');
    expect(hrefs).toContain('https://wasl.example.sa/u/3?sig=abc');
    expect(hrefs.filter((href) => href.includes(FSI) || href.includes(PDI) || href.includes('{{'))).toEqual(
      [],
    );
    // The RTL defaults merge with the author's own mj-attributes; an explicit align="center" wins.
    const textAligns = DomUtils.findAll(
      (e) => e.name === 'div' && (e.attribs.style ?? '').startsWith('font-family:Tahoma'),
      doc.children,
    ).map((div) => /text-align:(\w+)/.exec(div.attribs.style ?? '')?.[1]);
    expect(textAligns).toEqual([...Array(15).fill('right'), 'center']);
    const title = DomUtils.findOne((e) => e.name === 'title', doc.children);
    expect(title && DomUtils.textContent(title)).toBe(iso('نشرة مارس'));
  });

  it('greets a recipient without a first name cleanly and uses the default in the preview', async () => {
    const compiled = await compileNewsletter();
    const out = render(compiled, newsletterContext(0));
    if (!out.ok) throw new Error(out.error.message);
    expect(out.value.subject).toBe(`${iso('نشرة مارس')}: أخبار`);
    expect(out.value.text.split('\n')[4]).toBe('مرحبًا،');
    expect(out.value.html).toContain(`${iso('صديقنا العزيز')}، إليك أبرز أخبار هذا الشهر`);
  });

  it('renders exactly what liquidjs renders without the fast path', async () => {
    const compiled = await compileNewsletter();
    const html = createEngine(settings, 'html');
    const text = createEngine(settings, 'text');
    const slowHtml = html.parse(compiled.htmlTemplate);
    const slowText = text.parse(compiled.textTemplate);
    for (let i = 0; i < 40; i++) {
      const context = newsletterContext(i);
      const out = render(compiled, context);
      if (!out.ok) throw new Error(out.error.message);
      expect(out.value.html).toBe(tidy(html.renderSync(slowHtml, context)));
      expect(out.value.text).toBe(tidyText(tidy(text.renderSync(slowText, context))));
    }
  });
});
