/** Outgoing webhooks: Standard Webhooks signatures, the HTTP adapter and the retry schedule. */
export { MAX_WEBHOOK_REDIRECTS, WebhookAdapter, type WebhookAdapterOptions } from './adapter.ts';
export { nextAttemptAt, WEBHOOK_RETRY_DELAYS_MS, WEBHOOK_RETRY_JITTER } from './retry.ts';
export {
  newWebhookSecret,
  parseWebhookSecret,
  type SignedContent,
  signWebhook,
  type VerifyOptions,
  verifyWebhook,
  type WebhookHeaders,
  webhookHeaders,
} from './signature.ts';
export { guardedLookup, resolveTarget, TargetError, type TargetPolicy } from './target.ts';
