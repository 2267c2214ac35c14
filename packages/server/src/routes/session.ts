import { problem } from '@wasl/core';
import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { sendProblem } from '../http/errors.ts';
import { presentUser } from '../http/present.ts';
import { Email, errors, NoContent, UserDto } from '../http/schemas.ts';
import { clearSessionCookie, setSessionCookie } from '../http/session-cookie.ts';
import { MAX_PASSWORD_CHARS } from '../services/passwords.ts';
import { createSession, deleteSession } from '../services/sessions.ts';
import { verifyLogin } from '../services/users.ts';

/** No length rule here: a short password is simply wrong, and saying so would describe the policy to a guesser. */
const LoginBody = z.strictObject({ email: Email, password: z.string().max(MAX_PASSWORD_CHARS * 4) });

/** Sign in and out with a cookie session. */
export function sessionRoutes(app: App, ctx: ServerContext): void {
  app.post(
    '/api/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        description: `At most ${ctx.config.loginAttemptsPerMinute} attempts a minute per IP address and per email.`,
        body: LoginBody,
        response: { 200: z.object({ user: UserDto, csrfToken: z.string() }), ...errors(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const wait = await ctx.loginLimiter(request, request.body.email);
      if (wait !== undefined) {
        reply.header('retry-after', String(wait));
        return sendProblem(
          reply,
          problem('rate_limited', `too many sign-in attempts; try again in ${wait} seconds`),
        );
      }
      const login = await verifyLogin(ctx.db, request.body.email, request.body.password);
      if (!login.ok) return sendProblem(reply, login.error);
      const now = ctx.clock();
      const session = await createSession(ctx.db, login.value.id, now);
      setSessionCookie(reply, session.token, session.expiresAt, now, ctx.secureCookies);
      return { user: presentUser(login.value), csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { auth: 'optional' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out (ends this session; succeeds when already signed out)',
        response: { 204: NoContent, ...errors(401, 403) },
      },
    },
    async (request, reply) => {
      if (request.auth?.kind === 'session') await deleteSession(ctx.db, request.auth.session.id);
      clearSessionCookie(reply, ctx.secureCookies);
      return reply.code(204).send();
    },
  );
}
