import { type CountryCode, isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { err, ok, problem, type Result } from '../result.ts';
import { fastNationalE164 } from './phone-plan.ts';
import { asciiDigits } from './text.ts';

// Separators people write, and the direction marks that copying from Arabic text adds.
const SEPARATORS = /[\s\u00a0\-\u2010-\u2015\u2212().\\/\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const invalid = (raw: string, why: string): Result<string> =>
  err(problem('invalid', `phone "${raw}" ${why}`, 'phone'));

/**
 * A phone number in E.164 (+966501234567). Local forms (0501234567) are read
 * in `defaultCountry`; validity is checked against the number plan of the
 * country by number type (mobile, fixed line…), not only by length.
 */
export function normalisePhone(raw: string, defaultCountry?: string): Result<string> {
  let digits = asciiDigits(raw).replace(SEPARATORS, '');
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;
  else if (digits.startsWith('\uff0b')) digits = `+${digits.slice(1)}`;
  if (digits === '' || digits === '+') return invalid(raw, 'is empty');
  if (!/^\+?[0-9]+$/.test(digits)) return invalid(raw, 'has characters that are not digits');
  if (digits.length > 18) return invalid(raw, 'is too long');
  const international = digits.startsWith('+');
  const country = defaultCountry?.toUpperCase();
  if (!international && country !== undefined) {
    const fast = fastNationalE164(digits, country);
    if (fast !== undefined) return ok(fast);
  }
  if (!international && (country === undefined || !isSupportedCountry(country))) {
    return invalid(
      raw,
      "has no country code: write it as +<country code><number>, or set the contact's country",
    );
  }
  const parsed = parsePhoneNumberFromString(
    digits,
    international ? { extract: false } : { defaultCountry: country as CountryCode, extract: false },
  );
  if (parsed === undefined || !parsed.isValid()) {
    return invalid(raw, international ? 'is not a valid number' : `is not a valid number in ${country}`);
  }
  return ok(parsed.number);
}
