import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { sessionOf } from '../http/auth.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { presentWorkspace } from '../http/present.ts';
import { SESSION_ONLY, SESSION_OR_KEY } from '../http/route-security.ts';
import { errors, Locale, Name, Role, TimeZone, WorkspaceDto, WorkspaceParams } from '../http/schemas.ts';
import { createWorkspace, getWorkspace, updateWorkspace } from '../services/workspaces.ts';

const NewWorkspaceBody = z.strictObject({
  name: Name,
  locale: Locale.optional(),
  timezone: TimeZone.optional(),
});
const WorkspaceChanges = z.strictObject({
  name: Name.optional(),
  locale: Locale.optional(),
  timezone: TimeZone.optional(),
});

export function workspaceRoutes(app: App, ctx: ServerContext): void {
  app.post(
    '/api/workspaces',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['workspaces'],
        summary: 'Create a workspace; you become its owner',
        security: SESSION_ONLY,
        body: NewWorkspaceBody,
        response: { 201: z.object({ workspace: WorkspaceDto }), ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { user } = sessionOf(request);
      const created = await createWorkspace(ctx.db, {
        ...request.body,
        ownerUserId: user.id,
        now: ctx.clock(),
      });
      if (!created.ok) return sendProblem(reply, created.error);
      return reply.code(201).send({ workspace: presentWorkspace(created.value) });
    },
  );

  app.get(
    '/api/workspaces/:ws',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['workspaces'],
        summary: 'A workspace and your role in it (null for an API key)',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        response: {
          200: z.object({ workspace: WorkspaceDto, role: Role.nullable() }),
          ...errors(401, 403, 404),
        },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'workspace.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const workspace = await getWorkspace(ctx.db, request.params.ws);
      if (!workspace) return sendProblem(reply, { code: 'not_found', message: 'workspace not found' });
      return { workspace: presentWorkspace(workspace), role: access.value.role };
    },
  );

  app.patch(
    '/api/workspaces/:ws',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['workspaces'],
        summary: 'Rename a workspace or change its language or time zone (owner, admin)',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        body: WorkspaceChanges,
        response: { 200: z.object({ workspace: WorkspaceDto }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'workspace.update');
      if (!access.ok) return sendProblem(reply, access.error);
      const updated = await updateWorkspace(ctx.db, {
        workspaceId: request.params.ws,
        changes: request.body,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!updated.ok) return sendProblem(reply, updated.error);
      return { workspace: presentWorkspace(updated.value) };
    },
  );
}
