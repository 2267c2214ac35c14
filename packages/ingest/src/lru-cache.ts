/**
 * A bounded cache that forgets what has not been used lately: entries live in
 * a current and a previous generation; a hit in the previous one moves the
 * entry forward, and when the current generation is full it becomes the
 * previous one and the oldest generation is dropped. Between `capacity` and
 * twice as many entries are kept.
 *
 * Cheaper than a strict LRU: a strict LRU re-inserts on every hit, and deleting
 * from a large Map made that the slowest step of a cached user-agent parse.
 */
export class LruCache<K, V> {
  #current = new Map<K, V>();
  #previous = new Map<K, V>();
  readonly #capacity: number;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get(key: K): V | undefined {
    const value = this.#current.get(key);
    if (value !== undefined) return value;
    const old = this.#previous.get(key);
    if (old !== undefined) this.set(key, old);
    return old;
  }

  set(key: K, value: V): void {
    if (this.#current.size >= this.#capacity) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(key, value);
  }

  get size(): number {
    return this.#current.size + this.#previous.size;
  }
}
