import { cleanText } from './clean-text.ts';
import { decodeQueryComponent } from './decode-query-component.ts';

/** The five UTM parameters, as `context.utm` of a WaslEvent holds them. */
export interface Utm {
  source?: string;
  medium?: string;
  campaign?: string;
  term?: string;
  content?: string;
}

/**
 * Ad click ids, most specific first: when a URL carries several, the first one
 * listed names the click. `fbclid` comes last because Facebook and Instagram add
 * it to every outbound link, paid or not.
 */
export const CLICK_ID_NAMES = [
  'gclid', // Google Ads
  'gbraid', // Google Ads, iOS app-to-web
  'wbraid', // Google Ads, iOS web-to-app
  'dclid', // Google Display & Video 360 / Campaign Manager
  'msclkid', // Microsoft Advertising (Bing)
  'ttclid', // TikTok Ads
  'sccid', // Snapchat Ads (sent as ScCid)
  'twclid', // X (Twitter) Ads
  'li_fat_id', // LinkedIn Ads
  'epik', // Pinterest Ads
  'fbclid', // Facebook / Instagram, organic and paid
] as const;
export type ClickIdName = (typeof CLICK_ID_NAMES)[number];

export interface ClickId {
  name: ClickIdName;
  value: string;
}

export interface Campaign {
  utm?: Utm;
  clickId?: ClickId;
}

/** Same bound as the event schema's `utm.*` fields. */
export const UTM_MAX_LENGTH = 200;
/** Leaves room for `name:` inside the event schema's 512-character `clickId`. */
export const CLICK_ID_MAX_LENGTH = 400;

const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const;
const CLICK_ID_SET: ReadonlySet<string> = new Set(CLICK_ID_NAMES);
// Relative URLs and bare query strings ('?utm_source=x') resolve against this.
const BASE_URL = 'http://base.invalid/';

/**
 * UTM parameters and the ad click id of a page URL. Values are decoded (UTF-8,
 * or Windows-1256 when that fails; one extra round of encoding is undone),
 * trimmed, NFC-normalised and bounded; names match case-insensitively; the first
 * non-empty occurrence wins. When the query has none, a query inside the
 * fragment (`/#/offer?utm_source=x`, hash-routed apps) is read instead.
 *
 * @example
 * extractCampaign('https://shop.sa/?utm_campaign=%D8%AA%D8%AE%D9%81%D9%8A%D8%B6%D8%A7%D8%AA&gclid=abc')
 * // { utm: { campaign: 'تخفيضات' }, clickId: { name: 'gclid', value: 'abc' } }
 */
export function extractCampaign(pageUrl: string | URL | undefined | null): Campaign {
  if (pageUrl === undefined || pageUrl === null || pageUrl === '') return {};
  const url = URL.parse(typeof pageUrl === 'string' ? pageUrl : pageUrl.href, BASE_URL);
  if (url === null) return {};
  const fromQuery = campaignFromQuery(url.search.slice(1));
  if (fromQuery.utm || fromQuery.clickId) return fromQuery;
  const fragmentQuery = url.hash.indexOf('?');
  return fragmentQuery === -1 ? {} : campaignFromQuery(url.hash.slice(fragmentQuery + 1));
}

function campaignFromQuery(query: string): Campaign {
  if (query === '') return {};
  const utm: Utm = {};
  const clickIds = new Map<string, string>();
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    const name = decodeQueryComponent(pair.slice(0, equals)).trim().toLowerCase();
    const isUtm = name.startsWith('utm_');
    if (!isUtm && !CLICK_ID_SET.has(name)) continue;
    const key = isUtm ? UTM_KEYS.find((k) => name === `utm_${k}`) : undefined;
    if (isUtm && (key === undefined || utm[key] !== undefined)) continue;
    if (!isUtm && clickIds.has(name)) continue;
    const raw = decodeQueryComponent(pair.slice(equals + 1));
    const value = cleanText(raw, isUtm ? UTM_MAX_LENGTH : CLICK_ID_MAX_LENGTH);
    if (value === undefined) continue;
    if (key) utm[key] = value;
    else clickIds.set(name, value);
  }
  const campaign: Campaign = {};
  if (Object.keys(utm).length > 0) campaign.utm = utm;
  const name = CLICK_ID_NAMES.find((n) => clickIds.has(n));
  if (name) campaign.clickId = { name, value: clickIds.get(name)! };
  return campaign;
}
