import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine, SQLITE } from './helpers/engines.ts';
import { type Team, team } from './helpers/people.ts';

describeEachEngine('readiness', (engine) => {
  it('is ready when the store answers, migrations are current and every check passes', async () => {
    const t = await startTestApp(engine, { readiness: [{ name: 'events', check: async () => {} }] });
    try {
      expect((await call(t.app, 'GET', '/healthz')).json()).toEqual({ status: 'ok' });
      const res = await call(t.app, 'GET', '/readyz');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        status: 'ready',
        checks: { oltp: 'ok', oltp_migrations: 'ok', events: 'ok' },
      });
    } finally {
      await t.close();
    }
  });

  it('answers 503 naming the check that throws, without leaking credentials', async () => {
    const t = await startTestApp(engine, {
      readiness: [
        {
          name: 'events',
          check: async () => {
            throw new Error('connect ECONNREFUSED postgres://wasl:s3cret@db:5432/events');
          },
        },
      ],
    });
    try {
      const res = await call(t.app, 'GET', '/readyz');
      expect(res.statusCode).toBe(503);
      const body = res.json();
      expect(body.status).toBe('unavailable');
      expect(body.checks).toMatchObject({ oltp: 'ok', oltp_migrations: 'ok' });
      expect(body.checks.events).toMatch(/^failed: connect ECONNREFUSED/);
      expect(body.error.code).toBe('unavailable');
      expect(body.error.message).toContain('events failed');
      expect(res.body).not.toContain('s3cret');
    } finally {
      await t.close();
    }
  });

  it('answers 503 naming the pending migration on an unmigrated store', async () => {
    const t = await startTestApp(engine, { migrated: false });
    try {
      const res = await call(t.app, 'GET', '/readyz');
      expect(res.statusCode).toBe(503);
      expect(res.json().checks.oltp_migrations).toContain('0001_foundation');
      expect((await call(t.app, 'GET', '/healthz')).statusCode).toBe(200);
    } finally {
      await t.close();
    }
  });
});

describe('metrics', () => {
  let t: TestApp;
  let crew: Team;
  let jobDepthFails = false;
  beforeAll(async () => {
    t = await startTestApp(SQLITE, {
      metrics: {
        eventsBuffered: () => 7,
        jobDepth: async () => {
          if (jobDepthFails) throw new Error('queue table locked');
          return { queued: 3, running: 1, done: 40, dead: 2 };
        },
      },
    });
    crew = await team(t, 'Metrics');
  });
  afterAll(() => t.close());

  it('exposes request counters, durations and the worker gauges in Prometheus text', async () => {
    await call(t.app, 'GET', '/healthz');
    await call(t.app, 'GET', '/healthz');
    await call(t.app, 'GET', `/api/workspaces/${crew.workspace.id}`, { as: crew.as.owner });
    await call(t.app, 'GET', '/api/does-not-exist');
    await call(t.app, 'POST', '/api/auth/login', { body: {} });
    const res = await call(t.app, 'GET', '/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = res.body;
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(text).toContain('http_requests_total{method="GET",route="/healthz",status="200"} 2');
    // Route templates, not URLs: ids never become label values.
    expect(text).toContain('http_requests_total{method="GET",route="/api/workspaces/:ws",status="200"} 1');
    expect(text).not.toContain(crew.workspace.id);
    expect(text).toContain('http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(text).toContain('http_requests_total{method="POST",route="/api/auth/login",status="400"} 1');
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
    expect(text).toContain('http_request_duration_seconds_bucket{method="GET",route="/healthz",le="+Inf"} 2');
    expect(text).toMatch(/http_request_duration_seconds_sum\{method="GET",route="\/healthz"\} [0-9.e-]+/);
    expect(text).toContain('http_request_duration_seconds_count{method="GET",route="/healthz"} 2');
    expect(text).toContain('wasl_jobs{state="queued"} 3');
    expect(text).toContain('wasl_jobs{state="dead"} 2');
    expect(text).toContain('# TYPE wasl_events_buffered gauge');
    expect(text).toContain('wasl_events_buffered 7');
    // Every sample line is `name{labels} number`.
    for (const line of text
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? ([0-9.e+-]+|\+Inf)$/);
    }
  });

  it('still answers when a gauge source fails', async () => {
    jobDepthFails = true;
    const res = await call(t.app, 'GET', '/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('http_requests_total');
    expect(res.body).not.toContain('wasl_jobs{');
    jobDepthFails = false;
  });

  it('echoes a safe x-request-id and replaces an unsafe one', async () => {
    const kept = await call(t.app, 'GET', '/healthz', { headers: { 'x-request-id': 'lb-1234.abc' } });
    expect(kept.headers['x-request-id']).toBe('lb-1234.abc');
    const replaced = await call(t.app, 'GET', '/healthz', {
      headers: { 'x-request-id': 'bad id\nwith newline' },
    });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
