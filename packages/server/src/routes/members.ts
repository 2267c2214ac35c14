import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { authoriseWorkspace } from '../http/authorise.ts';
import { sendProblem } from '../http/errors.ts';
import { presentMember } from '../http/present.ts';
import { SESSION_OR_KEY } from '../http/route-security.ts';
import { Email, errors, MemberDto, Name, NoContent, Role, WorkspaceParams } from '../http/schemas.ts';
import { addMember, changeMemberRole, listMembers, removeMember } from '../services/members.ts';
import { passwordLinkFor, SET_PASSWORD_TTL_MS } from '../services/password-reset.ts';

const MemberParams = z.strictObject({ ws: z.string(), userId: z.string() });
const NewMemberBody = z.strictObject({ email: Email, name: Name.optional(), role: Role });
const RoleBody = z.strictObject({ role: Role });

/** Who belongs to a workspace and with which role. The last owner always stays. */
export function memberRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/workspaces/:ws/members',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['members'],
        summary: 'List members (owner, admin)',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        response: { 200: z.object({ members: z.array(MemberDto) }), ...errors(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'members.read');
      if (!access.ok) return sendProblem(reply, access.error);
      return { members: (await listMembers(ctx.db, request.params.ws)).map(presentMember) };
    },
  );

  app.post(
    '/api/workspaces/:ws/members',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['members'],
        summary: 'Add a person by email; someone new gets a set-password link (valid 7 days)',
        security: SESSION_OR_KEY,
        params: WorkspaceParams,
        body: NewMemberBody,
        response: {
          201: z.object({ member: MemberDto, setPasswordUrl: z.string().optional() }),
          ...errors(400, 401, 403, 404, 409),
        },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'members.manage');
      if (!access.ok) return sendProblem(reply, access.error);
      const now = ctx.clock();
      const added = await addMember(ctx.db, {
        ...request.body,
        workspaceId: request.params.ws,
        actor: access.value.actor,
        now,
      });
      if (!added.ok) return sendProblem(reply, added.error);
      const { member, user } = added.value;
      // Anyone without a password yet (new, or added elsewhere and never finished) needs a way in.
      const setPasswordUrl =
        user.password_hash === null
          ? passwordLinkFor(user, {
              publicUrl: ctx.config.publicUrl,
              secret: ctx.secret,
              now,
              ttlMs: SET_PASSWORD_TTL_MS,
            })
          : undefined;
      return reply.code(201).send({ member: presentMember(member), setPasswordUrl });
    },
  );

  app.patch(
    '/api/workspaces/:ws/members/:userId',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['members'],
        summary: "Change a member's role (409 for the last owner)",
        security: SESSION_OR_KEY,
        params: MemberParams,
        body: RoleBody,
        response: { 200: z.object({ member: MemberDto }), ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'members.manage');
      if (!access.ok) return sendProblem(reply, access.error);
      const changed = await changeMemberRole(ctx.db, {
        workspaceId: request.params.ws,
        userId: request.params.userId,
        role: request.body.role,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!changed.ok) return sendProblem(reply, changed.error);
      return { member: presentMember(changed.value) };
    },
  );

  app.delete(
    '/api/workspaces/:ws/members/:userId',
    {
      config: { auth: 'principal' },
      schema: {
        tags: ['members'],
        summary: 'Remove a member (409 for the last owner); their account stays',
        security: SESSION_OR_KEY,
        params: MemberParams,
        response: { 204: NoContent, ...errors(401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const access = await authoriseWorkspace(ctx.db, request.auth, request.params.ws, 'members.manage');
      if (!access.ok) return sendProblem(reply, access.error);
      const removed = await removeMember(ctx.db, {
        workspaceId: request.params.ws,
        userId: request.params.userId,
        actor: access.value.actor,
        now: ctx.clock(),
      });
      if (!removed.ok) return sendProblem(reply, removed.error);
      return reply.code(204).send();
    },
  );
}
