import { createHash } from 'node:crypto';
import type { Site } from '@wasl/store';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSite } from '../src/index.ts';
import { SHARE_REQUESTS_PER_MINUTE } from '../src/routes/share-links.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { apiKey, type Team, team } from './helpers/people.ts';
import { pageview, type VisitOf } from './helpers/visits.ts';

describeEachEngine('share links', (engine) => {
  let t: TestApp;
  let crew: Team;
  let site: Site;
  let other: Site;
  let linksUrl: string;
  const PERIOD = 'from=2026-01-10&to=2026-01-12';

  const share = async () => {
    const res = await call(t.app, 'POST', linksUrl, { as: crew.as.marketer });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { shareLink: { id: string; prefix: string }; token: string; url: string };
  };

  beforeAll(async () => {
    t = await startTestApp(engine, { config: { publicUrl: 'https://wasl.example.com' } });
    crew = await team(t, 'Sharing');
    const add = async (name: string) => {
      const created = await createSite(t.db, {
        workspaceId: crew.workspace.id,
        name,
        domain: 'roses.example',
        timezone: 'Asia/Riyadh',
        actor: { type: 'system' },
      });
      if (!created.ok) throw new Error(created.error.message);
      return created.value;
    };
    site = await add('متجر الورد');
    other = await add('Blog');
    linksUrl = `/api/workspaces/${crew.workspace.id}/sites/${site.id}/share-links`;
    const visit = (siteId: string, visitor: string): VisitOf => ({
      workspaceId: crew.workspace.id,
      siteId,
      visitor,
      session: `${visitor}-1`,
      context: { geo: { country: 'SA' } },
    });
    // Two visits (three pageviews) on the shared site, one on the other.
    await t.events.append([
      pageview(visit(site.id, 'A'), '2026-01-10T07:00:00Z', '/'),
      pageview(visit(site.id, 'A'), '2026-01-10T07:01:00Z', '/عروض'),
      pageview(visit(site.id, 'B'), '2026-01-11T07:00:00Z', '/'),
      pageview(visit(other.id, 'C'), '2026-01-11T07:00:00Z', '/'),
    ]);
  });
  afterAll(() => t.close());

  it('shows the token once and keeps only its hash', async () => {
    const { shareLink, token, url } = await share();
    expect(token).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(url).toBe(`https://wasl.example.com/share/${token}`);
    expect(shareLink).toMatchObject({
      siteId: site.id,
      prefix: token.slice(0, 6),
      createdBy: crew.users.marketer.id,
      revokedAt: null,
    });
    const row = await t.db
      .selectFrom('share_links')
      .selectAll()
      .where('id', '=', shareLink.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(token);
    const listed = (await call(t.app, 'GET', linksUrl, { as: crew.as.analyst })).json().shareLinks;
    expect(listed).toContainEqual(shareLink);
    expect(JSON.stringify(listed)).not.toContain(token);
  });

  it('opens the shared site read-only without signing in, and nothing else', async () => {
    const { token } = await share();
    const opened = await call(t.app, 'GET', `/api/share/${token}`);
    expect(opened.statusCode).toBe(200);
    expect(opened.headers['cache-control']).toBe('no-store');
    expect(opened.json()).toEqual({
      site: { name: 'متجر الورد', domain: 'roses.example', timezone: 'Asia/Riyadh' },
    });

    const summary = await call(t.app, 'GET', `/api/share/${token}/reports/summary?${PERIOD}`);
    expect(summary.statusCode, summary.body).toBe(200);
    expect(summary.json().summary).toMatchObject({ visits: 2, visitors: 2, pageviews: 3 });
    const pages = await call(t.app, 'GET', `/api/share/${token}/reports/breakdown?${PERIOD}&by=page`);
    expect(pages.json().rows.map((r: { value: string; visitors: number }) => [r.value, r.visitors])).toEqual([
      ['/', 2],
      ['/عروض', 1],
    ]);
    const filtered = await call(
      t.app,
      'GET',
      `/api/share/${token}/reports/summary?${PERIOD}&filter=${encodeURIComponent('page:is:/عروض')}`,
    );
    expect(filtered.json().summary).toMatchObject({ visits: 1, pageviews: 2 });
    const series = await call(t.app, 'GET', `/api/share/${token}/reports/timeseries?${PERIOD}`);
    expect(series.json().points.map((p: { visits: number }) => p.visits)).toEqual([1, 1, 0]);
    for (const report of ['retention', 'realtime']) {
      expect((await call(t.app, 'GET', `/api/share/${token}/reports/${report}`)).statusCode, report).toBe(
        200,
      );
    }
    const csv = await call(
      t.app,
      'GET',
      `/api/share/${token}/reports/breakdown?${PERIOD}&by=page&format=csv`,
    );
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body.startsWith('\uFEFFpage,visitors')).toBe(true);

    // Saved goals, funnels and CTAs stay inside the workspace.
    for (const report of ['goals', 'funnels', 'ctas']) {
      expect((await call(t.app, 'GET', `/api/share/${token}/reports/${report}`)).statusCode, report).toBe(
        404,
      );
    }
    // No sign-in is asked for, and a session or key changes nothing.
    const withKey = await call(t.app, 'GET', `/api/share/${token}/reports/summary?${PERIOD}`, {
      as: await apiKey(t, crew.workspace.id, 'read'),
    });
    expect(withKey.json().summary.visits).toBe(2);
  });

  it('stops working the moment it is revoked', async () => {
    const { shareLink, token } = await share();
    const url = `/api/share/${token}/reports/summary?${PERIOD}`;
    expect((await call(t.app, 'GET', url)).statusCode).toBe(200);
    t.clock.now += 1000;
    const revoked = await call(t.app, 'DELETE', `${linksUrl}/${shareLink.id}`, { as: crew.as.admin });
    expect(revoked.statusCode).toBe(204);
    for (const path of [url, `/api/share/${token}`]) {
      const res = await call(t.app, 'GET', path);
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toEqual({
        code: 'not_found',
        message: 'share link not found; it may have been revoked',
      });
    }
    const listed = (await call(t.app, 'GET', linksUrl, { as: crew.as.owner })).json().shareLinks;
    expect(listed.find((l: { id: string }) => l.id === shareLink.id).revokedAt).toBe(
      new Date(t.clock.now).toISOString(),
    );
    // Revoking again is fine; the audit log has it once.
    expect(
      (await call(t.app, 'DELETE', `${linksUrl}/${shareLink.id}`, { as: crew.as.admin })).statusCode,
    ).toBe(204);
    const audit = (
      await call(t.app, 'GET', `/api/workspaces/${crew.workspace.id}/audit-log`, { as: crew.as.owner })
    ).json().entries as { action: string; target: string }[];
    expect(audit.filter((e) => e.target === `share_link:${shareLink.id}`).map((e) => e.action)).toEqual([
      'share_link.revoked',
      'share_link.created',
    ]);
  });

  it('turns away a flood from one address with 429 and Retry-After, and serves other addresses', async () => {
    const { token } = await share();
    const url = `/api/share/${token}`;
    const from = (remoteAddress: string) => call(t.app, 'GET', url, { remoteAddress });
    for (let i = 0; i < SHARE_REQUESTS_PER_MINUTE; i++)
      expect((await from('203.0.113.7')).statusCode).toBe(200);
    const refused = await from('203.0.113.7');
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect((await from('203.0.113.8')).statusCode).toBe(200);
  });

  it('answers an unknown or malformed token like a revoked one', async () => {
    for (const token of ['A'.repeat(32), 'short', encodeURIComponent('ش'.repeat(32))]) {
      const res = await call(t.app, 'GET', `/api/share/${token}/reports/summary`);
      expect(res.statusCode, token).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
  });

  it('is made and revoked by those who manage sites, and only through its own site and workspace', async () => {
    expect((await call(t.app, 'POST', linksUrl, { as: crew.as.analyst })).statusCode).toBe(403);
    const { shareLink, token } = await share();
    const others = await team(t, 'Outsiders');
    const theirs = `/api/workspaces/${others.workspace.id}/sites/${site.id}/share-links/${shareLink.id}`;
    expect((await call(t.app, 'DELETE', theirs, { as: others.as.owner })).statusCode).toBe(404);
    const wrongSite = `/api/workspaces/${crew.workspace.id}/sites/${other.id}/share-links/${shareLink.id}`;
    expect((await call(t.app, 'DELETE', wrongSite, { as: crew.as.owner })).statusCode).toBe(404);
    expect((await call(t.app, 'GET', `/api/share/${token}`)).statusCode).toBe(200);
  });
});
