import { describe, expect, it } from 'vitest';
import { ar } from '../src/i18n/ar.ts';
import { en } from '../src/i18n/en.ts';
import { formatDate, formatNumber } from '../src/i18n/format.ts';
import { DEFAULT_LOCALE, direction, pickLocale } from '../src/i18n/locales.ts';
import { pluralCategory, selectPlural } from '../src/i18n/plural.ts';
import { catalogues, interpolate, translate, translatePlural } from '../src/i18n/translate.ts';

describe('Arabic plurals', () => {
  // CLDR: 0 zero, 1 one, 2 two, n%100 in 3..10 few, n%100 in 11..99 many, everything else other.
  const expected = [
    [0, 'zero', 'لا يوجد أعضاء'],
    [1, 'one', 'عضو واحد'],
    [2, 'two', 'عضوان'],
    [3, 'few', '٣ أعضاء'],
    [11, 'many', '١١ عضوًا'],
    [100, 'other', '١٠٠ عضو'],
    [101, 'other', '١٠١ عضو'],
  ] as const;

  it.each(expected)('%i is %s', (count, category, text) => {
    expect(pluralCategory('ar', count)).toBe(category);
    expect(translatePlural('ar', 'members.count', count)).toBe(text);
  });

  it('picks the catalogue string of each category for API keys too', () => {
    const forms = [0, 1, 2, 3, 11, 100, 101].map((n) => translatePlural('ar', 'apiKeys.count', n));
    expect(forms).toEqual([
      'لا توجد مفاتيح',
      'مفتاح واحد',
      'مفتاحان',
      '٣ مفاتيح',
      '١١ مفتاحًا',
      '١٠٠ مفتاح',
      '١٠١ مفتاح',
    ]);
  });

  it('uses a genuinely different form for 103 (few) and 111 (many) than for 101', () => {
    expect(translatePlural('ar', 'members.count', 103)).toBe('١٠٣ أعضاء');
    expect(translatePlural('ar', 'members.count', 111)).toBe('١١١ عضوًا');
  });
});

describe('English plurals', () => {
  it('has one and other, with an explicit zero where the catalogue gives one', () => {
    expect(translatePlural('en', 'members.count', 1)).toBe('1 member');
    expect(translatePlural('en', 'members.count', 2)).toBe('2 members');
    expect(translatePlural('en', 'apiKeys.count', 1001)).toBe('1,001 API keys');
    expect(translatePlural('en', 'apiKeys.count', 0)).toBe('No API keys');
  });

  it('falls back to other when a form is missing', () => {
    expect(selectPlural('en', { other: 'x {count}' }, 1)).toBe('x {count}');
  });
});

describe('catalogues', () => {
  it('have the same keys in both languages', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ar).sort());
  });

  it('agree on which messages are plural, and Arabic plurals carry all six forms', () => {
    for (const key of Object.keys(ar) as (keyof typeof ar)[]) {
      const arabic = ar[key];
      expect(typeof en[key], key).toBe(typeof arabic);
      if (typeof arabic === 'object') {
        expect(Object.keys(arabic).sort(), key).toEqual(['few', 'many', 'one', 'other', 'two', 'zero']);
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    const placeholders = (value: unknown) => new Set(JSON.stringify(value).match(/\{\w+\}/g) ?? []);
    for (const key of Object.keys(ar) as (keyof typeof ar)[]) {
      const arabic = placeholders(ar[key]);
      const english = placeholders(en[key]);
      expect(
        [...english].filter((p) => !arabic.has(p)),
        key,
      ).toEqual([]);
    }
  });

  it('have no empty message', () => {
    for (const catalogue of Object.values(catalogues)) {
      for (const value of Object.values(catalogue)) {
        const texts = typeof value === 'string' ? [value] : Object.values(value);
        for (const text of texts) expect(text.trim()).not.toBe('');
      }
    }
  });
});

describe('direction and locale choice', () => {
  it('is rtl for Arabic and ltr for English', () => {
    expect(direction('ar')).toBe('rtl');
    expect(direction('en')).toBe('ltr');
  });

  it('takes the first preferred language Wasl speaks, else Arabic', () => {
    expect(pickLocale(['en-GB', 'ar'])).toBe('en');
    expect(pickLocale(['fr-FR', 'ar-EG'])).toBe('ar');
    expect(pickLocale(['fr-FR', 'de'])).toBe('ar');
    expect(pickLocale([])).toBe(DEFAULT_LOCALE);
    expect(DEFAULT_LOCALE).toBe('ar');
  });
});

describe('numbers and dates', () => {
  it('writes Arabic with Arabic-Indic digits and Arabic separators, whatever the ICU default', () => {
    expect(formatNumber('ar', 1234567.5)).toBe('١٬٢٣٤٬٥٦٧٫٥');
    expect(formatNumber('ar', 0)).toBe('٠');
  });

  it('writes English with Latin digits', () => {
    expect(formatNumber('en', 1234567.5)).toBe('1,234,567.5');
  });

  it('formats dates in the locale with the Gregorian calendar and the given zone', () => {
    const iso = '2026-03-05T21:30:00Z';
    expect(formatDate('en', iso, 'date', 'UTC')).toBe('Mar 5, 2026');
    // 00:30 the next day in Riyadh (UTC+3), in Arabic digits and month names.
    expect(formatDate('ar', iso, 'date', 'Asia/Riyadh')).toBe('٦ مارس ٢٠٢٦');
    expect(formatDate('ar', iso, 'dateTime', 'UTC')).toMatch(/^٥ مارس ٢٠٢٦/);
  });

  it('returns unparseable timestamps untouched and survives unknown zones', () => {
    expect(formatDate('en', 'not a date')).toBe('not a date');
    expect(formatDate('en', '2026-03-05T12:00:00Z', 'date', 'Mars/Olympus')).toMatch(/2026/);
  });
});

describe('interpolation', () => {
  it('fills named placeholders and localises numbers', () => {
    expect(translate('en', 'home.welcome', { name: 'Salma' })).toBe('Welcome, Salma');
    expect(translate('ar', 'validation.passwordLength', { min: 10 })).toBe(
      'يجب ألا تقل كلمة المرور عن ١٠ أحرف.',
    );
    expect(interpolate('en', '{a} and {b}', { a: 'x' })).toBe('x and {b}');
  });
});
