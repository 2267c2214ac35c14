import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodePart, estimateCost, gsmSeptets, LIMITS, smsParts, splitSms } from '../../src/sms/encoding.ts';

/** Units one part's text takes in the encoding. */
const size = (text: string, encoding: 'gsm7' | 'ucs2') =>
  encoding === 'ucs2' ? text.length : Array.from(text).reduce((n, c) => n + (gsmSeptets(c) ?? 0), 0);

describe('smsParts', () => {
  it('counts plain GSM text in septets, one part up to 160', () => {
    expect(smsParts('Hello from Wasl')).toEqual({
      encoding: 'gsm7',
      characters: 15,
      parts: 1,
      perPart: 160,
      remainingInPart: 145,
      nonGsmCharacters: [],
    });
    expect(smsParts('a'.repeat(160))).toMatchObject({ parts: 1, remainingInPart: 0 });
    expect(smsParts('a'.repeat(161))).toMatchObject({ parts: 2, perPart: 153, remainingInPart: 145 });
  });

  it('counts each extension character (€ { } [ ] ~ \\ | ^ and form feed) as two septets', () => {
    expect(smsParts('€{}[]~\\|^\f')).toMatchObject({ encoding: 'gsm7', characters: 20 });
    expect(smsParts('€'.repeat(80))).toMatchObject({ characters: 160, parts: 1 });
    expect(smsParts(`a${'€'.repeat(80)}`)).toMatchObject({ characters: 161, parts: 2 });
  });

  it('switches to UCS-2 for Arabic: 70 characters are one part, 71 are two (67 + 4)', () => {
    const seventy = 'مرحبا بكم في متجر وصل '.repeat(4).slice(0, 70);
    expect(seventy.length).toBe(70);
    expect(smsParts(seventy)).toMatchObject({ encoding: 'ucs2', characters: 70, parts: 1, perPart: 70 });
    const seventyOne = `${seventy}!`;
    expect(smsParts(seventyOne)).toMatchObject({
      characters: 71,
      parts: 2,
      perPart: 67,
      remainingInPart: 63,
    });
    expect(splitSms(seventyOne).map((part) => part.length)).toEqual([67, 4]);
  });

  it('names the characters that force UCS-2, once each, in order', () => {
    expect(smsParts('Don’t miss it ’ 😀 ’').nonGsmCharacters).toEqual(['’', '😀']);
    expect(smsParts('Don’t miss it')).toMatchObject({ encoding: 'ucs2', characters: 13, parts: 1 });
  });

  it('counts an emoji as two UTF-16 code units', () => {
    expect(smsParts('😀')).toMatchObject({ encoding: 'ucs2', characters: 2 });
    expect(smsParts('😀'.repeat(35))).toMatchObject({ characters: 70, parts: 1 });
  });

  it('treats an empty text as no parts', () => {
    expect(smsParts('')).toEqual({
      encoding: 'gsm7',
      characters: 0,
      parts: 0,
      perPart: 160,
      remainingInPart: 160,
      nonGsmCharacters: [],
    });
    expect(splitSms('')).toEqual([]);
  });
});

describe('splitSms', () => {
  it('never splits an escape pair: a part ends one septet short instead', () => {
    const text = `${'a'.repeat(152)}€${'b'.repeat(10)}`;
    expect(splitSms(text)).toEqual(['a'.repeat(152), `€${'b'.repeat(10)}`]);
    expect(smsParts(text)).toMatchObject({ characters: 164, parts: 2, remainingInPart: 141 });
  });

  it('never splits a surrogate pair: a part ends one code unit short instead', () => {
    const text = `${'ب'.repeat(66)}😀${'ت'.repeat(10)}`;
    expect(splitSms(text)).toEqual(['ب'.repeat(66), `😀${'ت'.repeat(10)}`]);
  });

  const gsmChar = fc.constantFrom(
    ...'@£$¥èéÇ\nØΔ_ΦΓΛ ÆæÉ!"#¤%&\'()*+,-./09:;<=>?¡AZÄÖÑÜ§¿azäöñüà€{}[]~\\|^\f',
  );
  const otherChar = fc.constantFrom('ا', 'ب', 'ة', 'ً', '٥', '’', '😀', '👍🏽', 'ñ', 'ç', '中');
  const texts = fc.oneof(
    fc.array(gsmChar, { maxLength: 700 }).map((chars) => chars.join('')),
    fc
      .array(fc.oneof({ weight: 3, arbitrary: gsmChar }, { weight: 1, arbitrary: otherChar }), {
        maxLength: 400,
      })
      .map((chars) => chars.join('')),
  );

  it('parts rejoin to the text, each fits its part, and the count matches smsParts (property)', () => {
    fc.assert(
      fc.property(texts, (text) => {
        const info = smsParts(text);
        const parts = splitSms(text);
        expect(parts.join('')).toBe(text);
        expect(parts).toHaveLength(info.parts);
        const limit = parts.length > 1 ? LIMITS[info.encoding].concatenated : LIMITS[info.encoding].single;
        expect(info.perPart).toBe(limit);
        for (const part of parts) {
          expect(part.length).toBeGreaterThan(0);
          expect(size(part, info.encoding)).toBeLessThanOrEqual(limit);
          expect(encodePart(part, info.encoding).ok).toBe(true);
          // No part starts with a lone low surrogate (a pair was not split).
          expect(/^[\udc00-\udfff]/.test(part)).toBe(false);
        }
        if (parts.length > 0) expect(info.remainingInPart).toBe(limit - size(parts.at(-1)!, info.encoding));
        expect(info.characters).toBe(parts.reduce((n, part) => n + size(part, info.encoding), 0));
      }),
      { numRuns: 500 },
    );
  });
});

describe('encodePart', () => {
  it('writes GSM septets one per octet, extension characters after 0x1B', () => {
    expect(encodePart('@A€{', 'gsm7')).toEqual({
      ok: true,
      value: Uint8Array.from([0x00, 0x41, 0x1b, 0x65, 0x1b, 0x28]),
    });
    expect(encodePart('Ñ_§à\n', 'gsm7')).toEqual({
      ok: true,
      value: Uint8Array.from([0x5d, 0x11, 0x5f, 0x7f, 0x0a]),
    });
  });

  it('writes UCS-2 as UTF-16BE, emoji as a surrogate pair', () => {
    expect(encodePart('وصل😀', 'ucs2')).toEqual({
      ok: true,
      value: Uint8Array.from([0x06, 0x48, 0x06, 0x35, 0x06, 0x44, 0xd8, 0x3d, 0xde, 0x00]),
    });
  });

  it('refuses a non-GSM character in a GSM part, naming it', () => {
    expect(encodePart('ok ’', 'gsm7')).toEqual({
      ok: false,
      error: { code: 'invalid', message: '"’" is not a GSM 03.38 character', field: 'text' },
    });
  });
});

describe('estimateCost', () => {
  it('multiplies parts, price and recipients without floating-point dust', () => {
    expect(estimateCost(3, 0.035, 1000)).toEqual({ ok: true, value: 105 });
    expect(estimateCost(2, 0.1, 3)).toEqual({ ok: true, value: 0.6 });
    expect(estimateCost(0, 0.05, 10)).toEqual({ ok: true, value: 0 });
  });

  it('names the bad argument', () => {
    expect(estimateCost(1.5, 0.1, 1)).toMatchObject({ ok: false, error: { field: 'parts' } });
    expect(estimateCost(1, -1, 1)).toMatchObject({ ok: false, error: { field: 'pricePerPart' } });
    expect(estimateCost(1, Number.NaN, 1)).toMatchObject({ ok: false, error: { field: 'pricePerPart' } });
    expect(estimateCost(1, 0.1, -2)).toMatchObject({ ok: false, error: { field: 'recipients' } });
  });
});
