import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Counts attempts per client IP and per email address within a minute, with
 * @fastify/rate-limit's in-memory store. Both keys matter: per IP stops one
 * machine trying many accounts, per email stops many machines trying one.
 * Returns the seconds to wait when either is over the limit.
 */
export type AttemptLimiter = (request: FastifyRequest, email: string) => Promise<number | undefined>;

export function createAttemptLimiter(app: FastifyInstance, name: string, perMinute: number): AttemptLimiter {
  // The email is not on the request in a shape the key generator can read; hand it over on the side.
  const emails = new WeakMap<FastifyRequest, string>();
  const common = { max: perMinute, timeWindow: 60_000 };
  const byIp = app.createRateLimit({ ...common, keyGenerator: (req) => `${name}:ip:${req.ip}` });
  const byEmail = app.createRateLimit({
    ...common,
    keyGenerator: (req) => `${name}:email:${emails.get(req) ?? ''}`,
  });
  return async (request, email) => {
    emails.set(request, email);
    const results = [await byIp(request), await byEmail(request)];
    const waits = results.map((r) => (!r.isAllowed && r.isExceeded ? r.ttlInSeconds : 0));
    const wait = Math.max(...waits);
    return wait > 0 ? wait : undefined;
  };
}
