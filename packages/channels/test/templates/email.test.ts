import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import { type CompiledTemplate, compileTemplate, render } from '../../src/templates/index.ts';
import { iso } from './helpers.ts';

type Element = ReturnType<typeof DomUtils.findAll>[number];

const fields = [
  'contact.first_name',
  'contact.email',
  'contact.attributes.*',
  'campaign.name',
  'unsubscribe_url',
  'order.count',
];

const english = `<mjml>
  <mj-head><mj-title>{{ campaign.name }}</mj-title></mj-head>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text><h1>Hello {{ contact.first_name }},</h1><p>You have {{ order.count | plural: one: "one message", other: "# messages" }}.</p></mj-text>
        <mj-button href="{{ unsubscribe_url }}?e={{ contact.email | url_encode }}">Unsubscribe</mj-button>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;

const arabic = `<mjml>
  <mj-body>
    <mj-section>
      <mj-column>
        <mj-text><p>مرحبًا {{ contact.first_name }}،</p><p>لديك {{ order.count | plural: zero: "لا رسائل", one: "رسالة واحدة", two: "رسالتان", few: "# رسائل", many: "# رسالة", other: "# رسالة" }} من {{ campaign.name }}.</p></mj-text>
      </mj-column>
      <mj-column>
        <mj-text><a href="{{ unsubscribe_url }}">إلغاء الاشتراك</a></mj-text>
      </mj-column>
    </mj-section>
    <mj-section direction="ltr">
      <mj-column><mj-text align="left">Latin block</mj-text></mj-column>
    </mj-section>
  </mj-body>
</mjml>`;

const compile = async (source: Parameters<typeof compileTemplate>[0]): Promise<CompiledTemplate> => {
  const compiled = await compileTemplate(source, { fields });
  if (!compiled.ok) throw new Error(compiled.error.message);
  return compiled.value;
};

const renderOk = (compiled: CompiledTemplate, context: Record<string, unknown>) => {
  const out = render(compiled, context);
  if (!out.ok) throw new Error(out.error.message);
  return out.value;
};

const byTag = (html: string, tag: string): Element[] =>
  DomUtils.findAll((e) => e.name === tag, parseDocument(html).children);

const styleOf = (element: Element): Record<string, string> =>
  Object.fromEntries(
    (element.attribs.style ?? '')
      .split(';')
      .filter((rule) => rule.includes(':'))
      .map((rule) => [rule.slice(0, rule.indexOf(':')).trim(), rule.slice(rule.indexOf(':') + 1).trim()]),
  );

/** The MJML body container: the div that carries lang and dir. */
const container = (html: string): Element | undefined =>
  byTag(html, 'div').find((div) => div.attribs.role === 'article');

describe('English email template', () => {
  const context = {
    contact: { first_name: 'Sara', email: 'sara@example.com' },
    campaign: { name: 'Spring news' },
    unsubscribe_url: 'https://wasl.test/u/7',
    order: { count: 3 },
  };

  it('renders subject, HTML and the plain-text part', async () => {
    const compiled = await compile({
      subject: '{{ campaign.name }} for {{ contact.first_name }}',
      mjml: english,
      dir: 'ltr',
      lang: 'en',
    });
    const out = renderOk(compiled, context);
    expect(out.subject).toBe('Spring news for Sara');
    expect(out.text).toBe(
      'Hello Sara,\n\nYou have 3 messages.\n\nUnsubscribe [https://wasl.test/u/7?e=sara%40example.com]',
    );
    const [html] = byTag(out.html, 'html');
    expect(html?.attribs).toMatchObject({ lang: 'en', dir: 'ltr' });
    expect(container(out.html)?.attribs).toMatchObject({
      lang: 'en',
      dir: 'ltr',
      'aria-label': 'Spring news',
    });
    expect(DomUtils.textContent(byTag(out.html, 'title'))).toBe('Spring news');
    expect(DomUtils.textContent(byTag(out.html, 'h1'))).toBe('Hello Sara,');
  });

  it('keeps Liquid in href through MJML', async () => {
    const compiled = await compile({ subject: 's', mjml: english, dir: 'ltr', lang: 'en' });
    expect(compiled.htmlTemplate).toContain(
      'href="{{ unsubscribe_url }}?e={{ contact.email | url_encode }}"',
    );
    const links = byTag(renderOk(compiled, context).html, 'a').map((a) => a.attribs.href);
    expect(links).toEqual(['https://wasl.test/u/7?e=sara%40example.com']);
  });

  it('escapes values in HTML but not in the subject or the text part', async () => {
    const compiled = await compile({
      subject: 'Hi {{ contact.first_name }}',
      mjml: english,
      dir: 'ltr',
      lang: 'en',
    });
    const out = renderOk(compiled, { ...context, contact: { first_name: '<script>alert(1)</script>' } });
    expect(byTag(out.html, 'script')).toEqual([]);
    expect(out.html).toContain('<h1>Hello &lt;script&gt;alert(1)&lt;/script&gt;,</h1>');
    expect(out.subject).toBe('Hi <script>alert(1)</script>');
    expect(out.text.split('\n')[0]).toBe('Hello <script>alert(1)</script>,');
  });

  it('drops the gap before a missing first name', async () => {
    const compiled = await compile({
      subject: 'Hello {{ contact.first_name }}, news',
      mjml: english,
      dir: 'ltr',
      lang: 'en',
    });
    const out = renderOk(compiled, { ...context, contact: { email: 'x@example.com' } });
    expect(out.subject).toBe('Hello, news');
    expect(DomUtils.textContent(byTag(out.html, 'h1'))).toBe('Hello,');
    expect(out.text.split('\n')[0]).toBe('Hello,');
  });

  it('strips line breaks from the rendered subject', async () => {
    const compiled = await compile({
      subject: 'Hi {{ contact.first_name }}',
      mjml: english,
      dir: 'ltr',
      lang: 'en',
    });
    expect(renderOk(compiled, { contact: { first_name: 'a\r\nBcc: x@evil.test' } }).subject).toBe(
      'Hi a Bcc: x@evil.test',
    );
  });
});

describe('Arabic right-to-left email template', () => {
  const context = {
    contact: { first_name: 'Sara', email: 'sara@example.com' },
    campaign: { name: 'وصل' },
    unsubscribe_url: 'https://wasl.test/u/9',
    order: { count: 11 },
  };

  it('puts dir and lang on <html> and the body container and mirrors the layout', async () => {
    const compiled = await compile({
      subject: 'أهلًا {{ contact.first_name }}',
      mjml: arabic,
      dir: 'rtl',
      lang: 'ar-SA',
    });
    const { html } = renderOk(compiled, context);
    expect(byTag(html, 'html')[0]?.attribs).toMatchObject({ lang: 'ar-SA', dir: 'rtl' });
    expect(container(html)?.attribs).toMatchObject({ lang: 'ar-SA', dir: 'rtl' });
    // Each mj-section renders a td whose CSS direction orders its columns.
    const sectionCells = byTag(html, 'td').filter(
      (td) => styleOf(td)['text-align'] === 'center' && styleOf(td).direction,
    );
    expect(sectionCells.map((td) => styleOf(td).direction)).toEqual(['rtl', 'ltr']);
    const columns = byTag(html, 'div').filter((div) => div.attribs.class?.includes('mj-column-per'));
    expect(columns.map((div) => styleOf(div).direction)).toEqual(['rtl', 'rtl', 'rtl']);
    const texts = byTag(html, 'div').filter((div) => styleOf(div)['font-family']?.startsWith('Ubuntu'));
    expect(texts.map((div) => styleOf(div)['text-align'])).toEqual(['right', 'right', 'left']);
  });

  it('isolates values in text, not in attributes, and keeps logical order in the text part', async () => {
    const compiled = await compile({
      subject: 'أهلًا {{ contact.first_name }}',
      mjml: arabic,
      dir: 'rtl',
      lang: 'ar-SA',
    });
    const out = renderOk(compiled, context);
    expect(out.subject).toBe(`أهلًا ${iso('Sara')}`);
    expect(out.text).toBe(
      `مرحبًا ${iso('Sara')}،\n\nلديك ${iso('\u0661\u0661 رسالة')} من ${iso('وصل')}.\n\n` +
        'إلغاء الاشتراك [https://wasl.test/u/9]\n\nLatin block',
    );
    const paragraphs = byTag(out.html, 'p').map((p) => DomUtils.textContent(p));
    expect(paragraphs).toEqual([
      `مرحبًا ${iso('Sara')}،`,
      `لديك ${iso('\u0661\u0661 رسالة')} من ${iso('وصل')}.`,
    ]);
    expect(byTag(out.html, 'a').map((a) => a.attribs.href)).toEqual(['https://wasl.test/u/9']);
  });

  it('renders "مرحبًا،" when the first name is missing', async () => {
    const compiled = await compile({
      subject: 'مرحبًا {{ contact.first_name }}، عرض',
      mjml: arabic,
      dir: 'rtl',
      lang: 'ar',
    });
    const out = renderOk(compiled, { ...context, contact: {} });
    expect(out.subject).toBe('مرحبًا، عرض');
    expect(out.text.split('\n')[0]).toBe('مرحبًا،');
    expect(DomUtils.textContent(byTag(out.html, 'p')[0] ?? [])).toBe('مرحبًا،');
  });

  it('overrides lang and dir written on <mjml> with the template settings', async () => {
    const compiled = await compile({
      subject: 's',
      mjml: arabic.replace('<mjml>', '<mjml lang="en" dir="ltr">'),
      dir: 'rtl',
      lang: 'ar',
    });
    expect(byTag(renderOk(compiled, context).html, 'html')[0]?.attribs).toMatchObject({
      lang: 'ar',
      dir: 'rtl',
    });
  });
});

describe('refusals at save time', () => {
  const refuse = async (mjml: string, subject = 's') => {
    const compiled = await compileTemplate({ subject, mjml, dir: 'ltr', lang: 'en' }, { fields });
    if (compiled.ok) throw new Error('compiled');
    return compiled.error;
  };

  it('an unknown field, with its name', async () => {
    expect(await refuse(english.replace('{{ contact.first_name }}', '{{ contact.frist_name }}'))).toEqual({
      code: 'invalid',
      message: 'Unknown field "contact.frist_name" at line 6, column 31',
      field: 'contact.frist_name',
      part: 'mjml',
      line: 6,
      column: 31,
    });
    expect((await refuse(english, 'Hi {{ contact.nickname }}')).message).toBe(
      'Unknown field "contact.nickname" at line 1, column 7',
    );
  });

  it('an unclosed {% if %} and an unknown filter', async () => {
    expect(await refuse(english.replace('<p>You', '{% if order.count > 1 %}<p>You'))).toMatchObject({
      message: 'Liquid error in mjml: tag {% if order.count > 1 %} not closed at line 6, column 58',
      line: 6,
      column: 58,
    });
    expect((await refuse(english.replace('url_encode', 'url_encdoe'))).message).toBe(
      'Liquid error in mjml: undefined filter: url_encdoe at line 7, column 50',
    );
    expect((await refuse(english, '{{ campaign.name')).message).toBe(
      'Liquid error in subject: output "{{ campaign.name" not closed at line 1, column 1',
    );
  });

  it('an unknown MJML tag', async () => {
    expect(await refuse(english.replaceAll('mj-section>', 'mj-sectoin>'))).toEqual({
      code: 'invalid',
      message:
        "MJML error: Element mj-sectoin doesn't exist or is not registered (mj-sectoin) at line 4, column 5",
      field: 'mjml',
      part: 'mjml',
      line: 4,
      column: 5,
    });
  });

  it('an unclosed MJML tag', async () => {
    expect((await refuse(english.replace('</mj-column>', ''))).message).toBe(
      'MJML error: <mj-column> is not closed at line 5, column 7',
    );
  });

  it('an invalid attribute and an invalid attribute value, at the attribute', async () => {
    expect((await refuse(english.replace('<mj-button href', '<mj-button colour="red" href'))).message).toBe(
      'MJML error: Attribute colour is illegal (mj-button) at line 7, column 20',
    );
    expect((await refuse(english.replace('<mj-text>', '<mj-text padding="wide">'))).message).toBe(
      'MJML error: Attribute padding has invalid value: wide for type Unit, only accepts (px, %) units and 1 to 4 value(s) (mj-text) at line 6, column 18',
    );
  });

  it('Liquid that MJML would drop, between structural tags', async () => {
    const between = english
      .replace('<mj-section>', '{% if order.count %}<mj-section>')
      .replace('</mj-section>', '</mj-section>{% endif %}');
    expect((await refuse(between)).message).toBe(
      'MJML error: {% if order.count %} is outside any text, button, raw block or attribute and would be lost; wrap it in <mj-raw> at line 4, column 5',
    );
    const wrapped = english
      .replace('<mj-section>', '<mj-raw>{% if order.count > 0 %}</mj-raw><mj-section>')
      .replace('</mj-section>', '</mj-section><mj-raw>{% endif %}</mj-raw>');
    const compiled = await compileTemplate(
      { subject: 's', mjml: wrapped, dir: 'ltr', lang: 'en' },
      { fields },
    );
    expect(compiled.ok).toBe(true);
    if (!compiled.ok) return;
    expect(renderOk(compiled.value, { order: { count: 0 }, contact: { first_name: 'A' } }).text).toBe('');
    expect(renderOk(compiled.value, { order: { count: 1 }, contact: { first_name: 'A' } }).text).toBe(
      'Hello A,\n\nYou have one message.\n\nUnsubscribe [?e=]',
    );
  });

  it('a document that is not MJML, and a bad direction', async () => {
    expect((await refuse('<html><body>hi</body></html>')).message).toBe(
      'MJML error: the template must start with <mjml> at line 1, column 1',
    );
    const bad = await compileTemplate(
      { subject: 's', mjml: english, dir: 'up' as 'rtl', lang: 'en' },
      { fields },
    );
    expect(bad).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'dir must be "rtl" or "ltr", not "up"', field: 'dir' },
    });
  });
});
