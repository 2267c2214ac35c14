import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { errors, WorkspaceParams } from '../http/schemas.ts';
import { describePolicy, loadPolicy, StoredPolicySchema, savePolicy } from '../services/messaging/policy.ts';

const tags = ['messages'];
const Clock = z.string().meta({ description: 'HH:MM in the contact’s own time zone' });
const PolicyDto = z
  .object({
    frequencyCap: z.object({ count: z.number().int(), periodDays: z.number() }),
    quietHours: z.record(z.string(), z.object({ start: Clock, end: Clock })),
    doubleOptIn: z.boolean(),
  })
  .meta({ id: 'SendingPolicy' });

/** The workspace's sending policy: frequency cap, quiet hours per channel, double opt-in for forms. */
export function messagingPolicyRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/workspaces/:ws/messaging/policy',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary: 'The sending policy in force (defaults for what the workspace has not set)',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        response: { 200: z.object({ policy: PolicyDto }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'data.read');
      if (!access.ok) return sendProblem(reply, access.error);
      const policy = await loadPolicy(ctx.db, request.params.ws);
      if (!policy.ok) return sendProblem(reply, policy.error);
      return { policy: describePolicy(policy.value) };
    },
  );

  app.put(
    '/api/workspaces/:ws/messaging/policy',
    {
      config: { auth: 'principal' },
      schema: {
        tags,
        summary:
          'Set the sending policy: at most N marketing messages per contact and channel in a period, quiet hours per channel (null: none), double opt-in for signup forms',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        body: StoredPolicySchema,
        response: { 200: z.object({ policy: PolicyDto }), ...errors(400, 401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'workspace.update');
      if (!access.ok) return sendProblem(reply, access.error);
      const saved = await savePolicy(ctx.db, request.params.ws, request.body, ctx.clock());
      if (!saved.ok) return sendProblem(reply, saved.error);
      return { policy: describePolicy(saved.value) };
    },
  );
}
