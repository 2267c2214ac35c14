import { domainToASCII, domainToUnicode as nodeDomainToUnicode } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodePunycode, domainToUnicode } from '../src/lib/punycode.ts';

/** Code points as RFC 3492 lists them: `u+0644 u+064A …`. */
const rfc = (points: string) =>
  String.fromCodePoint(...points.split(' ').map((point) => Number.parseInt(point.slice(2), 16)));

describe('decodePunycode (RFC 3492)', () => {
  // Samples from RFC 3492 section 7.1, written as code points so they do not depend on this file's encoding.
  const samples: [string, string, string][] = [
    [
      '(A) Arabic (Egyptian)',
      'egbpdaj6bu4bxfgehfvwxn',
      rfc(
        'u+0644 u+064A u+0647 u+0645 u+0627 u+0628 u+062A u+0643 u+0644 u+0645 u+0648 u+0634 u+0639 u+0631 u+0628 u+064A u+061F',
      ),
    ],
    [
      '(B) Chinese (simplified)',
      'ihqwcrb4cv8a8dqg056pqjye',
      rfc('u+4ED6 u+4EEC u+4E3A u+4EC0 u+4E48 u+4E0D u+8BF4 u+4E2D u+6587'),
    ],
    [
      '(L) 3<nen>B<gumi><kinpachi><sensei>: basic code points and their case survive',
      '3B-ww4c5e180e575a65lsy2b',
      rfc('u+0033 u+5E74 U+0042 u+7D44 u+91D1 u+516B u+5148 u+751F'),
    ],
    [
      '(M) <amuro><namie>-with-SUPER-MONKEYS: a delimiter inside the basic part',
      '-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n',
      `${rfc('u+5B89 u+5BA4 u+5948 u+7F8E u+6075')}-with-SUPER-MONKEYS`,
    ],
    ['(S) only basic code points', '-> $1.00 <--', '-> $1.00 <-'],
  ];

  it.each(samples)('%s', (_, encoded, decoded) => {
    expect(decodePunycode(encoded)).toBe(decoded);
  });

  it('accepts upper-case digits as well', () => {
    expect(decodePunycode('EGBPDAJ6BU4BXFGEHFVWXN')).toBe(samples[0]![2]);
  });

  it('rejects malformed input', () => {
    expect(() => decodePunycode('mgbh0f!')).toThrow(RangeError); // not a base-36 digit
    expect(() => decodePunycode('mgbh0')).toThrow(RangeError); // ends inside a number
    expect(() => decodePunycode('ab\u0645-mgbh0fb')).toThrow(RangeError); // non-ASCII basic part
    expect(() => decodePunycode('99999999999')).toThrow(RangeError); // overflow
  });
});

describe('domainToUnicode', () => {
  it('decodes the example from the brief', () => {
    expect(domainToUnicode('xn--mgbh0fb')).toBe('مثال');
    expect(domainToUnicode('xn--mgbh0fb')).toBe(nodeDomainToUnicode('xn--mgbh0fb'));
  });

  // Expected values come from Node's own IDNA implementation, not from this decoder.
  const hosts = [
    'متجر.السعودية',
    'مثال.إختبار',
    'موقع.وزارة-الاتصالات.مصر',
    'www.متجر-الورد.com',
    'سوق.امارات',
    'مثال.قطر',
    'bücher.de',
    'example.com',
    'localhost',
  ];

  it.each(hosts)('shows %s as Node decodes its punycode form', (host) => {
    const ascii = domainToASCII(host);
    expect(ascii, 'Node produced an ASCII hostname').toMatch(/^[a-z0-9.-]+$/);
    expect(domainToUnicode(ascii)).toBe(nodeDomainToUnicode(ascii));
  });

  it('round-trips the Arabic store domain used in the browser test', () => {
    const ascii = domainToASCII('متجر.السعودية');
    expect(ascii.split('.').every((label) => label.startsWith('xn--'))).toBe(true);
    expect(domainToUnicode(ascii)).toBe('متجر.السعودية');
  });

  it('leaves ASCII labels, case included, untouched', () => {
    expect(domainToUnicode('WWW.Example.com')).toBe('WWW.Example.com');
  });

  it('keeps labels that do not decode to a real IDN label in ASCII', () => {
    expect(domainToUnicode('xn--.example.com')).toBe('xn--.example.com'); // empty
    expect(domainToUnicode('xn--mgbh0!.com')).toBe('xn--mgbh0!.com'); // malformed
    expect(domainToUnicode('xn--abc-.com')).toBe('xn--abc-.com'); // ASCII only: would pose as abc.com
    // U+202E RIGHT-TO-LEFT OVERRIDE would reorder what follows it on screen.
    expect(encodeLabel('مثال')).toBe('mgbh0fb'); // the helper below agrees with Node…
    expect(decodePunycode(encodeLabel('\u202eمثال'))).toBe('\u202eمثال'); // …and with the decoder
    const override = `xn--${encodeLabel('\u202eمثال')}`;
    expect(domainToUnicode(`${override}.com`)).toBe(`${override}.com`);
  });
});

/** A minimal RFC 3492 encoder, only to build the hostile label above (Node's IDNA refuses to). */
function encodeLabel(text: string): string {
  const input = [...text].map((char) => char.codePointAt(0) ?? 0);
  const adapt = (delta: number, points: number, first: boolean) => {
    let d = first ? Math.floor(delta / 700) : Math.floor(delta / 2);
    d += Math.floor(d / points);
    let k = 0;
    for (; d > 455; k += 36) d = Math.floor(d / 35);
    return k + Math.floor((36 * d) / (d + 38));
  };
  const digit = (d: number) => String.fromCharCode(d < 26 ? d + 97 : d + 22);
  let output = input
    .filter((c) => c < 0x80)
    .map((c) => String.fromCharCode(c))
    .join('');
  const basic = output.length;
  let handled = basic;
  if (basic > 0) output += '-';
  let n = 0x80;
  let delta = 0;
  let bias = 72;
  while (handled < input.length) {
    const m = Math.min(...input.filter((c) => c >= n));
    delta += (m - n) * (handled + 1);
    n = m;
    for (const c of input) {
      if (c < n) delta++;
      if (c !== n) continue;
      let q = delta;
      for (let k = 36; ; k += 36) {
        const t = k <= bias ? 1 : k >= bias + 26 ? 26 : k - bias;
        if (q < t) break;
        output += digit(t + ((q - t) % (36 - t)));
        q = Math.floor((q - t) / (36 - t));
      }
      output += digit(q);
      bias = adapt(delta, handled + 1, handled === basic);
      delta = 0;
      handled++;
    }
    delta++;
    n++;
  }
  return output;
}
