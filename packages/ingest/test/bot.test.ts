import { describe, expect, it } from 'vitest';
import { detectBot } from '../src/index.ts';
import { UA } from './user-agent-strings.ts';

const HUMANS: (keyof typeof UA)[] = [
  'chromeWindows',
  'chromeMac',
  'edgeWindows',
  'firefoxLinux',
  'iphoneSafari',
  'androidChrome',
  'ipadSafari',
  'samsungInternet',
  'huaweiBrowser',
  'instagramInApp',
  'snapchatInApp',
  'samsungTizenTv',
  'playStation5',
];

describe('detectBot', () => {
  it.each(HUMANS)('%s is a person', (name) => {
    expect(
      detectBot({ userAgent: UA[name], webdriver: false, acceptLanguage: 'ar-SA,ar;q=0.9,en;q=0.8' }),
    ).toEqual({
      bot: false,
    });
  });

  it.each([
    ['googlebot', 'known-bot'],
    ['googlebotSmartphone', 'known-bot'],
    ['bingbot', 'known-bot'],
    ['facebookCrawler', 'known-bot'],
    ['curl', 'known-bot'],
    ['pythonRequests', 'known-bot'],
    ['headlessChrome', 'headless-browser'],
    ['phantomJs', 'headless-browser'],
  ] as const)('%s is a bot (%s)', (name, reason) => {
    const verdict = detectBot({ userAgent: UA[name] });
    expect(verdict).toMatchObject({ bot: true, reason });
    expect(verdict.match).toBeTruthy();
  });

  it('names the headless browser it saw', () => {
    expect(detectBot({ userAgent: UA.headlessChrome }).match).toBe('HeadlessChrome');
  });

  it('counts navigator.webdriver as a bot even with a normal user agent', () => {
    expect(detectBot({ userAgent: UA.chromeWindows, webdriver: true })).toEqual({
      bot: true,
      reason: 'webdriver',
    });
  });

  it('counts an empty or missing user agent as a bot', () => {
    expect(detectBot({ userAgent: '' })).toEqual({ bot: true, reason: 'empty-user-agent' });
    expect(detectBot({ userAgent: '   ' })).toEqual({ bot: true, reason: 'empty-user-agent' });
    expect(detectBot({ userAgent: undefined })).toEqual({ bot: true, reason: 'empty-user-agent' });
  });

  it('counts a browser-like request without Accept-Language as a bot, only when the header was checked', () => {
    expect(detectBot({ userAgent: UA.chromeWindows, acceptLanguage: '' })).toEqual({
      bot: true,
      reason: 'no-accept-language',
    });
    expect(detectBot({ userAgent: UA.chromeWindows })).toEqual({ bot: false });
  });
});
