import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { SESSION_COOKIE } from './session-cookie.ts';

export const OPENAPI_PATH = '/api/openapi.json';
export const DOCS_PREFIX = '/api/docs';

/**
 * OpenAPI 3.1 built from the routes' zod schemas, so the document cannot drift
 * from what the server validates. Must be registered before any route: the
 * plugin collects routes as they are added.
 */
export function installOpenApi(app: FastifyInstance, version: string): void {
  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Wasl API',
        description:
          'HTTP API of Wasl (وصل). Errors are `{ error: { code, message, field? } }`. Sign in with a session cookie ' +
          '(writes need the `x-csrf-token` header) or send `Authorization: Bearer wasl_…`.',
        version,
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
          apiKey: { type: 'http', scheme: 'bearer', description: 'wasl_<prefix>_<secret>' },
        },
      },
    },
    // The default skip list names /documentation; ours lives under /api/docs and its routes hide themselves.
    transform: createJsonSchemaTransform({ skipList: [] }),
    transformObject: jsonSchemaTransformObject,
  });
  // The UI's assets come from the @fastify/swagger-ui package itself: no CDN, works offline.
  app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    uiConfig: { validatorUrl: null, deepLinking: true },
  });
}
