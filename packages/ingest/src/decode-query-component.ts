const utf8 = new TextDecoder('utf-8', { fatal: true });
// Older Arabic sites and some SMS gateways still percent-encode in Windows-1256.
// It also keeps the French accented letters of Maghreb sites where Latin-1 has them.
const windows1256 = new TextDecoder('windows-1256');
const encoder = new TextEncoder();
const PERCENT_ESCAPE = /%[0-9a-f]{2}/i;

/**
 * Decodes one `application/x-www-form-urlencoded` name or value. Unlike
 * `URLSearchParams`, which turns invalid UTF-8 into U+FFFD, it falls back to
 * Windows-1256 and undoes one extra round of encoding (`%25D8%25AA` → `ت`),
 * which link shorteners and ad tools often add.
 *
 * @example decodeQueryComponent('%D8%AA%D8%AE%D9%81%D9%8A%D8%B6%D8%A7%D8%AA') // 'تخفيضات'
 */
export function decodeQueryComponent(raw: string): string {
  const text = raw.replaceAll('+', ' ');
  if (!text.includes('%')) return text;
  const once = decodeUtf8(text) ?? windows1256.decode(percentDecode(text));
  if (!PERCENT_ESCAPE.test(once)) return once;
  return decodeUtf8(once) ?? once;
}

/** Percent-decodes as UTF-8, or `undefined` when the bytes are not UTF-8 or an escape is malformed. */
function decodeUtf8(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    // Malformed escapes ('50%off') fail decodeURIComponent but may still be valid UTF-8 around them.
    try {
      return utf8.decode(percentDecode(text));
    } catch {
      return undefined;
    }
  }
}

function percentDecode(text: string): Uint8Array {
  const out: number[] = [];
  let plain = '';
  const flushPlain = () => {
    if (plain === '') return;
    for (const byte of encoder.encode(plain)) out.push(byte);
    plain = '';
  };
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    const hex = char === '%' ? text.slice(i + 1, i + 3) : '';
    if (hex.length === 2 && /^[0-9a-f]{2}$/i.test(hex)) {
      flushPlain();
      out.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      plain += char;
    }
  }
  flushPlain();
  return Uint8Array.from(out);
}
