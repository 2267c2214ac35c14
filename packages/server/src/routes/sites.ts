import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { presentSite } from '../http/present.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { errors, Name, NoContent, SiteDto, TimeZone, WorkspaceParams } from '../http/schemas.ts';
import { createSite, deleteSite, getSite, listSites, updateSite } from '../services/sites.ts';

const SiteParams = z.strictObject({ ws: z.string(), siteId: z.string() });
const Domain = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(253, 'must be at most 253 characters')
  .meta({ description: 'The website, e.g. example.com or https://www.example.com (Arabic domains welcome)' });
const NewSiteBody = z.strictObject({ name: Name, domain: Domain, timezone: TimeZone.optional() });
const SiteChanges = z.strictObject({
  name: Name.optional(),
  domain: Domain.optional(),
  timezone: TimeZone.optional(),
});

/** Websites the workspace tracks. Each has a public key for the tracker snippet. */
export function siteRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/workspaces/:ws/sites',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['sites'],
        summary: 'List the websites this workspace tracks',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        response: { 200: z.object({ sites: z.array(SiteDto) }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'sites.read');
      if (!access.ok) return sendProblem(reply, access.error);
      return { sites: (await listSites(ctx.db, request.params.ws)).map(presentSite) };
    },
  );

  app.post(
    '/api/workspaces/:ws/sites',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['sites'],
        summary: 'Add a website to track (owner, admin, marketer)',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        body: NewSiteBody,
        response: { 201: z.object({ site: SiteDto }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'sites.manage');
      if (!access.ok) return sendProblem(reply, access.error);
      const created = await createSite(ctx.db, {
        ...request.body,
        workspaceId: request.params.ws,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!created.ok) return sendProblem(reply, created.error);
      ctx.sitesChanged?.();
      return reply.code(201).send({ site: presentSite(created.value) });
    },
  );

  app.get(
    '/api/workspaces/:ws/sites/:siteId',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['sites'],
        summary: 'One website',
        security: SESSION_OR_KEY,
        params: SiteParams,
        response: { 200: z.object({ site: SiteDto }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'sites.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const site = await getSite(ctx.db, request.params.ws, request.params.siteId);
      if (!site) return sendProblem(reply, { code: 'not_found', message: 'site not found' });
      return { site: presentSite(site) };
    },
  );

  app.patch(
    '/api/workspaces/:ws/sites/:siteId',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['sites'],
        summary: 'Rename a website, change its domain or time zone (owner, admin, marketer)',
        security: SESSION_OR_KEY,
        params: SiteParams,
        body: SiteChanges,
        response: { 200: z.object({ site: SiteDto }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'sites.manage');
      if (!access.ok) return sendProblem(reply, access.error);
      const updated = await updateSite(ctx.db, {
        workspaceId: request.params.ws,
        siteId: request.params.siteId,
        changes: request.body,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!updated.ok) return sendProblem(reply, updated.error);
      ctx.sitesChanged?.();
      return { site: presentSite(updated.value) };
    },
  );

  app.delete(
    '/api/workspaces/:ws/sites/:siteId',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['sites'],
        summary: 'Stop tracking a website; its key is refused from now on (owner, admin, marketer)',
        security: SESSION_OR_KEY,
        params: SiteParams,
        response: { 204: NoContent, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'sites.manage');
      if (!access.ok) return sendProblem(reply, access.error);
      const deleted = await deleteSite(ctx.db, {
        workspaceId: request.params.ws,
        siteId: request.params.siteId,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!deleted.ok) return sendProblem(reply, deleted.error);
      ctx.sitesChanged?.();
      return reply.code(204).send();
    },
  );
}
