import { normalizeIp } from '@wasl/ingest';

/**
 * Counts per key in fixed windows (`windowMs`), in memory: cheap enough for
 * every collect request (one Map look-up). At most `maxKeys` keys are counted
 * per window; past that, new keys pass uncounted rather than growing memory
 * without bound under a flood of distinct addresses.
 */
export class FixedWindowLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  #counts = new Map<string, number>();
  #windowStart = Number.NEGATIVE_INFINITY;

  constructor(limit: number, windowMs: number, maxKeys = 200_000) {
    this.#limit = limit;
    this.#windowMs = windowMs;
    this.#maxKeys = maxKeys;
  }

  /**
   * Counts `n` for `key` at `now`. Returns the seconds until the window ends
   * when that would take the key past the limit (nothing is counted then),
   * else undefined.
   */
  take(key: string, n: number, now: number): number | undefined {
    if (now >= this.#windowStart + this.#windowMs || now < this.#windowStart) {
      this.#counts = new Map();
      this.#windowStart = now - (now % this.#windowMs);
    }
    const count = (this.#counts.get(key) ?? 0) + n;
    if (count > this.#limit) return Math.max(1, Math.ceil((this.#windowStart + this.#windowMs - now) / 1000));
    if (this.#counts.size < this.#maxKeys || this.#counts.has(key)) this.#counts.set(key, count);
    return undefined;
  }
}

/**
 * The rate-limit key of a client address: an IPv4 address, or the /64 prefix
 * of an IPv6 one (one subscriber usually holds a whole /64, and rotating
 * through it must not escape the limit).
 */
export function clientKey(ip: string): string {
  if (!ip.includes(':')) return ip;
  const address = normalizeIp(ip);
  if (address === undefined) return ip;
  if (address.family === 4) return address.address;
  return ipv6Groups(address.address).slice(0, 4).join(':');
}

/** The eight groups of a canonical IPv6 address, '::' expanded. */
function ipv6Groups(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head === '' ? [] : head.split(':');
  if (tail === undefined) return left;
  const right = tail === '' ? [] : tail.split(':');
  return [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
}
