import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AnalyticsReader,
  BREAKDOWNS,
  type Breakdown,
  type BreakdownPage,
  type BreakdownRow,
  type CtrDefinition,
  type CtrResult,
  type Filter,
  type FunnelDefinition,
  type FunnelStepResult,
  type GoalDefinition,
  type GoalResult,
  type Interval,
  type Realtime,
  type ReportScope,
  type RetentionCohort,
  resolvePeriod,
  type Summary,
  type TimeseriesPoint,
  type WaslEvent,
} from '@wasl/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsDb } from '../src/analytics/db.ts';
import { openPostgresAnalytics } from '../src/analytics/postgres-db.ts';
import { duckDbVisitsOf, postgresVisitsOf, VISIT_COLUMNS } from '../src/events/visits-sql.ts';
import { type EventStoreTarget, openAnalyticsReader, openEventStore } from '../src/index.ts';
import { freshPgSchema, TEST_PG_URL } from '../src/testing/index.ts';

// The reports contract: one generated dataset, loaded through the events
// store's own append into each engine, and every report compared exactly
// with an answer computed here in plain TypeScript, by looping over the
// generated events with the definitions of packages/core/src/analytics.ts.

// --- the dataset ----------------------------------------------------------------

const WS = 'ws-main';
const OTHER_WS = 'ws-other';
const SITE = 'site-1';
const SITE_2 = 'site-2';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const RIYADH = { from: '2026-03-01', to: '2026-03-21', timeZone: 'Asia/Riyadh' };
/** Spans the start of daylight saving time in New York (2026-03-08, a 23-hour day). */
const NEW_YORK = { from: '2026-03-06', to: '2026-03-10', timeZone: 'America/New_York' };
const RIYADH_RANGE = resolvePeriod(RIYADH);
const NEW_YORK_RANGE = resolvePeriod(NEW_YORK);
const DATA_START = Date.parse('2026-02-16T00:00:00Z');
const DATA_END = Date.parse('2026-03-24T00:00:00Z');
const REALTIME_NOW = new Date('2026-03-18T15:00:00.000Z');

/** mulberry32: small, fast and the same everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const PATHS = [
  '/',
  '/pricing',
  '/ar/عروض',
  '/ar/مدونة/رمضان',
  '/blog/one',
  '/blog/two',
  '/promo_50%',
  '/promoX50%',
  '/checkout',
  '/Pricing',
] as const;

const JOURNEY = ['/', '/pricing', '/checkout'] as const;

interface Traffic {
  source?: string;
  medium?: string;
  referrer?: string;
  utm?: WaslEvent['context']['utm'];
}
const TRAFFIC: readonly Traffic[] = [
  { source: 'Google', medium: 'organic', referrer: 'google.com' },
  { source: 'WhatsApp', medium: 'social', referrer: 'wa.me' },
  { source: '(direct)', medium: '(none)' },
  {
    source: 'newsletter',
    medium: 'email',
    utm: { source: 'newsletter', medium: 'email', campaign: 'رمضان', term: 'عروض', content: 'hero-banner' },
  },
  {
    source: 'Snapchat',
    medium: 'paid',
    referrer: 'snapchat.com',
    utm: { source: 'snap', campaign: 'Summer Sale' },
  },
  {},
];
const PLACES = [
  { country: 'SA', region: 'Riyadh' },
  { country: 'SA', region: 'Makkah' },
  { country: 'AE', region: 'Dubai' },
  { country: 'EG', region: 'Cairo' },
  {},
] as const;
const DEVICES = [
  { type: 'desktop', browser: 'Chrome', os: 'Windows' },
  { type: 'mobile', browser: 'Safari', os: 'iOS' },
  { type: 'mobile', browser: 'Chrome', os: 'Android' },
  { type: 'tablet', browser: 'Firefox', os: 'Android' },
] as const;
const LOCALES = ['ar-SA', 'en-US', 'ar-EG', undefined] as const;

interface Person {
  key: string;
  identity: 'consent' | 'cookieless';
  device: (typeof DEVICES)[number];
  locale: string | undefined;
  place: (typeof PLACES)[number];
}

/** Builds one site's events; session ids restart at s-1 per site, so sites and workspaces share them. */
class SiteData {
  readonly events: WaslEvent[] = [];
  private visitCount = 0;

  constructor(
    readonly workspaceId: string,
    readonly siteId: string,
    readonly rand: () => number,
  ) {}

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rand() * items.length)] as T;
  }

  /** Random ids: events at the same instant are then ordered by id in no particular way. */
  private eventId(): string {
    let id = '';
    for (let i = 0; i < 12; i++) id += Math.floor(this.rand() * 16).toString(16);
    return `${this.siteId}-${id}`;
  }

  /** Cookieless ids are a daily hash: a new one every UTC day, even inside one visit. */
  anonymousId(person: Person, t: number): string {
    return person.identity === 'consent'
      ? `v-${person.key}`
      : `h-${person.key}-${new Date(t).toISOString().slice(0, 10)}`;
  }

  push(
    person: Person,
    session: string | undefined,
    t: number,
    fields: Partial<Pick<WaslEvent, 'type' | 'name' | 'properties'>> & { context?: WaslEvent['context'] },
  ): void {
    this.events.push({
      id: this.eventId(),
      workspaceId: this.workspaceId,
      type: fields.type ?? 'page',
      name: fields.name ?? '',
      anonymousId: this.anonymousId(person, t),
      contactId: null,
      occurredAt: new Date(t),
      receivedAt: new Date(t + 500),
      properties: fields.properties ?? {},
      context: { siteId: this.siteId, identity: person.identity, sessionId: session, ...fields.context },
    });
  }

  person(key: string): Person {
    return {
      key,
      identity: this.rand() < 0.5 ? 'consent' : 'cookieless',
      device: this.pick(DEVICES),
      locale: this.pick(LOCALES),
      place: this.pick(PLACES),
    };
  }

  /**
   * One visit from `start`: pageviews (some at the same instant), engagement
   * beacons, CTA impressions and clicks, signups and purchases. Its first
   * event carries the traffic source; later ones say '(internal)', and some
   * come from another country, so only the first event's values may count.
   */
  visit(
    person: Person,
    start: number,
    options: { bot?: boolean; entry?: string; pages?: number; gapMs?: number; firstEvent?: 'track' } = {},
  ): string {
    const r = this.rand;
    this.visitCount += 1;
    const session = `s-${this.visitCount}`;
    const bot = options.bot === true;
    const traffic = this.pick(TRAFFIC);
    const device = { type: person.device.type, browser: person.device.browser, os: person.device.os };
    const base = (first: boolean): WaslEvent['context'] => ({
      locale: person.locale,
      device,
      geo: first || r() < 0.9 ? { ...person.place } : { country: 'KW', region: 'Kuwait' },
      ...(bot ? { bot: true } : {}),
      ...(first
        ? { source: traffic.source, medium: traffic.medium, referrerHost: traffic.referrer, utm: traffic.utm }
        : { source: '(internal)', medium: 'internal', referrerHost: 'example.com' }),
    });
    // identify events are not part of visits, even when earlier than the first pageview.
    if (r() < 0.15) this.push(person, session, start - 30_000, { type: 'identify', context: base(false) });
    let t = start;
    let first = true;
    if (options.firstEvent === 'track') {
      this.push(person, session, t, {
        type: 'track',
        name: 'app_open',
        context: { ...base(true), path: '/' },
      });
      first = false;
      t += 5_000;
    }
    // A quarter of visits follow the site's main journey: home, pricing, checkout.
    const journey = options.pages === undefined && options.entry === undefined && r() < 0.25;
    const pages = options.pages ?? (journey ? 3 : r() < 0.3 ? 1 : 1 + Math.floor(r() * 5));
    for (let i = 0; i < pages; i++) {
      const path = journey
        ? (JOURNEY[i] ?? '/')
        : i === 0 && options.entry !== undefined
          ? options.entry
          : this.pick(PATHS);
      this.push(person, session, t, { context: { ...base(first), path } });
      first = false;
      const gap = options.gapMs ?? 1_000 + Math.floor(r() * 10 * MINUTE);
      const bounceOnly = pages === 1 && r() < 0.5;
      if (!bounceOnly && r() < 0.6) {
        const engagedMs = 1_000 + Math.floor(r() * 60_000);
        this.push(person, session, t + Math.floor(gap / 2), {
          type: 'track',
          name: '$engagement',
          context: { ...base(false), path, engagedMs },
        });
      }
      if (!bounceOnly) this.customEvents(person, session, t + 100, path, base(false));
      // Now and then the next pageview lands in the same millisecond: ids break the tie.
      t += r() < 0.1 ? 0 : gap;
    }
    return session;
  }

  private customEvents(
    person: Person,
    session: string,
    t: number,
    path: string,
    context: WaslEvent['context'],
  ) {
    const r = this.rand;
    const at = { ...context, path };
    if (path === '/' && r() < 0.8) {
      const cta = r() < 0.7 ? 'hero' : 'footer';
      this.push(person, session, t, {
        type: 'track',
        name: 'cta_impression',
        properties: { cta },
        context: at,
      });
      if (r() < 0.4) {
        this.push(person, session, t + 50, {
          type: 'track',
          name: 'cta_click',
          properties: { cta },
          context: at,
        });
      }
    }
    if (r() < (path === '/pricing' ? 0.4 : 0.05)) {
      const properties = { plan: r() < 0.5 ? 'pro' : 'free', seats: this.pick([2, 1.5, '2', 'two']) };
      this.push(person, session, t + 60, { type: 'track', name: 'signup', properties, context: at });
    }
    if (r() < (path === '/checkout' ? 0.5 : 0.03)) {
      const properties: Record<string, unknown> = {
        amount: this.pick([49.5, '120.00', ' 15 ', 'free', 1000, 0.1, '19.99']),
        quantity: this.pick([1, 2, '2']),
      };
      const currency = this.pick(['SAR', 'usd', 'EURO', 'SAR', undefined, 7]);
      if (currency !== undefined) properties.currency = currency;
      this.push(person, session, t + 70, { type: 'track', name: 'purchase', properties, context: at });
    }
  }

  /** People visiting between DATA_START and DATA_END, some before the periods start, some returning. */
  people(count: number): void {
    const r = this.rand;
    for (let p = 0; p < count; p++) {
      const person = this.person(`${this.siteId}-${p}`);
      const visits = 1 + Math.floor(r() * 5);
      const starts = Array.from(
        { length: visits },
        () => DATA_START + Math.floor(r() * (DATA_END - DATA_START)),
      );
      starts.sort((a, b) => a - b);
      let last = Number.NEGATIVE_INFINITY;
      for (const start of starts) {
        if (start - last < 3 * HOUR) continue;
        last = start;
        // A few visits open with a custom event, some without any pageview.
        const opening = r() < 0.04 ? { firstEvent: 'track' as const, pages: r() < 0.5 ? 0 : 2 } : {};
        this.visit(person, start, { bot: r() < 0.05, ...opening });
      }
    }
  }

  /** Visits on and around a period's edges: exactly at its start, just before it, just before its end, exactly at its end. */
  edges(from: Date, to: Date, tag: string): void {
    const at = (key: string, start: number, pages = 3) =>
      this.visit({ ...this.person(`${tag}-${key}`), identity: 'consent' }, start, {
        pages,
        gapMs: 2 * MINUTE,
      });
    at('on-start', from.getTime());
    at('before-start', from.getTime() - MINUTE);
    at('before-end', to.getTime() - MINUTE);
    at('on-end', to.getTime());
  }

  /** Traffic around REALTIME_NOW: events exactly 30 minutes before it, and exactly at it. */
  realtime(): void {
    const now = REALTIME_NOW.getTime();
    for (let i = 0; i < 12; i++) {
      const person = this.person(`${this.siteId}-rt-${i}`);
      const start = now - 40 * MINUTE + Math.floor(this.rand() * 45 * MINUTE);
      this.visit(person, start, { pages: 4, gapMs: 3 * MINUTE });
    }
    // Started 2 hours ago: its source is its first event's, outside the 30 minutes.
    const early = this.person(`${this.siteId}-rt-early`);
    const session = this.visit(early, now - 2 * HOUR, { pages: 1 });
    this.push(early, session, now - 30 * MINUTE, { context: { path: '/checkout', source: '(internal)' } });
    this.push(early, session, now, { context: { path: '/pricing', source: '(internal)' } });
  }
}

function buildDataset(): WaslEvent[] {
  const main = new SiteData(WS, SITE, prng(20260301));
  main.people(160);
  main.edges(RIYADH_RANGE.from, RIYADH_RANGE.to, 'riyadh');
  main.edges(NEW_YORK_RANGE.from, NEW_YORK_RANGE.to, 'new-york');
  main.realtime();
  // A visitor first seen long before every period, with a null-path pageview.
  const regular = { ...main.person('regular'), identity: 'consent' as const };
  main.visit(regular, Date.parse('2026-01-05T10:00:00Z'), { pages: 2 });
  main.visit(regular, Date.parse('2026-03-03T10:00:00Z'), { pages: 2, entry: '/ar/عروض' });
  main.push(regular, 's-null-path', Date.parse('2026-03-04T10:00:00Z'), { context: {} });
  // Two home pageviews 15 minutes apart, then pricing and a signup: only the
  // second home pageview starts a chain that completes within 20 minutes.
  const hesitant = { ...main.person('hesitant'), identity: 'consent' as const };
  const t0 = Date.parse('2026-03-10T08:00:00Z');
  for (const [dt, path] of [
    [0, '/'],
    [15, '/'],
    [16, '/pricing'],
  ] as const) {
    main.push(hesitant, 's-hesitant', t0 + dt * MINUTE, { context: { path } });
  }
  main.push(hesitant, 's-hesitant', t0 + 30 * MINUTE, {
    type: 'track',
    name: 'signup',
    context: { path: '/pricing' },
  });
  // A cookieless visit across midnight: its id changes mid-visit; the visit keeps its first.
  const nightOwl = { ...main.person('night-owl'), identity: 'cookieless' as const };
  main.visit(nightOwl, Date.parse('2026-03-12T23:55:00Z'), { pages: 4, gapMs: 3 * MINUTE });
  // A new visitor whose later visit has the smaller id: the first visit is the earlier one.
  const newcomer = { ...main.person('newcomer'), identity: 'consent' as const };
  main.push(newcomer, 's-zz-first', Date.parse('2026-03-11T09:00:00Z'), { context: { path: '/blog/one' } });
  main.push(newcomer, 's-aa-second', Date.parse('2026-03-17T09:00:00Z'), { context: { path: '/blog/two' } });
  // Server-side events belong to no visit: reports leave them out.
  for (let i = 0; i < 5; i++) {
    const buyer = main.person(`server-${i}`);
    const t = Date.parse('2026-03-05T12:00:00Z') + i * HOUR;
    main.push(buyer, undefined, t, {
      type: 'track',
      name: 'purchase',
      properties: { amount: 10, currency: 'SAR' },
    });
    main.push(buyer, undefined, t + 1, { context: { path: '/checkout' } });
  }
  // Sessions and visitors of the same names on another site and in another workspace.
  const second = new SiteData(WS, SITE_2, prng(7));
  second.people(40);
  second.realtime();
  const other = new SiteData(OTHER_WS, SITE, prng(11));
  other.people(40);
  other.edges(RIYADH_RANGE.from, RIYADH_RANGE.to, 'riyadh');
  other.realtime();
  return [...main.events, ...second.events, ...other.events];
}

const DATASET = buildDataset();

// --- the expected answers, by the definitions ---------------------------------------

const NUMBER = /^\s*[+-]?(\d{1,20}(\.\d*)?|\.\d+)([eE][+-]?\d{1,2})?\s*$/;
/** Code-point order, which is UTF-8 byte order: what both engines sort text by. */
const byCodePoint = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

interface Ev {
  id: string;
  type: string;
  name: string;
  anon: string;
  session: string;
  t: number;
  path: string | undefined;
  engagedMs: number;
  identity: string | undefined;
  dims: Record<string, string | undefined>;
  properties: Record<string, unknown>;
}

const dimensionsOf = (c: WaslEvent['context']): Record<string, string | undefined> => ({
  source: c.source,
  medium: c.medium,
  referrer: c.referrerHost,
  utm_source: c.utm?.source,
  utm_medium: c.utm?.medium,
  utm_campaign: c.utm?.campaign,
  utm_term: c.utm?.term,
  utm_content: c.utm?.content,
  country: c.geo?.country,
  region: c.geo?.region,
  device: c.device?.type,
  browser: c.device?.browser,
  os: c.device?.os,
  language: c.locale,
});

/** The population of a site: its people's pageviews and track events that belong to a visit. */
function population(workspaceId: string, siteId: string): Ev[] {
  const out: Ev[] = [];
  for (const e of DATASET) {
    const c = e.context;
    if (e.workspaceId !== workspaceId || c.siteId !== siteId || c.bot === true) continue;
    if ((e.type !== 'page' && e.type !== 'track') || !c.sessionId || !e.anonymousId) continue;
    out.push({
      id: e.id,
      type: e.type,
      name: e.name,
      anon: e.anonymousId,
      session: c.sessionId,
      t: e.occurredAt.getTime(),
      path: c.path,
      engagedMs: e.type === 'track' && e.name === '$engagement' ? (c.engagedMs ?? 0) : 0,
      identity: c.identity,
      dims: dimensionsOf(c),
      properties: e.properties,
    });
  }
  return out;
}

const isCustom = (e: Ev) => e.type === 'track' && e.name !== '$engagement';
const inOrder = (a: Ev, b: Ev) => a.t - b.t || byCodePoint(a.id, b.id);

interface Visit {
  session: string;
  events: Ev[];
  first: Ev;
  start: number;
  end: number;
  visitor: string;
  pageviews: number;
  custom: number;
  engagedMs: number;
  entry: string;
  exit: string;
  bounce: boolean;
}

function visitsOf(events: readonly Ev[]): Visit[] {
  const bySession = new Map<string, Ev[]>();
  for (const e of events) bySession.set(e.session, [...(bySession.get(e.session) ?? []), e]);
  return [...bySession].map(([session, list]) => {
    const sorted = [...list].sort(inOrder);
    const first = sorted[0] as Ev;
    const pages = sorted.filter((e) => e.type === 'page');
    const custom = sorted.filter(isCustom).length;
    return {
      session,
      events: sorted,
      first,
      start: first.t,
      end: (sorted.at(-1) as Ev).t,
      visitor: first.anon,
      pageviews: pages.length,
      custom,
      engagedMs: sorted.reduce((sum, e) => sum + e.engagedMs, 0),
      entry: pages[0]?.path ?? '',
      exit: pages.at(-1)?.path ?? '',
      bounce: pages.length === 1 && custom === 0,
    };
  });
}

const lower = (s: string) => s.toLowerCase();
function matches(value: string, op: Filter['op'], values: readonly string[]): boolean {
  if (op === 'is' || op === 'is_not') return values.includes(value);
  return values.some((v) => lower(value).includes(lower(v)));
}

function qualifies(visit: Visit, filter: Filter): boolean {
  const negative = filter.op === 'is_not' || filter.op === 'not_contains';
  let hit: boolean;
  if (filter.dimension === 'page') {
    hit = visit.events.some((e) => e.type === 'page' && matches(e.path ?? '', filter.op, filter.values));
  } else if (filter.dimension === 'event') {
    hit = visit.events.some((e) => isCustom(e) && matches(e.name, filter.op, filter.values));
  } else {
    hit = matches(visitValue(visit, filter.dimension), filter.op, filter.values);
  }
  return negative ? !hit : hit;
}

function visitValue(visit: Visit, dimension: string): string {
  if (dimension === 'entry_page') return visit.entry;
  if (dimension === 'exit_page') return visit.exit;
  return visit.first.dims[dimension] ?? '';
}

const distinct = <T>(items: Iterable<T>) => new Set(items).size;
const rate = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** Everything the definitions say about one scope, computed by looping. */
class Model {
  readonly events: Ev[];
  readonly visits: Visit[];
  readonly qualifying: Visit[];
  private readonly seenBefore: Set<string>;

  constructor(readonly scope: ReportScope) {
    this.events = population(scope.workspaceId, scope.siteId);
    const from = scope.from.getTime();
    const to = scope.to.getTime();
    this.visits = visitsOf(this.events).filter((v) => v.start >= from && v.start < to);
    this.qualifying = this.visits.filter((v) => scope.filters.every((f) => qualifies(v, f)));
    this.seenBefore = new Set(this.events.filter((e) => e.t < from).map((e) => e.anon));
  }

  isNew = (visitor: string) => !this.seenBefore.has(visitor);

  /** Each new visitor's first visit: their earliest visit (ties: by visit id), filters not applied. */
  firstVisits(): Map<string, Visit> {
    const firsts = new Map<string, Visit>();
    for (const v of this.visits) {
      if (!this.isNew(v.visitor)) continue;
      const known = firsts.get(v.visitor);
      if (
        !known ||
        v.start < known.start ||
        (v.start === known.start && byCodePoint(v.session, known.session) < 0)
      ) {
        firsts.set(v.visitor, v);
      }
    }
    return firsts;
  }

  summary(): Summary {
    const q = this.qualifying;
    const visitors = distinct(q.map((v) => v.visitor));
    const newVisitors = distinct(q.map((v) => v.visitor).filter(this.isNew));
    const pageviews = q.reduce((s, v) => s + v.pageviews, 0);
    const { workspaceId, siteId, from, to } = this.scope;
    const bots = DATASET.filter(
      (e) =>
        e.workspaceId === workspaceId &&
        e.context.siteId === siteId &&
        e.context.bot === true &&
        (e.type === 'page' || e.type === 'track') &&
        e.occurredAt >= from &&
        e.occurredAt < to,
    ).length;
    return {
      visits: q.length,
      visitors,
      pageviews,
      newVisitors,
      returningVisitors: visitors - newVisitors,
      viewsPerVisit: rate(pageviews, q.length),
      bounceRate: rate(q.filter((v) => v.bounce).length, q.length),
      avgVisitDurationMs: rate(
        q.reduce((s, v) => s + (v.end - v.start), 0),
        q.length,
      ),
      avgEngagedMs: rate(
        q.reduce((s, v) => s + v.engagedMs, 0),
        pageviews,
      ),
      bots,
      identity: {
        cookieless: q.filter((v) => v.first.identity === 'cookieless').length,
        consent: q.filter((v) => v.first.identity === 'consent').length,
      },
    };
  }

  timeseries(interval: Interval): TimeseriesPoint[] {
    const label = (t: number) => localLabel(t, this.scope.timeZone, interval);
    // Every bucket: the labels of instants a minute apart across the period.
    const labels = new Set<string>();
    for (let t = this.scope.from.getTime(); t < this.scope.to.getTime(); t += MINUTE) labels.add(label(t));
    const starts = new Map(this.qualifying.map((v) => [v, label(v.start)]));
    return [...labels].map((bucket) => {
      const q = this.qualifying.filter((v) => starts.get(v) === bucket);
      return {
        bucket,
        visits: q.length,
        visitors: distinct(q.map((v) => v.visitor)),
        pageviews: q.reduce((s, v) => s + v.pageviews, 0),
      };
    });
  }

  breakdown(by: Breakdown, page: { limit: number; offset: number }): BreakdownPage {
    const rows = this.breakdownRows(by);
    rows.sort((a, b) => b.visitors - a.visitors || byCodePoint(a.value, b.value));
    return { rows: rows.slice(page.offset, page.offset + page.limit), total: rows.length };
  }

  private breakdownRows(by: Breakdown): BreakdownRow[] {
    const row = (value: string, visits: Visit[], pageviews: number, engagedMs: number, events: number) => ({
      value,
      visitors: distinct(visits.map((v) => v.visitor)),
      visits: visits.length,
      pageviews,
      bounceRate: rate(visits.filter((v) => v.bounce).length, visits.length),
      avgEngagedMs: rate(engagedMs, pageviews),
      events,
    });
    const sum = (visits: Visit[], f: (v: Visit) => number) => visits.reduce((s, v) => s + f(v), 0);
    if (by === 'page') {
      const paths = new Set<string>();
      for (const v of this.qualifying)
        for (const e of v.events) if (e.type === 'page') paths.add(e.path ?? '');
      return [...paths].map((path) => {
        const visits = this.qualifying.filter((v) =>
          v.events.some((e) => e.type === 'page' && (e.path ?? '') === path),
        );
        const onPath = this.qualifying.flatMap((v) => v.events).filter((e) => (e.path ?? '') === path);
        const pageviews = onPath.filter((e) => e.type === 'page').length;
        const engaged = onPath.reduce((s, e) => s + e.engagedMs, 0);
        return row(
          path,
          visits,
          pageviews,
          engaged,
          sum(visits, (v) => v.custom),
        );
      });
    }
    if (by === 'event') {
      const names = new Set(this.qualifying.flatMap((v) => v.events.filter(isCustom).map((e) => e.name)));
      return [...names].map((name) => {
        const visits = this.qualifying.filter((v) => v.events.some((e) => isCustom(e) && e.name === name));
        const count = sum(visits, (v) => v.events.filter((e) => isCustom(e) && e.name === name).length);
        return row(
          name,
          visits,
          sum(visits, (v) => v.pageviews),
          sum(visits, (v) => v.engagedMs),
          count,
        );
      });
    }
    let visits = this.qualifying;
    let value = (v: Visit) => visitValue(v, by);
    if (by === 'first_visit_page') {
      const firsts = new Set(this.firstVisits().values());
      visits = visits.filter((v) => firsts.has(v));
      value = (v) => v.entry;
    }
    const groups = new Map<string, Visit[]>();
    for (const v of visits) groups.set(value(v), [...(groups.get(value(v)) ?? []), v]);
    return [...groups].map(([key, list]) =>
      row(
        key,
        list,
        sum(list, (v) => v.pageviews),
        sum(list, (v) => v.engagedMs),
        sum(list, (v) => v.custom),
      ),
    );
  }

  goal(goal: GoalDefinition): GoalResult {
    const hits = this.qualifying.flatMap((v) =>
      v.events.filter((e) => goalMatches(goal, e)).map((e) => ({ v, e })),
    );
    const visitors = distinct(hits.map((h) => h.v.visitor));
    const cents: Record<string, number> = {};
    if (goal.kind === 'event' && goal.revenueProperty !== undefined) {
      for (const { e } of hits) {
        const amount = amountOf(e.properties[goal.revenueProperty]);
        if (amount === undefined) continue;
        const code = goal.currencyProperty === undefined ? undefined : e.properties[goal.currencyProperty];
        const currency =
          typeof code === 'string' && /^[A-Za-z]{3}$/.test(code)
            ? code.toUpperCase()
            : (goal.currency ?? 'XXX');
        cents[currency] = (cents[currency] ?? 0) + Math.round(amount * 100);
      }
    }
    return {
      visitors,
      conversions: hits.length,
      conversionRate: rate(visitors, distinct(this.qualifying.map((v) => v.visitor))),
      revenue: Object.fromEntries(Object.entries(cents).map(([c, n]) => [c, n / 100])),
    };
  }

  ctr(definition: CtrDefinition): CtrResult {
    const side = (s: CtrDefinition['click']) =>
      this.qualifying.flatMap((v) =>
        v.events
          .filter((e) => goalMatches({ kind: 'event', event: s.event, properties: s.properties }, e))
          .map(() => v.visitor),
      );
    const impressions = side(definition.impression);
    const clicks = side(definition.click);
    return {
      impressions: impressions.length,
      clicks: clicks.length,
      ctr: rate(clicks.length, impressions.length),
      uniqueImpressions: distinct(impressions),
      uniqueClicks: distinct(clicks),
    };
  }

  /** By exhaustive search: the most steps each visitor completes in order within the window. */
  funnel(definition: FunnelDefinition): FunnelStepResult[] {
    const byVisitor = new Map<string, Ev[]>();
    for (const v of this.qualifying)
      byVisitor.set(v.visitor, [...(byVisitor.get(v.visitor) ?? []), ...v.events]);
    const reached = definition.steps.map(() => 0);
    for (const list of byVisitor.values()) {
      const events = [...list].sort(inOrder);
      let best = 0;
      const search = (step: number, after: number, start: number) => {
        best = Math.max(best, step);
        if (step === definition.steps.length || best === definition.steps.length) return;
        for (let j = after + 1; j < events.length; j++) {
          const e = events[j] as Ev;
          if (step > 0 && e.t - start > definition.windowMs) break;
          if (goalMatches(definition.steps[step] as GoalDefinition, e))
            search(step + 1, j, step === 0 ? e.t : start);
        }
      };
      search(0, -1, 0);
      for (let k = 0; k < best; k++) reached[k] = (reached[k] ?? 0) + 1;
    }
    return reached.map((visitors, k) => ({
      visitors,
      dropOff: k === 0 ? 0 : (reached[k - 1] ?? 0) - visitors,
      conversionRate: rate(visitors, reached[0] ?? 0),
    }));
  }

  retention(): RetentionCohort[] {
    const week = (t: number) => localLabel(t, this.scope.timeZone, 'week');
    const weeks = [...new Set(this.timeseries('week').map((p) => p.bucket))];
    const qualifying = new Set(this.qualifying);
    const cohorts = new Map<string, Set<string>>();
    for (const [visitor, first] of this.firstVisits()) {
      if (!qualifying.has(first)) continue;
      const w = week(first.start);
      cohorts.set(w, (cohorts.get(w) ?? new Set()).add(visitor));
    }
    return weeks.map((w, i) => {
      const members = cohorts.get(w) ?? new Set<string>();
      return {
        week: w,
        visitors: members.size,
        retained: weeks
          .slice(i)
          .map((later) =>
            distinct(
              this.visits
                .filter((v) => members.has(v.visitor) && week(v.start) === later)
                .map((v) => v.visitor),
            ),
          ),
      };
    });
  }
}

function amountOf(value: unknown): number | undefined {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' && NUMBER.test(value) ? Number(value) : NaN;
  return Number.isFinite(n) && Math.abs(n) < 1e15 ? n : undefined;
}

/** Equal as text, or as numbers when both are numbers. */
function propertyEquals(value: unknown, want: string): boolean {
  if (typeof value === 'string' && value === want) return true;
  if (typeof value === 'boolean') return String(value) === want;
  const n = amountOf(value);
  return n !== undefined && NUMBER.test(want) && n === Number(want);
}

function goalMatches(goal: GoalDefinition, e: Ev): boolean {
  if (goal.kind === 'page') {
    const escaped = goal.pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replaceAll('\\*', '.*');
    return e.type === 'page' && new RegExp(`^${escaped}$`, 's').test(e.path ?? '');
  }
  return (
    isCustom(e) &&
    e.name === goal.event &&
    Object.entries(goal.properties ?? {}).every(([k, v]) => propertyEquals(e.properties[k], v))
  );
}

const formats = new Map<string, Intl.DateTimeFormat>();
function localLabel(t: number, timeZone: string, interval: Interval): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
    });
    formats.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(t).map((p) => [p.type, p.value]));
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  if (interval === 'hour') return `${day}T${parts.hour}`;
  if (interval === 'month') return `${parts.year}-${parts.month}-01`;
  if (interval === 'day') return day;
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7));
  return date.toISOString().slice(0, 10);
}

function expectedRealtime(workspaceId: string, siteId: string, now: Date): Realtime {
  const end = now.getTime();
  const start = end - 30 * MINUTE;
  const events = population(workspaceId, siteId);
  const recent = events.filter((e) => e.t >= start && e.t < end);
  const pageviews = recent.filter((e) => e.type === 'page');
  const top = (pairs: { value: string; visitor: string }[]) => {
    const groups = new Map<string, Set<string>>();
    for (const p of pairs) groups.set(p.value, (groups.get(p.value) ?? new Set()).add(p.visitor));
    return [...groups]
      .map(([value, set]) => ({ value, visitors: set.size }))
      .sort((a, b) => b.visitors - a.visitors || byCodePoint(a.value, b.value))
      .slice(0, 10);
  };
  const active = visitsOf(events.filter((e) => e.t >= end - DAY && e.t < end)).filter((v) => v.end >= start);
  return {
    visitorsNow: distinct(recent.filter((e) => e.t >= end - 5 * MINUTE).map((e) => e.anon)),
    pageviewsPerMinute: Array.from(
      { length: 30 },
      (_, i) => pageviews.filter((e) => Math.floor((e.t - start) / MINUTE) === i).length,
    ),
    topPages: top(pageviews.map((e) => ({ value: e.path ?? '', visitor: e.anon }))),
    topSources: top(active.map((v) => ({ value: v.first.dims.source ?? '', visitor: v.visitor }))),
  };
}

// --- the cases ----------------------------------------------------------------------

function scopeOf(
  period: { from: string; to: string; timeZone: string },
  filters: Filter[] = [],
  workspaceId = WS,
  siteId = SITE,
): ReportScope {
  return { workspaceId, siteId, ...resolvePeriod(period), timeZone: period.timeZone, filters };
}

const f = (dimension: Filter['dimension'], op: Filter['op'], ...values: string[]): Filter => ({
  dimension,
  op,
  values,
});

const FILTERS: Record<string, Filter[]> = {
  'source is Google or WhatsApp': [f('source', 'is', 'Google', 'WhatsApp')],
  'source is not (direct)': [f('source', 'is_not', '(direct)')],
  'source is unknown (empty)': [f('source', 'is', '')],
  'medium contains "SOC"': [f('medium', 'contains', 'SOC')],
  'referrer is none': [f('referrer', 'is', '')],
  'referrer not_contains ".com"': [f('referrer', 'not_contains', '.com')],
  'utm_campaign is رمضان': [f('utm_campaign', 'is', 'رمضان')],
  'utm_campaign contains "sale" (case-insensitive)': [f('utm_campaign', 'contains', 'sale')],
  'utm_source is_not newsletter': [f('utm_source', 'is_not', 'newsletter')],
  'utm_medium is email': [f('utm_medium', 'is', 'email')],
  'utm_term is عروض': [f('utm_term', 'is', 'عروض')],
  'utm_content contains "HERO"': [f('utm_content', 'contains', 'HERO')],
  'country not_contains "a"': [f('country', 'not_contains', 'a')],
  'country is SA (first event, not later ones)': [f('country', 'is', 'SA')],
  'region contains "riy"': [f('region', 'contains', 'riy')],
  'device is mobile and language is ar-SA': [f('device', 'is', 'mobile'), f('language', 'is', 'ar-SA')],
  'browser is_not Safari and os contains "win"': [
    f('browser', 'is_not', 'Safari'),
    f('os', 'contains', 'win'),
  ],
  'entry_page is /ar/عروض': [f('entry_page', 'is', '/ar/عروض')],
  'exit_page contains "PRIC"': [f('exit_page', 'contains', 'PRIC')],
  'page is /pricing (case-sensitive)': [f('page', 'is', '/pricing')],
  'page is_not /pricing': [f('page', 'is_not', '/pricing')],
  'page contains "/AR/"': [f('page', 'contains', '/AR/')],
  'page not_contains "blog"': [f('page', 'not_contains', 'blog')],
  'event is purchase': [f('event', 'is', 'purchase')],
  'event is_not cta_click': [f('event', 'is_not', 'cta_click')],
  'event contains "CTA_"': [f('event', 'contains', 'CTA_')],
  'event not_contains "sign"': [f('event', 'not_contains', 'sign')],
  'event is $engagement (never a custom event)': [f('event', 'is', '$engagement')],
  'page contains /ar/, source is_not (direct), event is_not purchase': [
    f('page', 'contains', '/ar/'),
    f('source', 'is_not', '(direct)'),
    f('event', 'is_not', 'purchase'),
  ],
};

interface Case {
  name: string;
  run(reader: AnalyticsReader): Promise<unknown>;
  expected(): unknown;
}

const riyadh = scopeOf(RIYADH);
const newYork = scopeOf(NEW_YORK);
const PAGE_ALL = { limit: 1000, offset: 0 };

const GOALS: Record<string, GoalDefinition> = {
  'page pattern /ar/*': { kind: 'page', pattern: '/ar/*' },
  'page /promo_50% (LIKE characters are literal)': { kind: 'page', pattern: '/promo_50%' },
  'page pattern * (every pageview)': { kind: 'page', pattern: '*' },
  'page /pricing (case-sensitive)': { kind: 'page', pattern: '/pricing' },
  'event signup with plan pro': { kind: 'event', event: 'signup', properties: { plan: 'pro' } },
  'event signup with seats 1.50 (numbers compare as numbers)': {
    kind: 'event',
    event: 'signup',
    properties: { seats: '1.50' },
  },
  'event signup with seats 2 (number or text)': {
    kind: 'event',
    event: 'signup',
    properties: { seats: '2' },
  },
  'event purchase, revenue in its currency property (SAR, USD, fallback)': {
    kind: 'event',
    event: 'purchase',
    properties: {},
    revenueProperty: 'amount',
    currencyProperty: 'currency',
    currency: 'SAR',
  },
  'event purchase of quantity 2, revenue without currency (XXX)': {
    kind: 'event',
    event: 'purchase',
    properties: { quantity: '2' },
    revenueProperty: 'amount',
  },
  'event purchase, fixed currency USD': {
    kind: 'event',
    event: 'purchase',
    properties: {},
    revenueProperty: 'amount',
    currency: 'USD',
  },
  'event that never happened': { kind: 'event', event: 'refund', properties: {} },
};

const FUNNELS: Record<string, FunnelDefinition> = {
  '/ → /pricing → signup within 20 minutes': {
    steps: [
      { kind: 'page', pattern: '/' },
      { kind: 'page', pattern: '/pricing' },
      { kind: 'event', event: 'signup', properties: {} },
    ],
    windowMs: 20 * MINUTE,
  },
  '/ → /pricing → signup within 30 days': {
    steps: [
      { kind: 'page', pattern: '/' },
      { kind: 'page', pattern: '/pricing' },
      { kind: 'event', event: 'signup', properties: {} },
    ],
    windowMs: 30 * DAY,
  },
  'signup → / (order matters: the home page after signing up)': {
    steps: [
      { kind: 'event', event: 'signup', properties: {} },
      { kind: 'page', pattern: '/' },
    ],
    windowMs: 30 * DAY,
  },
  'impression → click → purchase of quantity 2 within a day': {
    steps: [
      { kind: 'event', event: 'cta_impression', properties: { cta: 'hero' } },
      { kind: 'event', event: 'cta_click', properties: { cta: 'hero' } },
      { kind: 'event', event: 'purchase', properties: { quantity: '2' } },
    ],
    windowMs: DAY,
  },
  'any page → any page (a pageview never serves two steps)': {
    steps: [
      { kind: 'page', pattern: '*' },
      { kind: 'page', pattern: '*' },
    ],
    windowMs: HOUR,
  },
};

const CTRS: Record<string, CtrDefinition> = {
  'hero CTA': {
    impression: { event: 'cta_impression', properties: { cta: 'hero' } },
    click: { event: 'cta_click', properties: { cta: 'hero' } },
  },
  'any CTA': {
    impression: { event: 'cta_impression', properties: {} },
    click: { event: 'cta_click', properties: {} },
  },
};

function cases(): Case[] {
  const all: Case[] = [];
  const add = (name: string, run: Case['run'], expected: Case['expected']) =>
    all.push({ name, run, expected });

  add(
    'summary, Asia/Riyadh, three weeks',
    (r) => r.summary(riyadh),
    () => new Model(riyadh).summary(),
  );
  add(
    'summary, America/New_York across DST',
    (r) => r.summary(newYork),
    () => new Model(newYork).summary(),
  );
  for (const [name, filters] of Object.entries(FILTERS)) {
    const scope = scopeOf(RIYADH, filters);
    add(
      `summary, filter ${name}`,
      (r) => r.summary(scope),
      () => new Model(scope).summary(),
    );
  }
  const site2 = scopeOf(RIYADH, [], WS, SITE_2);
  add(
    'summary of another site of the workspace',
    (r) => r.summary(site2),
    () => new Model(site2).summary(),
  );
  const otherWs = scopeOf(RIYADH, [], OTHER_WS, SITE);
  add(
    'summary of the same site id in another workspace',
    (r) => r.summary(otherWs),
    () => new Model(otherWs).summary(),
  );
  const nowhere = scopeOf(RIYADH, [], 'ws-none', SITE);
  add(
    'summary of a workspace without events',
    (r) => r.summary(nowhere),
    () => new Model(nowhere).summary(),
  );

  for (const interval of ['hour', 'day', 'week', 'month'] as const) {
    add(
      `timeseries by ${interval}, Asia/Riyadh`,
      (r) => r.timeseries(riyadh, interval),
      () => new Model(riyadh).timeseries(interval),
    );
    add(
      `timeseries by ${interval}, America/New_York across DST`,
      (r) => r.timeseries(newYork, interval),
      () => new Model(newYork).timeseries(interval),
    );
  }
  const filtered = scopeOf(
    RIYADH,
    FILTERS['page contains /ar/, source is_not (direct), event is_not purchase'],
  );
  add(
    'timeseries by day with filters',
    (r) => r.timeseries(filtered, 'day'),
    () => new Model(filtered).timeseries('day'),
  );

  for (const by of BREAKDOWNS) {
    add(
      `breakdown by ${by}`,
      (r) => r.breakdown(riyadh, by, PAGE_ALL),
      () => new Model(riyadh).breakdown(by, PAGE_ALL),
    );
  }
  for (const by of ['page', 'source', 'event', 'first_visit_page', 'exit_page'] as const) {
    add(
      `breakdown by ${by} with filters`,
      (r) => r.breakdown(filtered, by, PAGE_ALL),
      () => new Model(filtered).breakdown(by, PAGE_ALL),
    );
    add(
      `breakdown by ${by}, America/New_York`,
      (r) => r.breakdown(newYork, by, PAGE_ALL),
      () => new Model(newYork).breakdown(by, PAGE_ALL),
    );
  }
  const pages = [
    ['page', { limit: 3, offset: 2 }],
    ['country', { limit: 2, offset: 1 }],
    ['source', { limit: 10, offset: 1000 }],
    ['first_visit_page', { limit: 1, offset: 0 }],
  ] as const;
  for (const [by, page] of pages) {
    add(
      `breakdown by ${by}, limit ${page.limit} offset ${page.offset}`,
      (r) => r.breakdown(riyadh, by, page),
      () => new Model(riyadh).breakdown(by, page),
    );
  }

  for (const [name, goal] of Object.entries(GOALS)) {
    add(
      `goal: ${name}`,
      (r) => r.goal(riyadh, goal),
      () => new Model(riyadh).goal(goal),
    );
  }
  const mobileArabic = scopeOf(RIYADH, FILTERS['device is mobile and language is ar-SA']);
  const revenue = GOALS[
    'event purchase, revenue in its currency property (SAR, USD, fallback)'
  ] as GoalDefinition;
  add(
    'goal with revenue, filtered',
    (r) => r.goal(mobileArabic, revenue),
    () => new Model(mobileArabic).goal(revenue),
  );
  add(
    'goal with revenue, America/New_York',
    (r) => r.goal(newYork, revenue),
    () => new Model(newYork).goal(revenue),
  );

  for (const [name, definition] of Object.entries(CTRS)) {
    add(
      `ctr: ${name}`,
      (r) => r.ctr(riyadh, definition),
      () => new Model(riyadh).ctr(definition),
    );
    add(
      `ctr: ${name}, filtered`,
      (r) => r.ctr(mobileArabic, definition),
      () => new Model(mobileArabic).ctr(definition),
    );
  }

  for (const [name, definition] of Object.entries(FUNNELS)) {
    add(
      `funnel: ${name}`,
      (r) => r.funnel(riyadh, definition),
      () => new Model(riyadh).funnel(definition),
    );
  }
  const toPricing = FUNNELS['/ → /pricing → signup within 30 days'] as FunnelDefinition;
  add(
    'funnel, filtered',
    (r) => r.funnel(mobileArabic, toPricing),
    () => new Model(mobileArabic).funnel(toPricing),
  );

  add(
    'retention, Asia/Riyadh',
    (r) => r.retention(riyadh),
    () => new Model(riyadh).retention(),
  );
  add(
    'retention, America/New_York',
    (r) => r.retention(newYork),
    () => new Model(newYork).retention(),
  );
  const google = scopeOf(RIYADH, FILTERS['source is Google or WhatsApp']);
  add(
    'retention of visitors acquired by Google or WhatsApp',
    (r) => r.retention(google),
    () => new Model(google).retention(),
  );

  add(
    'realtime',
    (r) => r.realtime(WS, SITE, REALTIME_NOW),
    () => expectedRealtime(WS, SITE, REALTIME_NOW),
  );
  add(
    'realtime of another site',
    (r) => r.realtime(WS, SITE_2, REALTIME_NOW),
    () => expectedRealtime(WS, SITE_2, REALTIME_NOW),
  );
  add(
    'realtime of the same site id in another workspace',
    (r) => r.realtime(OTHER_WS, SITE, REALTIME_NOW),
    () => expectedRealtime(OTHER_WS, SITE, REALTIME_NOW),
  );
  const quiet = new Date('2026-01-01T00:00:00Z');
  add(
    'realtime with nothing happening',
    (r) => r.realtime(WS, SITE, quiet),
    () => expectedRealtime(WS, SITE, quiet),
  );
  return all;
}

// --- the visits table ----------------------------------------------------------------

/** The raw tables of a store, for comparing its visits table (an internal of the events store). */
async function openRaw(target: EventStoreTarget): Promise<AnalyticsDb> {
  if (target.kind === 'postgres') return openPostgresAnalytics(target.url);
  const { openDuckDbAnalytics } = await import('../src/analytics/duckdb-db.ts');
  return openDuckDbAnalytics(target.file);
}

const VISIT_KEY = 'order by workspace_id, site_id, session_id';
const storedVisits = (db: AnalyticsDb) =>
  db.query(`select ${VISIT_COLUMNS.join(', ')} from visits ${VISIT_KEY}`, []);
/** The visits table as one aggregate of every stored event would build it (the migration's backfill). */
const scratchVisits = (db: AnalyticsDb) =>
  db.query(
    `select * from (${db.dialect.name === 'duckdb' ? duckDbVisitsOf('events') : postgresVisitsOf('events')}) v ${VISIT_KEY}`,
    [],
  );

/** Deterministic shuffle, so batches hold a visit's events out of order and split across batches. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const r = prng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const chunks = <T>(items: readonly T[], size: number) =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

// --- the engines ---------------------------------------------------------------------

interface Engine {
  name: string;
  skip: boolean;
  setup(): Promise<{ target: EventStoreTarget; cleanup(): Promise<void> }>;
}

const ENGINES: Engine[] = [
  {
    name: 'duckdb',
    skip: false,
    async setup() {
      const dir = mkdtempSync(join(tmpdir(), 'wasl-analytics-'));
      return {
        target: { kind: 'duckdb', file: join(dir, 'events.duckdb') },
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'postgres (set WASL_TEST_PG_URL to run)',
    skip: !TEST_PG_URL,
    async setup() {
      const schema = await freshPgSchema(TEST_PG_URL!);
      return { target: { kind: 'postgres', url: schema.url }, cleanup: () => schema.drop() };
    },
  },
];

const CASES = cases();

for (const engine of ENGINES) {
  describe.skipIf(engine.skip)(`analytics reports contract: ${engine.name}`, () => {
    let reader: AnalyticsReader & { close(): Promise<void> };
    let cleanup: () => Promise<void>;
    let target: EventStoreTarget;

    beforeAll(async () => {
      const setup = await engine.setup();
      cleanup = setup.cleanup;
      target = setup.target;
      const store = await openEventStore(setup.target);
      await store.migrate();
      for (let i = 0; i < DATASET.length; i += 2_000) await store.append(DATASET.slice(i, i + 2_000));
      await store.close();
      reader = await openAnalyticsReader(setup.target);
    });
    afterAll(async () => {
      await reader?.close();
      await cleanup?.();
    });

    it('holds a dataset that exercises the definitions', () => {
      const model = new Model(riyadh);
      const s = model.summary();
      expect(s.visits).toBeGreaterThan(200);
      expect(s.newVisitors).toBeGreaterThan(20);
      expect(s.returningVisitors).toBeGreaterThan(20);
      expect(s.bots).toBeGreaterThan(0);
      expect(s.identity.cookieless).toBeGreaterThan(0);
      expect(s.identity.consent).toBeGreaterThan(0);
      const starts = model.visits.map((v) => v.start);
      expect(starts).toContain(RIYADH_RANGE.from.getTime());
      expect(starts).not.toContain(RIYADH_RANGE.to.getTime());
      expect(model.visits.some((v) => v.end >= RIYADH_RANGE.to.getTime())).toBe(true);
      expect(model.visits.some((v) => v.pageviews === 0)).toBe(true);
      expect(
        model.visits.some((v) => v.events.some((e, i) => e.type === 'page' && v.events[i + 1]?.t === e.t)),
      ).toBe(true);
      const revenue = model.goal(
        GOALS['event purchase, revenue in its currency property (SAR, USD, fallback)']!,
      );
      expect(Object.keys(revenue.revenue).sort()).toEqual(['SAR', 'USD']);
      const noCurrency = model.goal(GOALS['event purchase of quantity 2, revenue without currency (XXX)']!);
      expect(Object.keys(noCurrency.revenue)).toEqual(['XXX']);
      expect(model.visits.some((v) => new Set(v.events.map((e) => e.anon)).size > 1)).toBe(true);
      const completed = Object.values(FUNNELS).map((funnel) => model.funnel(funnel).at(-1)?.visitors);
      expect(completed.every((n) => n !== undefined && n > 0)).toBe(true);
    });

    for (const c of CASES) {
      it(c.name, async () => {
        expect(await c.run(reader)).toEqual(c.expected());
      });
    }

    it('keeps one row per visit equal to an aggregate of all its events, however the batches come', async () => {
      const raw = await openRaw(target);
      const appended = await storedVisits(raw);
      expect(appended).toEqual(await scratchVisits(raw));
      await raw.close();
      expect(appended.length).toBeGreaterThan(500);

      // The same visits by the definitions: one row per visit of each site's population.
      const expected = [WS, OTHER_WS].flatMap((ws) =>
        [SITE, SITE_2].flatMap((site) =>
          visitsOf(population(ws, site)).map((v) => ({
            key: `${ws} ${site} ${v.session}`,
            visitor: v.visitor,
            started: v.start,
            ended: v.end,
            pageviews: v.pageviews,
            events: v.custom,
            engaged: v.engagedMs,
            entry: v.entry,
            exit: v.exit,
            source: v.first.dims.source ?? '',
            country: v.first.dims.country ?? '',
          })),
        ),
      );
      const time = (value: unknown) => new Date(value as Date).getTime();
      const got = appended.map((r) => ({
        key: `${r.workspace_id} ${r.site_id} ${r.session_id}`,
        visitor: r.visitor,
        started: time(r.started_at),
        ended: time(r.ended_at),
        pageviews: Number(r.pageviews),
        events: Number(r.events),
        engaged: Number(r.engaged_ms),
        entry: r.entry_path ?? '',
        exit: r.exit_path ?? '',
        source: r.source ?? '',
        country: r.country ?? '',
      }));
      const byKey = (a: { key: string }, b: { key: string }) => byCodePoint(a.key, b.key);
      expect(got.sort(byKey)).toEqual(expected.sort(byKey));

      // Another store: every batch delivered twice, batches split in two and
      // sent in reverse order, re-sent whole or half new, all in shuffled order.
      const again = await engine.setup();
      try {
        const store = await openEventStore(again.target);
        await store.migrate();
        const batches = chunks(shuffled(DATASET, 99), 1_500);
        for (const [i, batch] of batches.entries()) {
          if (i % 3 === 0) {
            expect((await store.append(batch)).inserted).toBe(batch.length);
            expect((await store.append(batch)).inserted).toBe(0);
          } else {
            const half = Math.floor(batch.length / 2);
            const [first, second] = [batch.slice(0, half), batch.slice(half)];
            expect((await store.append(second)).inserted).toBe(second.length);
            if (i % 3 === 1) expect((await store.append(first)).inserted).toBe(first.length);
            expect((await store.append(batch)).inserted).toBe(i % 3 === 1 ? 0 : first.length);
          }
        }
        // A batch that repeats its own events, all already stored.
        expect((await store.append([...DATASET.slice(0, 50), ...DATASET.slice(0, 50)])).inserted).toBe(0);
        await store.close();
        const other = await openRaw(again.target);
        expect(await storedVisits(other)).toEqual(appended);
        await other.close();
      } finally {
        await again.cleanup();
      }
    });

    it('builds the visits table of the events stored before it existed (migration 0003)', async () => {
      const setup = await engine.setup();
      try {
        const store = await openEventStore(setup.target);
        await store.migrate();
        for (const batch of chunks(DATASET, 2_000)) await store.append(batch);
        await store.close();
        // Back to the events of a store migrated up to 0002, then upgraded.
        const raw = await openRaw(setup.target);
        await raw.query('drop table visits', []);
        await raw.query(`delete from events_schema_migrations where version = '0003_visits'`, []);
        await raw.close();
        const upgraded = await openEventStore(setup.target);
        await upgraded.migrate();
        await upgraded.close();
        const rebuilt = await openRaw(setup.target);
        const mainRaw = await openRaw(target);
        expect(await storedVisits(rebuilt)).toEqual(await storedVisits(mainRaw));
        await rebuilt.close();
        await mainRaw.close();
      } finally {
        await setup.cleanup();
      }
    });

    it('names the problem with a scope it cannot answer', async () => {
      await expect(reader.summary({ ...riyadh, timeZone: 'Mars/Olympus' })).rejects.toThrow(
        /unknown time zone/,
      );
      await expect(reader.summary({ ...riyadh, to: riyadh.from })).rejects.toThrow(/after/);
      await expect(reader.summary({ ...riyadh, filters: [f('source', 'is')] })).rejects.toThrow(
        /invalid filter/,
      );
      await expect(reader.breakdown(riyadh, 'page', { limit: 0, offset: 0 })).rejects.toThrow(/limit/);
      await expect(reader.breakdown(riyadh, 'city' as Breakdown, PAGE_ALL)).rejects.toThrow(
        /unknown dimension/,
      );
      await expect(reader.funnel(riyadh, { steps: [], windowMs: 1000 })).rejects.toThrow(/steps/);
      await expect(reader.goal(riyadh, { kind: 'page', pattern: '' })).rejects.toThrow(/goal/);
    });

    it('treats hostile filter values, patterns and property names as data', async () => {
      const hostile = `x' or 1=1; drop table events; --`;
      const scope = scopeOf(RIYADH, [f('source', 'is_not', hostile), f('page', 'not_contains', hostile)]);
      expect(await reader.summary(scope)).toEqual(new Model(riyadh).summary());
      const goal: GoalDefinition = {
        kind: 'event',
        event: 'purchase',
        properties: Object.fromEntries([[`a'/~0"$.b`, hostile]]),
        revenueProperty: `') or true --`,
      };
      expect(await reader.goal(riyadh, goal)).toEqual(new Model(riyadh).goal(goal));
      expect((await reader.summary(riyadh)).visits).toBeGreaterThan(0);
    });
  });
}

describe('resolvePeriod', () => {
  it('turns local dates into the instants they cover, DST included', () => {
    expect(resolvePeriod({ from: '2026-03-01', to: '2026-03-01', timeZone: 'Asia/Riyadh' })).toEqual({
      from: new Date('2026-02-28T21:00:00Z'),
      to: new Date('2026-03-01T21:00:00Z'),
    });
    // New York: 23 hours on the day clocks go forward, 25 on the day they go back.
    const spring = resolvePeriod({ from: '2026-03-08', to: '2026-03-08', timeZone: 'America/New_York' });
    expect(spring).toEqual({ from: new Date('2026-03-08T05:00:00Z'), to: new Date('2026-03-09T04:00:00Z') });
    const autumn = resolvePeriod({ from: '2026-11-01', to: '2026-11-01', timeZone: 'America/New_York' });
    expect(autumn.to.getTime() - autumn.from.getTime()).toBe(25 * HOUR);
    // Santiago moves its clocks at midnight: that day starts at 01:00.
    expect(
      resolvePeriod({ from: '2026-09-06', to: '2026-09-06', timeZone: 'America/Santiago' }).from,
    ).toEqual(new Date('2026-09-06T04:00:00Z'));
  });

  it('names what is wrong with a period', () => {
    expect(() => resolvePeriod({ from: '2026-02-30', to: '2026-03-01', timeZone: 'UTC' })).toThrow(
      /2026-02-30.*not a calendar date/,
    );
    expect(() => resolvePeriod({ from: '2026-03-02', to: '2026-03-01', timeZone: 'UTC' })).toThrow(
      /before it starts/,
    );
    expect(() => resolvePeriod({ from: '2026-03-01', to: '2026-03-01', timeZone: 'Mars/Olympus' })).toThrow(
      /unknown time zone 'Mars\/Olympus'/,
    );
  });
});
