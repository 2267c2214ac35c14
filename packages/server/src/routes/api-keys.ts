import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { presentApiKey } from '../http/present.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { ApiKeyDto, errors, Name, NoContent, Scope, WorkspaceParams } from '../http/schemas.ts';
import { createApiKey, listApiKeys, revokeApiKey } from '../services/api-keys.ts';

const KeyParams = z.strictObject({ ws: z.string(), keyId: z.string() });
const NewKeyBody = z.strictObject({ name: Name, scope: Scope });

/** API keys for programs: created (shown once), listed by prefix, revoked. */
export function apiKeyRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/workspaces/:ws/api-keys',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['api-keys'],
        summary: 'List API keys, revoked ones included (owner, admin)',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        response: { 200: z.object({ apiKeys: z.array(ApiKeyDto) }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'apikeys.read');
      if (!access.ok) return sendProblem(reply, access.error);
      return { apiKeys: (await listApiKeys(ctx.db, request.params.ws)).map(presentApiKey) };
    },
  );

  app.post(
    '/api/workspaces/:ws/api-keys',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key; `key` is shown this once (owner, admin)',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        body: NewKeyBody,
        response: { 201: z.object({ apiKey: ApiKeyDto, key: z.string() }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'apikeys.manage');
      if (!access.ok) return sendProblem(reply, access.error);
      const created = await createApiKey(ctx.db, {
        ...request.body,
        workspaceId: request.params.ws,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!created.ok) return sendProblem(reply, created.error);
      return reply.code(201).send({ apiKey: presentApiKey(created.value.apiKey), key: created.value.key });
    },
  );

  app.delete(
    '/api/workspaces/:ws/api-keys/:keyId',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['api-keys'],
        summary: 'Revoke an API key; it stops working at once (owner, admin)',
        security: SESSION_OR_KEY,
        params: KeyParams,
        response: { 204: NoContent, ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'apikeys.manage');
      if (!access.ok) return sendProblem(reply, access.error);
      const revoked = await revokeApiKey(ctx.db, {
        workspaceId: request.params.ws,
        keyId: request.params.keyId,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!revoked.ok) return sendProblem(reply, revoked.error);
      return reply.code(204).send();
    },
  );
}
