import type { AnalyticsReader, Config } from '@wasl/core';
import type { Database, OltpDialect } from '@wasl/store';
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
  /** Answers the reports; undefined when the process has no events store (reports then answer 503). */
  analytics: AnalyticsReader | undefined;
}
