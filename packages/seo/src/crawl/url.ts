import { err, ok, problem, type Result } from '@wasl/core';

/** Query parameters that only identify a campaign or a click, never a different page. */
const CLICK_IDS = new Set([
  'gclid',
  'fbclid',
  'msclkid',
  'dclid',
  'gbraid',
  'wbraid',
  'yclid',
  'ttclid',
  'twclid',
]);

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/**
 * Upper-cases every escape and decodes escapes of unreserved characters, the
 * two steps WHATWG URL leaves out, so `%d9%85` and `%D9%85`, `%41` and `A`
 * name one page. Reserved escapes (`%2F`, `%3F`) keep their meaning and stay.
 */
function normaliseEscapes(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

function isTrackingParam(pair: string): boolean {
  const eq = pair.indexOf('=');
  let name = eq === -1 ? pair : pair.slice(0, eq);
  try {
    name = decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    // A malformed escape is not a tracking parameter we know.
  }
  name = name.toLowerCase();
  return name.startsWith('utm_') || CLICK_IDS.has(name);
}

export interface NormaliseOptions {
  /** Drop utm_* and click ids (gclid, fbclid, …). Default true. */
  stripTracking?: boolean;
}

/**
 * The crawl's identity for a URL: WHATWG parsing (lower-case scheme and host,
 * IDN to punycode, default port dropped, non-ASCII path as upper-case UTF-8
 * escapes), then escapes normalised, fragment and empty query dropped,
 * parameters kept in their order. Only http and https are crawlable.
 */
export function normaliseUrl(input: string, base?: string, options: NormaliseOptions = {}): Result<string> {
  let url: URL;
  try {
    url = new URL(input.trim(), base);
  } catch {
    return err(problem('invalid', `not a URL: '${input}'`, 'url'));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return err(
      problem('invalid', `only http and https URLs are crawled, not '${url.protocol}' in '${input}'`, 'url'),
    );
  }
  let query = url.search.slice(1);
  if (query !== '') {
    const pairs = query.split('&').filter((pair) => pair !== '');
    const kept = options.stripTracking === false ? pairs : pairs.filter((pair) => !isTrackingParam(pair));
    query = kept.map(normaliseEscapes).join('&');
  }
  const path = normaliseEscapes(url.pathname);
  return ok(`${url.protocol}//${url.host}${path}${query === '' ? '' : `?${query}`}`);
}

/** Same as normaliseUrl, for callers that only want the string or nothing. */
export function tryNormaliseUrl(
  input: string,
  base?: string,
  options?: NormaliseOptions,
): string | undefined {
  const result = normaliseUrl(input, base, options);
  return result.ok ? result.value : undefined;
}

/** `www.` is the same site as the bare host: most sites serve or redirect one to the other. */
const siteHost = (host: string) => (host.startsWith('www.') ? host.slice(4) : host);

/** Decides which URLs belong to the crawled site (by host name, any scheme or port). */
export function sameSite(startUrls: readonly string[], includeSubdomains: boolean): (url: string) => boolean {
  const hosts = new Set(startUrls.map((u) => siteHost(new URL(u).hostname)));
  return (url: string) => {
    let hostname: string;
    try {
      hostname = siteHost(new URL(url).hostname);
    } catch {
      return false;
    }
    if (hosts.has(hostname)) return true;
    if (!includeSubdomains) return false;
    for (const host of hosts) if (hostname.endsWith(`.${host}`)) return true;
    return false;
  };
}
