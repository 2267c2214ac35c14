import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { presentSharedSite, presentShareLink } from '../http/present-reports.ts';
import { SharedSiteDto, ShareLinkDto } from '../http/report-schemas.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { errors, NoContent } from '../http/schemas.ts';
import {
  createShareLink,
  listShareLinks,
  resolveShareToken,
  revokeShareLink,
  sharePageUrl,
} from '../services/share-links.ts';
import { SHARE_NOT_FOUND, ShareParams, SiteParams } from './reports.ts';

const LinkParams = z.strictObject({ ws: z.string(), siteId: z.string(), linkId: z.string() });

/**
 * Read-only public links to one site's reports, for clients and colleagues
 * without an account. The token is shown once; revoking stops it at once.
 */
export function shareLinkRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/workspaces/:ws/sites/:siteId/share-links',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['share'],
        summary: "List the site's share links, revoked ones included",
        security: SESSION_OR_KEY,
        params: SiteParams,
        response: { 200: z.object({ shareLinks: z.array(ShareLinkDto) }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, siteId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'sites.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const listed = await listShareLinks(ctx.db, ws, siteId);
      if (!listed.ok) return sendProblem(reply, listed.error);
      return { shareLinks: listed.value.map(presentShareLink) };
    },
  );

  app.post(
    '/api/workspaces/:ws/sites/:siteId/share-links',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['share'],
        summary:
          'Create a read-only public link to the site’s reports; `url` is shown this once (owner, admin, marketer)',
        security: SESSION_OR_KEY,
        params: SiteParams,
        response: {
          201: z.object({
            shareLink: ShareLinkDto,
            token: z.string(),
            url: z.string().meta({ description: 'The dashboard page showing the shared reports' }),
          }),
          ...errors(401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const { ws, siteId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'sites.manage');
      if (!access.ok) return sendProblem(reply, access.error);
      const created = await createShareLink(ctx.db, {
        workspaceId: ws,
        siteId,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!created.ok) return sendProblem(reply, created.error);
      const { link, token } = created.value;
      return reply
        .code(201)
        .send({ shareLink: presentShareLink(link), token, url: sharePageUrl(ctx.config.publicUrl, token) });
    },
  );

  app.delete(
    '/api/workspaces/:ws/sites/:siteId/share-links/:linkId',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['share'],
        summary: 'Revoke a share link; it stops working at once (owner, admin, marketer)',
        security: SESSION_OR_KEY,
        params: LinkParams,
        response: { 204: NoContent, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, siteId, linkId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'sites.manage');
      if (!access.ok) return sendProblem(reply, access.error);
      const revoked = await revokeShareLink(ctx.db, {
        workspaceId: ws,
        siteId,
        linkId,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!revoked.ok) return sendProblem(reply, revoked.error);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/share/:token',
    {
      config: { auth: 'none' },
      schema: {
        tags: ['share'],
        summary: 'The site a share link opens (public, read-only)',
        security: [],
        params: ShareParams,
        response: { 200: z.object({ site: SharedSiteDto }), ...errors(404) },
      },
    },
    async (request, reply) => {
      const site = await resolveShareToken(ctx.db, request.params.token);
      if (!site) return sendProblem(reply, SHARE_NOT_FOUND);
      reply.header('cache-control', 'no-store');
      return { site: presentSharedSite(site) };
    },
  );
}

/**
 * Public share links need no sign-in, so each client address gets a budget:
 * a report page makes about 20 requests and refreshes realtime every 10 s, so
 * 300 a minute leave room for several viewers behind one address while a
 * scraper hammering a link is turned away with 429 and Retry-After.
 */
export const SHARE_REQUESTS_PER_MINUTE = 300;

/** Installs the per-address budget on every `/api/share/…` route of this scope (call before registering them). */
export function limitShareRequests(app: App): void {
  const take = app.createRateLimit({
    max: SHARE_REQUESTS_PER_MINUTE,
    timeWindow: 60_000,
    keyGenerator: (request) => `share:${request.ip}`,
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/api/share/')) return;
    const result = await take(request);
    if (result.isAllowed || !result.isExceeded) return;
    reply.header('retry-after', String(result.ttlInSeconds));
    return sendProblem(reply, {
      code: 'rate_limited',
      message: `too many requests for shared reports from this address; retry after ${result.ttlInSeconds} seconds`,
    });
  });
}
