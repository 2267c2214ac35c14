import { domainToUnicode } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseDomain } from '../src/index.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { call } from './helpers/client.ts';
import { describeEachEngine } from './helpers/engines.ts';
import { type Team, team } from './helpers/people.ts';

describe('normaliseDomain', () => {
  it.each([
    ['example.com', 'example.com'],
    ['  Example.COM ', 'example.com'],
    ['https://www.example.com/shop?x=1', 'www.example.com'],
    ['http://example.com:8080/', 'example.com'],
    ['localhost', 'localhost'],
    ['example.com.', 'example.com'],
  ])('%s → %s', (input, expected) => {
    expect(normaliseDomain(input)).toBe(expected);
  });

  it.each([
    ['متجر.السعودية', 'متجر.السعودية'],
    ['https://وصل.مصر/عروض', 'وصل.مصر'],
  ])('keeps the Arabic domain %s as punycode that reads back as %s', (input, host) => {
    const stored = normaliseDomain(input);
    expect(stored).toMatch(/^xn--[a-z0-9-]+\.xn--[a-z0-9-]+$/);
    expect(domainToUnicode(stored!)).toBe(host);
  });

  it.each(['', 'not a domain', 'intranet', 'ftp://example.com', 'javascript:alert(1)', 'https://'])(
    'refuses %j',
    (input) => {
      expect(normaliseDomain(input)).toBeUndefined();
    },
  );
});

describeEachEngine('sites', (engine) => {
  let t: TestApp;
  let crew: Team;
  let sitesUrl: string;
  beforeAll(async () => {
    t = await startTestApp(engine);
    crew = await team(t, 'Sites');
    await call(t.app, 'PATCH', `/api/workspaces/${crew.workspace.id}`, {
      as: crew.as.owner,
      body: { timezone: 'Asia/Riyadh' },
    });
    sitesUrl = `/api/workspaces/${crew.workspace.id}/sites`;
  });
  afterAll(() => t.close());

  it('adds a site with a public key, the workspace time zone by default, and an audit entry', async () => {
    const res = await call(t.app, 'POST', sitesUrl, {
      as: crew.as.marketer,
      body: { name: 'متجر الورد', domain: 'https://WWW.Roses.example/ar' },
    });
    expect(res.statusCode).toBe(201);
    const { site } = res.json();
    expect(site).toMatchObject({ name: 'متجر الورد', domain: 'www.roses.example', timezone: 'Asia/Riyadh' });
    expect(site.key).toMatch(/^site_[0-9A-Za-z]{16}$/);

    const listed = (await call(t.app, 'GET', sitesUrl, { as: crew.as.analyst })).json().sites;
    expect(listed).toContainEqual(site);

    const audit = (
      await call(t.app, 'GET', `/api/workspaces/${crew.workspace.id}/audit-log`, { as: crew.as.owner })
    ).json().entries;
    const entry = audit.find((e: { target: string }) => e.target === `site:${site.id}`);
    expect(entry).toMatchObject({
      action: 'site.created',
      actor: { type: 'user', id: crew.users.marketer.id },
    });
    expect(entry.details).toMatchObject({ name: 'متجر الورد', domain: 'www.roses.example' });
  });

  it('gives every site its own key', async () => {
    const keys = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const res = await call(t.app, 'POST', sitesUrl, {
        as: crew.as.admin,
        body: { name: `site ${i}`, domain: `s${i}.example.com` },
      });
      keys.add(res.json().site.key);
    }
    expect(keys.size).toBe(20);
  });

  it('names the field at fault', async () => {
    const bad = await call(t.app, 'POST', sitesUrl, {
      as: crew.as.owner,
      body: { name: 'x', domain: 'not a domain' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'invalid', field: 'domain' });
    expect(bad.json().error.message).toContain('"not a domain"');

    const zone = await call(t.app, 'POST', sitesUrl, {
      as: crew.as.owner,
      body: { name: 'x', domain: 'x.example.com', timezone: 'Mars/Olympus' },
    });
    expect(zone.statusCode).toBe(400);
    expect(zone.json().error).toMatchObject({ field: 'timezone' });
  });

  it('updates and deletes; a deleted site is gone', async () => {
    const { site } = (
      await call(t.app, 'POST', sitesUrl, {
        as: crew.as.owner,
        body: { name: 'old', domain: 'old.example.com' },
      })
    ).json();
    const patched = await call(t.app, 'PATCH', `${sitesUrl}/${site.id}`, {
      as: crew.as.marketer,
      body: { name: 'جديد', domain: 'new.example.com', timezone: 'Africa/Cairo' },
    });
    expect(patched.json().site).toMatchObject({
      name: 'جديد',
      domain: 'new.example.com',
      timezone: 'Africa/Cairo',
      key: site.key,
    });
    expect((await call(t.app, 'DELETE', `${sitesUrl}/${site.id}`, { as: crew.as.marketer })).statusCode).toBe(
      204,
    );
    expect((await call(t.app, 'GET', `${sitesUrl}/${site.id}`, { as: crew.as.owner })).statusCode).toBe(404);
    const rows = await t.db.selectFrom('sites').select('id').where('id', '=', site.id).execute();
    expect(rows).toEqual([]);
  });

  it('lets an analyst read sites but not change them', async () => {
    const res = await call(t.app, 'POST', sitesUrl, {
      as: crew.as.analyst,
      body: { name: 'x', domain: 'x.example.com' },
    });
    expect(res.statusCode).toBe(403);
  });
});
