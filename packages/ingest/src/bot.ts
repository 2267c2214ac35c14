import { isbotMatch } from 'isbot';
import { LruCache } from './lru-cache.ts';

export interface BotSignals {
  userAgent: string | undefined | null;
  /** `navigator.webdriver` as the tracker reported it: true under Selenium, Puppeteer, Playwright. */
  webdriver?: boolean;
  /**
   * The request's Accept-Language header, '' when it was absent. Pass it only for
   * requests a browser sent itself (the tracker endpoint): every browser sends
   * it, HTTP libraries and scripts usually do not. Leave it undefined for
   * server-to-server calls (the Segment API), whose header is the server's.
   */
  acceptLanguage?: string;
}

/** Why an event counts as automated. Stable ids; reports group by them. */
export type BotReason =
  | 'empty-user-agent'
  | 'webdriver'
  | 'headless-browser'
  | 'known-bot'
  | 'no-accept-language';

export interface BotVerdict {
  bot: boolean;
  reason?: BotReason;
  /** For `known-bot` and `headless-browser`: the part of the user agent that matched ('Google', 'HeadlessChrome'). */
  match?: string;
}

// Automation that isbot's list folds into generic patterns, or misses: named
// here so the reason says "headless browser" rather than "known bot".
const HEADLESS =
  /Headless\w*|PhantomJS|SlimerJS|Puppeteer|Playwright|Selenium|Nightmare|jsdom|HtmlUnit|Zombie\.js/i;
const MATCH_MAX_LENGTH = 64;
// isbot's pattern costs about 6 µs a test; user agents repeat, so verdicts are cached.
const cache = new LruCache<string, BotVerdict>(10_000);
const CACHED_USER_AGENT_MAX_LENGTH = 512;

/**
 * Whether an event comes from a bot, and why. Bots are counted separately, not
 * dropped, so the reason is kept with the event. The checks run cheapest and
 * most certain first: no user agent, `navigator.webdriver`, a headless browser,
 * isbot's list of crawlers, tools and monitors, then a missing Accept-Language.
 *
 * @example detectBot({ userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' })
 * // { bot: true, reason: 'known-bot', match: 'Google' }
 */
export function detectBot(signals: BotSignals): BotVerdict {
  const userAgent = signals.userAgent?.trim() ?? '';
  if (userAgent === '') return { bot: true, reason: 'empty-user-agent' };
  if (signals.webdriver === true) return { bot: true, reason: 'webdriver' };
  const byUserAgent = verdictOfUserAgent(userAgent);
  if (byUserAgent.bot) return { ...byUserAgent };
  if (signals.acceptLanguage !== undefined && signals.acceptLanguage.trim() === '') {
    return { bot: true, reason: 'no-accept-language' };
  }
  return { bot: false };
}

function verdictOfUserAgent(userAgent: string): BotVerdict {
  const cached = cache.get(userAgent);
  if (cached !== undefined) return cached;
  const headless = HEADLESS.exec(userAgent);
  const known = headless ? null : isbotMatch(userAgent);
  const verdict: BotVerdict = headless
    ? { bot: true, reason: 'headless-browser', match: headless[0].slice(0, MATCH_MAX_LENGTH) }
    : known !== null
      ? { bot: true, reason: 'known-bot', match: known.slice(0, MATCH_MAX_LENGTH) }
      : { bot: false };
  if (userAgent.length <= CACHED_USER_AGENT_MAX_LENGTH) cache.set(userAgent, verdict);
  return verdict;
}
