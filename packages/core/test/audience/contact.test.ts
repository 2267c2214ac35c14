import { describe, expect, it } from 'vitest';
import {
  type AttributeDefinition,
  ageOn,
  countryCode,
  parseGender,
  parseLifecycleStage,
  validateContactInput,
} from '../../src/audience/index.ts';

const defs: AttributeDefinition[] = [
  { key: 'budget', label: 'Budget', type: 'number' },
  { key: 'vip', label: 'VIP', type: 'boolean' },
];
const today = new Date('2026-06-01T00:00:00Z');

describe('countryCode', () => {
  it.each([
    ['sa', 'SA'],
    ['SAU', 'SA'],
    ['Saudi Arabia', 'SA'],
    ['KSA', 'SA'],
    ['السعودية', 'SA'],
    ['المملكة العربية السعودية', 'SA'],
    ['UAE', 'AE'],
    ['الإمارات', 'AE'],
    ['مصر', 'EG'],
    ['Egypt', 'EG'],
    ['الأردن', 'JO'],
    ['Morocco', 'MA'],
    ['المغرب', 'MA'],
    ['عُمان', 'OM'],
    ['UK', 'GB'],
    ['United States', 'US'],
    ['اليمن', 'YE'],
  ])('%s → %s', (raw, code) => {
    expect(countryCode(raw)).toBe(code);
  });

  it('knows no country for unknown names and withdrawn or non-country codes', () => {
    expect(countryCode('Atlantis')).toBeUndefined();
    expect(countryCode('XX')).toBeUndefined();
    expect(countryCode('EU')).toBeUndefined();
    expect(countryCode('')).toBeUndefined();
  });
});

describe('synonyms', () => {
  it.each([
    ['F', 'female'],
    ['أنثى', 'female'],
    ['انثى', 'female'],
    ['Male', 'male'],
    ['ذكر', 'male'],
    ['M', 'male'],
    ['آخر', 'other'],
    ['غير معروف', 'unknown'],
  ])('gender %s → %s', (raw, gender) => {
    expect(parseGender(raw)).toBe(gender);
  });

  it.each([
    ['MQL', 'mql'],
    ['Marketing Qualified Lead', 'mql'],
    ['marketing-qualified lead', 'mql'],
    ['Sales Qualified Lead', 'sql'],
    ['مشترك', 'subscriber'],
    ['عميل محتمل', 'lead'],
    ['عميل', 'customer'],
    ['عميل مؤهل تسويقياً', 'mql'],
    ['Evangelist', 'evangelist'],
  ])('lifecycle stage %s → %s', (raw, stage) => {
    expect(parseLifecycleStage(raw)).toBe(stage);
  });
});

describe('ageOn', () => {
  it('counts whole years, turning older on the birthday itself', () => {
    expect(ageOn('1990-06-15', new Date('2026-06-14T12:00:00Z'))).toBe(35);
    expect(ageOn('1990-06-15', new Date('2026-06-15T00:00:00Z'))).toBe(36);
    expect(ageOn('1990-12-31', new Date('2026-01-01T00:00:00Z'))).toBe(35);
  });

  it('makes someone born on 29 February older on 1 March in common years', () => {
    expect(ageOn('2000-02-29', new Date('2023-02-28T12:00:00Z'))).toBe(22);
    expect(ageOn('2000-02-29', new Date('2023-03-01T00:00:00Z'))).toBe(23);
    expect(ageOn('2000-02-29', new Date('2024-02-29T00:00:00Z'))).toBe(24);
  });

  it('uses the date in the given time zone', () => {
    // 21:30 UTC on the 14th is already the 15th in Riyadh (UTC+3).
    const instant = new Date('2026-06-14T21:30:00Z');
    expect(ageOn('1990-06-15', instant)).toBe(35);
    expect(ageOn('1990-06-15', instant, 'Asia/Riyadh')).toBe(36);
  });
});

describe('validateContactInput', () => {
  it('normalises every standard field of a complete contact', () => {
    const r = validateContactInput(
      {
        email: ' Sara@Example.com ',
        phone: '٠٥٠١٢٣٤٥٦٧',
        firstName: ' سارة ',
        lastName: 'العتيبي',
        locale: 'ar_sa',
        timezone: 'asia/riyadh',
        country: 'السعودية',
        city: 'الرياض',
        birthDate: '15/06/1990',
        gender: 'أنثى',
        incomeBand: 'B',
        interests: 'تقنية، سفر; travel | تقنية',
        source: 'instagram',
        lifecycleStage: 'MQL',
        attributes: { budget: '١٢٠٠', vip: 'نعم' },
      },
      defs,
      { today },
    );
    expect(r).toEqual({
      ok: true,
      warnings: [],
      value: {
        email: 'sara@example.com',
        phone: '+966501234567',
        firstName: 'سارة',
        lastName: 'العتيبي',
        locale: 'ar-SA',
        timezone: 'Asia/Riyadh',
        country: 'SA',
        city: 'الرياض',
        birthDate: '1990-06-15',
        gender: 'female',
        incomeBand: 'B',
        interests: ['تقنية', 'سفر', 'travel'],
        source: 'instagram',
        lifecycleStage: 'mql',
        attributes: { budget: 1200, vip: true },
      },
    });
  });

  it("reads a local phone in the contact's country before the workspace's", () => {
    const r = validateContactInput({ phone: '01012345678', country: 'Egypt' }, [], { defaultCountry: 'SA' });
    expect(r.ok && r.value.phone).toBe('+201012345678');
    const s = validateContactInput({ phone: '0501234567' }, [], { defaultCountry: 'AE' });
    expect(s.ok && s.value.phone).toBe('+971501234567');
  });

  it('fills absent fields when complete, and returns only the given ones when partial', () => {
    const complete = validateContactInput({ email: 'a@b.co' }, [], {});
    expect(complete).toEqual({
      ok: true,
      warnings: [],
      value: {
        email: 'a@b.co',
        phone: null,
        firstName: null,
        lastName: null,
        locale: null,
        timezone: null,
        country: null,
        city: null,
        birthDate: null,
        gender: null,
        incomeBand: null,
        interests: [],
        source: null,
        lifecycleStage: null,
        attributes: {},
      },
    });
    expect(validateContactInput({ city: 'جدة', lastName: '' }, [], { partial: true })).toEqual({
      ok: true,
      warnings: [],
      value: { city: 'جدة', lastName: null },
    });
  });

  it('refuses a complete contact with neither email nor phone, on the email field', () => {
    expect(validateContactInput({ firstName: 'Ali' }, [], {})).toEqual({
      ok: false,
      warnings: [],
      errors: [{ field: 'email', reason: 'a contact needs an email or a phone number: both are empty' }],
    });
  });

  it('reports every wrong field with its value and reason, and typo warnings apart', () => {
    const r = validateContactInput(
      {
        email: 'ali@gmial.com',
        phone: '123',
        firstName: 'x'.repeat(101),
        gender: 'maybe',
        lifecycleStage: 'boss',
        birthDate: '2030-01-01',
        timezone: 'Mars/Olympus',
        locale: '12',
        country: 'Atlantis',
        attributes: { budget: 'abc', colour: 'red' },
      },
      defs,
      { defaultCountry: 'SA', today },
    );
    expect(r).toEqual({
      ok: false,
      warnings: [
        {
          field: 'email',
          value: 'ali@gmial.com',
          reason: 'email "ali@gmial.com" may be mistyped: did you mean ali@gmail.com?',
          warning: true,
        },
      ],
      errors: [
        {
          field: 'country',
          value: 'Atlantis',
          reason: 'country "Atlantis" is not a country name or ISO code',
        },
        { field: 'phone', value: '123', reason: 'phone "123" is not a valid number in SA' },
        { field: 'firstName', value: 'x'.repeat(101), reason: 'first name is longer than 100 characters' },
        {
          field: 'gender',
          value: 'maybe',
          reason: 'gender "maybe" is not one of female, male, other, unknown',
        },
        {
          field: 'lifecycleStage',
          value: 'boss',
          reason: 'lifecycle stage "boss" is not one of subscriber, lead, mql, sql, customer, evangelist',
        },
        {
          field: 'birthDate',
          value: '2030-01-01',
          reason: 'birth date "2030-01-01" is not a plausible birth date',
        },
        {
          field: 'timezone',
          value: 'Mars/Olympus',
          reason: 'timezone "Mars/Olympus" is not a time zone name such as Asia/Riyadh',
        },
        { field: 'locale', value: '12', reason: 'locale "12" is not a language tag such as ar, ar-SA or en' },
        {
          field: 'attributes.budget',
          value: 'abc',
          reason: 'attribute "budget" expects a number, got "abc"',
        },
        { field: 'attributes.colour', value: 'red', reason: 'unknown attribute "colour"' },
      ],
    });
  });

  it('counts name lengths in characters, not UTF-16 units', () => {
    const name = '𝓐'.repeat(100);
    const r = validateContactInput({ email: 'a@b.co', firstName: name }, [], { partial: true });
    expect(r.ok && r.value.firstName).toBe(name);
  });

  it('treats an undefined value as an absent field, and takes interests as a list', () => {
    const r = validateContactInput(
      { country: undefined, city: undefined, interests: [' a ', 'A', 'b'] },
      [],
      {
        partial: true,
      },
    );
    expect(r).toEqual({ ok: true, warnings: [], value: { interests: ['a', 'b'] } });
  });

  it('refuses a patch that clears both email and phone', () => {
    const r = validateContactInput({ email: null, phone: '' }, [], { partial: true });
    expect(r.ok).toBe(false);
  });
});
