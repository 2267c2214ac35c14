import type { AnalyticsReader, Config } from '@wasl/core';
import type { Database, EventStore, OltpDialect, SegmentEvaluator } from '@wasl/store';
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { AttemptLimiter } from './http/attempt-limits.ts';
import type { HttpMetrics } from './http/metrics.ts';
import type { AudienceHooks } from './services/identify-events.ts';
import type { MessagingHandle } from './services/messaging/messages.ts';
import type { SegmentEngine } from './services/segment-engine.ts';

/** A Fastify instance whose routes are typed from their zod schemas. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency is usable; throws (with a message naming the trouble) when not. */
  check: () => Promise<void>;
}

/** What route handlers share: the store, settings and the injected clock. */
export interface ServerContext {
  db: Kysely<Database>;
  dialect: OltpDialect;
  config: Config;
  secret: string;
  clock: () => number;
  secureCookies: boolean;
  readiness: ReadinessCheck[];
  metrics: HttpMetrics;
  loginLimiter: AttemptLimiter;
  resetLimiter: AttemptLimiter;
  passwordResetSink: ((email: string, url: string) => void) | undefined;
  /** Call after a site is added, changed or deleted: the collection endpoints reload their site keys. */
  sitesChanged?: () => void;
  /**
   * Tell it after contacts were written (created, changed, imported, merged,
   * erased): the events store's copy of them and live segment membership catch up.
   */
  audience: AudienceHooks;
  /** Segment evaluation (estimates) and live membership; undefined in a process without the events store. */
  segments: { evaluator: SegmentEvaluator; engine: SegmentEngine } | undefined;
  /** The events store (timelines, data export); undefined in a process without one. */
  events: EventStore | undefined;
  /** Answers the reports; undefined when the process has no events store (reports then answer 503). */
  analytics: AnalyticsReader | undefined;
  /** Sends messages (they go to the delivery queue) and says which channels have a provider. */
  messaging: MessagingHandle;
}
