/** What the pipeline needs to know about the HTTP request that carried an event. */
export interface RequestFacts {
  /**
   * The client's address as the server saw it (after trusted proxies). Used for
   * the visitor hash and the geo lookup, then dropped: it is never stored.
   */
  ip: string;
  /** The User-Agent header, if any. */
  userAgent: string | undefined;
  /**
   * The Accept-Language header, '' when absent. Only for requests a browser sent
   * itself (the tracker's): a missing header is then a bot signal. Leave it
   * undefined for server-to-server calls (the Segment API).
   */
  acceptLanguage?: string;
  /** Epoch milliseconds at which the server received the request: the authoritative clock. */
  receivedAt: number;
}
