import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendProblem } from './errors.ts';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="ar" dir="rtl">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Wasl · وصل</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.6">
<h1>وصل يعمل، لكن لوحة التحكم غير مبنية</h1>
<p>الواجهة البرمجية تعمل على <code>/api</code>. لبناء لوحة التحكم شغّل <code>npm run build</code> في مجلد المشروع ثم أعد تشغيل وصل.</p>
<hr>
<div lang="en" dir="ltr">
<h1>Wasl is running, but the dashboard is not built</h1>
<p>The API answers under <code>/api</code> (documentation at <a href="/api/docs">/api/docs</a>).
Build the dashboard with <code>npm run build</code> in the project folder, then restart Wasl.</p>
</div>
</body>
</html>
`;

/** A browser navigating to a dashboard page, as opposed to fetching a file or calling the API. */
function isPageRequest(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0] ?? '/';
  if (path === '/api' || path.startsWith('/api/') || path.startsWith('/assets/')) return false;
  const last = path.split('/').pop() ?? '';
  return !last.includes('.');
}

function notFound(request: FastifyRequest, reply: FastifyReply) {
  return sendProblem(reply, {
    code: 'not_found',
    message: `no route ${request.method} ${(request.url.split('?')[0] ?? '').slice(0, 200)}`,
  });
}

/**
 * Serves the built dashboard when `dashboardDir` holds one: files as they
 * are (hashed assets cached for a year), and index.html for every other page
 * path so the SPA's router can take over. Without a build, pages get a short
 * bilingual note saying how to build it. Unknown /api paths and missing files
 * always get a JSON 404.
 */
export function installDashboard(app: FastifyInstance, dashboardDir: string | undefined): void {
  const root = dashboardDir === undefined ? undefined : resolve(dashboardDir);
  const built = root !== undefined && existsSync(join(root, 'index.html'));
  if (built) {
    app.register(fastifyStatic, {
      root,
      // Routes for the files present at start-up; a rebuilt dashboard is picked up on restart.
      wildcard: false,
      // We set cache-control ourselves (below); @fastify/static would otherwise overwrite it.
      cacheControl: false,
      setHeaders(response, path) {
        const hashed = path.includes(`${sep}assets${sep}`);
        response.setHeader('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    if (!isPageRequest(request)) return notFound(request, reply);
    if (built) return reply.header('cache-control', 'no-cache').sendFile('index.html');
    const home = request.url === '/' || request.url.startsWith('/?');
    return reply
      .code(home ? 200 : 404)
      .type('text/html; charset=utf-8')
      .send(NOT_BUILT_PAGE);
  });
}
