import robotsParser from 'robots-parser';
import { decodeText } from './charset.ts';
import type { Fetcher } from './fetch.ts';

export interface RobotsRules {
  isAllowed(url: string): boolean;
  /** Crawl-delay for the crawl's user agent, in ms. */
  crawlDelayMs?: number;
  sitemaps: string[];
}

/** robots.txt is read up to Google's limit; the rest is ignored, as Google does. */
const ROBOTS_MAX_BYTES = 512 * 1024;

const allowAll: RobotsRules = { isAllowed: () => true, sitemaps: [] };

/** One robots.txt per origin, fetched once per run (concurrent askers share the fetch). */
export class RobotsCache {
  private readonly byOrigin = new Map<string, Promise<RobotsRules>>();

  constructor(
    private readonly fetcher: Fetcher,
    private readonly userAgent: string,
    private readonly signal?: AbortSignal,
  ) {}

  get(origin: string): Promise<RobotsRules> {
    let rules = this.byOrigin.get(origin);
    if (rules === undefined) {
      rules = this.load(origin);
      this.byOrigin.set(origin, rules);
    }
    return rules;
  }

  private load(origin: string): Promise<RobotsRules> {
    // Whatever goes wrong reading robots.txt, the crawl goes on as if there were none.
    return this.read(origin).catch(() => allowAll);
  }

  private async read(origin: string): Promise<RobotsRules> {
    const url = `${origin}/robots.txt`;
    const outcome = await this.fetcher.fetch(url, {
      method: 'GET',
      maxBytes: ROBOTS_MAX_BYTES,
      body: () => 'keep',
      ...(this.signal ? { signal: this.signal } : {}),
    });
    // A missing robots.txt allows everything (RFC 9309). An unreachable or
    // failing one would, by the RFC, block everything for a while; an audit
    // that then reports nothing helps nobody, so it is read as allow-all too.
    if (outcome.status < 200 || outcome.status > 299 || outcome.bytes === undefined) return allowAll;
    const robots = robotsParser(url, decodeText(outcome.bytes, outcome.contentType));
    const delay = robots.getCrawlDelay(this.userAgent);
    return {
      isAllowed: (page) => robots.isAllowed(page, this.userAgent) !== false,
      ...(delay !== undefined ? { crawlDelayMs: delay * 1000 } : {}),
      sitemaps: robots.getSitemaps(),
    };
  }
}
