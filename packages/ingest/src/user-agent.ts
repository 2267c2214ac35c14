import { UAParser } from 'ua-parser-js';
import { cleanText } from './clean-text.ts';
import { LruCache } from './lru-cache.ts';

export const DEVICE_TYPES = ['desktop', 'mobile', 'tablet', 'tv', 'console', 'other'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];

export interface UserAgentInfo {
  /** 'Chrome', 'Safari', 'Samsung Internet', 'Instagram' (in-app)…; absent when unknown. */
  browser?: string;
  /** 'Windows', 'macOS', 'iOS', 'Android', 'Linux', 'Chrome OS'…; absent when unknown. */
  os?: string;
  deviceType: DeviceType;
}

/** Same bound as the event schema's `device.browser` and `device.os`. */
const NAME_MAX_LENGTH = 64;
/** ua-parser-js reads no further than this many characters. */
const USER_AGENT_MAX_LENGTH = 500;

// ua-parser-js 2 builds fresh objects and closures for every parse: about 11,000
// parses a second here (one reused parser; a new one per call manages 3,000),
// too slow for the ingest path. Real traffic repeats a few thousand user agents,
// so a bounded cache (10,000 to 20,000 entries, a few MB) answers nearly every
// call, about a million a second; the parser only sees new ones.
const cache = new LruCache<string, Readonly<UserAgentInfo>>(10_000);
const parser = new UAParser();

// ua-parser-js names the mobile build of a browser apart; reports group them with
// the device type instead, so 'Mobile Safari' on an iPhone is Safari on mobile.
const BROWSER_NAMES: ReadonlyMap<string, string> = new Map([
  ['Mobile Safari', 'Safari'],
  ['Mobile Chrome', 'Chrome'],
  ['Mobile Firefox', 'Firefox'],
  ['Opera Mobi', 'Opera'],
  ['GSA', 'Google App'],
  ['IE', 'Internet Explorer'],
]);

const DEVICE_TYPE_OF: ReadonlyMap<string, DeviceType> = new Map([
  ['mobile', 'mobile'],
  ['tablet', 'tablet'],
  ['smarttv', 'tv'],
  ['console', 'console'],
  // Watches, headsets and embedded screens are too few to report on their own.
  ['wearable', 'other'],
  ['xr', 'other'],
  ['embedded', 'other'],
]);

// ua-parser-js reports no device type for desktops: a desktop OS says it.
const DESKTOP_OS =
  /^(Windows|macOS|Mac OS|Linux|Chrome OS|Chromium OS|Ubuntu|Debian|Fedora|Mint|Arch|Gentoo|SUSE|openSUSE|Red Hat|CentOS|Manjaro|Slackware|FreeBSD|OpenBSD|NetBSD|Solaris|Unix)\b/;
// TVs that ua-parser-js misses, such as LG NetCast, report a plain Linux.
const TV_HINT = /\b(smart-?tv|hbbtv|netcast|googletv|appletv|crkey|bravia|viera|aquos)\b/i;

/**
 * Browser, operating system and device type of a User-Agent header, with
 * short names that stay stable across versions (no version numbers).
 *
 * An iPad in its default "desktop website" mode sends a Mac user agent and is
 * reported as desktop macOS; only client hints or touch support, which the
 * user agent does not carry, could tell them apart.
 *
 * @example
 * parseUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) … Version/17.4 Mobile/15E148 Safari/604.1')
 * // { browser: 'Safari', os: 'iOS', deviceType: 'mobile' }
 */
export function parseUserAgent(userAgent: string | undefined | null): UserAgentInfo {
  const key = userAgent?.trim().slice(0, USER_AGENT_MAX_LENGTH);
  if (!key) return { deviceType: 'other' };
  let info = cache.get(key);
  if (info === undefined) {
    info = parse(key);
    cache.set(key, info);
  }
  return { ...info };
}

function parse(userAgent: string): UserAgentInfo {
  parser.setUA(userAgent);
  const rawBrowser = parser.getBrowser().name;
  const browser = cleanText(rawBrowser && (BROWSER_NAMES.get(rawBrowser) ?? rawBrowser), NAME_MAX_LENGTH);
  const os = cleanText(parser.getOS().name, NAME_MAX_LENGTH);
  const info: UserAgentInfo = { deviceType: deviceTypeOf(parser.getDevice().type, os, userAgent) };
  if (browser) info.browser = browser;
  if (os) info.os = os;
  return info;
}

function deviceTypeOf(parsed: string | undefined, os: string | undefined, userAgent: string): DeviceType {
  if (parsed) return DEVICE_TYPE_OF.get(parsed) ?? 'other';
  if (TV_HINT.test(userAgent)) return 'tv';
  return os !== undefined && DESKTOP_OS.test(os) ? 'desktop' : 'other';
}
