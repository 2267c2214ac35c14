/**
 * Web push, served alongside the tracker: public, site-keyed, CORS-open
 * endpoints a site's pages call (the VAPID public key, subscribe,
 * unsubscribe), the service worker script the site's one-line worker file
 * imports, and the page helper; plus the workspace's subscription list for
 * the API. See docs/messaging.md, "Web push".
 */
import { createHash } from 'node:crypto';
import { SERVICE_WORKER_SCRIPT, SUBSCRIBE_SCRIPT } from '@wasl/channels/webpush';
import type { Consent, PushSubscriptionRow } from '@wasl/store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { COLLECTION_CORS, COLLECTION_PREFLIGHT } from '../http/collection-headers.ts';
import { sendProblem } from '../http/errors.ts';
import { iso } from '../http/present.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { errors, IsoTime, NoContent, PageLimit, WorkspaceParams } from '../http/schemas.ts';
import { consentEvent } from '../services/consent.ts';
import { FixedWindowLimiter } from '../services/ingest-limits.ts';
import { listSubscriptions } from '../services/push-subscriptions.ts';
import { removeSubscription, subscribe, vapidKeys } from '../services/web-push.ts';

const tags = ['web push'];
/** Calls per address per minute: a few pages subscribing, not a script filling the table. */
const PER_IP = 30;
const WINDOW_MS = 60_000;
const BODY_LIMIT = 8 * 1024;

const SiteParams = z.strictObject({ siteKey: z.string().min(1).max(64) });

/** A base64url field of an exact byte length (the checks the push adapter makes before sending). */
const base64url = (bytes: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url')
    .refine((v) => Buffer.from(v, 'base64url').length === bytes, `must be ${bytes} bytes in base64url`);

const SubscribeBody = z
  .strictObject({
    endpoint: z
      .url({ protocol: /^https$/ })
      .max(2000)
      .meta({ description: 'The push service URL the browser gave (https)' }),
    expirationTime: z.number().nullable().optional(),
    keys: z.strictObject({ p256dh: base64url(65), auth: base64url(16) }),
    uid: z
      .string()
      .min(1)
      .max(128)
      .optional()
      .meta({ description: "The tracker's consent-mode id (localStorage.wasl_uid): links a known visitor" }),
    lang: z.string().min(2).max(35).optional().meta({ description: 'navigator.language' }),
  })
  .meta({ id: 'PushSubscribe' });

const UnsubscribeBody = z.strictObject({ endpoint: z.url().max(2000) }).meta({ id: 'PushUnsubscribe' });

/** The worker script's version: a release that changes it changes this. */
const SW_VERSION = createHash('sha256').update(SERVICE_WORKER_SCRIPT).digest('hex').slice(0, 12);

/**
 * What /push/subscribe.js adds to the helper: `waslPush.enable()` and
 * `waslPush.disable()` for this script tag's `data-site`, with the worker at
 * `data-worker` (default /wasl-sw.js) and the tracker's visitor id when the
 * tracker runs in consent mode.
 */
const PAGE_SCRIPT = `(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !self.waslPush) return;
  var root = new URL(script.src).origin + '/push/' + encodeURIComponent(script.getAttribute('data-site') || '');
  var workerUrl = script.getAttribute('data-worker') || '/wasl-sw.js';
  function uid() {
    try { return localStorage.getItem('wasl_uid') || undefined; } catch (error) { return undefined; }
  }
  self.waslPush.enable = async function () {
    var key = await fetch(root + '/key', { credentials: 'omit' });
    if (!key.ok) return { ok: false, reason: 'http ' + key.status };
    return self.waslPush.subscribe({
      workerUrl: workerUrl,
      vapidPublicKey: (await key.json()).publicKey,
      endpoint: root + '/subscriptions',
      fields: { uid: uid(), lang: navigator.language }
    });
  };
  self.waslPush.disable = async function () {
    var registration = 'serviceWorker' in navigator && (await navigator.serviceWorker.getRegistration(workerUrl));
    var subscription = registration && (await registration.pushManager.getSubscription());
    if (!subscription) return { ok: true };
    await fetch(root + '/unsubscribe', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint: subscription.endpoint }),
      credentials: 'omit'
    });
    await subscription.unsubscribe();
    return { ok: true };
  };
})();
`;

const UNKNOWN_SITE = { code: 'not_found' as const, message: 'no site has this key' };

/** The public endpoints; on the ingest surface, next to /t.js. */
export function pushRoutes(app: App, ctx: ServerContext): void {
  const script = (body: string, cache: string) => (_request: FastifyRequest, reply: FastifyReply) =>
    reply
      .header('cross-origin-resource-policy', 'cross-origin')
      .header('cache-control', cache)
      .type('text/javascript; charset=utf-8')
      .send(body);
  const scriptSchema = (summary: string) => ({ schema: { tags, summary, produces: ['text/javascript'] } });

  // Browsers re-fetch a worker's imported scripts when they check for a new worker, bypassing the
  // HTTP cache: the unversioned URL always gives the current script. The versioned one never changes.
  app.get(
    '/push/sw.js',
    scriptSchema('The web push service worker, imported by the site’s own worker file'),
    script(SERVICE_WORKER_SCRIPT, 'no-cache'),
  );
  app.get(
    `/push/sw-${SW_VERSION}.js`,
    scriptSchema('This release’s service worker, at a URL that never changes'),
    script(SERVICE_WORKER_SCRIPT, 'public, max-age=31536000, immutable'),
  );
  app.get(
    '/push/subscribe.js',
    scriptSchema(
      'The page helper: <script src="/push/subscribe.js" data-site="site_…">, then waslPush.enable()',
    ),
    script(`${SUBSCRIBE_SCRIPT}${PAGE_SCRIPT}`, 'public, max-age=3600'),
  );

  app.register(async (plain) => {
    const scope = plain.withTypeProvider<ZodTypeProvider>();
    const limiter = new FixedWindowLimiter(PER_IP, WINDOW_MS);
    scope.addHook('onRequest', async (request, reply) => {
      reply.headers(COLLECTION_CORS);
      if (request.method === 'OPTIONS') return;
      const wait = limiter.take(request.ip, 1, ctx.clock());
      if (wait !== undefined) {
        reply.header('retry-after', String(wait));
        return sendProblem(reply, {
          code: 'rate_limited',
          message: `too many requests from this address; retry after ${wait} seconds`,
        });
      }
    });
    const siteOf = (key: string) =>
      ctx.db
        .selectFrom('sites')
        .select(['id', 'workspace_id', 'domain'])
        .where('key', '=', key)
        .executeTakeFirst();
    const recorded = async (request: FastifyRequest, workspaceId: string, consent: Consent | undefined) => {
      if (!consent) return;
      ctx.audience.contactsChanged(workspaceId, [consent.contact_id]);
      await ctx.events
        ?.append([consentEvent(workspaceId, consent)])
        .catch((error: unknown) => request.log.error({ err: error }, 'recording the consent change failed'));
    };

    for (const path of ['/push/:siteKey/subscriptions', '/push/:siteKey/unsubscribe']) {
      scope.options(
        path,
        {
          logLevel: 'warn',
          schema: { tags, summary: 'CORS preflight', params: SiteParams, response: { 204: NoContent } },
        },
        async (_request, reply) => reply.code(204).headers(COLLECTION_PREFLIGHT).send(),
      );
    }

    scope.get(
      '/push/:siteKey/key',
      {
        logLevel: 'warn',
        schema: {
          tags,
          summary:
            "The VAPID public key browsers subscribe with (the site's workspace's; made on first need)",
          params: SiteParams,
          response: { 200: z.object({ publicKey: z.string() }), ...errors(400, 404, 429) },
        },
      },
      async (request, reply) => {
        const site = await siteOf(request.params.siteKey);
        if (!site) return sendProblem(reply, UNKNOWN_SITE);
        const keys = await vapidKeys(ctx.db, site.workspace_id, ctx.clock());
        if (!keys) return sendProblem(reply, UNKNOWN_SITE);
        return reply.header('cache-control', 'public, max-age=3600').send({ publicKey: keys.public_key });
      },
    );

    scope.post(
      '/push/:siteKey/subscriptions',
      {
        logLevel: 'warn',
        bodyLimit: BODY_LIMIT,
        schema: {
          tags,
          summary: 'Store or refresh a browser’s push subscription (the permission prompt answered yes)',
          description:
            'The body is PushSubscription.toJSON() with, optionally, the tracker’s consent-mode uid and the language. A uid that identity resolution knows links the subscription to that contact and grants webpush consent (source push_permission, with the address, user agent, site and page as proof).',
          params: SiteParams,
          body: SubscribeBody,
          response: { 204: NoContent, ...errors(400, 404, 413, 429) },
        },
      },
      async (request, reply) => {
        const site = await siteOf(request.params.siteKey);
        if (!site) return sendProblem(reply, UNKNOWN_SITE);
        const { endpoint, keys, uid, lang } = request.body;
        const userAgent = request.headers['user-agent'];
        const page = request.headers.referer ?? request.headers.origin;
        const done = await subscribe(ctx.db, {
          site,
          endpoint,
          keys,
          ...(uid ? { uid } : {}),
          ...(lang ? { language: lang } : {}),
          ...(userAgent ? { userAgent } : {}),
          ...(page ? { page } : {}),
          ip: request.ip,
          now: ctx.clock(),
        });
        await recorded(request, site.workspace_id, done.consent);
        return reply.code(204).send();
      },
    );

    scope.post(
      '/push/:siteKey/unsubscribe',
      {
        logLevel: 'warn',
        bodyLimit: BODY_LIMIT,
        schema: {
          tags,
          summary: 'Remove a browser’s push subscription; webpush consent is withdrawn with the last one',
          params: SiteParams,
          body: UnsubscribeBody,
          response: { 204: NoContent, ...errors(400, 404, 429) },
        },
      },
      async (request, reply) => {
        const site = await siteOf(request.params.siteKey);
        if (!site) return sendProblem(reply, UNKNOWN_SITE);
        const removed = await removeSubscription(ctx.db, {
          workspaceId: site.workspace_id,
          endpoint: request.body.endpoint,
          source: 'push_unsubscribe',
          reason: 'the browser unsubscribed',
          now: ctx.clock(),
        });
        await recorded(request, site.workspace_id, removed.consent);
        // The same answer whether or not it was stored: the endpoint is all the caller knows.
        return reply.code(204).send();
      },
    );
  });
}

const SubscriptionDto = z
  .object({
    id: z.string(),
    siteId: z.string(),
    contactId: z.string().nullable(),
    pushService: z
      .string()
      .meta({ description: 'The origin of the push endpoint (the endpoint itself is a secret)' }),
    language: z.string().nullable(),
    browser: z.string().nullable(),
    createdAt: IsoTime,
    updatedAt: IsoTime,
    lastSuccessAt: IsoTime.nullable(),
  })
  .meta({ id: 'PushSubscription' });

const present = (s: PushSubscriptionRow): z.output<typeof SubscriptionDto> => ({
  id: s.id,
  siteId: s.site_id,
  contactId: s.contact_id,
  pushService: new URL(s.endpoint).origin,
  language: s.language,
  browser: s.user_agent_family,
  createdAt: iso(s.created_at),
  updatedAt: iso(s.updated_at),
  lastSuccessAt: s.last_success_at === null ? null : iso(s.last_success_at),
});

/** The workspace's subscriptions, on the API surface. */
export function pushAdminRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/workspaces/:ws/push/subscriptions',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: "The workspace's browser push subscriptions, newest first",
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        querystring: z.strictObject({
          contactId: z.string().max(64).optional(),
          limit: PageLimit,
          before: z.string().max(64).optional().meta({ description: 'The `next` of the previous page' }),
        }),
        response: {
          200: z.object({ subscriptions: z.array(SubscriptionDto), next: z.string().nullable() }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { ws } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const { limit, ...q } = request.query;
      const rows = await listSubscriptions(ctx.db, { workspaceId: ws, ...q, limit: limit + 1 });
      const page = rows.slice(0, limit);
      return {
        subscriptions: page.map(present),
        next: rows.length > limit ? (page[page.length - 1]?.id ?? null) : null,
      };
    },
  );
}
