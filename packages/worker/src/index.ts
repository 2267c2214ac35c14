export { type BackoffPolicy, DEFAULT_BACKOFF, retryDelayMs } from './backoff.ts';
export { LEASE_LOST_ERROR } from './claim.ts';
export { type CronSchedule, nextRunAfter, parseCron } from './cron.ts';
export {
  DeliveryEngine,
  type DeliveryEngineOptions,
  type Prepared,
} from './delivery/engine.ts';
export { type ProviderLimits, TokenBucket } from './delivery/limits.ts';
export {
  claimMessages,
  commitMessages,
  enqueueMessages,
  type NewMessage,
  type Outcome,
  pauseDelivery,
  recordOutcomes,
  resumeDelivery,
} from './delivery/message-store.ts';
export { DEFAULT_MAX_ATTEMPTS } from './enqueue.ts';
export { JobQueue, type JobQueueOptions } from './job-queue.ts';
export { describeError } from './lease.ts';
export * from './types.ts';
export { Worker, type WorkerOptions } from './worker.ts';
export { inWriteTransaction } from './write-transaction.ts';
