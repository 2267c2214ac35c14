/** The salts that hash cookieless visitors right now (see `saltPlan`). */
export interface SaltWindow {
  /** Today's salt: every event's visitor id is hashed with it. */
  use: string;
  /** Yesterday's salt, while it exists: only to find an open visit or a visitor seen yesterday, never to make an id. */
  previous?: string;
  /** When yesterday began: nothing earlier can be recognised. */
  windowStart: number;
}

/**
 * Today's and yesterday's salt, answered from memory. The server's
 * implementation (`VisitorSalts`) loads them from the OLTP store, plans with
 * `saltPlan` and rotates at `rotatesAt`; `window` must not wait for I/O.
 */
export interface SaltSource {
  window(now: number): SaltWindow;
}
