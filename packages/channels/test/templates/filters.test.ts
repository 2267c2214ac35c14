import { describe, expect, it } from 'vitest';
import { iso, renderText } from './helpers.ts';

const PLURAL =
  '{{ n | plural: zero: "لا رسائل", one: "رسالة واحدة", two: "رسالتان", few: "# رسائل", many: "# رسالة", other: "# رسالة" }}';

describe('plural', () => {
  it('picks each of the six Arabic categories (ar: Latin digits by default)', () => {
    const out = [0, 1, 2, 3, 11, 100].map((n) => renderText(PLURAL, { n }));
    expect(out).toEqual(['لا رسائل', 'رسالة واحدة', 'رسالتان', '3 رسائل', '11 رسالة', '100 رسالة']);
  });

  it('formats # in the template locale, ar-SA using Arabic-Indic digits, or as forced', () => {
    expect(renderText(PLURAL, { n: 3 }, { lang: 'ar-SA' })).toBe('\u0663 رسائل');
    expect(renderText(PLURAL, { n: 11 }, { lang: 'ar-SA', digits: 'latn' })).toBe('11 رسالة');
    expect(renderText(PLURAL, { n: 103 }, { lang: 'ar', digits: 'arab' })).toBe('\u0661\u0660\u0663 رسائل');
  });

  it('falls back to other, reads numeric strings, and leaves non-numbers alone', () => {
    expect(renderText('{{ n | plural: one: "يوم", other: "# أيام" }}', { n: 2 })).toBe('2 أيام');
    expect(
      renderText('{{ n | plural: one: "message", other: "# messages" }}', { n: '1' }, { lang: 'en' }),
    ).toBe('message');
    expect(renderText('{{ n | plural: one: "x", other: "# y" }}', { n: 'abc' })).toBe('abc');
  });
});

describe('number', () => {
  it('uses the locale digits, or the forced ones', () => {
    expect(renderText('{{ n | number }}', { n: 1234.5 }, { lang: 'ar-SA' })).toBe(
      '\u0661\u066c\u0662\u0663\u0664\u066b\u0665',
    );
    expect(renderText('{{ n | number }}', { n: 1234.5 }, { lang: 'ar-SA', digits: 'latn' })).toBe('1,234.5');
    expect(renderText('{{ n | number: digits: "latn" }}', { n: 1234.5 }, { lang: 'ar-SA' })).toBe('1,234.5');
    expect(renderText('{{ n | number: digits: "arab", decimals: 2 }}', { n: 7 }, { lang: 'en' })).toBe(
      '\u0667\u066b\u0660\u0660',
    );
  });

  it('formats currency and percent', () => {
    expect(
      renderText('{{ n | number: style: "currency", currency: "USD" }}', { n: 1234.5 }, { lang: 'en' }),
    ).toBe('$1,234.50');
    expect(renderText('{{ n | number: style: "percent" }}', { n: 0.15 }, { lang: 'en' })).toBe('15%');
  });
});

describe('date and hijri', () => {
  const d = '2026-03-20T10:00:00Z';

  it('formats Gregorian dates in Arabic and English', () => {
    expect(renderText('{{ d | date: "long" }}', { d }, { lang: 'ar-SA' })).toBe(
      '\u0662\u0660 مارس \u0662\u0660\u0662\u0666',
    );
    expect(renderText('{{ d | date: "long" }}', { d }, { lang: 'ar' })).toBe('20 مارس 2026');
    expect(renderText('{{ d | date: "long" }}', { d }, { lang: 'en' })).toBe('March 20, 2026');
    expect(renderText('{{ d | date: "full" }}', { d }, { lang: 'ar' })).toBe('الجمعة، 20 مارس 2026');
  });

  it('uses the template time zone', () => {
    const late = '2026-03-19T22:30:00Z';
    expect(renderText('{{ d | date: "long" }}', { d: late }, { lang: 'en', timeZone: 'UTC' })).toBe(
      'March 19, 2026',
    );
    expect(renderText('{{ d | date: "long" }}', { d: late }, { lang: 'en', timeZone: 'Asia/Riyadh' })).toBe(
      'March 20, 2026',
    );
  });

  it('keeps standard strftime formats working', () => {
    expect(renderText('{{ d | date: "%Y-%m-%d" }}', { d }, { lang: 'en' })).toBe('2026-03-20');
  });

  it('converts to the Umm al-Qura calendar, matching published dates', () => {
    // Published Umm al-Qura dates (Saudi announcements): 1 Shawwal 1445 = 10 April 2024,
    // 1 Muharram 1446 = 7 July 2024, 1 Muharram 1447 = 26 June 2025, 1 Ramadan 1447 = 18 February 2026.
    expect(renderText('{{ d | hijri }}', { d: '2024-04-10' }, { lang: 'ar' })).toBe('1 شوال 1445 هـ');
    expect(renderText('{{ d | hijri }}', { d: '2024-07-07' }, { lang: 'ar' })).toBe('1 محرم 1446 هـ');
    expect(renderText('{{ d | hijri }}', { d: '2025-06-26' }, { lang: 'ar' })).toBe('1 محرم 1447 هـ');
    expect(renderText('{{ d | hijri }}', { d: '2026-02-18' }, { lang: 'ar' })).toBe('1 رمضان 1447 هـ');
    // Ramadan 1447 has 30 days in the Umm al-Qura table, so 2026-03-20 (30 days after 1 Ramadan) is 1 Shawwal.
    expect(renderText('{{ d | hijri }}', { d: '2026-03-19' }, { lang: 'ar' })).toBe('30 رمضان 1447 هـ');
    expect(renderText('{{ d | hijri }}', { d }, { lang: 'ar-SA' })).toBe(
      '\u0661 شوال \u0661\u0664\u0664\u0667 هـ',
    );
    expect(renderText('{{ d | hijri: locale: "en" }}', { d }, { lang: 'ar' })).toBe('Shawwal 1, 1447 AH');
  });

  it('leaves values that are not dates alone', () => {
    expect(renderText('{{ d | hijri }}', { d: 'soon' })).toBe('soon');
  });

  it('leaves the value alone when Intl refuses an argument', () => {
    expect(renderText('{{ d | date: "long", time_zone: "Mars/Olympus" }}', { d })).toBe(d);
    expect(renderText('{{ n | number: style: "currency", currency: "NOT-A-CODE" }}', { n: 5 })).toBe('5');
    expect(renderText('{{ n | plural: locale: "??", other: "# x" }}', { n: 5 })).toBe('5');
  });
});

describe('digits and bidi', () => {
  it('converts digits both ways', () => {
    expect(renderText('{{ s | digits: "arab" }}', { s: 'Order 2026-15' })).toBe(
      'Order \u0662\u0660\u0662\u0666-\u0661\u0665',
    );
    expect(renderText('{{ s | digits: "latn" }}', { s: '\u0662\u0660\u0662\u0666 و \u06f1\u06f2' })).toBe(
      '2026 و 12',
    );
  });

  it('isolates a Latin name inside Arabic text, and leaves empty values empty', () => {
    expect(renderText('مرحبًا {{ name | bidi }}!', { name: 'Sara Lee' })).toBe(`مرحبًا ${iso('Sara Lee')}!`);
    expect(renderText('رقم الطلب {{ n | bidi }}', { n: 12345 })).toBe(`رقم الطلب ${iso('12345')}`);
    expect(renderText('[{{ name | bidi }}]', { name: '' })).toBe('[]');
  });
});
