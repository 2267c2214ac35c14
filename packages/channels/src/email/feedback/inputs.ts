/** What the report parsers take: a raw mail message, or a webhook request body, with the time it arrived. */

export interface RawReport {
  /** The whole message as received (RFC 5322), as text or bytes. */
  raw: string | Uint8Array;
  /** Epoch ms the message arrived, used when the report gives no time. */
  receivedAt: number;
}

export interface WebhookBody {
  /** The request body exactly as received. */
  body: string;
  /** Epoch ms the request arrived. */
  receivedAt: number;
}
