import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { sendProblem } from '../http/errors.ts';
import { presentUser, presentWorkspace } from '../http/present.ts';
import { Email, errors, Locale, Name, Password, UserDto, WorkspaceDto } from '../http/schemas.ts';
import { setSessionCookie } from '../http/session-cookie.ts';
import { createSession } from '../services/sessions.ts';
import { completeSetup, needsSetup } from '../services/setup.ts';

const SetupBody = z.strictObject({
  token: z
    .string()
    .min(1)
    .max(200)
    .meta({ description: 'The one-time token from the URL `wasl start` printed' }),
  name: Name,
  email: Email,
  password: Password,
  workspaceName: Name,
  locale: Locale.default('ar'),
});

/** First run: the person holding the printed setup URL creates the owner account and first workspace. */
export function setupRoutes(app: App, ctx: ServerContext): void {
  app.get(
    '/api/setup',
    {
      schema: {
        tags: ['setup'],
        summary: 'Whether first-run setup is still open',
        response: { 200: z.object({ needsSetup: z.boolean() }) },
      },
    },
    async () => ({ needsSetup: await needsSetup(ctx.db) }),
  );

  app.post(
    '/api/setup',
    {
      schema: {
        tags: ['setup'],
        summary: 'Create the first owner and workspace (once), and sign in',
        body: SetupBody,
        response: {
          201: z.object({ user: UserDto, workspace: WorkspaceDto, csrfToken: z.string() }),
          ...errors(400, 403, 409),
        },
      },
    },
    async (request, reply) => {
      const now = ctx.clock();
      const done = await completeSetup(ctx.db, { ...request.body, now });
      if (!done.ok) return sendProblem(reply, done.error);
      const session = await createSession(ctx.db, done.value.user.id, now);
      setSessionCookie(reply, session.token, session.expiresAt, now, ctx.secureCookies);
      return reply.code(201).send({
        user: presentUser(done.value.user),
        workspace: presentWorkspace(done.value.workspace),
        csrfToken: session.csrfToken,
      });
    },
  );
}
