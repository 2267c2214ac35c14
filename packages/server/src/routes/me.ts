import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { sessionOf } from '../http/auth.ts';
import { sendProblem } from '../http/errors.ts';
import { presentUser } from '../http/present.ts';
import { SESSION_ONLY } from '../http/route-security.ts';
import { errors, Locale, Name, Role, UserDto } from '../http/schemas.ts';
import { updateUser } from '../services/users.ts';
import { listUserWorkspaces } from '../services/workspaces.ts';

const MeChanges = z.strictObject({ locale: Locale.optional(), name: Name.optional() });

/** The signed-in person: who they are, where they belong, their language. */
export function meRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/me',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['me'],
        summary: 'The signed-in person, their workspaces and the CSRF token for writes',
        security: SESSION_ONLY,
        response: {
          200: z.object({
            user: UserDto,
            workspaces: z.array(z.object({ id: z.string(), name: z.string(), role: Role })),
            csrfToken: z.string(),
          }),
          ...errors(401, 403),
        },
      },
    },
    async (request) => {
      const { user, session } = sessionOf(request);
      return {
        user: presentUser(user),
        workspaces: await listUserWorkspaces(ctx.db, user.id),
        csrfToken: session.csrf_token,
      };
    },
  );

  app.patch(
    '/api/me',
    {
      config: { auth: 'user' },
      schema: {
        tags: ['me'],
        summary: 'Change your name or dashboard language',
        security: SESSION_ONLY,
        body: MeChanges,
        response: { 200: z.object({ user: UserDto }), ...errors(400, 401, 403) },
      },
    },
    async (request, reply) => {
      const { user } = sessionOf(request);
      const updated = await updateUser(ctx.db, user.id, request.body);
      if (!updated.ok) return sendProblem(reply, updated.error);
      return { user: presentUser(updated.value) };
    },
  );
}
