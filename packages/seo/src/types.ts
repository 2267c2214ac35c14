/**
 * What the crawler hands to the audit, and what the audit returns. The crawler
 * (src/crawl/) fills CrawledPage; the checks (src/audit/) read only these
 * shapes, so either side can be tested without the other.
 */

/** Milliseconds of each phase of one request; undefined when the phase did not happen (reused connection, plain HTTP). */
export interface RequestTimings {
  dnsMs?: number;
  connectMs?: number;
  tlsMs?: number;
  /** From sending the request to the first byte of the response. */
  ttfbMs: number;
  /** From the first byte to the last byte of the body. */
  downloadMs: number;
  totalMs: number;
}

export interface TlsInfo {
  /** e.g. 'TLSv1.3' */
  protocol: string;
  cipher: string;
  /** Certificate validity end, ISO 8601. */
  validTo: string;
  issuer?: string;
  subject?: string;
}

export interface RedirectHop {
  url: string;
  status: number;
  /** The Location header as sent (may be relative). */
  location: string;
}

/** Why a fetch produced no usable page; recorded as a finding, never thrown. */
export type FetchErrorKind =
  | 'dns'
  | 'connect'
  | 'timeout'
  | 'tls'
  | 'redirect_loop'
  | 'too_many_redirects'
  | 'too_large'
  | 'blocked_private_address'
  | 'blocked_by_robots'
  | 'protocol'
  | 'other';

export interface FetchError {
  kind: FetchErrorKind;
  message: string;
}

/** One outgoing link of a page, in document order (repeated links repeat). */
export interface PageLink {
  /** Normalised absolute URL. */
  url: string;
  /** Anchor text, whitespace collapsed (the image alt when the link wraps an image); '' for <link>. */
  text: string;
  /** The <a rel> as written (e.g. 'nofollow'); 'canonical' or 'alternate' for <link> elements. */
  rel?: string;
  /** Same site as the crawl's start URLs. */
  internal: boolean;
}

export interface CrawledPage {
  /** Normalised URL as first discovered (the crawl's identity for the page). */
  url: string;
  /** URL after following redirects. */
  finalUrl: string;
  /** Status of the final response; 0 when no response arrived. */
  status: number;
  redirects: RedirectHop[];
  /** Lower-cased header names; repeated headers joined with ', ' (set-cookie omitted). */
  headers: Record<string, string>;
  contentType?: string;
  /** Charset the body was decoded with, e.g. 'utf-8', 'windows-1256'. */
  charset?: string;
  /** Decoded body for text/html (and other text) responses, capped at the size limit; undefined otherwise. */
  body?: string;
  /** Bytes on the wire (compressed) and after decompression. */
  transferBytes: number;
  bodyBytes: number;
  /** Content-Encoding used, e.g. 'gzip', 'br', or undefined. */
  encoding?: string;
  httpVersion?: string;
  timings?: RequestTimings;
  tls?: TlsInfo;
  /** Link depth from a start URL (start URLs and sitemap entries: 0). */
  depth: number;
  /** Pages that link here (normalised URLs), as far as the crawl saw. */
  inlinks: string[];
  /**
   * Outgoing links with anchor text (absolute, normalised URLs). External link
   * targets checked by the crawl (option checkExternalLinks) are pages of their
   * own with depth -1, no body and no links.
   */
  links?: PageLink[];
  /** True when the page was listed in a sitemap. */
  inSitemap: boolean;
  /** True when robots.txt disallows it for the crawl's user agent (it is then not fetched). */
  blockedByRobots: boolean;
  error?: FetchError;
  fetchedAt: string;
}

export type Severity = 'critical' | 'warning' | 'notice';

export interface LocalisedText {
  en: string;
  ar: string;
}

export interface Finding {
  /** Stable identifier of the check, e.g. 'title.too_long'. */
  check: string;
  severity: Severity;
  /** Affected URLs (normalised). */
  urls: string[];
  /** What is wrong, for people, with the measured value where there is one. */
  message: LocalisedText;
  howToFix: LocalisedText;
  /** Measured values that led to the finding (lengths, counts, target URLs). */
  details?: Record<string, unknown>;
}
