import type { GoalDefinition } from '@wasl/core';
import type { Site } from '@wasl/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSaved, createSite } from '../src/index.ts';
import { toCsv } from '../src/services/csv.ts';
import { chooseInterval, choosePeriod, parseFilters } from '../src/services/report-query.ts';
import { startTestApp, type TestApp } from './helpers/app.ts';
import { type Caller, call } from './helpers/client.ts';
import { describeEachEngine, SQLITE } from './helpers/engines.ts';
import { apiKey, type Team, team } from './helpers/people.ts';
import { engagement, pageview, track, type VisitOf } from './helpers/visits.ts';

describe('report query parameters', () => {
  it('reads dimension:operator:value, keeping colons and Arabic in the value, merging alternatives', () => {
    const parsed = parseFilters([
      'page:is:/ar/عروض:رمضان',
      'country:is:SA',
      'country:is:AE',
      'country:is:SA',
      'referrer:is:',
      'utm_campaign:contains:sale, spring',
    ]);
    expect(parsed).toEqual({
      ok: true,
      value: [
        { dimension: 'page', op: 'is', values: ['/ar/عروض:رمضان'] },
        { dimension: 'country', op: 'is', values: ['SA', 'AE'] },
        { dimension: 'referrer', op: 'is', values: [''] },
        { dimension: 'utm_campaign', op: 'contains', values: ['sale, spring'] },
      ],
    });
    expect(parseFilters(undefined)).toEqual({ ok: true, value: [] });
    expect(parseFilters('device:is_not:mobile')).toEqual({
      ok: true,
      value: [{ dimension: 'device', op: 'is_not', values: ['mobile'] }],
    });
  });

  it.each([
    ['country', 'fewer than three parts'],
    ['country:SA', 'fewer than three parts'],
    ['contry:is:SA', 'unknown dimension "contry"'],
    ['country:equals:SA', 'unknown operator "equals"'],
    ['page:contains:', 'the value is empty'],
  ])('refuses %j, saying which part is wrong', (text, why) => {
    const parsed = parseFilters([text]);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toMatchObject({ code: 'invalid', field: 'filter' });
    expect(parsed.error.message).toContain(`filter "${text}"`);
    expect(parsed.error.message).toContain(why);
  });

  it('defaults to the 30 days up to today in the time zone, and compares with the days just before', () => {
    // 2026-01-15 22:30 UTC is already the 16th in Riyadh (UTC+3).
    const now = Date.UTC(2026, 0, 15, 22, 30);
    expect(choosePeriod({}, 'Asia/Riyadh', now)).toEqual({
      ok: true,
      value: {
        current: { from: '2025-12-18', to: '2026-01-16', timeZone: 'Asia/Riyadh' },
        previous: undefined,
        days: 30,
      },
    });
    const month = choosePeriod(
      { from: '2026-03-01', to: '2026-03-31', timeZone: 'UTC', compare: 'previous' },
      'Asia/Riyadh',
      now,
    );
    expect(month.ok && month.value.previous).toEqual({
      from: '2026-01-29',
      to: '2026-02-28',
      timeZone: 'UTC',
    });
  });

  it.each([
    [{ from: '2026-02-30' }, 'from', '"2026-02-30" is not a date'],
    [{ from: '2026-01-12', to: '2026-01-10' }, 'from', 'from (2026-01-12) is after to (2026-01-10)'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone', 'unknown time zone "Mars/Olympus"'],
    [{ from: '2020-01-01', to: '2026-01-01' }, 'from', 'at most 1100'],
  ])('refuses the period %j naming %s', (query, field, message) => {
    const chosen = choosePeriod(query, 'UTC', Date.UTC(2026, 0, 15));
    expect(chosen.ok).toBe(false);
    if (!chosen.ok) {
      expect(chosen.error.field).toBe(field);
      expect(chosen.error.message).toContain(message);
    }
  });

  it('picks an interval that suits the period and refuses hours over long periods', () => {
    expect([1, 7, 92, 93, 366, 367].map((days) => chooseInterval(undefined, days))).toEqual(
      ['hour', 'day', 'day', 'week', 'week', 'month'].map((value) => ({ ok: true, value })),
    );
    const hourly = chooseInterval('hour', 60);
    expect(hourly.ok).toBe(false);
    if (!hourly.ok) expect(hourly.error).toMatchObject({ field: 'interval' });
  });
});

describe('CSV', () => {
  it('starts with a byte order mark, quotes per RFC 4180, and defuses formulas in text', () => {
    const csv = toCsv(
      ['value', 'visits'],
      [
        ['/عروض', 3],
        ['sale, "spring"', 2],
        ['=HYPERLINK("http://evil.example")', 1],
        ['+1', -1],
        ['@sum', 0.5],
        ['-2', null],
        ['line\nbreak', undefined],
      ],
    );
    expect(csv).toBe(
      '\uFEFFvalue,visits\r\n' +
        '/عروض,3\r\n' +
        '"sale, ""spring""",2\r\n' +
        `"'=HYPERLINK(""http://evil.example"")",1\r\n` +
        "'+1,-1\r\n" +
        "'@sum,0.5\r\n" +
        "'-2,\r\n" +
        '"line\nbreak",\r\n',
    );
  });
});

/**
 * One site in Riyadh (UTC+3) with visits counted by hand:
 *
 * | visit | visitor | local start      | pageviews                 | custom events              | source  | country | device  |
 * |-------|---------|------------------|---------------------------|----------------------------|---------|---------|---------|
 * | a0    | A       | 2026-01-08 12:00 | /                         |                            | google  | SA      | desktop |
 * | d0    | D       | 2026-01-09 23:59 | /pricing                  |                            |         | SA      | desktop |
 * | a1    | A       | 2026-01-10 10:00 | / (30 s engaged), /pricing | cta_view, cta_click, signup | google  | SA      | desktop |
 * | b1    | B       | 2026-01-11 09:00 | /pricing                  |                            | twitter | AE      | mobile  |
 * | c1    | C       | 2026-01-12 20:00 | /, /عروض                  | cta_view                   |         | SA      | mobile  |
 * | e1    | E       | 2026-01-13 00:00 | /                         |                            |         | SA      | desktop |
 *
 * The period 2026-01-10..12 holds a1, b1, c1: 3 visits, 5 pageviews, visitors B and C new (A first came on the 8th).
 * Also present and never counted: a bot, another site of the workspace, and another workspace's
 * event carrying this site's id.
 */
describeEachEngine('reports', (engine) => {
  let t: TestApp;
  let crew: Team;
  let site: Site;
  let reports: string;
  let readKey: Caller;

  const get = async (path: string, as: Caller = crew.as.analyst) =>
    call(t.app, 'GET', `${reports}/${path}`, { as });
  const json = async (path: string, as?: Caller) => {
    const res = await get(path, as);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const PERIOD = 'from=2026-01-10&to=2026-01-12';

  beforeAll(async () => {
    t = await startTestApp(engine);
    crew = await team(t, 'Reports');
    const others = await team(t, 'Others');
    const addSite = async (workspaceId: string, name: string) => {
      const created = await createSite(t.db, {
        workspaceId,
        name,
        domain: 'roses.example',
        timezone: 'Asia/Riyadh',
        actor: { type: 'system' },
      });
      if (!created.ok) throw new Error(created.error.message);
      return created.value;
    };
    site = await addSite(crew.workspace.id, 'متجر الورد');
    const sibling = await addSite(crew.workspace.id, 'Blog');
    readKey = await apiKey(t, crew.workspace.id, 'read');
    reports = `/api/workspaces/${crew.workspace.id}/sites/${site.id}/reports`;

    const here = { workspaceId: crew.workspace.id, siteId: site.id };
    const desktopSA = {
      geo: { country: 'SA', region: 'Riyadh' },
      device: { type: 'desktop', browser: 'Chrome', os: 'Windows' },
    };
    const a0: VisitOf = {
      ...here,
      visitor: 'A',
      session: 'a0',
      context: { ...desktopSA, source: 'google', medium: 'organic', locale: 'ar', identity: 'cookieless' },
    };
    const a1: VisitOf = {
      ...here,
      visitor: 'A',
      session: 'a1',
      context: {
        ...desktopSA,
        source: 'google',
        medium: 'cpc',
        referrer: 'https://www.google.com/',
        referrerHost: 'google.com',
        utm: { source: 'google', medium: 'cpc', campaign: 'sale, spring' },
        locale: 'ar',
        identity: 'cookieless',
      },
    };
    const b1: VisitOf = {
      ...here,
      visitor: 'B',
      session: 'b1',
      context: {
        source: 'twitter',
        medium: 'social',
        referrer: 'https://t.co/abc',
        referrerHost: 't.co',
        utm: { campaign: '=HYPERLINK("http://evil.example","x")' },
        geo: { country: 'AE', region: 'Dubai' },
        device: { type: 'mobile', browser: 'Safari', os: 'iOS' },
        locale: 'ar',
        identity: 'consent',
      },
    };
    const c1: VisitOf = {
      ...here,
      visitor: 'C',
      session: 'c1',
      context: {
        geo: { country: 'SA', region: 'Makkah' },
        device: { type: 'mobile', browser: 'Chrome', os: 'Android' },
        locale: 'en',
        identity: 'cookieless',
      },
    };
    const at = (visitor: string, session: string, context = desktopSA): VisitOf => ({
      ...here,
      visitor,
      session,
      context,
    });
    const hero = { cta: 'hero' };
    const appended = await t.events.append([
      pageview(a0, '2026-01-08T09:00:00Z', '/'),
      pageview(at('D', 'd0'), '2026-01-09T20:59:00Z', '/pricing'),
      pageview(a1, '2026-01-10T07:00:00Z', '/'),
      engagement(a1, '2026-01-10T07:00:30Z', '/', 30_000),
      track(a1, '2026-01-10T07:00:40Z', 'cta_view', hero),
      track(a1, '2026-01-10T07:00:50Z', 'cta_click', hero),
      pageview(a1, '2026-01-10T07:01:00Z', '/pricing'),
      track(a1, '2026-01-10T07:02:00Z', 'signup', { plan: 'pro', amount: 100, currency: 'SAR' }, '/pricing'),
      pageview(b1, '2026-01-11T06:00:00Z', '/pricing'),
      pageview(c1, '2026-01-12T17:00:00Z', '/'),
      track(c1, '2026-01-12T17:01:00Z', 'cta_view', hero),
      pageview(c1, '2026-01-12T17:03:00Z', '/عروض'),
      pageview(at('E', 'e1'), '2026-01-12T21:00:00Z', '/'),
      pageview({ ...at('bot', 'bot1'), bot: true }, '2026-01-11T10:00:00Z', '/'),
      pageview({ ...at('X', 'x1'), siteId: sibling.id }, '2026-01-11T10:00:00Z', '/'),
      pageview({ ...at('Y', 'y1'), workspaceId: others.workspace.id }, '2026-01-11T10:00:00Z', '/'),
      // Realtime: the test clock reads 2026-01-15 09:00 UTC.
      pageview(at('R1', 'r1'), '2026-01-15T08:57:00Z', '/live'),
      pageview({ ...at('R2', 'r2'), context: { source: 'google' } }, '2026-01-15T08:40:00Z', '/live'),
    ]);
    expect(appended).toBe(18);

    const common = { workspaceId: crew.workspace.id, siteId: site.id, actor: { type: 'system' } as const };
    const goals: [string, GoalDefinition][] = [
      ['Pricing', { kind: 'page', pattern: '/pricing' }],
      [
        'Sign-up',
        {
          kind: 'event',
          event: 'signup',
          properties: {},
          revenueProperty: 'amount',
          currencyProperty: 'currency',
        },
      ],
      ['Basic sign-up', { kind: 'event', event: 'signup', properties: { plan: 'basic' } }],
    ];
    for (const [name, definition] of goals) await createSaved(t.db, 'goal', { ...common, name, definition });
    await createSaved(t.db, 'cta', {
      ...common,
      name: 'Hero banner',
      definition: {
        impression: { event: 'cta_view', properties: hero },
        click: { event: 'cta_click', properties: hero },
      },
    });
    await createSaved(t.db, 'funnel', {
      ...common,
      name: 'Pricing to sign-up',
      definition: {
        steps: [
          { kind: 'page', pattern: '/' },
          { kind: 'page', pattern: '/pricing' },
          { kind: 'event', event: 'signup', properties: {} },
        ],
        windowMs: 3_600_000,
      },
    });
  });
  afterAll(() => t.close());

  it('summarises the period and the one before it', async () => {
    const body = await json(`summary?${PERIOD}&compare=previous`);
    expect(body.period).toEqual({ from: '2026-01-10', to: '2026-01-12', timeZone: 'Asia/Riyadh' });
    expect(body.filters).toEqual([]);
    expect(body.summary).toEqual({
      visits: 3,
      visitors: 3,
      pageviews: 5,
      newVisitors: 2,
      returningVisitors: 1,
      viewsPerVisit: expect.closeTo(5 / 3, 9),
      bounceRate: expect.closeTo(1 / 3, 9),
      avgVisitDurationMs: (120_000 + 0 + 180_000) / 3,
      avgEngagedMs: 30_000 / 5,
      bots: 1,
      identity: { cookieless: 2, consent: 1 },
    });
    expect(body.previous.period).toEqual({ from: '2026-01-07', to: '2026-01-09', timeZone: 'Asia/Riyadh' });
    expect(body.previous.summary).toMatchObject({
      visits: 2,
      visitors: 2,
      pageviews: 2,
      newVisitors: 2,
      returningVisitors: 0,
      bounceRate: 1,
    });
  });

  it('cuts days at midnight in the time zone asked for', async () => {
    // In Riyadh the 12th ends at 21:00 UTC, before E's visit; in UTC it holds both c1 and e1.
    const riyadh = await json('summary?from=2026-01-12&to=2026-01-12');
    expect(riyadh.summary.visits).toBe(1);
    const utc = await json('summary?from=2026-01-12&to=2026-01-12&timeZone=UTC');
    expect(utc.period.timeZone).toBe('UTC');
    expect(utc.summary.visits).toBe(2);
  });

  it("defaults to the 30 days up to today in the site's time zone", async () => {
    const body = await json('summary');
    // The clock reads 2026-01-15 12:00 in Riyadh.
    expect(body.period).toEqual({ from: '2025-12-17', to: '2026-01-15', timeZone: 'Asia/Riyadh' });
    expect(body.summary.visits).toBe(8);
    expect(body.previous).toBeNull();
  });

  it('gives every day of the period, with the previous period alongside', async () => {
    const body = await json(`timeseries?${PERIOD}&compare=previous`);
    expect(body.interval).toBe('day');
    expect(body.points).toEqual([
      { bucket: '2026-01-10', visits: 1, visitors: 1, pageviews: 2 },
      { bucket: '2026-01-11', visits: 1, visitors: 1, pageviews: 1 },
      { bucket: '2026-01-12', visits: 1, visitors: 1, pageviews: 2 },
    ]);
    expect(body.previous.points).toEqual([
      { bucket: '2026-01-07', visits: 0, visitors: 0, pageviews: 0 },
      { bucket: '2026-01-08', visits: 1, visitors: 1, pageviews: 1 },
      { bucket: '2026-01-09', visits: 1, visitors: 1, pageviews: 1 },
    ]);
    const hourly = await json('timeseries?from=2026-01-12&to=2026-01-12');
    expect(hourly.interval).toBe('hour');
    expect(hourly.points).toHaveLength(24);
    expect(hourly.points.filter((p: { visits: number }) => p.visits > 0)).toEqual([
      { bucket: '2026-01-12T20', visits: 1, visitors: 1, pageviews: 2 },
    ]);
  });

  const rowsOf = async (by: string, query = PERIOD) => {
    const body = await json(`breakdown?${query}&by=${by}`);
    expect(body.by).toBe(by);
    return body.rows as {
      value: string;
      visitors: number;
      visits: number;
      pageviews: number;
      events: number;
    }[];
  };
  const pairs = (rows: { value: string; visitors: number }[]) => rows.map((r) => [r.value, r.visitors]);

  it('breaks pages down with their engaged time, and finds entry, exit and first-visit pages', async () => {
    const body = await json(`breakdown?${PERIOD}&by=page`);
    expect(body.total).toBe(3);
    type Row = { value: string; visitors: number; visits: number; pageviews: number; avgEngagedMs: number };
    expect(body.rows.map((r: Row) => [r.value, r.visitors, r.visits, r.pageviews, r.avgEngagedMs])).toEqual([
      ['/', 2, 2, 2, 15_000],
      ['/pricing', 2, 2, 2, 0],
      ['/عروض', 1, 1, 1, 0],
    ]);
    expect(pairs(await rowsOf('entry_page'))).toEqual([
      ['/', 2],
      ['/pricing', 1],
    ]);
    expect(pairs(await rowsOf('exit_page'))).toEqual([
      ['/pricing', 2],
      ['/عروض', 1],
    ]);
    expect(pairs(await rowsOf('first_visit_page'))).toEqual([
      ['/', 1],
      ['/pricing', 1],
    ]);
  });

  it('breaks visits down by where they came from and who made them', async () => {
    expect(pairs(await rowsOf('source'))).toEqual([
      ['', 1],
      ['google', 1],
      ['twitter', 1],
    ]);
    expect(pairs(await rowsOf('medium'))).toEqual([
      ['', 1],
      ['cpc', 1],
      ['social', 1],
    ]);
    expect(pairs(await rowsOf('referrer'))).toEqual([
      ['', 1],
      ['google.com', 1],
      ['t.co', 1],
    ]);
    expect(pairs(await rowsOf('utm_campaign'))).toEqual([
      ['', 1],
      ['=HYPERLINK("http://evil.example","x")', 1],
      ['sale, spring', 1],
    ]);
    expect(pairs(await rowsOf('country'))).toEqual([
      ['SA', 2],
      ['AE', 1],
    ]);
    expect(pairs(await rowsOf('region')).sort()).toEqual([
      ['Dubai', 1],
      ['Makkah', 1],
      ['Riyadh', 1],
    ]);
    expect(pairs(await rowsOf('device'))).toEqual([
      ['mobile', 2],
      ['desktop', 1],
    ]);
    expect(pairs(await rowsOf('browser'))).toEqual([
      ['Chrome', 2],
      ['Safari', 1],
    ]);
    expect(pairs(await rowsOf('os')).sort()).toEqual([
      ['Android', 1],
      ['Windows', 1],
      ['iOS', 1],
    ]);
    expect(pairs(await rowsOf('language'))).toEqual([
      ['ar', 2],
      ['en', 1],
    ]);
    const events = await rowsOf('event');
    expect(events.map((r) => [r.value, r.visitors, r.events])).toEqual([
      ['cta_view', 2, 2],
      ['cta_click', 1, 1],
      ['signup', 1, 1],
    ]);
  });

  it('pages through a breakdown', async () => {
    const first = await json(`breakdown?${PERIOD}&by=page&limit=2`);
    expect(first.rows.map((r: { value: string }) => r.value)).toEqual(['/', '/pricing']);
    expect(first).toMatchObject({ total: 3, limit: 2, offset: 0 });
    const second = await json(`breakdown?${PERIOD}&by=page&limit=2&offset=2`);
    expect(second.rows.map((r: { value: string }) => r.value)).toEqual(['/عروض']);
  });

  it('combines filters with every report', async () => {
    const visits = async (filters: string[]) => {
      const query = filters.map((f) => `filter=${encodeURIComponent(f)}`).join('&');
      return (await json(`summary?${PERIOD}&${query}`)).summary;
    };
    expect(await visits(['country:is:SA'])).toMatchObject({ visits: 2, visitors: 2, pageviews: 4 });
    expect(await visits(['country:is:SA', 'country:is:AE'])).toMatchObject({ visits: 3 });
    expect(await visits(['country:is:SA', 'device:is:mobile'])).toMatchObject({ visits: 1, pageviews: 2 });
    // A page filter keeps the whole visit: both of c1's pageviews count.
    expect(await visits(['page:contains:عروض'])).toMatchObject({ visits: 1, pageviews: 2 });
    expect(await visits(['source:is_not:google'])).toMatchObject({ visits: 2 });
    expect(await visits(['referrer:is:'])).toMatchObject({ visits: 1 });
    expect(await visits(['utm_campaign:is:sale, spring'])).toMatchObject({ visits: 1, pageviews: 2 });
    expect(await visits(['event:is:cta_view'])).toMatchObject({ visits: 2 });

    const filtered = `${PERIOD}&filter=${encodeURIComponent('device:is:mobile')}`;
    const series = await json(`timeseries?${filtered}`);
    expect(series.points.map((p: { visits: number }) => p.visits)).toEqual([0, 1, 1]);
    expect(series.filters).toEqual([{ dimension: 'device', op: 'is', values: ['mobile'] }]);
    expect(pairs(await rowsOf('page', filtered))).toEqual([
      ['/', 1],
      ['/pricing', 1],
      ['/عروض', 1],
    ]);
    const goals = await json(`goals?${filtered}`);
    expect(goals.goals[0].result).toMatchObject({ visitors: 1, conversions: 1, conversionRate: 0.5 });
  });

  it('counts goal conversions, rates and revenue, against the previous period too', async () => {
    const body = await json(`goals?${PERIOD}&compare=previous`);
    expect(body.previousPeriod).toEqual({ from: '2026-01-07', to: '2026-01-09', timeZone: 'Asia/Riyadh' });
    const byName = Object.fromEntries(body.goals.map((g: { goal: { name: string } }) => [g.goal.name, g]));
    expect(byName.Pricing.result).toEqual({
      visitors: 2,
      conversions: 2,
      conversionRate: expect.closeTo(2 / 3, 9),
      revenue: {},
    });
    expect(byName.Pricing.previous).toMatchObject({ visitors: 1, conversions: 1, conversionRate: 0.5 });
    expect(byName['Sign-up'].result).toEqual({
      visitors: 1,
      conversions: 1,
      conversionRate: expect.closeTo(1 / 3, 9),
      revenue: { SAR: 100 },
    });
    expect(byName['Basic sign-up'].result).toMatchObject({ visitors: 0, conversions: 0, conversionRate: 0 });
    expect(byName.Pricing.goal).toMatchObject({
      definition: { kind: 'page', pattern: '/pricing' },
      createdAt: expect.stringMatching(/Z$/),
    });
  });

  it('measures the click-through rate of a call to action', async () => {
    const body = await json(`ctas?${PERIOD}`);
    expect(body.ctas).toHaveLength(1);
    expect(body.ctas[0].cta.name).toBe('Hero banner');
    expect(body.ctas[0].result).toEqual({
      impressions: 2,
      clicks: 1,
      ctr: 0.5,
      uniqueImpressions: 2,
      uniqueClicks: 1,
    });
    expect(body.ctas[0].previous).toBeNull();
  });

  it('follows visitors through a funnel with the drop-off at each step', async () => {
    const body = await json(`funnels?${PERIOD}`);
    expect(body.funnels).toHaveLength(1);
    expect(body.funnels[0].funnel.name).toBe('Pricing to sign-up');
    expect(body.funnels[0].steps).toEqual([
      { visitors: 2, dropOff: 0, conversionRate: 1 },
      { visitors: 1, dropOff: 1, conversionRate: 0.5 },
      { visitors: 1, dropOff: 0, conversionRate: 0.5 },
    ]);
  });

  it('groups first-time visitors into weekly cohorts', async () => {
    const body = await json(`retention?${PERIOD}`);
    const cohorts = body.cohorts.filter((c: { visitors: number }) => c.visitors > 0);
    // B first came on Sunday the 11th (week of Monday the 5th), C on Monday the 12th; A first came before the period.
    expect(
      cohorts.map((c: { week: string; visitors: number; retained: number[] }) => [
        c.week,
        c.visitors,
        c.retained[0],
      ]),
    ).toEqual([
      ['2026-01-05', 1, 1],
      ['2026-01-12', 1, 1],
    ]);
  });

  it('shows the last 30 minutes', async () => {
    const body = await json('realtime');
    expect(body.at).toBe('2026-01-15T09:00:00.000Z');
    expect(body.realtime.visitorsNow).toBe(1);
    expect(body.realtime.pageviewsPerMinute).toHaveLength(30);
    expect(body.realtime.pageviewsPerMinute.reduce((a: number, b: number) => a + b, 0)).toBe(2);
    expect(body.realtime.topPages).toEqual([{ value: '/live', visitors: 2 }]);
    expect(body.realtime.topSources).toContainEqual({ value: 'google', visitors: 1 });
  });

  it('exports every report as CSV that spreadsheets open safely', async () => {
    const campaigns = await get(`breakdown?${PERIOD}&by=utm_campaign&format=csv`);
    expect(campaigns.statusCode).toBe(200);
    expect(campaigns.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(campaigns.headers['content-disposition']).toBe(
      'attachment; filename="utm_campaign_2026-01-10_2026-01-12.csv"',
    );
    expect(campaigns.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = campaigns.body.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe('utm_campaign,visitors,visits,pageviews,bounce_rate,avg_engaged_ms,events');
    expect(lines).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")",1,1,1,1,0,0`);
    expect(lines.some((l: string) => l.startsWith('"sale, spring",1,1,2,0,'))).toBe(true);

    const pages = (await get(`breakdown?${PERIOD}&by=page&format=csv`)).body.split('\r\n');
    expect(pages.some((l: string) => l.startsWith('/عروض,1,1,1,0,0,'))).toBe(true);

    const summary = (await get(`summary?${PERIOD}&compare=previous&format=csv`)).body.split('\r\n');
    expect(summary[0]).toBe(
      '\uFEFFperiod,from,to,visits,visitors,pageviews,new_visitors,returning_visitors,views_per_visit,bounce_rate,avg_visit_duration_ms,avg_engaged_ms,bots',
    );
    expect(summary[1]).toMatch(/^current,2026-01-10,2026-01-12,3,3,5,2,1,1\.66+7?,0\.33+,100000,6000,1$/);
    expect(summary[2]).toMatch(/^previous,2026-01-07,2026-01-09,2,2,2,2,0,1,1,0,0,0$/);

    const series = (await get(`timeseries?${PERIOD}&compare=previous&format=csv`)).body.split('\r\n');
    expect(series.slice(0, 2)).toEqual([
      '\uFEFFbucket,visits,visitors,pageviews,previous_bucket,previous_visits,previous_visitors,previous_pageviews',
      '2026-01-10,1,1,2,2026-01-07,0,0,0',
    ]);
    const goals = (await get(`goals?${PERIOD}&format=csv`)).body.split('\r\n');
    expect(goals[0]).toBe('\uFEFFgoal,visitors,conversions,conversion_rate,revenue_SAR');
    expect(goals).toContain('Sign-up,1,1,0.3333333333333333,100');
    const ctas = (await get(`ctas?${PERIOD}&format=csv`)).body.split('\r\n');
    expect(ctas.slice(0, 2)).toEqual([
      '\uFEFFcta,impressions,clicks,ctr,unique_impressions,unique_clicks',
      'Hero banner,2,1,0.5,2,1',
    ]);
    const funnels = (await get(`funnels?${PERIOD}&format=csv`)).body.split('\r\n');
    expect(funnels.slice(0, 4)).toEqual([
      '\uFEFFfunnel,step,step_kind,step_target,visitors,drop_off,conversion_rate',
      'Pricing to sign-up,1,page,/,2,0,1',
      'Pricing to sign-up,2,page,/pricing,1,1,0.5',
      'Pricing to sign-up,3,event,signup,1,0,0.5',
    ]);
    const retention = (await get(`retention?${PERIOD}&format=csv`)).body.split('\r\n');
    expect(retention[0]).toMatch(/^\uFEFFweek,visitors,week_0/);
    const realtime = (await get('realtime?format=csv')).body.split('\r\n');
    expect(realtime.slice(0, 2)).toEqual(['\uFEFFkind,value,count', 'visitors_now,,1']);
    expect(realtime).toContain('page,/live,2');
  });

  it('exports every row of a long breakdown, beyond one page of the port', async () => {
    const big = await createSite(t.db, {
      workspaceId: crew.workspace.id,
      name: 'Catalogue',
      domain: 'shop.example',
      timezone: 'UTC',
      actor: { type: 'system' },
    });
    if (!big.ok) throw new Error(big.error.message);
    const visit: VisitOf = {
      workspaceId: crew.workspace.id,
      siteId: big.value.id,
      visitor: 'V',
      session: 'v1',
    };
    const paths = Array.from({ length: 1005 }, (_, i) => `/product/${String(i).padStart(4, '0')}`);
    await t.events.append(
      paths.map((path, i) => pageview(visit, new Date(Date.UTC(2026, 0, 11, 8, 0, i)).toISOString(), path)),
    );
    const url = `/api/workspaces/${crew.workspace.id}/sites/${big.value.id}/reports/breakdown?${PERIOD}&by=page`;
    const page = (await call(t.app, 'GET', url, { as: crew.as.analyst })).json();
    expect(page).toMatchObject({ total: 1005, limit: 10, offset: 0 });
    expect(page.rows).toHaveLength(10);
    const csv = (await call(t.app, 'GET', `${url}&format=csv`, { as: crew.as.analyst })).body.split('\r\n');
    expect(csv.filter((line: string) => line.startsWith('/product/'))).toHaveLength(1005);
    expect(csv.at(-2)).toBe('/product/1004,1,1,1,0,0,0');
    const tail = (await call(t.app, 'GET', `${url}&format=csv&offset=1000&limit=3`, { as: crew.as.analyst }))
      .body;
    expect(tail.split('\r\n').slice(1, -1)).toHaveLength(3);
  });

  it('answers API keys with read scope', async () => {
    expect((await json(`summary?${PERIOD}`, readKey)).summary.visits).toBe(3);
  });

  it.each([
    ['summary?filter=country', 'filter', 'filter "country": it has fewer than three parts'],
    ['summary?filter=contry:is:SA', 'filter', 'unknown dimension "contry"'],
    ['breakdown?filter=country:like:SA', 'filter', 'unknown operator "like"'],
    ['summary?from=2026-13-01', 'from', '"2026-13-01" is not a date'],
    ['summary?from=20260101', 'from', 'YYYY-MM-DD'],
    ['summary?from=2026-01-12&to=2026-01-10', 'from', 'is after'],
    ['summary?timeZone=Mars/Olympus', 'timeZone', 'Mars/Olympus'],
    ['timeseries?from=2026-01-01&to=2026-03-01&interval=hour', 'interval', 'at most 31 days'],
    ['timeseries?interval=minute', 'interval', 'interval'],
    ['breakdown?by=colour', 'by', 'by'],
    ['breakdown?limit=0', 'limit', 'limit'],
    ['breakdown?limit=1001', 'limit', 'limit'],
    ['summary?compare=last_year', 'compare', 'compare'],
    ['summary?filters=country:is:SA', 'filters', 'unknown field "filters"'],
    ['realtime?from=2026-01-01', 'from', 'unknown field "from"'],
  ])('%s is refused naming %s', async (path, field, message) => {
    const res = await get(path);
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'invalid', field });
    expect(res.json().error.message).toContain(message);
  });

  it("does not show another workspace's site, nor a site that does not exist", async () => {
    const others = await team(t, 'Strangers');
    const theirs = await createSite(t.db, {
      workspaceId: others.workspace.id,
      name: 'Theirs',
      domain: 'theirs.example',
      actor: { type: 'system' },
    });
    if (!theirs.ok) throw new Error(theirs.error.message);
    for (const id of [theirs.value.id, '00000000-0000-7000-8000-000000000000']) {
      const res = await call(
        t.app,
        'GET',
        `/api/workspaces/${crew.workspace.id}/sites/${id}/reports/summary`,
        {
          as: crew.as.owner,
        },
      );
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toEqual({ code: 'not_found', message: 'site not found' });
    }
  });
});

describe('reports without an events store', () => {
  let t: TestApp;
  let crew: Team;
  beforeAll(async () => {
    t = await startTestApp(SQLITE, { analytics: undefined });
    crew = await team(t, 'No events');
  });
  afterAll(() => t.close());

  it('answer 503 saying why', async () => {
    const created = await createSite(t.db, {
      workspaceId: crew.workspace.id,
      name: 'x',
      domain: 'x.example.com',
      actor: { type: 'system' },
    });
    if (!created.ok) throw new Error(created.error.message);
    const res = await call(
      t.app,
      'GET',
      `/api/workspaces/${crew.workspace.id}/sites/${created.value.id}/reports/summary`,
      {
        as: crew.as.owner,
      },
    );
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toEqual({
      code: 'unavailable',
      message: 'reports are unavailable: this server runs without an events store',
    });
  });
});
