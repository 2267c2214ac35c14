import { describe, expect, it } from 'vitest';
import {
  type AttributeDefinition,
  AttributeDefinitionSchema,
  parseAttributeValue,
} from '../../src/audience/index.ts';

const def = (type: AttributeDefinition['type'], options?: string[]): AttributeDefinition => ({
  key: 'budget',
  label: 'Budget',
  type,
  ...(options ? { options } : {}),
});
const refused = (message: string) => ({
  ok: false,
  error: { code: 'invalid', message, field: 'attributes.budget' },
});

describe('parseAttributeValue', () => {
  it('reads numbers in Latin and Arabic-Indic digits with both separators', () => {
    expect(parseAttributeValue(def('number'), '1234.5')).toEqual({ ok: true, value: 1234.5 });
    expect(parseAttributeValue(def('number'), '1,234.5')).toEqual({ ok: true, value: 1234.5 });
    expect(parseAttributeValue(def('number'), '١٬٢٣٤٫٥')).toEqual({ ok: true, value: 1234.5 });
    expect(parseAttributeValue(def('number'), '-۴۲')).toEqual({ ok: true, value: -42 });
    expect(parseAttributeValue(def('number'), 7)).toEqual({ ok: true, value: 7 });
  });

  it('refuses a non-number naming the attribute, the type and the value', () => {
    expect(parseAttributeValue(def('number'), 'abc')).toEqual(
      refused('attribute "budget" expects a number, got "abc"'),
    );
    expect(parseAttributeValue(def('number'), '1e5')).toEqual(
      refused('attribute "budget" expects a number, got "1e5"'),
    );
    expect(parseAttributeValue(def('number'), '12,34')).toEqual(
      refused('attribute "budget" expects a number, got "12,34"'),
    );
    expect(parseAttributeValue(def('number'), true)).toEqual(
      refused('attribute "budget" expects a number, got "true"'),
    );
  });

  it('reads booleans in English, Arabic and digits', () => {
    for (const yes of ['true', 'Yes', '1', 'نعم', true]) {
      expect(parseAttributeValue(def('boolean'), yes)).toEqual({ ok: true, value: true });
    }
    for (const no of ['false', 'NO', '0', 'لا', false]) {
      expect(parseAttributeValue(def('boolean'), no)).toEqual({ ok: true, value: false });
    }
    expect(parseAttributeValue(def('boolean'), 'maybe')).toEqual(
      refused('attribute "budget" expects yes or no (true/false, 1/0, نعم/لا), got "maybe"'),
    );
  });

  it('reads ISO dates and day-first slashed dates, refusing impossible ones', () => {
    expect(parseAttributeValue(def('date'), '2024-02-29')).toEqual({ ok: true, value: '2024-02-29' });
    expect(parseAttributeValue(def('date'), '05/03/2024')).toEqual({ ok: true, value: '2024-03-05' });
    expect(parseAttributeValue(def('date'), '٣١/١٢/٢٠٢٣')).toEqual({ ok: true, value: '2023-12-31' });
    const expects = 'attribute "budget" expects a date (YYYY-MM-DD or DD/MM/YYYY), got';
    expect(parseAttributeValue(def('date'), '2023-02-29')).toEqual(refused(`${expects} "2023-02-29"`));
    expect(parseAttributeValue(def('date'), '12/31/2023')).toEqual(refused(`${expects} "12/31/2023"`));
    expect(parseAttributeValue(def('date'), 'tomorrow')).toEqual(refused(`${expects} "tomorrow"`));
  });

  it('keeps a list value as the option it matches, and refuses others listing the options', () => {
    const plan = def('list', ['Gold', 'فضي']);
    expect(parseAttributeValue(plan, ' gold ')).toEqual({ ok: true, value: 'Gold' });
    expect(parseAttributeValue(plan, 'فضي')).toEqual({ ok: true, value: 'فضي' });
    expect(parseAttributeValue(plan, 'bronze')).toEqual(
      refused('attribute "budget" expects one of "Gold", "فضي", got "bronze"'),
    );
  });

  it('keeps text up to 1000 characters counted as code points', () => {
    expect(parseAttributeValue(def('text'), ' hello ')).toEqual({ ok: true, value: 'hello' });
    // 1000 emoji are 2000 UTF-16 units but 1000 characters.
    expect(parseAttributeValue(def('text'), '😀'.repeat(1000))).toEqual({
      ok: true,
      value: '😀'.repeat(1000),
    });
    expect(parseAttributeValue(def('text'), 'a'.repeat(1001))).toMatchObject({
      ok: false,
      error: {
        message: expect.stringContaining(
          'attribute "budget" expects text of at most 1000 characters, got "aaa',
        ),
      },
    });
  });

  it('clears on empty values', () => {
    expect(parseAttributeValue(def('number'), '  ')).toEqual({ ok: true, value: null });
    expect(parseAttributeValue(def('list', ['a']), null)).toEqual({ ok: true, value: null });
  });
});

describe('AttributeDefinitionSchema', () => {
  it('accepts a well-formed definition', () => {
    const parsed = AttributeDefinitionSchema.safeParse({
      key: 'plan',
      label: 'الخطة',
      type: 'list',
      options: ['a', 'b'],
    });
    expect(parsed.success).toBe(true);
  });

  it.each([
    [{ key: 'Plan', label: 'x', type: 'text' }, ['key']],
    [{ key: 'email', label: 'x', type: 'text' }, ['key']],
    [{ key: 'first_name', label: 'x', type: 'text' }, ['key']],
    [{ key: 'plan', label: 'x', type: 'list' }, ['options']],
    [{ key: 'plan', label: 'x', type: 'list', options: ['a', 'a'] }, ['options']],
    [{ key: 'plan', label: 'x', type: 'colour' }, ['type']],
  ])('refuses %j at %j', (input, path) => {
    const parsed = AttributeDefinitionSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path)).toEqual([path]);
  });
});
