import { parse } from 'tldts';
import { type Campaign, type ClickId, type ClickIdName, extractCampaign, type Utm } from './campaign.ts';
import { cleanText } from './clean-text.ts';
import {
  CLICK_ID_SOURCE,
  type KnownSource,
  knownSourceOfApp,
  knownSourceOfHost,
  knownSourceOfUtm,
} from './known-sources.ts';
import { LruCache } from './lru-cache.ts';
import type { TrafficMedium } from './traffic-medium.ts';
import { mediumOfUtm } from './utm-medium.ts';

export interface TrafficInput {
  /** `document.referrer` or the `Referer` header; '' or absent means none. */
  referrer?: string | null;
  /** The page the event happened on; needed to tell internal navigation apart. */
  pageUrl?: string | null;
  /** When absent, read from `pageUrl`. */
  utm?: Utm;
  /** When absent, read from `pageUrl`. */
  clickId?: ClickId;
}

export interface TrafficSource {
  /** A display name ('Google', 'WhatsApp', 'news.example.com', a `utm_source` as given) or '(direct)', '(internal)', '(not set)'. */
  source: string;
  medium: TrafficMedium;
  /** The referrer's hostname (or Android app package), lower-case; never its path or query. */
  referrerHost?: string;
}

/**
 * Click ids that only ads carry. `fbclid` is not one: Facebook and Instagram
 * append it to every outbound link, organic posts and shares included, so it
 * names the network (social) but not the payment. Meta ads are paid when their
 * URL parameters say so (`utm_medium=paid_social`, `cpc`…), which is how Meta's
 * own URL builder tags them.
 */
const PAID_CLICK_IDS: ReadonlySet<ClickIdName> = new Set([
  'gclid',
  'gbraid',
  'wbraid',
  'dclid',
  'msclkid',
  'ttclid',
  'sccid',
  'twclid',
  'li_fat_id',
  'epik',
]);

interface Referrer {
  host: string;
  /** Only web referrers can be same-site; an app package never is. */
  web: boolean;
  known: KnownSource | undefined;
}

const SOURCE_MAX_LENGTH = 200;

interface HostFacts {
  site: string;
  known: KnownSource | undefined;
}

// Referrer and page hosts repeat from event to event; their public-suffix and
// known-source look-ups are half the cost of a classification.
const hostFacts = new LruCache<string, HostFacts>(10_000);

/**
 * Where a pageview came from, by these rules in order (README.md explains them):
 *
 * 1. Tagged traffic (any UTM or click id): `utm_source` names the source (known
 *    spellings become display names), else the referrer, else the click id's
 *    network. The medium is `utm_medium` when Wasl recognises it, else `paid` for a
 *    paid click id, else what the source implies, else `referral`/`other`.
 * 2. No tag, referrer on the same site (same registrable domain): `internal`.
 * 3. No tag, external referrer: the known source and its medium, else `referral`.
 * 4. No tag, no referrer: `direct`.
 *
 * @example
 * classifyTraffic({ referrer: 'https://www.google.com.sa/', pageUrl: 'https://shop.sa/' })
 * // { source: 'Google', medium: 'search', referrerHost: 'www.google.com.sa' }
 */
export function classifyTraffic(input: TrafficInput): TrafficSource {
  const referrer = parseReferrer(input.referrer);
  const referrerHost = referrer?.host;
  const page = input.pageUrl ? URL.parse(input.pageUrl) : null;
  const pageHost = page?.hostname.replace(/\.$/, '') || undefined;
  const internal =
    referrer?.web === true &&
    pageHost !== undefined &&
    factsOf(referrer.host).site === factsOf(pageHost).site;
  const external = internal ? undefined : referrer;
  const fromUrl: Campaign = input.utm && input.clickId ? {} : extractCampaign(page ?? input.pageUrl);
  const utm = input.utm ?? fromUrl.utm;
  const clickId = input.clickId ?? fromUrl.clickId;
  const tagged = clickId !== undefined || (utm !== undefined && Object.values(utm).some((v) => v));

  const result = (name: string, medium: TrafficMedium): TrafficSource => {
    // Host names run to 253 characters; the event schema's `source` stops at 200.
    const source = cleanText(name, SOURCE_MAX_LENGTH) ?? '(not set)';
    return referrerHost === undefined ? { source, medium } : { source, medium, referrerHost };
  };

  if (!tagged) {
    if (referrer === undefined) return result('(direct)', 'direct');
    if (external === undefined) return result('(internal)', 'internal');
    return result(external.known?.name ?? displayHost(external.host), external.known?.medium ?? 'referral');
  }

  const utmSource = cleanText(utm?.source, SOURCE_MAX_LENGTH);
  const utmKnown = utmSource === undefined ? undefined : knownSourceOfUtm(utmSource);
  const source =
    utmKnown?.name ??
    utmSource ??
    external?.known?.name ??
    (clickId ? CLICK_ID_SOURCE[clickId.name] : undefined) ??
    (external ? displayHost(external.host) : '(not set)');
  const medium =
    mediumOfUtm(utm?.medium) ??
    (clickId && PAID_CLICK_IDS.has(clickId.name) ? 'paid' : undefined) ??
    mediumOfUtm(utmSource) ??
    utmKnown?.medium ??
    external?.known?.medium ??
    (clickId?.name === 'fbclid' ? 'social' : undefined) ??
    (external ? 'referral' : 'other');
  return result(source, medium);
}

function parseReferrer(referrer: string | null | undefined): Referrer | undefined {
  if (!referrer) return undefined;
  const url = URL.parse(referrer.trim());
  if (url === null) return undefined;
  const host = url.hostname.replace(/\.$/, '');
  if (host === '') return undefined;
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    return { host, web: true, known: factsOf(host).known };
  }
  if (url.protocol === 'android-app:') {
    const packageName = host.toLowerCase();
    return { host: packageName, web: false, known: knownSourceOfApp(packageName) };
  }
  return undefined;
}

function factsOf(host: string): HostFacts {
  let facts = hostFacts.get(host);
  if (facts === undefined) {
    // The registrable domain is the "site"; hosts without one (localhost, IPs) stand for themselves.
    facts = {
      site: parse(host, { allowPrivateDomains: true }).domain ?? host,
      known: knownSourceOfHost(host),
    };
    hostFacts.set(host, facts);
  }
  return facts;
}

function displayHost(host: string): string {
  return host.replace(/^www\./, '');
}
