/*
 * Punycode decoding (RFC 3492, section 6.2) for showing internationalised domains as people
 * wrote them: the server stores `xn--mgbh0fb.xn--...` and the page shows `مثال.…`. Browsers
 * offer no decoder (the URL API only encodes), and a library for ~40 lines is not worth it.
 */
const BASE = 36;
const T_MIN = 1;
const T_MAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 0x80;
const MAX_INT = 0x7fffffff;

/** The value of one base-36 digit: a–z (either case) are 0–25, 0–9 are 26–35; BASE when not a digit. */
function digitValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) return code - 0x30 + 26;
  if (code >= 0x41 && code <= 0x5a) return code - 0x41;
  if (code >= 0x61 && code <= 0x7a) return code - 0x61;
  return BASE;
}

function adapt(delta: number, points: number, first: boolean): number {
  let d = first ? Math.floor(delta / DAMP) : Math.floor(delta / 2);
  d += Math.floor(d / points);
  let k = 0;
  while (d > ((BASE - T_MIN) * T_MAX) >> 1) {
    d = Math.floor(d / (BASE - T_MIN));
    k += BASE;
  }
  return k + Math.floor(((BASE - T_MIN + 1) * d) / (d + SKEW));
}

/** Decodes one Punycode string (a label without its `xn--`). Throws RangeError on bad input. */
export function decodePunycode(input: string): string {
  const output: number[] = [];
  const delimiter = input.lastIndexOf('-');
  for (let j = 0; j < delimiter; j++) {
    const code = input.charCodeAt(j);
    if (code >= 0x80) throw new RangeError('punycode: non-basic code point before the delimiter');
    output.push(code);
  }
  let n = INITIAL_N;
  let bias = INITIAL_BIAS;
  let i = 0;
  for (let index = delimiter > 0 ? delimiter + 1 : 0; index < input.length; ) {
    const oldI = i;
    for (let w = 1, k = BASE; ; k += BASE) {
      if (index >= input.length) throw new RangeError('punycode: truncated input');
      const digit = digitValue(input.charCodeAt(index++));
      if (digit >= BASE) throw new RangeError('punycode: not a base-36 digit');
      if (digit > Math.floor((MAX_INT - i) / w)) throw new RangeError('punycode: overflow');
      i += digit * w;
      const t = k <= bias ? T_MIN : k >= bias + T_MAX ? T_MAX : k - bias;
      if (digit < t) break;
      if (w > Math.floor(MAX_INT / (BASE - t))) throw new RangeError('punycode: overflow');
      w *= BASE - t;
    }
    const length = output.length + 1;
    bias = adapt(i - oldI, length, oldI === 0);
    if (Math.floor(i / length) > MAX_INT - n) throw new RangeError('punycode: overflow');
    n += Math.floor(i / length);
    i %= length;
    if (n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) throw new RangeError('punycode: not a code point');
    output.splice(i++, 0, n);
  }
  return String.fromCodePoint(...output);
}

// Invisible or layout-changing characters (controls, bidi marks, spaces) never belong in a
// hostname, and a real IDN label always has a non-ASCII character: a label that decodes to
// anything else is shown in its ASCII form rather than trusted.
const SUSPICIOUS = /[\p{C}\p{Z}\s]/u;
const asciiOnly = (text: string) => [...text].every((char) => (char.codePointAt(0) ?? 0) < 0x80);

/**
 * A hostname for display: each `xn--` label decoded to Unicode, every other label as it is.
 * A label that does not decode cleanly stays in its ASCII form, so this never throws.
 */
export function domainToUnicode(domain: string): string {
  return domain
    .split('.')
    .map((label) => {
      if (!/^xn--/i.test(label)) return label;
      try {
        const decoded = decodePunycode(label.slice(4));
        return asciiOnly(decoded) || SUSPICIOUS.test(decoded) ? label : decoded;
      } catch {
        return label;
      }
    })
    .join('.');
}
