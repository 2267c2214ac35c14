/**
 * Headers of every answer from a collection endpoint (`/api/collect`, `/v1/*`),
 * errors included: sites on any origin post there, never with credentials.
 * Shared by the Fastify routes and the raw fast path, so both answer alike.
 */
export const COLLECTION_CORS = {
  'access-control-allow-origin': '*',
  'cross-origin-resource-policy': 'cross-origin',
} as const;

/** What a CORS preflight of a collection endpoint adds (the 204 answer). */
export const COLLECTION_PREFLIGHT = {
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type, authorization',
  'access-control-max-age': '86400',
} as const;
