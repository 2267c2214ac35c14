import { createHash } from 'node:crypto';
import { trackerScript } from '@wasl/tracker';
import type { App } from '../context.ts';

/**
 * The tracking script that sites embed (`<script defer src=".../t.js" data-site="site_…">`).
 * Served from the ingest surface, cacheable for a day (a new release changes the ETag),
 * and loadable from any site: helmet's same-origin resource policy would block it.
 */
export function trackerRoutes(app: App): void {
  let cached: { body: Buffer; etag: string } | undefined;
  app.get(
    '/t.js',
    {
      schema: {
        tags: ['tracking'],
        summary: 'The browser tracking script (under 1.5 KB gzipped)',
        produces: ['text/javascript'],
      },
    },
    async (request, reply) => {
      if (!cached) {
        const body = Buffer.from(await trackerScript());
        cached = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
      }
      reply
        .header('cross-origin-resource-policy', 'cross-origin')
        .header('cache-control', 'public, max-age=86400')
        .header('etag', cached.etag);
      if (request.headers['if-none-match'] === cached.etag) return reply.code(304).send();
      return reply.type('text/javascript; charset=utf-8').send(cached.body);
    },
  );
}
