import { err, ok, type Problem, problem, type Result } from '../result.ts';

// Domains people mistype, and what they meant. Reported, never silently fixed.
const TYPO_DOMAINS: Readonly<Record<string, string>> = {
  'gmial.com': 'gmail.com',
  'gmal.com': 'gmail.com',
  'gmaill.com': 'gmail.com',
  'gamil.com': 'gmail.com',
  'gnail.com': 'gmail.com',
  'gmail.co': 'gmail.com',
  'gmail.con': 'gmail.com',
  'gmail.cm': 'gmail.com',
  'gmail.om': 'gmail.com',
  'gmai.com': 'gmail.com',
  'hotmial.com': 'hotmail.com',
  'hotmal.com': 'hotmail.com',
  'hotmai.com': 'hotmail.com',
  'hotmil.com': 'hotmail.com',
  'hotmail.co': 'hotmail.com',
  'hotmail.con': 'hotmail.com',
  'hotamil.com': 'hotmail.com',
  'yaho.com': 'yahoo.com',
  'yahooo.com': 'yahoo.com',
  'yahoo.co': 'yahoo.com',
  'yahoo.con': 'yahoo.com',
  'yhoo.com': 'yahoo.com',
  'outlok.com': 'outlook.com',
  'outloo.com': 'outlook.com',
  'outlook.co': 'outlook.com',
  'outlook.con': 'outlook.com',
  'iclod.com': 'icloud.com',
  'icloud.co': 'icloud.com',
  'icoud.com': 'icloud.com',
  'live.co': 'live.com',
};

const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const TLD = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
// The same rules as one test, for the common case of a valid domain.
const DOMAIN = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

function domainFault(domain: string): string {
  const labels = domain.split('.');
  if (labels.length < 2) return 'has a domain without a dot';
  if (!TLD.test(labels[labels.length - 1]!)) return 'ends in a domain suffix that does not exist';
  return 'has a domain that is not a valid name';
}

/** A valid email: trimmed, lower case, an IDN domain in its ASCII (punycode) form. */
export type EmailResult = { ok: true; value: string; suggestion?: string } | { ok: false; error: Problem };

const invalid = (raw: string, why: string): Result<string> =>
  err(problem('invalid', `email "${raw}" ${why}`, 'email'));

/**
 * Checks and normalises an email. On success `suggestion` is set when the
 * domain is a known typo (gmial.com → gmail.com): a warning, the email is kept.
 */
export function normaliseEmail(raw: string): EmailResult {
  const email = raw.trim().toLowerCase();
  if (email === '') return invalid(raw, 'is empty');
  const at = email.indexOf('@');
  if (at === -1) return invalid(raw, 'has no @');
  if (email.indexOf('@', at + 1) !== -1) return invalid(raw, 'has more than one @');
  const local = email.slice(0, at);
  let domain = email.slice(at + 1);
  if (local === '') return invalid(raw, 'has nothing before the @');
  if (local.length > 64) return invalid(raw, 'has more than 64 characters before the @');
  if (local.includes('..') || domain.includes('..')) return invalid(raw, 'has two dots in a row');
  if (!LOCAL_PART.test(local)) return invalid(raw, 'has a character not allowed before the @');
  if (domain === '') return invalid(raw, 'has no domain after the @');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII test
  if (/[^\x00-\x7f]/.test(domain)) {
    const ascii = toAsciiDomain(domain);
    if (ascii === undefined) return invalid(raw, 'has a domain that is not a valid name');
    domain = ascii;
  }
  if (!DOMAIN.test(domain)) return invalid(raw, domainFault(domain));
  const value = `${local}@${domain}`;
  if (value.length > 254) return invalid(raw, 'is longer than 254 characters');
  const suggestion = TYPO_DOMAINS[domain];
  return suggestion === undefined ? ok(value) : { ok: true, value, suggestion: `${local}@${suggestion}` };
}

// The WHATWG URL parser applies IDNA (UTS #46) in Node and in browsers alike.
function toAsciiDomain(domain: string): string | undefined {
  if (/[\s/\\?#@:%[\]]/.test(domain)) return undefined;
  try {
    return new URL(`http://${domain}/`).hostname;
  } catch {
    return undefined;
  }
}
