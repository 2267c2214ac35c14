import type { FastifyReply } from 'fastify';

export const SESSION_COOKIE = 'wasl_session';

/**
 * httpOnly keeps the token away from scripts; SameSite=Lax keeps it off
 * cross-site POSTs; Secure whenever Wasl is served over https.
 */
const attributes = (secure: boolean) => ({ path: '/', httpOnly: true, sameSite: 'lax', secure }) as const;

export function setSessionCookie(
  reply: FastifyReply,
  token: string,
  expiresAt: number,
  now: number,
  secure: boolean,
) {
  reply.setCookie(SESSION_COOKIE, token, {
    ...attributes(secure),
    maxAge: Math.max(0, Math.floor((expiresAt - now) / 1000)),
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean) {
  reply.clearCookie(SESSION_COOKIE, attributes(secure));
}
