/**
 * SMS text arithmetic: which encoding a text needs (GSM 03.38 7-bit or UCS-2),
 * how many characters and parts it takes, where the parts split (never inside
 * a GSM escape pair or a UTF-16 surrogate pair), what a send costs, and the
 * bytes of one part for an SMPP short_message. Pure functions, shared by the
 * editor's counter and the SMPP adapter.
 */
import { err, ok, problem, type Result } from '@wasl/core';

export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SmsParts {
  encoding: SmsEncoding;
  /** Septets for GSM-7 (an extension character counts 2), UTF-16 code units for UCS-2 (an emoji counts 2). */
  characters: number;
  /** 0 for an empty text. */
  parts: number;
  /** Capacity of one part: the single-message limit while the text fits in one part, else the concatenated one. */
  perPart: number;
  /** What still fits in the last part before another part is needed. */
  remainingInPart: number;
  /** The distinct characters, in order of appearance, that forced UCS-2 (empty for GSM-7). */
  nonGsmCharacters: string[];
}

export const LIMITS = {
  gsm7: { single: 160, concatenated: 153 },
  ucs2: { single: 70, concatenated: 67 },
} as const;

/** GSM 03.38 default alphabet, indexed by septet value (0x1B, the escape to the extension table, is a space holder). */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** GSM 03.38 extension table: character → septet sent after the 0x1B escape. */
const GSM_EXTENSION: ReadonlyMap<string, number> = new Map([
  ['\f', 0x0a],
  ['^', 0x14],
  ['{', 0x28],
  ['}', 0x29],
  ['\\', 0x2f],
  ['[', 0x3c],
  ['~', 0x3d],
  [']', 0x3e],
  ['|', 0x40],
  ['€', 0x65],
]);

const GSM_ESCAPE = 0x1b;
const GSM_SEPTET: ReadonlyMap<string, number> = new Map(
  [...GSM_BASIC].flatMap((char, septet) => (septet === GSM_ESCAPE ? [] : [[char, septet] as const])),
);

/** Septets one character takes in GSM-7: 1 (basic), 2 (extension), or undefined when it is not in GSM 03.38. */
export function gsmSeptets(char: string): 1 | 2 | undefined {
  if (GSM_SEPTET.has(char)) return 1;
  if (GSM_EXTENSION.has(char)) return 2;
  return undefined;
}

/** The text's code points with the units each takes in the given encoding. */
function units(text: string, encoding: SmsEncoding): Array<{ char: string; size: number }> {
  return Array.from(text, (char) => ({
    char,
    size: encoding === 'ucs2' ? char.length : (gsmSeptets(char) ?? 1),
  }));
}

function nonGsm(text: string): string[] {
  const found = new Set<string>();
  for (const char of text) if (gsmSeptets(char) === undefined) found.add(char);
  return [...found];
}

/** Groups the characters into parts, closing a part early rather than splitting a character's units. */
function pack(text: string, encoding: SmsEncoding): { parts: string[]; lastSize: number; total: number } {
  const chars = units(text, encoding);
  const total = chars.reduce((sum, c) => sum + c.size, 0);
  if (total === 0) return { parts: [], lastSize: 0, total };
  if (total <= LIMITS[encoding].single) return { parts: [text], lastSize: total, total };
  const limit = LIMITS[encoding].concatenated;
  const parts: string[] = [];
  let current = '';
  let size = 0;
  for (const { char, size: n } of chars) {
    if (size + n > limit) {
      parts.push(current);
      current = '';
      size = 0;
    }
    current += char;
    size += n;
  }
  parts.push(current);
  return { parts, lastSize: size, total };
}

export function smsEncoding(text: string): SmsEncoding {
  for (const char of text) if (gsmSeptets(char) === undefined) return 'ucs2';
  return 'gsm7';
}

export function smsParts(text: string): SmsParts {
  const nonGsmCharacters = nonGsm(text);
  const encoding: SmsEncoding = nonGsmCharacters.length > 0 ? 'ucs2' : 'gsm7';
  const { parts, lastSize, total } = pack(text, encoding);
  const perPart = parts.length > 1 ? LIMITS[encoding].concatenated : LIMITS[encoding].single;
  return {
    encoding,
    characters: total,
    parts: parts.length,
    perPart,
    remainingInPart: perPart - lastSize,
    nonGsmCharacters,
  };
}

/** The texts of the parts, in order; they join back to the text. Empty text → no parts. */
export function splitSms(text: string): string[] {
  return pack(text, smsEncoding(text)).parts;
}

/**
 * The bytes of one part's short_message: unpacked GSM-7 septets (one octet
 * each, extension characters as 0x1B + septet; SMPP data_coding 0) or UTF-16BE
 * (data_coding 8). A character outside GSM 03.38 in a gsm7 part is an error.
 */
export function encodePart(text: string, encoding: SmsEncoding): Result<Uint8Array> {
  if (encoding === 'ucs2') {
    const bytes = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      bytes[2 * i] = unit >> 8;
      bytes[2 * i + 1] = unit & 0xff;
    }
    return ok(bytes);
  }
  const septets: number[] = [];
  for (const char of text) {
    const basic = GSM_SEPTET.get(char);
    const extension = GSM_EXTENSION.get(char);
    if (basic !== undefined) septets.push(basic);
    else if (extension !== undefined) septets.push(GSM_ESCAPE, extension);
    else return err(problem('invalid', `"${char}" is not a GSM 03.38 character`, 'text'));
  }
  return ok(Uint8Array.from(septets));
}

/**
 * What sending costs: parts × price per part × recipients, rounded to
 * millionths of the currency unit to drop floating-point dust.
 */
export function estimateCost(parts: number, pricePerPart: number, recipients: number): Result<number> {
  if (!Number.isInteger(parts) || parts < 0) {
    return err(problem('invalid', `parts must be a whole number ≥ 0, got ${parts}`, 'parts'));
  }
  if (!Number.isFinite(pricePerPart) || pricePerPart < 0) {
    return err(problem('invalid', `pricePerPart must be a number ≥ 0, got ${pricePerPart}`, 'pricePerPart'));
  }
  if (!Number.isInteger(recipients) || recipients < 0) {
    return err(problem('invalid', `recipients must be a whole number ≥ 0, got ${recipients}`, 'recipients'));
  }
  return ok(Math.round(parts * recipients * pricePerPart * 1e6) / 1e6);
}
