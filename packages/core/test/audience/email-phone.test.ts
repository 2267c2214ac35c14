import { type CountryCode, getCountries, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { normaliseEmail, normalisePhone } from '../../src/audience/index.ts';
import { fastNationalE164 } from '../../src/audience/phone-plan.ts';

describe('normaliseEmail', () => {
  it('trims and lower-cases', () => {
    expect(normaliseEmail('  Sara.Ali@Example.COM ')).toEqual({ ok: true, value: 'sara.ali@example.com' });
  });

  it('stores an IDN domain in its ASCII form', () => {
    expect(normaliseEmail('info@مثال.السعودية')).toEqual({
      ok: true,
      value: 'info@xn--mgbh0fb.xn--mgberp4a5d4ar',
    });
    expect(normaliseEmail('a@Bücher.de')).toEqual({ ok: true, value: 'a@xn--bcher-kva.de' });
  });

  it('keeps a known typo but suggests the fix', () => {
    expect(normaliseEmail('sara@gmial.com')).toEqual({
      ok: true,
      value: 'sara@gmial.com',
      suggestion: 'sara@gmail.com',
    });
    expect(normaliseEmail('x@hotmial.com')).toMatchObject({ suggestion: 'x@hotmail.com' });
    expect(normaliseEmail('x@yaho.com')).toMatchObject({ suggestion: 'x@yahoo.com' });
    expect(normaliseEmail('x@gmail.com')).not.toHaveProperty('suggestion');
  });

  it.each([
    ['sara', 'email "sara" has no @'],
    ['a@b@c.com', 'email "a@b@c.com" has more than one @'],
    ['@x.com', 'email "@x.com" has nothing before the @'],
    ['sara@', 'email "sara@" has no domain after the @'],
    ['sara@localhost', 'email "sara@localhost" has a domain without a dot'],
    ['sa..ra@x.com', 'email "sa..ra@x.com" has two dots in a row'],
    ['sara@x..com', 'email "sara@x..com" has two dots in a row'],
    ['.sara@x.com', 'email ".sara@x.com" has a character not allowed before the @'],
    ['sa ra@x.com', 'email "sa ra@x.com" has a character not allowed before the @'],
    ['sara@x.c', 'email "sara@x.c" ends in a domain suffix that does not exist'],
    ['sara@x.123', 'email "sara@x.123" ends in a domain suffix that does not exist'],
    ['sara@-x.com', 'email "sara@-x.com" has a domain that is not a valid name'],
    [`${'a'.repeat(65)}@x.com`, `email "${'a'.repeat(65)}@x.com" has more than 64 characters before the @`],
    [
      `a@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(60)}.fffff.com`,
      expect.stringContaining('is longer than 254 characters'),
    ],
  ])('refuses %s', (raw, message) => {
    expect(normaliseEmail(raw)).toEqual({ ok: false, error: { code: 'invalid', message, field: 'email' } });
  });
});

describe('normalisePhone', () => {
  it.each([
    ['0501234567', 'SA', '+966501234567'],
    ['050 123 4567', 'SA', '+966501234567'],
    ['(050) 123-4567', 'SA', '+966501234567'],
    ['٠٥٠١٢٣٤٥٦٧', 'SA', '+966501234567'],
    ['۰۵۰۱۲۳۴۵۶۷', 'SA', '+966501234567'],
    ['966501234567', 'SA', '+966501234567'],
    ['0112345678', 'SA', '+966112345678'],
    ['01012345678', 'EG', '+201012345678'],
    ['0501234567', 'AE', '+971501234567'],
    ['0791234567', 'JO', '+962791234567'],
    ['0612345678', 'MA', '+212612345678'],
    ['50012345', 'KW', '+96550012345'],
    ['33123456', 'QA', '+97433123456'],
    ['36001234', 'BH', '+97336001234'],
    ['92123456', 'OM', '+96892123456'],
    ['03123456', 'LB', '+9613123456'],
    ['07901234567', 'IQ', '+9647901234567'],
    ['0551234567', 'DZ', '+213551234567'],
    ['20123456', 'TN', '+21620123456'],
    ['07400 123456', 'GB', '+447400123456'],
    ['(201) 555-0123', 'US', '+12015550123'],
    ['06 12 34 56 78', 'FR', '+33612345678'],
  ])('reads %s in %s as %s', (raw, country, e164) => {
    expect(normalisePhone(raw, country)).toEqual({ ok: true, value: e164 });
  });

  it('reads international forms with + or 00 whatever the default country', () => {
    expect(normalisePhone('+966 50 123 4567')).toEqual({ ok: true, value: '+966501234567' });
    expect(normalisePhone('00966501234567')).toEqual({ ok: true, value: '+966501234567' });
    expect(normalisePhone('+٩٦٦٥٠١٢٣٤٥٦٧', 'EG')).toEqual({ ok: true, value: '+966501234567' });
    expect(normalisePhone('\u200f+20 10 1234 5678\u200e')).toEqual({ ok: true, value: '+201012345678' });
  });

  it('refuses numbers that are not valid for their country, naming it', () => {
    expect(normalisePhone('050123456', 'SA')).toEqual({
      ok: false,
      error: { code: 'invalid', message: 'phone "050123456" is not a valid number in SA', field: 'phone' },
    });
    // Right length for Egypt, but 0111 is no Egyptian prefix of that length.
    expect(normalisePhone('0111234567', 'EG')).toMatchObject({ ok: false });
    expect(normalisePhone('+96650123', 'SA')).toMatchObject({
      ok: false,
      error: { message: 'phone "+96650123" is not a valid number' },
    });
    expect(normalisePhone('05O1234567', 'SA')).toMatchObject({
      ok: false,
      error: { message: 'phone "05O1234567" has characters that are not digits' },
    });
  });

  it('asks for a country code when there is no country to read a local number in', () => {
    expect(normalisePhone('0501234567')).toMatchObject({
      ok: false,
      error: {
        message:
          'phone "0501234567" has no country code: write it as +<country code><number>, or set the contact\'s country',
      },
    });
  });

  it('answers on the fast path exactly as libphonenumber does', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    let compared = 0;
    for (const country of getCountries()) {
      for (let i = 0; i < 400; i++) {
        let digits = '0';
        const length = 6 + Math.floor(random() * 8);
        for (let k = 0; k < length; k++) digits += String(Math.floor(random() * 10));
        const fast = fastNationalE164(digits, country);
        if (fast === undefined) continue;
        const parsed = parsePhoneNumberFromString(digits, {
          defaultCountry: country as CountryCode,
          extract: false,
        });
        expect(parsed?.isValid() ? parsed.number : undefined, `${digits} in ${country}`).toBe(fast);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });
});
