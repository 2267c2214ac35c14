/** Web push: VAPID keys, the push adapter, and the browser scripts (service worker, subscribe helper). */
export { MAX_PUSH_PAYLOAD_BYTES, WebPushAdapter, type WebPushAdapterOptions } from './adapter.ts';
export { SERVICE_WORKER_SCRIPT, SUBSCRIBE_SCRIPT } from './service-worker.ts';
export { checkVapidDetails, generateVapidKeys, type VapidDetails, type VapidKeys } from './vapid.ts';
