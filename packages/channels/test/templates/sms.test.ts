import { describe, expect, it } from 'vitest';
import { compileSmsTemplate, renderSmsTemplate } from '../../src/templates/index.ts';
import { renderText } from './helpers.ts';

const fields = ['contact.first_name', 'contact.attributes.*', 'contact.tags', 'order.code', 'order.items'];

describe('SMS and WhatsApp text templates', () => {
  it('renders values without HTML escaping', () => {
    expect(
      renderText(
        'Hi {{ contact.first_name }} <b>&</b>',
        { contact: { first_name: '<script>x</script>' } },
        { lang: 'en' },
      ),
    ).toBe('Hi <script>x</script> <b>&</b>');
  });

  it('keeps Arabic text and applies filters', () => {
    expect(
      renderText(
        'مرحبًا {{ contact.first_name }}، رمز التحقق {{ order.code | digits: "arab" }}',
        { contact: { first_name: 'نورة' }, order: { code: '4821' } },
        { lang: 'ar' },
        fields,
      ),
    ).toBe('مرحبًا نورة، رمز التحقق \u0664\u0668\u0662\u0661');
  });

  it('never leaves "Hello ," for a missing or empty value', () => {
    const body = 'Hello {{ contact.first_name }}, your code is {{ order.code }}.';
    expect(renderText(body, { order: { code: 'X1' } }, { lang: 'en' }, fields)).toBe(
      'Hello, your code is X1.',
    );
    expect(renderText(body, { contact: { first_name: '' }, order: {} }, { lang: 'en' }, fields)).toBe(
      'Hello, your code is.',
    );
    expect(renderText('مرحبًا {{ contact.first_name }}،', {}, { lang: 'ar' }, fields)).toBe('مرحبًا،');
    expect(renderText('مرحبًا {{ contact.first_name }} ؟', {}, { lang: 'ar' }, fields)).toBe('مرحبًا ؟');
    expect(renderText('Hello {{ contact.first_name }} and welcome', {}, { lang: 'en' }, fields)).toBe(
      'Hello and welcome',
    );
    expect(renderText('Hi {{ contact.first_name }}\nCode {{ order.code }}', {}, { lang: 'en' }, fields)).toBe(
      'Hi\nCode',
    );
    expect(renderText('{{ contact.first_name }} x{{ order.code }}y', {}, { lang: 'en' }, fields)).toBe(' xy');
    expect(
      renderText('مرحبًا {{ contact.first_name | default: "صديقنا" }}،', {}, { lang: 'ar' }, fields),
    ).toBe('مرحبًا صديقنا،');
  });

  it('accepts known fields, wildcards, prefixes, Liquid properties and the template own variables', () => {
    const body =
      '{% if contact.attributes %}{{ contact.attributes.plan }}{% endif %} {{ contact.tags.size }} {{ contact.tags.first }}' +
      '{% for item in order.items %}{{ item.name }}{{ forloop.index }}{% endfor %}{% assign x = order.code %}{{ x }}';
    const compiled = compileSmsTemplate({ body, lang: 'en' }, { fields });
    expect(compiled.ok).toBe(true);
    if (!compiled.ok) return;
    const out = renderSmsTemplate(compiled.value, {
      contact: { attributes: { plan: 'gold' }, tags: ['a', 'b'] },
      order: { items: [{ name: 'tea' }], code: 'Z' },
    });
    expect(out).toEqual({ ok: true, value: 'gold 2 atea1Z' });
  });

  it('refuses an unknown field with its name, line and column', () => {
    const compiled = compileSmsTemplate(
      { body: 'Hi\nthere\nyour plan {{ contact.frist_name }}', lang: 'en' },
      { fields },
    );
    expect(compiled).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: 'Unknown field "contact.frist_name" at line 3, column 14',
        field: 'contact.frist_name',
        part: 'body',
        line: 3,
        column: 14,
      },
    });
  });

  it('refuses a property of a known leaf that is not a Liquid property', () => {
    const compiled = compileSmsTemplate({ body: '{{ order.code.secret }}', lang: 'en' }, { fields });
    expect(compiled.ok ? undefined : compiled.error.message).toBe(
      'Unknown field "order.code.secret" at line 1, column 4',
    );
  });

  it('refuses broken Liquid with line and column', () => {
    const unclosed = compileSmsTemplate({ body: 'a\n  {% if order.code %}b', lang: 'en' }, { fields });
    expect(unclosed.ok ? undefined : unclosed.error).toEqual({
      code: 'invalid',
      message: 'Liquid error in body: tag {% if order.code %} not closed at line 2, column 3',
      field: 'body',
      part: 'body',
      line: 2,
      column: 3,
    });
    const badFilter = compileSmsTemplate({ body: 'x\ny {{ order.code | shout }}', lang: 'en' }, { fields });
    expect(badFilter.ok ? undefined : badFilter.error.message).toBe(
      'Liquid error in body: undefined filter: shout at line 2, column 3',
    );
    const include = compileSmsTemplate({ body: '{% include "secrets" %}', lang: 'en' }, { fields });
    expect(include.ok ? undefined : include.error.message).toBe(
      'Liquid error in body: tag "include" not found at line 1, column 1',
    );
  });

  it('reports a render that fails for one recipient as an error value', () => {
    const compiled = compileSmsTemplate({ body: 'Hi {{ contact.first_name }}', lang: 'en' }, { fields });
    if (!compiled.ok) throw new Error(compiled.error.message);
    const throwing = {
      contact: {
        get first_name(): string {
          throw new Error('database gone');
        },
      },
    };
    expect(renderSmsTemplate(compiled.value, throwing)).toEqual({
      ok: false,
      error: {
        code: 'invalid',
        message: 'The template could not be rendered: database gone',
        field: 'context',
      },
    });
  });

  it('stops a runaway loop after the render time limit', () => {
    const compiled = compileSmsTemplate(
      {
        body: '{% for i in (1..10000) %}{% for j in (1..10000) %}{{ j }}{% endfor %}{% endfor %}',
        lang: 'en',
      },
      { fields },
    );
    if (!compiled.ok) throw new Error(compiled.error.message);
    const out = renderSmsTemplate(compiled.value, {});
    expect(out.ok ? undefined : out.error.message).toMatch(
      /^The template could not be rendered: template render limit exceeded/,
    );
  });

  it('refuses bad settings naming the setting', () => {
    expect(compileSmsTemplate({ body: 'x', lang: 'not a tag!' }, { fields })).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'lang "not a tag!" is not a BCP 47 language tag', field: 'lang' },
    });
    const zone = compileSmsTemplate({ body: 'x', lang: 'ar', timeZone: 'Mars/Olympus' }, { fields });
    expect(zone.ok ? undefined : zone.error.field).toBe('timeZone');
  });
});
