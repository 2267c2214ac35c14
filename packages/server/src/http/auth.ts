import { problem } from '@wasl/core';
import type { ApiKey, Database, Session, User } from '@wasl/store';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { authenticateApiKey } from '../services/api-keys.ts';
import { sameSecret } from '../services/crypto.ts';
import { resolveSession } from '../services/sessions.ts';
import { sendProblem } from './errors.ts';
import { clearSessionCookie, SESSION_COOKIE, setSessionCookie } from './session-cookie.ts';

/**
 * What a route accepts, declared in its `config.auth`:
 * none: public, credentials are not even looked at;
 * optional: a session or key is used when present (logout);
 * user: a signed-in person (API keys get 403);
 * principal: a signed-in person or an API key.
 */
export type AuthMode = 'none' | 'optional' | 'user' | 'principal';

export type Auth = { kind: 'session'; user: User; session: Session } | { kind: 'apikey'; key: ApiKey };

declare module 'fastify' {
  interface FastifyRequest {
    auth: Auth | null;
  }
  interface FastifyContextConfig {
    auth?: AuthMode;
  }
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export interface AuthOptions {
  db: Kysely<Database>;
  clock: () => number;
  secureCookies: boolean;
}

/**
 * Resolves the caller before validation, so an anonymous request is told to
 * sign in rather than how its body is wrong. Cookie sessions must echo their
 * CSRF token on writes; API keys need not, because browsers never attach an
 * Authorization header by themselves.
 */
export function installAuth(app: FastifyInstance, options: AuthOptions): void {
  const { db, clock, secureCookies } = options;
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request, reply) => {
    const mode = request.routeOptions.config?.auth ?? 'none';
    if (mode === 'none') return;
    const now = clock();
    const header = request.headers.authorization;
    if (header !== undefined) {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
      const key = bearer === undefined ? undefined : await authenticateApiKey(db, bearer, now);
      if (!key)
        return sendProblem(reply, problem('unauthorized', 'the API key is invalid or has been revoked'));
      if (mode === 'user') {
        return sendProblem(
          reply,
          problem('forbidden', 'API keys cannot use this endpoint; sign in as a person'),
        );
      }
      request.auth = { kind: 'apikey', key };
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    const active = token ? await resolveSession(db, token, now) : undefined;
    if (!token || !active) {
      if (token) clearSessionCookie(reply, secureCookies);
      if (mode === 'optional') return;
      return sendProblem(reply, problem('unauthorized', 'sign in first'));
    }
    if (UNSAFE_METHODS.has(request.method) && !csrfMatches(request, active.session.csrf_token)) {
      return sendProblem(
        reply,
        problem('forbidden', 'missing or wrong x-csrf-token header; send the csrfToken from GET /api/me'),
      );
    }
    if (active.renewed) setSessionCookie(reply, token, active.session.expires_at, now, secureCookies);
    request.auth = { kind: 'session', user: active.user, session: active.session };
  });
}

function csrfMatches(request: FastifyRequest, expected: string): boolean {
  const sent = request.headers['x-csrf-token'];
  return typeof sent === 'string' && sameSecret(sent, expected);
}

/** The signed-in person on a `user` route. Its absence means the route's config is wrong: a bug. */
export function sessionOf(request: FastifyRequest): { user: User; session: Session } {
  if (request.auth?.kind !== 'session')
    throw new Error(`route ${request.routeOptions.url} needs config.auth 'user'`);
  return request.auth;
}
