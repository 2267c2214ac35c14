import type { FastifyInstance, InjectOptions } from 'fastify';

/** How a request authenticates: a session cookie (with its CSRF token), an API key, or nothing. */
export type Caller = { cookie: string; csrfToken: string } | { apiKey: string } | null;

export interface CallOptions {
  as?: Caller;
  body?: unknown;
  headers?: Record<string, string>;
  /** Leave out the CSRF header on a cookie write, to prove it is required. */
  omitCsrf?: boolean;
  remoteAddress?: string;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function call(app: FastifyInstance, method: Method, url: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { ...options.headers };
  const as = options.as ?? null;
  if (as && 'cookie' in as) {
    headers.cookie = `wasl_session=${as.cookie}`;
    if (method !== 'GET' && !options.omitCsrf) headers['x-csrf-token'] = as.csrfToken;
  }
  if (as && 'apiKey' in as) headers.authorization = `Bearer ${as.apiKey}`;
  const inject: InjectOptions = { method, url, headers };
  if (options.remoteAddress) inject.remoteAddress = options.remoteAddress;
  if (options.body !== undefined) inject.payload = options.body as InjectOptions['payload'];
  return app.inject(inject);
}

/** The session token from a response's Set-Cookie, if it set one. */
export function sessionCookieOf(response: {
  cookies: { name: string; value: string }[];
}): string | undefined {
  return response.cookies.find((c) => c.name === 'wasl_session')?.value;
}
