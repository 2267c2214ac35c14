import { createServer } from 'node:http';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { AnalyticsReader, Config, WaslEvent } from '@wasl/core';
import type { EventStore, Oltp, SegmentEvaluator } from '@wasl/store';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ReadinessCheck, ServerContext } from './context.ts';
import { atRoot } from './http/at-root.ts';
import { createAttemptLimiter } from './http/attempt-limits.ts';
import { installAuth } from './http/auth.ts';
import { collectFastPath } from './http/collect-fast-path.ts';
import { installDashboard } from './http/dashboard.ts';
import { installErrorHandler } from './http/errors.ts';
import { installJsonBodyParser } from './http/json-body.ts';
import { createLogger, installRequestIdHeader, type LoggerInput, requestIdOf } from './http/logger.ts';
import { HttpMetrics, type MetricsSources } from './http/metrics.ts';
import { installOpenApi } from './http/openapi.ts';
import { installSecurityHeaders } from './http/security-headers.ts';
import { accountRoutes } from './routes/accounts.ts';
import { apiKeyRoutes } from './routes/api-keys.ts';
import { auditLogRoutes } from './routes/audit-log.ts';
import { collectionRoutes } from './routes/collection.ts';
import { consentRoutes } from './routes/consent.ts';
import { contactImportRoutes } from './routes/contact-imports.ts';
import { contactRoutes } from './routes/contacts.ts';
import { goalRoutes } from './routes/goals.ts';
import { jobRoutes } from './routes/jobs.ts';
import { leadScoringRoutes } from './routes/lead-scoring.ts';
import { listRoutes } from './routes/lists.ts';
import { meRoutes } from './routes/me.ts';
import { memberRoutes } from './routes/members.ts';
import { messageRoutes } from './routes/messages.ts';
import { messagingPolicyRoutes } from './routes/messaging-policy.ts';
import { openApiRoutes } from './routes/openapi.ts';
import { opsRoutes } from './routes/ops.ts';
import { passwordResetRoutes } from './routes/password-reset.ts';
import { personaRoutes } from './routes/personas.ts';
import { preferenceRoutes } from './routes/preferences.ts';
import { envProviderSecrets, providerWebhookRoutes } from './routes/provider-webhooks.ts';
import { pushAdminRoutes, pushRoutes } from './routes/push.ts';
import { reportRoutes } from './routes/reports.ts';
import { segmentRoutes } from './routes/segments.ts';
import { senderIdentityRoutes } from './routes/sender-identities.ts';
import { seoRoutes } from './routes/seo.ts';
import { sessionRoutes } from './routes/session.ts';
import { setupRoutes } from './routes/setup.ts';
import { limitShareRequests, shareLinkRoutes } from './routes/share-links.ts';
import { signupFormRoutes } from './routes/signup-forms.ts';
import { siteRoutes } from './routes/sites.ts';
import { templateRoutes } from './routes/templates.ts';
import { trackerRoutes } from './routes/tracker.ts';
import { trackingRoutes } from './routes/tracking.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { workspaceRoutes } from './routes/workspaces.ts';
import { type AudienceHooks, identifyFromEvents } from './services/identify-events.ts';
import { createIngest, type Ingest, type IngestOptions } from './services/ingest.ts';
import { messagingHandle } from './services/messaging/messages.ts';
import type { SegmentEngine } from './services/segment-engine.ts';

/** Version of the HTTP API (v1) as the OpenAPI document states it; not the package version. */
const API_VERSION = '1.0.0';
/** The same minimum the config applies to WASL_SECRET. */
const MIN_SECRET_LENGTH = 32;

export interface ServerDeps {
  config: Config;
  /** Opened and migrated by the caller, who also closes it after `app.close()`. */
  oltp: Oltp;
  /** pino options, or a pino logger to derive from. Defaults to JSON on stdout at `config.logLevel`. */
  logger?: LoggerInput;
  /** Epoch milliseconds; tests move it to expire sessions and links. */
  clock?: () => number;
  /** Extra checks for /readyz (events store, …); the OLTP store and its migrations are always checked. */
  readiness?: ReadinessCheck[];
  metrics?: MetricsSources;
  /** Signs password reset links; at least 32 characters, stable across restarts. */
  secret: string;
  /** The dashboard's build output (packages/dashboard/dist). */
  dashboardDir?: string;
  /** Delivers a password reset link. Until Wasl sends email, the CLI prints it. */
  passwordResetSink?: (email: string, url: string) => void;
  /** The reports port over the events store (opened and closed by the caller); without it reports answer 503. */
  analytics?: AnalyticsReader;
  /**
   * Collection (`/api/collect`, Segment's `/v1/*`) on the ingest surface: where
   * accepted events go, and the limits. Without it those endpoints are absent.
   */
  ingest?: IngestOptions;
  /**
   * Which surfaces this process serves; both by default. In scale mode an
   * `ingest` process serves only the operational endpoints and (from the
   * analytics slice on) the collection endpoints, so tracking traffic can be
   * scaled and exposed apart from the management API and dashboard.
   */
  surfaces?: { api: boolean; ingest: boolean };
  /**
   * Told when contacts change (API, import, identify calls), so the events
   * store's copy and live segments catch up. Without it, they catch up on
   * their own timer only.
   */
  audience?: AudienceHooks;
  /** The events store, for a contact's timeline and data export; without it those answer 503. */
  events?: EventStore;
  /**
   * Let SEO audits started over the API reach private and loopback
   * addresses. Tests only: on a real server it would let anyone who may
   * start an audit probe the internal network (SSRF). Default false.
   */
  seoAllowPrivateTargets?: boolean;
  /** Segment estimates and live membership; without it estimates answer 503 and membership is not kept. */
  segments?: { evaluator: SegmentEvaluator; engine: SegmentEngine };
  /**
   * The channels a delivery engine delivers in this installation (a provider
   * is configured: WASL_SMTP_URL for email). Messages on other channels are
   * accepted and wait in the queue, marked as having no provider. None by default.
   */
  messaging?: { channels: readonly string[] };
}

/**
 * The HTTP server as a library: builds the Fastify instance (not listening).
 * The caller listens, and on shutdown calls `app.close()`, which drains
 * in-flight requests; nothing here holds the event loop open after that.
 *
 * @example
 * const app = buildServer({ config, oltp, secret });
 * await app.listen({ port: config.port, host: config.host });
 */
export function buildServer(deps: ServerDeps): FastifyInstance {
  const { config } = deps;
  const surfaces = deps.surfaces ?? { api: true, ingest: true };
  // A short secret would make reset links forgeable by brute force: refuse to start rather than run weak.
  if (deps.secret.length < MIN_SECRET_LENGTH) {
    throw new Error(`buildServer: secret must be at least ${MIN_SECRET_LENGTH} characters`);
  }
  const https = config.publicUrl.startsWith('https:');
  const clock = deps.clock ?? Date.now;
  // Typed as Fastify's logger interface so the instance has Fastify's default generics.
  const logger: FastifyBaseLogger = createLogger(deps.logger, config.logLevel);
  // The tracker's endpoint skips Fastify when the server listens (see collect-fast-path.ts).
  let ingest: Ingest | undefined;
  const fastPath = collectFastPath({
    ingest: () => ingest,
    clock,
    trustProxy: config.trustProxy,
    log: logger,
  });
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: requestIdOf,
    serverFactory: (handler, options) => {
      const server = createServer(options.http ?? {}, (req, res) => {
        if (!fastPath(req, res)) handler(req, res);
      });
      // What Fastify sets on a server it creates itself (lib/server.js): without them,
      // node's 5-second keep-alive closes sockets clients are about to reuse.
      const { keepAliveTimeout, requestTimeout, connectionTimeout } = options;
      if (typeof keepAliveTimeout === 'number') server.keepAliveTimeout = keepAliveTimeout;
      if (typeof requestTimeout === 'number') server.requestTimeout = requestTimeout;
      if (typeof connectionTimeout === 'number') server.setTimeout(connectionTimeout);
      return server;
    },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installJsonBodyParser(app);
  installErrorHandler(app, config.bodyLimitBytes);
  installRequestIdHeader(app);
  const audience: AudienceHooks = deps.audience ?? {
    contactsChanged: () => {},
    contactsMerged: () => {},
    contactErased: () => {},
    listChanged: () => {},
    accountsChanged: () => {},
  };
  const accepted = (events: readonly WaslEvent[]) => {
    deps.ingest?.accepted?.(events);
    if (!events.some((e) => e.type === 'identify')) return;
    identifyFromEvents(deps.oltp.db, events, app.log, audience).catch((error: unknown) =>
      app.log.error({ err: error }, 'linking identify events to contacts failed'),
    );
  };
  ingest =
    surfaces.ingest && deps.ingest
      ? createIngest(deps.oltp.db, { ...deps.ingest, accepted }, clock, app.log)
      : undefined;
  const metrics = new HttpMetrics(deps.metrics ?? {});
  metrics.install(app);

  app.register(cookie);
  app.register(rateLimit, { global: false });
  installSecurityHeaders(app, https);
  installOpenApi(app, API_VERSION);

  // Registered after the cookie plugin so cookies are parsed first, and at the root so
  // every route declaring `config.auth` is covered, including ones added by later slices.
  app.register(atRoot(async (root) => installAuth(root, { db: deps.oltp.db, clock, secureCookies: https })));
  app.register(async (scope) => {
    const api = scope.withTypeProvider<ZodTypeProvider>();
    const ctx: ServerContext = {
      db: deps.oltp.db,
      dialect: deps.oltp.dialect,
      config,
      secret: deps.secret,
      clock,
      secureCookies: https,
      readiness: deps.readiness ?? [],
      metrics,
      loginLimiter: createAttemptLimiter(api, 'login', config.loginAttemptsPerMinute),
      resetLimiter: createAttemptLimiter(api, 'password-reset', config.loginAttemptsPerMinute),
      passwordResetSink: deps.passwordResetSink,
      audience,
      events: deps.events,
      segments: deps.segments,
      sitesChanged: () => ingest?.sites.refreshSoon(),
      analytics: deps.analytics,
      messaging: messagingHandle(deps.oltp.db, deps.messaging?.channels ?? [], clock),
    };
    opsRoutes(api, ctx);
    if (surfaces.ingest) trackerRoutes(api);
    if (surfaces.ingest) pushRoutes(api, ctx);
    if (surfaces.ingest) trackingRoutes(api, ctx);
    if (surfaces.ingest) providerWebhookRoutes(api, ctx, envProviderSecrets(process.env));
    if (ingest) collectionRoutes(api, ctx, ingest);
    if (!surfaces.api) return;
    openApiRoutes(api);
    setupRoutes(api, ctx);
    sessionRoutes(api, ctx);
    passwordResetRoutes(api, ctx);
    meRoutes(api, ctx);
    workspaceRoutes(api, ctx);
    memberRoutes(api, ctx);
    apiKeyRoutes(api, ctx);
    siteRoutes(api, ctx);
    contactRoutes(api, ctx);
    consentRoutes(api, ctx);
    preferenceRoutes(api, ctx);
    signupFormRoutes(api, ctx);
    contactImportRoutes(api, ctx);
    segmentRoutes(api, ctx);
    listRoutes(api, ctx);
    accountRoutes(api, ctx);
    personaRoutes(api, ctx);
    leadScoringRoutes(api, ctx);
    limitShareRequests(api);
    reportRoutes(api, ctx);
    goalRoutes(api, ctx);
    shareLinkRoutes(api, ctx);
    auditLogRoutes(api, ctx);
    jobRoutes(api, ctx);
    seoRoutes(api, ctx, deps);
    messageRoutes(api, ctx);
    templateRoutes(api, ctx);
    senderIdentityRoutes(api, ctx);
    webhookRoutes(api, ctx);
    pushAdminRoutes(api, ctx);
    messagingPolicyRoutes(api, ctx);
  });

  if (surfaces.api) installDashboard(app, deps.dashboardDir);
  return app;
}
