/**
 * The first line on which each key (an email or a phone) was seen, kept as a
 * 64-bit hash in flat typed arrays: 12 bytes a slot instead of a string and a
 * Map entry (~100 bytes): a million rows (two million keys) take ~30 MB. Two
 * different keys share a hash with odds of about n²/2⁶⁵ (≈10⁻⁷ for 2M keys).
 */
export class SeenKeys {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private lines: Uint32Array;
  private count = 0;

  constructor(capacity = 1 << 16) {
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.lines = new Uint32Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** The line `key` was first seen on, or undefined after recording `line` for it. */
  firstLine(key: string, line: number): number | undefined {
    hash(key);
    const found = this.find(h1, h2);
    if (this.lines[found] !== 0) return this.lines[found];
    this.hi[found] = h1;
    this.lo[found] = h2;
    this.lines[found] = line;
    if (++this.count * 5 > this.lines.length * 4) this.grow();
    return undefined;
  }

  // Open addressing with linear probing; a zero line marks an empty slot (lines start at 1).
  private find(a: number, b: number): number {
    const capacity = this.lines.length;
    let i = ((a ^ b) >>> 0) % capacity;
    while (this.lines[i] !== 0 && (this.hi[i] !== a || this.lo[i] !== b)) i = i + 1 === capacity ? 0 : i + 1;
    return i;
  }

  // Growing by half, not doubling, keeps the table and the peak while copying it smaller.
  private grow(): void {
    const { hi, lo, lines } = this;
    const capacity = Math.ceil(lines.length * 1.5);
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.lines = new Uint32Array(capacity);
    for (let i = 0; i < lines.length; i++) {
      if (lines[i] === 0) continue;
      const slot = this.find(hi[i]!, lo[i]!);
      this.hi[slot] = hi[i]!;
      this.lo[slot] = lo[i]!;
      this.lines[slot] = lines[i]!;
    }
  }
}

let h1 = 0;
let h2 = 0;

// cyrb53's two 32-bit lanes, both kept: 64 bits without allocating.
function hash(text: string): void {
  let a = 0xdeadbeef;
  let b = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 2654435761);
    b = Math.imul(b ^ c, 1597334677);
  }
  a = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  b = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
  h1 = a >>> 0;
  h2 = b >>> 0;
}
