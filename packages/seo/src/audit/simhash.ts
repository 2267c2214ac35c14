/** Content fingerprints: an exact hash and a 64-bit simhash over word 3-shingles. */

/** cyrb53-style string hash as two independent 32-bit halves (no BigInt in the hot loop). */
export function hash64(text: string): [number, number] {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return [h1 >>> 0, h2 >>> 0];
}

export const toHex = ([hi, lo]: readonly [number, number]): string =>
  hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');

export const SHINGLE = 3;

/** Simhash (Charikar) of the word 3-shingles, as 16 hex digits; undefined with fewer than 3 words. */
export function simhash(normalisedWords: readonly string[]): string | undefined {
  if (normalisedWords.length < SHINGLE) return undefined;
  const votes = new Int32Array(64);
  for (let i = 0; i + SHINGLE <= normalisedWords.length; i++) {
    const [hi, lo] = hash64(normalisedWords.slice(i, i + SHINGLE).join(' '));
    for (let b = 0; b < 32; b++) {
      votes[b] = (votes[b] ?? 0) + ((hi >>> b) & 1 ? 1 : -1);
      votes[32 + b] = (votes[32 + b] ?? 0) + ((lo >>> b) & 1 ? 1 : -1);
    }
  }
  let hi = 0;
  let lo = 0;
  for (let b = 0; b < 32; b++) {
    if ((votes[b] ?? 0) > 0) hi |= 1 << b;
    if ((votes[32 + b] ?? 0) > 0) lo |= 1 << b;
  }
  return toHex([hi >>> 0, lo >>> 0]);
}

const popcount32 = (x: number): number => {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
};

/** A 16-hex-digit fingerprint as its two 32-bit halves, for comparing many pairs. */
export const halves = (hex: string): [number, number] => [
  Number.parseInt(hex.slice(0, 8), 16),
  Number.parseInt(hex.slice(8), 16),
];

export const hammingHalves = (a: readonly [number, number], b: readonly [number, number]): number =>
  popcount32(a[0] ^ b[0]) + popcount32(a[1] ^ b[1]);

/** Number of differing bits between two 16-hex-digit fingerprints. */
export const hammingDistance = (a: string, b: string): number => hammingHalves(halves(a), halves(b));
