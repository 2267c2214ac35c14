// Arabic-Indic (U+0660-0669) and Extended (Persian, U+06F0-06F9) digits to ASCII.
export function asciiDigits(text: string): string {
  if (!/[\u0660-\u0669\u06f0-\u06f9]/.test(text)) return text;
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) & 0xf));
}

/**
 * A key for matching words people type in Arabic or English: lower case, no
 * diacritics or tatweel, one form of alef, teh marbuta and yeh, single spaces.
 */
export function matchKey(text: string): string {
  return asciiDigits(text)
    .toLowerCase()
    .replace(/[\u064b-\u065f\u0670\u0640]/g, '')
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ة/g, 'ه')
    .replace(/ى/g, 'ي')
    .replace(/[\s_\-.]+/g, ' ')
    .trim();
}
