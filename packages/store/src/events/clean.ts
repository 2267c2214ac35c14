// U+0000 and unpaired UTF-16 surrogates: PostgreSQL rejects the first in text
// and jsonb and the second in jsonb, which would fail a whole batch forever.
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is the character to find.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');
// JSON.stringify escapes exactly those characters, so the common case costs one scan.
const ESCAPED_UNSTORABLE = /\\u(0000|d[89a-f])/i;

/** Drops U+0000 and replaces unpaired surrogates with U+FFFD, as a UTF-8 encoder would. */
export function cleanText(value: string): string {
  if (!UNSTORABLE.test(value)) return value;
  return value.replace(UNSTORABLE_ALL, (c) => (c === '\u0000' ? '' : '\ufffd'));
}

/** `cleanText` on a JSON value's strings and keys, then serialised. */
export function cleanJson(value: unknown): string {
  const json = JSON.stringify(value);
  return ESCAPED_UNSTORABLE.test(json) ? JSON.stringify(deepClean(value)) : json;
}

function deepClean(value: unknown): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (Array.isArray(value)) return value.map(deepClean);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [cleanText(k), deepClean(v)]));
  }
  return value;
}
