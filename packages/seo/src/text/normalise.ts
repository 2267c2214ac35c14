/**
 * Text normalisation for matching, applied alike to page text, keywords and
 * stop-word lists:
 * - Arabic: أ إ آ ٱ → ا, ة → ه, ى → ي; Persian keyboard forms ک → ك, ی → ي;
 *   tashkeel (U+064B–U+0655), superscript alef (U+0670), Quranic annotation
 *   marks and tatweel (U+0640) removed.
 * - Digits: Arabic-Indic ٠-٩ and Eastern Arabic-Indic ۰-۹ → 0-9.
 * - Invisible format characters (ZWNJ, ZWJ, LRM, RLM, ALM, soft hyphen, BOM) removed;
 *   ’ → ' so English contractions match.
 * - Everything else: NFKC, then locale-independent lower case
 *   (String.prototype.toLowerCase, never toLocaleLowerCase).
 *
 * One pass over UTF-16 code units with a lookup table; NFKC runs only when the
 * text holds a character it could change, so plain Arabic and ASCII text never
 * pays for it.
 */

const KEEP = -1;
const DELETE = -2;

/** Per code unit: KEEP, DELETE, or the replacement code unit. */
const FOLD = new Int32Array(0x10000).fill(KEEP);

const fold = (from: number, to: number) => {
  FOLD[from] = to;
};
const remove = (first: number, last = first) => {
  for (let c = first; c <= last; c++) FOLD[c] = DELETE;
};

for (let c = 0x41; c <= 0x5a; c++) fold(c, c + 0x20);
for (const c of [0x0622, 0x0623, 0x0625, 0x0671]) fold(c, 0x0627);
fold(0x0629, 0x0647);
fold(0x0649, 0x064a);
fold(0x06a9, 0x0643);
fold(0x06cc, 0x064a);
for (let d = 0; d <= 9; d++) {
  fold(0x0660 + d, 0x30 + d);
  fold(0x06f0 + d, 0x30 + d);
}
fold(0x2019, 0x27);
remove(0x064b, 0x0655);
remove(0x0670);
remove(0x0640);
remove(0x0610, 0x061a);
remove(0x06d6, 0x06dc);
remove(0x06df, 0x06e8);
remove(0x06ea, 0x06ed);
remove(0x200c, 0x200f);
remove(0x061c);
remove(0x00ad);
remove(0xfeff);

/** Per code unit: 0 not yet known, 1 NFKC and lower case leave it alone, 2 they may not. */
const SLOW = new Uint8Array(0x10000);
for (let c = 0; c < 0x80; c++) SLOW[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) SLOW[c] = 1; // the table lower-cases ASCII
const MARK = /\p{M}/u;

function classifySlow(c: number): number {
  if (c >= 0xd800 && c <= 0xdfff) return 2; // astral: NFKC maps e.g. mathematical letters
  if (c >= 0x0653 && c <= 0x0655) return 2; // combining madda/hamza: NFKC composes و + ٔ into ؤ before they go
  if (FOLD[c] === DELETE) return 1;
  const ch = String.fromCharCode(c);
  // A combining mark the table keeps may compose with the letter before it.
  if (ch.normalize('NFKC').toLowerCase() !== ch || MARK.test(ch)) return 2;
  return 1;
}

/** The table pass alone; `slow` reports whether NFKC/lower case are still needed. */
function foldPass(text: string): { text: string; slow: boolean } {
  let slow = false;
  let out = '';
  let runStart = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let s = SLOW[c]!;
    if (s === 0) {
      s = classifySlow(c);
      SLOW[c] = s;
    }
    if (s === 2) slow = true;
    const f = FOLD[c]!;
    if (f === KEEP) continue;
    if (i > runStart) out += text.slice(runStart, i);
    if (f !== DELETE) out += String.fromCharCode(f);
    runStart = i + 1;
  }
  if (runStart === 0) return { text, slow };
  if (runStart < n) out += text.slice(runStart);
  return { text: out, slow };
}

const INVISIBLE = /[\u0640\u00ad\u061c\u200c-\u200f\ufeff]/g;

/** Normalises text for matching (see the rules above). Idempotent. */
export function normalise(text: string): string {
  const first = foldPass(text);
  if (!first.slow) return first.text;
  // Invisible separators go before NFKC so it composes the letters they split;
  // combining marks stay until after, so و + ٔ becomes ؤ rather than و.
  let result = text.replace(INVISIBLE, '');
  // A mark removed after NFKC can unblock a composition (A + ٓ + ́ → á next time):
  // repeat until nothing changes, which takes two rounds at most in practice.
  for (let previous = ''; result !== previous; ) {
    previous = result;
    result = foldPass(result.normalize('NFKC').toLowerCase().normalize('NFKC')).text;
  }
  return result;
}
