/**
 * Telling people from machines on the click redirect and the open pixel, so
 * reports can leave machines out. Rules, first match wins:
 *
 * 1. Security scanners, by user agent (verdict 'scanner'): Microsoft Defender
 *    for Office 365 Safe Links and Outlook's link previews ("SafeLinks",
 *    "Microsoft Defender", "BingPreview", "Microsoft Office Existence
 *    Discovery"), Proofpoint ("Proofpoint", "urldefense"), Mimecast
 *    ("Mimecast"), Barracuda ("Barracuda").
 * 2. Mail-client image proxies, opens only (verdict 'scanner'): Gmail's
 *    Google image proxy ("GoogleImageProxy") and Yahoo's ("YahooMailProxy")
 *    fetch the pixel for the reader, so the open may be real but its time,
 *    IP and device are the proxy's; Apple Mail Privacy Protection fetches
 *    every pixel at delivery, whether or not the mail is read, with the bare
 *    user agent "Mozilla/5.0".
 * 3. A missing or empty user agent (verdict 'bot').
 * 4. Any other automated client the `isbot` list knows: crawlers, curl,
 *    HTTP libraries, headless browsers (verdict 'bot').
 * 5. Timing, clicks only (verdict 'scanner'): a click less than
 *    SCANNER_DELAY_MS after the message was sent (scanners follow links on
 *    arrival; people take longer to open and read); a click less than
 *    OPEN_TO_CLICK_MS after the open; a click with at least
 *    BURST_MIN_OTHER_CLICKS other clicks of the same message in the
 *    BURST_WINDOW_MS before it (a scanner follows every link at once).
 * 6. Anything else is 'human'.
 */
import { isbot } from 'isbot';

export type ClickVerdict = 'human' | 'bot' | 'scanner';

export interface ClickSignals {
  /** 'click' (the default) or 'open' (the pixel). */
  kind?: 'click' | 'open';
  userAgent: string | undefined;
  ip?: string;
  /** Milliseconds from the send to this request. */
  msSinceSent: number;
  /** Milliseconds from the message's first open to this click, when it was opened. */
  msSinceOpen?: number;
  /** Clicks of the same message in the BURST_WINDOW_MS before this one, this one not counted. */
  sameMessageClicksInWindow: number;
}

export interface Classification {
  verdict: ClickVerdict;
  /** Which rule decided, e.g. 'scanner-user-agent:proofpoint' or 'clicked-too-soon-after-send'. */
  reason: string;
}

export const SCANNER_DELAY_MS = 5_000;
export const OPEN_TO_CLICK_MS = 1_000;
export const BURST_WINDOW_MS = 2_000;
export const BURST_MIN_OTHER_CLICKS = 2;

const SCANNERS: Array<[string, RegExp]> = [
  ['microsoft-safe-links', /SafeLinks|Microsoft Defender|BingPreview|Microsoft Office Existence Discovery/i],
  ['proofpoint', /Proofpoint|urldefense/i],
  ['mimecast', /Mimecast/i],
  ['barracuda', /Barracuda/i],
];

const OPEN_PROXIES: Array<[string, (userAgent: string) => boolean]> = [
  ['google-image-proxy', (ua) => /GoogleImageProxy/i.test(ua)],
  ['yahoo-mail-proxy', (ua) => /YahooMailProxy/i.test(ua)],
  ['apple-mail-privacy-protection', (ua) => ua.trim() === 'Mozilla/5.0'],
];

/** Classifies a click or an open; see the module comment for the rules. */
export function classifyClick(signals: ClickSignals): Classification {
  const userAgent = signals.userAgent?.trim() ?? '';
  for (const [name, pattern] of SCANNERS) {
    if (pattern.test(userAgent)) return { verdict: 'scanner', reason: `scanner-user-agent:${name}` };
  }
  if (signals.kind === 'open') {
    for (const [name, matches] of OPEN_PROXIES) {
      if (matches(userAgent)) return { verdict: 'scanner', reason: `open-proxy:${name}` };
    }
  }
  if (userAgent === '') return { verdict: 'bot', reason: 'no-user-agent' };
  if (isbot(userAgent)) return { verdict: 'bot', reason: 'bot-user-agent' };
  if (signals.kind !== 'open') {
    if (signals.msSinceSent < SCANNER_DELAY_MS) {
      return { verdict: 'scanner', reason: 'clicked-too-soon-after-send' };
    }
    if (signals.msSinceOpen !== undefined && signals.msSinceOpen < OPEN_TO_CLICK_MS) {
      return { verdict: 'scanner', reason: 'clicked-too-soon-after-open' };
    }
    if (signals.sameMessageClicksInWindow >= BURST_MIN_OTHER_CLICKS) {
      return { verdict: 'scanner', reason: 'click-burst' };
    }
  }
  return { verdict: 'human', reason: 'no-rule-matched' };
}

/** A short name for the client behind a user agent, kept with click and open events. */
export function userAgentFamily(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const families: Array<[string, RegExp]> = [
    ['Edge', /Edg(?:e|A|iOS)?\//],
    ['Opera', /OPR\//],
    ['Samsung Internet', /SamsungBrowser\//],
    ['Chrome', /(?:Chrome|CriOS)\//],
    ['Firefox', /(?:Firefox|FxiOS)\//],
    ['Outlook', /Microsoft Outlook|ms-office/i],
    ['Thunderbird', /Thunderbird\//],
    ['Safari', /Version\/[\d.]+.*Safari\//],
    ['Apple Mail', /AppleWebKit\/[\d.]+ \(KHTML, like Gecko\)(?: Mobile\/\w+)?$/],
  ];
  for (const [name, pattern] of families) if (pattern.test(ua)) return name;
  return ua.trim() === '' ? 'none' : 'other';
}
