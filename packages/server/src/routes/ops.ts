import { z } from 'zod';
import type { App, ReadinessCheck, ServerContext } from '../context.ts';
import { assertMigrationsCurrent, pingOltp } from '../services/health.ts';

const CHECK_TIMEOUT_MS = 5_000;

const ReadyBody = z.object({
  status: z.enum(['ready', 'unavailable']),
  /** 'ok', or what went wrong. */
  checks: z.record(z.string(), z.string()),
  error: z.object({ code: z.literal('unavailable'), message: z.string() }).optional(),
});

/** Credentials in a driver's error message (postgres://user:pass@…) must not reach an unauthenticated page. */
const hideCredentials = (message: string) => message.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@');

async function runCheck(check: ReadinessCheck): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check.check(), timeout]);
    return 'ok';
  } catch (error) {
    return `failed: ${hideCredentials(error instanceof Error ? error.message : String(error))}`;
  } finally {
    clearTimeout(timer);
  }
}

/** Liveness, readiness and metrics: unauthenticated, for load balancers and Prometheus. */
export function opsRoutes(app: App, ctx: ServerContext): void {
  const checks: ReadinessCheck[] = [
    { name: 'oltp', check: () => pingOltp(ctx.db) },
    { name: 'oltp_migrations', check: () => assertMigrationsCurrent(ctx.db) },
    ...ctx.readiness,
  ];

  app.get(
    '/healthz',
    {
      schema: {
        tags: ['ops'],
        summary: 'The process is alive',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        tags: ['ops'],
        summary: 'Every dependency answers and the schema is current',
        response: { 200: ReadyBody, 503: ReadyBody },
      },
    },
    async (request, reply) => {
      const results = await Promise.all(checks.map(async (c) => [c.name, await runCheck(c)] as const));
      const failed = results.filter(([, r]) => r !== 'ok');
      const body = {
        status: failed.length === 0 ? ('ready' as const) : ('unavailable' as const),
        checks: Object.fromEntries(results),
      };
      if (failed.length === 0) return body;
      const message = failed.map(([name, r]) => `${name} ${r}`).join('; ');
      request.log.warn({ checks: body.checks }, 'not ready');
      return reply.code(503).send({ ...body, error: { code: 'unavailable' as const, message } });
    },
  );

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['ops'],
        summary: 'Prometheus metrics (text exposition format 0.0.4)',
        produces: ['text/plain'],
      },
    },
    async (request, reply) =>
      reply.type('text/plain; version=0.0.4; charset=utf-8').send(await ctx.metrics.render(request.log)),
  );
}
