/**
 * Click and open tracking, public: `GET /t/c/<token>` redirects to the link
 * signed into the token and `GET /t/o/<token>` answers a 1×1 transparent GIF;
 * both record the hit (services/message-tracking.ts). A bad or forged token
 * gets a 400 page, never a redirect. Limited per IP address.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { App, ServerContext } from '../context.ts';
import { escapeHtml, html, page } from '../http/public-page.ts';
import { RecentActivity, recordTrackingHit, type TrackingHit } from '../services/message-tracking.ts';

/** Hits per minute from one IP address: above what a person or a shared office reaches, below a flood. */
export const TRACKING_HITS_PER_MINUTE = 600;

/**
 * The token is the rest of the path (a wildcard, not `:token`): a click token
 * carries its destination and outgrows the router's 100-character limit on
 * named parameters.
 */
const TokenParams = z.strictObject({ '*': z.string().min(1).max(8192) });

/** GIF89a, 1×1, one transparent colour: 43 bytes. */
export const TRANSPARENT_GIF = Buffer.from(
  'R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==',
  'base64',
);

const INVALID_LINK = {
  ar: 'هذا الرابط غير صالح أو تغيّر. افتح الرابط من الرسالة الأصلية.',
  en: 'This link is not valid or was changed. Open it from the original message.',
};

export function trackingRoutes(app: App, ctx: ServerContext): void {
  const recent = new RecentActivity();
  const rateLimit = {
    max: TRACKING_HITS_PER_MINUTE,
    timeWindow: 60_000,
    keyGenerator: (request: { ip: string }) => `tracking:${request.ip}`,
  };
  const hit = (
    request: { params: { '*': string }; headers: { 'user-agent'?: string }; ip: string },
    kind: TrackingHit['kind'],
  ) =>
    recordTrackingHit(ctx.db, ctx.events, recent, ctx.secret, {
      token: request.params['*'],
      kind,
      userAgent: request.headers['user-agent'],
      ip: request.ip,
      now: ctx.clock(),
    });

  app.get(
    '/t/c/*',
    {
      config: { rateLimit },
      schema: {
        tags: ['tracking'],
        summary: 'Follow a tracked link: redirects (302) to the destination signed into the token',
        params: TokenParams,
      },
    },
    async (request, reply) => {
      const tracked = await hit(request, 'click');
      if (!tracked.ok || tracked.value.url === undefined) {
        request.log.info({ problem: tracked.ok ? undefined : tracked.error }, 'refused a tracking link');
        return invalidLink(reply);
      }
      return reply
        .code(302)
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .header('location', asciiLocation(tracked.value.url))
        .send();
    },
  );

  app.get(
    '/t/o/*',
    {
      config: { rateLimit },
      schema: {
        tags: ['tracking'],
        summary: 'The open-tracking pixel: a 1×1 transparent GIF (43 bytes)',
        params: TokenParams,
        produces: ['image/gif'],
      },
    },
    async (request, reply) => {
      const tracked = await hit(request, 'open');
      if (!tracked.ok) request.log.info({ problem: tracked.error }, 'refused an open-tracking token');
      // The image is answered either way: a mail client shows a broken image otherwise.
      return reply
        .code(200)
        .type('image/gif')
        .header('cache-control', 'no-store, no-cache, must-revalidate, private')
        .header('cross-origin-resource-policy', 'cross-origin')
        .send(TRANSPARENT_GIF);
    },
  );
}

/**
 * The URL as a Location header, which must be ASCII: characters outside it
 * (Arabic paths and queries) are percent-encoded as UTF-8; existing escapes
 * and everything else stay as they are, so the browser opens the same URL.
 */
export function asciiLocation(url: string): string {
  return url.replace(/[^\x21-\x7e]+/gu, (run) => encodeURIComponent(run));
}

function invalidLink(reply: FastifyReply) {
  return html(
    reply,
    400,
    page(
      'ar',
      'رابط غير صالح',
      `<h1>رابط غير صالح</h1><p>${escapeHtml(INVALID_LINK.ar)}</p><p dir="ltr" lang="en">${escapeHtml(INVALID_LINK.en)}</p>`,
    ),
  );
}
