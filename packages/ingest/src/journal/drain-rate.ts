/** How far back the rate looks. */
const WINDOW_MS = 10_000;
/** Retry-After when nothing drained in the window: the store is down or far behind. */
const STALLED_SECONDS = 10;
const MAX_SECONDS = 60;

/**
 * How fast the writer has been freeing journal bytes lately, turned into the
 * Retry-After of a refused append: the time until the overflow has drained.
 */
export class DrainRate {
  private readonly started = Date.now();
  private readonly recent: { at: number; bytes: number }[] = [];

  note(bytes: number): void {
    const now = Date.now();
    this.recent.push({ at: now, bytes });
    this.forgetBefore(now - WINDOW_MS);
  }

  /** Whole seconds (1–60) until `overflowBytes` more have drained at the recent rate. */
  retryAfterSeconds(overflowBytes: number): number {
    const now = Date.now();
    this.forgetBefore(now - WINDOW_MS);
    const bytes = this.recent.reduce((sum, r) => sum + r.bytes, 0);
    if (bytes === 0) return STALLED_SECONDS;
    const seconds = Math.max(1, Math.min(WINDOW_MS, now - this.started)) / 1000;
    return Math.min(MAX_SECONDS, Math.max(1, Math.ceil(overflowBytes / (bytes / seconds))));
  }

  private forgetBefore(time: number): void {
    while ((this.recent[0]?.at ?? time) < time) this.recent.shift();
  }
}
