// Control characters (C0, DEL, C1): never meaningful in a campaign name, a city or a
// browser name, and they break CSV exports and log lines.
const CONTROL_CHARACTERS = /\p{Cc}/gu;

/**
 * Trims, normalises to NFC (Arabic typed on different keyboards groups as one
 * value), drops control characters and bounds the length. The bound counts
 * UTF-16 code units, as the event schema's `max()` does, and a cut never splits
 * a surrogate pair. Empty results become `undefined`.
 *
 * @example cleanText('  تخفيضات\u0000 ', 200) // 'تخفيضات'
 */
export function cleanText(value: string | undefined | null, maxLength: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  let cleaned = value.normalize('NFC').replace(CONTROL_CHARACTERS, '').trim();
  if (cleaned.length > maxLength) {
    const last = cleaned.charCodeAt(maxLength - 1);
    const splitsPair = last >= 0xd800 && last <= 0xdbff;
    cleaned = cleaned.slice(0, splitsPair ? maxLength - 1 : maxLength).trim();
  }
  return cleaned === '' ? undefined : cleaned;
}
