import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { SQLITE } from './helpers/engines.ts';

interface Operation {
  responses?: Record<string, unknown>;
  requestBody?: { content?: Record<string, { schema?: Record<string, unknown> }> };
  parameters?: { name: string; in: string }[];
  security?: unknown[];
}
interface Doc {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

describe('OpenAPI document and docs page', () => {
  let t: TestApp;
  let doc: Doc;
  const registered: RouteOptions[] = [];
  beforeAll(async () => {
    t = await startTestApp(SQLITE);
    t.app.addHook('onRoute', (route) => {
      registered.push(route);
    });
    const res = await call(t.app, 'GET', '/api/openapi.json');
    expect(res.statusCode).toBe(200);
    doc = res.json();
  });
  afterAll(() => t.close());

  it('is OpenAPI 3.1 with info, paths, components and security schemes', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: 'Wasl API', version: expect.any(String) });
    expect(Object.keys(doc.paths).length).toBeGreaterThan(10);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['apiKey', 'session']);
    for (const name of ['User', 'Workspace', 'Member', 'ApiKey', 'AuditEntry', 'Job', 'Error']) {
      expect(doc.components.schemas, name).toHaveProperty(name);
    }
  });

  it('lists every route the server answers, and nothing else', () => {
    const served = registered
      .flatMap((r) => (Array.isArray(r.method) ? r.method : [r.method]).map((m) => ({ m, r })))
      .filter(({ m, r }) => m !== 'HEAD' && !(r.schema as { hide?: boolean } | undefined)?.hide)
      // A trailing wildcard (the tracking routes' /t/c/*) is documented as the parameter {*}.
      .map(({ m, r }) => `${m} ${r.url.replace(/:(\w+)/g, '{$1}').replace(/\*$/, '{*}')}`);
    const documented = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual([...new Set(served)].sort());
    for (const route of [
      'GET /healthz',
      'GET /readyz',
      'GET /metrics',
      'GET /api/openapi.json',
      'GET /api/setup',
      'POST /api/setup',
      'POST /api/auth/login',
      'POST /api/auth/logout',
      'POST /api/auth/password-reset',
      'POST /api/auth/password-reset/confirm',
      'GET /api/me',
      'PATCH /api/me',
      'POST /api/workspaces',
      'GET /api/workspaces/{ws}',
      'PATCH /api/workspaces/{ws}',
      'GET /api/workspaces/{ws}/members',
      'POST /api/workspaces/{ws}/members',
      'PATCH /api/workspaces/{ws}/members/{userId}',
      'DELETE /api/workspaces/{ws}/members/{userId}',
      'GET /api/workspaces/{ws}/api-keys',
      'POST /api/workspaces/{ws}/api-keys',
      'DELETE /api/workspaces/{ws}/api-keys/{keyId}',
      'GET /api/workspaces/{ws}/audit-log',
      'GET /api/workspaces/{ws}/jobs',
      'POST /api/workspaces/{ws}/jobs/{jobId}/retry',
    ]) {
      expect(documented).toContain(route);
    }
  });

  it('describes every operation with responses, and request bodies and parameters from the zod schemas', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        expect(Object.keys(op.responses ?? {}).length, `${method} ${path}`).toBeGreaterThan(0);
        for (const name of path.match(/\{(\w+)\}/g) ?? []) {
          const param = name.slice(1, -1);
          expect(
            op.parameters?.some((p) => p.in === 'path' && p.name === param),
            `${method} ${path} ${param}`,
          ).toBe(true);
        }
      }
    }
    const login = doc.paths['/api/auth/login']?.post;
    const schema = login?.requestBody?.content?.['application/json']?.schema;
    expect(schema).toMatchObject({
      type: 'object',
      required: ['email', 'password'],
      additionalProperties: false,
    });
    const member = doc.paths['/api/workspaces/{ws}']?.get;
    expect(member?.security).toEqual([{ session: [] }, { apiKey: [] }]);
    // JSON Schema 2020-12 as 3.1 wants: nullable is a type union, not OpenAPI 3.0's `nullable: true`.
    expect(JSON.stringify(doc)).not.toContain('"nullable":true');
  });

  it('serves a readable docs page whose assets ship inside the package', async () => {
    const page = await call(t.app, 'GET', '/api/docs');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const scripts = [...page.body.matchAll(/src="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      expect(src.startsWith('http')).toBe(false);
      const url = src.startsWith('/') ? src : `/api/docs/${src.replace(/^\.\//, '')}`;
      const asset = await call(t.app, 'GET', url);
      expect(asset.statusCode, url).toBe(200);
    }
    const init = await call(t.app, 'GET', '/api/docs/static/swagger-initializer.js');
    expect(init.body).toContain('json');
  });
});
