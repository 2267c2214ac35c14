import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { presentSaved } from '../http/present-reports.ts';
import {
  CtaChanges,
  CtaDto,
  FunnelChanges,
  FunnelDto,
  GoalChanges,
  GoalDto,
  NewCtaBody,
  NewFunnelBody,
  NewGoalBody,
} from '../http/report-schemas.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { errors, NoContent } from '../http/schemas.ts';
import {
  createSaved,
  type DefinitionKind,
  type DefinitionOf,
  deleteSaved,
  listSaved,
  updateSaved,
} from '../services/report-definitions.ts';
import { SiteParams } from './reports.ts';

interface Resource<K extends DefinitionKind> {
  kind: K;
  /** URL segment and list key, e.g. goals. */
  plural: string;
  /** Item key and id parameter stem, e.g. goal → goalId. */
  singular: string;
  /** For summaries: "goal", "funnel", "call to action". */
  noun: string;
  dto: z.ZodType;
  body: z.ZodType<{ name: string; definition: DefinitionOf<K> }>;
  changes: z.ZodType<{ name?: string | undefined; definition?: DefinitionOf<K> | undefined }>;
}

/**
 * A site's saved goals, funnels and calls to action, which the goals, funnels
 * and ctas reports evaluate. Everyone who reads the site reads them; those who
 * manage sites change them.
 */
export function goalRoutes(app: App, ctx: ServerContext): void {
  savedRoutes(app, ctx, {
    kind: 'goal',
    plural: 'goals',
    singular: 'goal',
    noun: 'goal',
    dto: GoalDto,
    body: NewGoalBody,
    changes: GoalChanges,
  });
  savedRoutes(app, ctx, {
    kind: 'funnel',
    plural: 'funnels',
    singular: 'funnel',
    noun: 'funnel',
    dto: FunnelDto,
    body: NewFunnelBody,
    changes: FunnelChanges,
  });
  savedRoutes(app, ctx, {
    kind: 'cta',
    plural: 'ctas',
    singular: 'cta',
    noun: 'call to action',
    dto: CtaDto,
    body: NewCtaBody,
    changes: CtaChanges,
  });
}

function savedRoutes<K extends DefinitionKind>(app: App, ctx: ServerContext, r: Resource<K>): void {
  const base = `/api/workspaces/:ws/sites/:siteId/${r.plural}`;
  const idParam = `${r.singular}Id`;
  const ItemParams = z.strictObject({ ws: z.string(), siteId: z.string(), [idParam]: z.string() });
  const tags = ['goals'];
  const itemId = (params: Record<string, string>) => params[idParam] ?? '';

  app.get(
    base,
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: `List the site's saved ${r.plural === 'ctas' ? 'calls to action' : r.plural}`,
        security: SESSION_OR_KEY,
        params: SiteParams,
        response: { 200: z.object({ [r.plural]: z.array(r.dto) }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { ws, siteId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'sites.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const listed = await listSaved(ctx.db, r.kind, ws, siteId);
      if (!listed.ok) return sendProblem(reply, listed.error);
      return { [r.plural]: listed.value.map(presentSaved) };
    },
  );

  app.post(
    base,
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: `Save a ${r.noun} for the site's reports (owner, admin, marketer)`,
        security: SESSION_OR_KEY,
        params: SiteParams,
        body: r.body,
        response: { 201: z.object({ [r.singular]: r.dto }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { ws, siteId } = request.params;
      const access = await authoriseWorkspace(ctx.db, request.auth, ws, 'sites.manage');
      if (!access.ok) return sendProblem(reply, access.error);
      const body = request.body as z.output<typeof r.body>;
      const created = await createSaved(ctx.db, r.kind, {
        workspaceId: ws,
        siteId,
        name: body.name,
        definition: body.definition,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!created.ok) return sendProblem(reply, created.error);
      return reply.code(201).send({ [r.singular]: presentSaved(created.value) });
    },
  );

  app.patch(
    `${base}/:${idParam}`,
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: `Rename a saved ${r.noun} or change its definition (owner, admin, marketer)`,
        security: SESSION_OR_KEY,
        params: ItemParams,
        body: r.changes,
        response: { 200: z.object({ [r.singular]: r.dto }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const params = request.params as Record<string, string>;
      const access = await authoriseWorkspace(ctx.db, request.auth, params.ws ?? '', 'sites.manage');
      if (!access.ok) return sendProblem(reply, access.error);
      const updated = await updateSaved(ctx.db, r.kind, {
        workspaceId: params.ws ?? '',
        siteId: params.siteId ?? '',
        id: itemId(params),
        changes: request.body as z.output<typeof r.changes>,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!updated.ok) return sendProblem(reply, updated.error);
      return { [r.singular]: presentSaved(updated.value) };
    },
  );

  app.delete(
    `${base}/:${idParam}`,
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: `Delete a saved ${r.noun} (owner, admin, marketer)`,
        security: SESSION_OR_KEY,
        params: ItemParams,
        response: { 204: NoContent, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const params = request.params as Record<string, string>;
      const access = await authoriseWorkspace(ctx.db, request.auth, params.ws ?? '', 'sites.manage');
      if (!access.ok) return sendProblem(reply, access.error);
      const deleted = await deleteSaved(ctx.db, r.kind, {
        workspaceId: params.ws ?? '',
        siteId: params.siteId ?? '',
        id: itemId(params),
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!deleted.ok) return sendProblem(reply, deleted.error);
      return reply.code(204).send();
    },
  );
}
