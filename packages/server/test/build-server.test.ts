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
    } finally {
      await app.close();
      await store.dispose();
    }
  });
});

describe('surfaces', () => {
  it('an ingest-only process serves the operational endpoints and not the management API or dashboard', async () => {
    const store = await SQLITE.open();
    const app = buildServer({
      config: testConfig(),
      oltp: store.oltp,
      secret: 'x'.repeat(32),
      logger: { level: 'silent' },
      surfaces: { api: false, ingest: true },
    });
    try {
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
      expect((await app.inject({ url: '/metrics' })).statusCode).toBe(200);
      for (const url of ['/api/setup', '/api/me', '/api/openapi.json', '/']) {
        expect((await app.inject({ url })).statusCode, url).toBe(404);
      }
    } finally {
      await app.close();
      await store.dispose();
    }
  });
});
