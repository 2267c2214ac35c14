import { domainToASCII } from 'node:url';
import { err, ok, problem, type Result } from '@wasl/core';
import type { CrawlProgress, CrawlStateStore } from './store.ts';
import { normaliseUrl } from './url.ts';

export const DEFAULT_USER_AGENT = 'WaslBot/1.0 (+https://wasl.dev/bot)';
const MiB = 1024 * 1024;

export interface CrawlOptions {
  /** Where the crawl starts (depth 0). At least one start URL or sitemap is needed. */
  startUrls?: string[];
  /** Sitemaps or sitemap indexes (gzip or not); their URLs on the site are crawled at depth 0. */
  sitemaps?: string[];
  /** Also read the `Sitemap:` lines of the start hosts' robots.txt. Default true. */
  useRobotsSitemaps?: boolean;
  /** Crawl subdomains of the start hosts too. Default false (www. and the bare host count as one). */
  includeSubdomains?: boolean;
  /** Links deeper than this are not followed. Default: no limit. */
  maxDepth?: number;
  /** Stop after this many site pages in total (earlier runs on the same store included). Default: no limit. */
  pageLimit?: number;
  /** Requests in flight at once. Default 8. */
  concurrency?: number;
  /** Requests in flight to one host at once. Default 2. */
  perHostConcurrency?: number;
  /**
   * Minimum ms between the starts of two requests to one host; robots.txt
   * Crawl-delay raises it (up to 30 s). 0 disables politeness, Crawl-delay
   * included. Default 200.
   */
  perHostDelayMs?: number;
  userAgent?: string;
  /** Default true. */
  respectRobots?: boolean;
  /** Follow rel="nofollow" links (they are recorded either way). Default false. */
  followNofollow?: boolean;
  /** Drop utm_* and click ids from URLs. Default true. */
  stripTrackingParams?: boolean;
  /** Cap on a page body, on the wire and decompressed. Default 10 MiB. */
  maxBodyBytes?: number;
  /** Cap on one sitemap file. Default 50 MiB (the sitemap protocol's limit). */
  maxSitemapBytes?: number;
  connectTimeoutMs?: number;
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Default 10. */
  maxRedirects?: number;
  /** Let the crawl reach private, loopback and other reserved addresses. Default false. */
  allowPrivateTargets?: boolean;
  /** Host names allowed to resolve to private addresses (an intranet site). */
  allowHosts?: string[];
  /** Extra trusted CA certificates (PEM), e.g. a staging site's own CA. */
  ca?: string | Buffer | (string | Buffer)[];
  /** Offer HTTP/2 by ALPN. Default true. */
  http2?: boolean;
  /**
   * Check each external link target once (HEAD, GET when HEAD is refused);
   * results are pages with depth -1, no body and no links. Default false.
   */
  checkExternalLinks?: boolean;
  /** Frontier and results; pass the same store again to resume. Default: a new in-memory store. */
  store?: CrawlStateStore;
  /** Stops the crawl promptly; in-flight pages are not saved, so a resumed crawl fetches them again. */
  signal?: AbortSignal;
  onProgress?: (progress: CrawlProgress & { inFlight: number }) => void;
}

export type Settings = Required<
  Omit<CrawlOptions, 'maxDepth' | 'pageLimit' | 'ca' | 'store' | 'signal' | 'onProgress' | 'allowHosts'>
> &
  Pick<CrawlOptions, 'ca' | 'signal' | 'onProgress'> & {
    maxDepth: number;
    pageLimit: number;
    allowHosts: Set<string>;
  };

const COUNTS = [
  ['maxDepth', 0],
  ['pageLimit', 1],
  ['concurrency', 1],
  ['perHostConcurrency', 1],
  ['perHostDelayMs', 0],
  ['maxBodyBytes', 1],
  ['maxSitemapBytes', 1],
  ['connectTimeoutMs', 1],
  ['headersTimeoutMs', 1],
  ['bodyTimeoutMs', 1],
  ['maxRedirects', 0],
] as const;

/** Checks the options and fills in the defaults; the problem names the field at fault. */
export function resolveOptions(options: CrawlOptions): Result<Settings> {
  for (const [field, min] of COUNTS) {
    const value = options[field];
    if (value !== undefined && !(Number.isInteger(value) && value >= min)) {
      return err(problem('invalid', `${field} must be an integer of at least ${min}, got ${value}`, field));
    }
  }
  const urls: Record<'startUrls' | 'sitemaps', string[]> = { startUrls: [], sitemaps: [] };
  for (const field of ['startUrls', 'sitemaps'] as const) {
    for (const [i, input] of (options[field] ?? []).entries()) {
      const url = normaliseUrl(input, undefined, { stripTracking: options.stripTrackingParams !== false });
      if (!url.ok) return err(problem('invalid', url.error.message, `${field}[${i}]`));
      urls[field].push(url.value);
    }
  }
  if (urls.startUrls.length === 0 && urls.sitemaps.length === 0) {
    return err(problem('invalid', 'give at least one start URL or sitemap', 'startUrls'));
  }
  return ok({
    startUrls: urls.startUrls,
    sitemaps: urls.sitemaps,
    useRobotsSitemaps: options.useRobotsSitemaps ?? true,
    includeSubdomains: options.includeSubdomains ?? false,
    maxDepth: options.maxDepth ?? Number.POSITIVE_INFINITY,
    pageLimit: options.pageLimit ?? Number.POSITIVE_INFINITY,
    concurrency: options.concurrency ?? 8,
    perHostConcurrency: options.perHostConcurrency ?? 2,
    perHostDelayMs: options.perHostDelayMs ?? 200,
    userAgent: options.userAgent ?? DEFAULT_USER_AGENT,
    respectRobots: options.respectRobots ?? true,
    followNofollow: options.followNofollow ?? false,
    stripTrackingParams: options.stripTrackingParams ?? true,
    maxBodyBytes: options.maxBodyBytes ?? 10 * MiB,
    maxSitemapBytes: options.maxSitemapBytes ?? 50 * MiB,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    headersTimeoutMs: options.headersTimeoutMs ?? 30_000,
    bodyTimeoutMs: options.bodyTimeoutMs ?? 30_000,
    maxRedirects: options.maxRedirects ?? 10,
    allowPrivateTargets: options.allowPrivateTargets ?? false,
    allowHosts: new Set((options.allowHosts ?? []).map((h) => domainToASCII(h) || h.toLowerCase())),
    http2: options.http2 ?? true,
    checkExternalLinks: options.checkExternalLinks ?? false,
    ca: options.ca,
    signal: options.signal,
    onProgress: options.onProgress,
  });
}
