import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { sendProblem } from '../http/errors.ts';
import { Email, errors, NoContent, Password } from '../http/schemas.ts';
import { completePasswordReset, createPasswordResetLink } from '../services/password-reset.ts';

const ResetRequestBody = z.strictObject({ email: Email });
const ResetConfirmBody = z.strictObject({
  token: z.string().min(1).max(500).meta({ description: 'The `token` parameter of the link' }),
  password: Password,
});

/** Forgotten passwords: a signed, one-hour, single-use link delivered through the configured sink. */
export function passwordResetRoutes(app: App, ctx: ServerContext): void {
  app.post(
    '/api/auth/password-reset',
    {
      schema: {
        tags: ['auth'],
        summary: 'Send a password reset link (always 202: never tells whether the email has an account)',
        body: ResetRequestBody,
        response: { 202: NoContent, ...errors(400) },
      },
    },
    async (request, reply) => {
      const { email } = request.body;
      // Over the limit the answer is still 202, so it reveals nothing; the link is just not sent.
      const wait = await ctx.resetLimiter(request, email);
      if (wait !== undefined) {
        request.log.warn('password reset: too many requests; link not sent');
        return reply.code(202).send();
      }
      const url = await createPasswordResetLink(ctx.db, {
        email,
        publicUrl: ctx.config.publicUrl,
        secret: ctx.secret,
        now: ctx.clock(),
      });
      if (url !== undefined) {
        if (ctx.passwordResetSink) ctx.passwordResetSink(email, url);
        else request.log.warn('password reset requested, but no delivery is configured (passwordResetSink)');
      }
      return reply.code(202).send();
    },
  );

  app.post(
    '/api/auth/password-reset/confirm',
    {
      schema: {
        tags: ['auth'],
        summary: 'Set a new password with a reset or set-password link',
        body: ResetConfirmBody,
        response: { 204: NoContent, ...errors(400) },
      },
    },
    async (request, reply) => {
      const done = await completePasswordReset(ctx.db, {
        ...request.body,
        secret: ctx.secret,
        now: ctx.clock(),
      });
      if (!done.ok) return sendProblem(reply, done.error);
      return reply.code(204).send();
    },
  );
}
