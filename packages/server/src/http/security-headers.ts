import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/**
 * Helmet's headers with a CSP that lets the built dashboard and the API docs
 * run: scripts and styles from this origin only (Vite emits files, no inline
 * script), inline style attributes allowed (charts and RTL layout set them),
 * images from data: and blob: (chart export).
 *
 * HSTS and upgrade-insecure-requests only when Wasl is served over https: on
 * a plain-http install (http://192.168.1.5:8080) they would make the browser
 * fetch assets over https and break the page.
 */
export function installSecurityHeaders(app: FastifyInstance, https: boolean): void {
  app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        baseUri: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        workerSrc: ["'self'", 'blob:'],
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    strictTransportSecurity: https ? { maxAge: 180 * 24 * 60 * 60, includeSubDomains: false } : false,
    crossOriginEmbedderPolicy: false,
  });
}
