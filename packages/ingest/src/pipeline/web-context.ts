import type { EventContext } from '@wasl/core';
import { detectBot } from '../bot.ts';
import { type ClickId, extractCampaign, type Utm } from '../campaign.ts';
import { cleanText } from '../clean-text.ts';
import type { GeoDatabase } from '../geo.ts';
import { LruCache } from '../lru-cache.ts';
import { classifyTraffic } from '../traffic-source.ts';
import { parseUserAgent } from '../user-agent.ts';

/** What a page-related event says about its page; every field optional (server-side events have none). */
export interface PageFacts {
  /** The page, parsed by the caller (absolute http(s)). */
  url?: URL;
  /** An explicit path (Segment's `path`), used when there is no URL. */
  path?: string;
  title?: string;
  referrer?: string;
  locale?: string;
  /** 'WIDTHxHEIGHT' in CSS pixels. */
  screen?: string;
  /** Explicit campaign (Segment's `context.campaign`); otherwise read from the URL. */
  utm?: Utm;
}

export interface ClientFacts {
  userAgent: string | undefined;
  /** Where the geo lookup looks (the request's address, or Segment's `context.ip`); never stored. */
  ip: string | undefined;
  /** Run `detectBot` (browser traffic) or not (server-side events, which have no user agent to judge). */
  checkBot: boolean;
  webdriver?: boolean;
  acceptLanguage?: string;
}

export interface WebContext {
  context: EventContext;
  /** Why `context.bot` is true. */
  botReason?: string;
}

// The event schema's bounds (packages/core/src/event.ts).
const URL_MAX = 4096;
const PATH_MAX = 2048;
const TITLE_MAX = 1024;
const LOCALE_MAX = 35;
const SCREEN_MAX = 32;
const UTM_MAX = 200;
const HOST_MAX = 255;
const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;
const HASH_ROUTE = /^#!?\//;

/**
 * The enriched context of a web event: page, campaign, source and medium,
 * device, bot verdict and geo, every string bounded to the event schema.
 * Neither the IP address nor the user agent is copied into it.
 */
export function webContext(page: PageFacts, client: ClientFacts, geo: GeoDatabase): WebContext {
  const context: EventContext = { ...pageFacts(page) };
  const title = cleanText(page.title, TITLE_MAX);
  if (title !== undefined) context.title = title;
  const locale = cleanText(page.locale, LOCALE_MAX);
  if (locale !== undefined) context.locale = locale;
  if (context.utm !== undefined) context.utm = { ...context.utm };

  const ua = parseUserAgent(client.userAgent);
  const screen = cleanText(page.screen, SCREEN_MAX);
  if (client.userAgent || screen !== undefined) {
    context.device = { type: ua.deviceType };
    if (ua.browser !== undefined) context.device.browser = ua.browser;
    if (ua.os !== undefined) context.device.os = ua.os;
    if (screen !== undefined) context.device.screen = screen;
  }

  let botReason: string | undefined;
  if (client.checkBot) {
    const verdict = detectBot({
      userAgent: client.userAgent,
      webdriver: client.webdriver,
      acceptLanguage: client.acceptLanguage,
    });
    context.bot = verdict.bot;
    botReason = verdict.reason;
  } else {
    context.bot = false;
  }

  if (client.ip !== undefined) {
    const where = geo.lookup(client.ip);
    if (where.country !== undefined || where.region !== undefined || where.city !== undefined) {
      context.geo = where;
    }
  }
  return botReason === undefined ? { context } : { context, botReason };
}

type PageDerived = Pick<
  EventContext,
  'url' | 'path' | 'referrer' | 'utm' | 'clickId' | 'source' | 'medium' | 'referrerHost'
>;

// Pages and referrers repeat from event to event; what follows from a (URL, referrer) pair
// (path, campaign, source and medium: about 15 µs) is cached for pairs of ordinary length.
const derived = new LruCache<string, Readonly<PageDerived>>(5_000);
const CACHED_KEY_MAX_LENGTH = 1024;

/** Everything that follows from the page's URL, path, referrer and explicit campaign alone. */
function pageFacts(page: PageFacts): Readonly<PageDerived> {
  const cacheable = page.url !== undefined && page.path === undefined && page.utm === undefined;
  const key = cacheable ? `${page.referrer ?? ''}\u0000${page.url?.href}` : undefined;
  if (key !== undefined && key.length <= CACHED_KEY_MAX_LENGTH) {
    const hit = derived.get(key);
    if (hit !== undefined) return hit;
    const facts = derive(page);
    derived.set(key, facts);
    return facts;
  }
  return derive(page);
}

function derive(page: PageFacts): PageDerived {
  const out: PageDerived = {};
  const href = page.url?.href;
  if (href !== undefined) out.url = cleanText(href, URL_MAX);
  const path = page.url ? readablePath(page.url) : cleanText(page.path, PATH_MAX);
  if (path !== undefined) out.path = path;
  const referrer = storedReferrer(page.referrer);
  if (referrer !== undefined) out.referrer = referrer;
  const campaign = page.url === undefined ? {} : extractCampaign(page.url);
  const utm = boundedUtm(page.utm ?? campaign.utm);
  if (utm !== undefined) out.utm = utm;
  if (campaign.clickId !== undefined) out.clickId = clickIdText(campaign.clickId);
  if (href !== undefined || page.referrer || utm !== undefined) {
    const traffic = classifyTraffic({
      referrer: page.referrer,
      pageUrl: href,
      utm: utm ?? {},
      ...(campaign.clickId ? { clickId: campaign.clickId } : {}),
    });
    out.source = traffic.source;
    out.medium = traffic.medium;
    const host = traffic.medium === 'internal' ? undefined : traffic.referrerHost?.replace(/^www\./, '');
    if (host) out.referrerHost = host.slice(0, HOST_MAX);
  }
  return out;
}

/**
 * The path people read in reports: percent-escapes decoded (`/ar/%D8%B9…` →
 * `/ar/عروض`), reserved characters (`%2F`, `%3F`) left escaped so the path
 * keeps its meaning, and a hash route (`#/pricing`, `#!/pricing`) kept as part
 * of the page (the tracker only sends fragments for sites that route by hash).
 */
export function readablePath(url: URL): string {
  const raw = HASH_ROUTE.test(url.hash) ? `${url.pathname}${url.hash}` : url.pathname;
  let decoded = raw;
  if (raw.includes('%')) {
    try {
      decoded = decodeURI(raw);
    } catch {
      // Not UTF-8 (or a stray '%'): the escaped form is still a faithful path.
    }
  }
  return cleanText(decoded, PATH_MAX) ?? '/';
}

/** The referrer without its query and fragment, which can carry search terms, tokens or emails. */
function storedReferrer(referrer: string | undefined): string | undefined {
  if (!referrer) return undefined;
  const url = URL.parse(referrer.trim());
  if (url === null) return undefined;
  url.search = '';
  url.hash = '';
  return cleanText(url.href, URL_MAX);
}

function boundedUtm(utm: Utm | undefined): Utm | undefined {
  if (utm === undefined) return undefined;
  const out: Utm = {};
  let any = false;
  for (const key of UTM_KEYS) {
    const value = cleanText(utm[key], UTM_MAX);
    if (value !== undefined) {
      out[key] = value;
      any = true;
    }
  }
  return any ? out : undefined;
}

const clickIdText = (clickId: ClickId) => `${clickId.name}:${clickId.value}`;
