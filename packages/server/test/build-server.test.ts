import { describe, expect, it } from 'vitest';
import { buildServer } from '../src/index.ts';
import { testConfig } from './helpers/app.ts';
import { SQLITE } from './helpers/engines.ts';

describe('buildServer', () => {
  it('refuses a secret shorter than 32 characters, which would make reset links forgeable', async () => {
    const store = await SQLITE.open();
    try {
      expect(() => buildServer({ config: testConfig(), oltp: store.oltp, secret: 'too short' })).toThrow(
        /at least 32 characters/,
      );
    } finally {
      await store.dispose();
    }
  });

  it('returns an instance that is not listening yet', async () => {
    const store = await SQLITE.open();
    const app = buildServer({
      config: testConfig(),
      oltp: store.oltp,
      secret: 'x'.repeat(32),
      logger: { level: 'silent' },
    });
    try {
      await app.ready();
      expect(app.server.listening).toBe(false);
      // Our own node:http server (for the collect fast path) keeps Fastify's timeouts:
      // node's default 5 s keep-alive closed sockets that clients were reusing.
      expect(app.server.keepAliveTimeout).toBe(72_000);
    } finally {
      await app.close();
      await store.dispose();
    }
  });
});

/** A server with only some surfaces, on a fresh SQLite store, closed after `check`. */
async function withSurfaces(
  surfaces: { api: boolean; ingest: boolean },
  check: (app: ReturnType<typeof buildServer>) => Promise<void>,
) {
  const store = await SQLITE.open();
  const app = buildServer({
    config: testConfig(),
    oltp: store.oltp,
    secret: 'x'.repeat(32),
    logger: { level: 'silent' },
    surfaces,
  });
  try {
    await check(app);
  } finally {
    await app.close();
    await store.dispose();
  }
}

describe('surfaces', () => {
  it('an api-only process does not serve the tracking script', () =>
    withSurfaces({ api: true, ingest: false }, async (app) => {
      expect((await app.inject({ url: '/t.js' })).statusCode).toBe(404);
      expect((await app.inject({ url: '/api/setup' })).statusCode).toBe(200);
    }));

  it('an ingest-only process serves the operational endpoints and not the management API or dashboard', () =>
    withSurfaces({ api: false, ingest: true }, async (app) => {
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/metrics' })).statusCode).toBe(200);
      for (const url of ['/api/setup', '/api/me', '/api/openapi.json', '/']) {
        expect((await app.inject({ url })).statusCode, url).toBe(404);
      }
      const script = await app.inject({ url: '/t.js' });
      expect(script.statusCode).toBe(200);
      expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
      // Sites on other origins load it: helmet's default same-origin policy must not apply.
      expect(script.headers['cross-origin-resource-policy']).toBe('cross-origin');
      expect(script.body).toContain('/api/collect');
      const again = await app.inject({
        url: '/t.js',
        headers: { 'if-none-match': String(script.headers.etag) },
      });
      expect(again.statusCode).toBe(304);
    }));
});
