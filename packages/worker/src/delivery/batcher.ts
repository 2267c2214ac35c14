/**
 * Group commit: callers add items one at a time and await their own result;
 * the items that arrive while one write is under way go together in the next
 * write. At 2,000 messages a second this turns 2,000 small transactions into
 * a few hundred, without making any caller wait for a timer.
 */
export class Batcher<T, R> {
  readonly #write: (items: T[]) => Promise<R[]>;
  readonly #max: number;
  #pending: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  #writing: Promise<void> | undefined;

  /** `write` returns one result per item, in order. */
  constructor(write: (items: T[]) => Promise<R[]>, maxBatch = 500) {
    this.#write = write;
    this.#max = maxBatch;
  }

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      this.#writing ??= this.#drain();
    });
  }

  /** Resolves once everything added so far is written. */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  async #drain(): Promise<void> {
    // Let the callers of this turn of the event loop join the first batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.#pending.length > 0) {
      const batch = this.#pending.splice(0, this.#max);
      try {
        const results = await this.#write(batch.map((p) => p.item));
        for (const [i, p] of batch.entries()) p.resolve(results[i] as R);
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    this.#writing = undefined;
  }
}
