import { describe, expect, it } from 'vitest';
import { parseUserAgent, type UserAgentInfo } from '../src/index.ts';
import { UA } from './user-agent-strings.ts';

const CASES: [keyof typeof UA, UserAgentInfo][] = [
  ['chromeWindows', { browser: 'Chrome', os: 'Windows', deviceType: 'desktop' }],
  ['chromeMac', { browser: 'Chrome', os: 'macOS', deviceType: 'desktop' }],
  ['edgeWindows', { browser: 'Edge', os: 'Windows', deviceType: 'desktop' }],
  ['firefoxLinux', { browser: 'Firefox', os: 'Linux', deviceType: 'desktop' }],
  ['chromeOs', { browser: 'Chrome', os: 'Chrome OS', deviceType: 'desktop' }],
  ['iphoneSafari', { browser: 'Safari', os: 'iOS', deviceType: 'mobile' }],
  ['androidChrome', { browser: 'Chrome', os: 'Android', deviceType: 'mobile' }],
  ['ipadSafari', { browser: 'Safari', os: 'iOS', deviceType: 'tablet' }],
  ['androidTablet', { browser: 'Chrome', os: 'Android', deviceType: 'tablet' }],
  ['samsungInternet', { browser: 'Samsung Internet', os: 'Android', deviceType: 'mobile' }],
  ['huaweiBrowser', { browser: 'Huawei Browser', os: 'HarmonyOS', deviceType: 'mobile' }],
  ['instagramInApp', { browser: 'Instagram', os: 'iOS', deviceType: 'mobile' }],
  ['snapchatInApp', { browser: 'Snapchat', os: 'iOS', deviceType: 'mobile' }],
  ['samsungTizenTv', { browser: 'Safari', os: 'Tizen', deviceType: 'tv' }],
  ['lgWebOsTv', { browser: 'Chrome', os: 'webOS', deviceType: 'tv' }],
  ['lgNetCastTv', { browser: 'Safari', os: 'Linux', deviceType: 'tv' }],
  ['playStation5', { browser: 'Safari', os: 'PlayStation', deviceType: 'console' }],
];

describe('parseUserAgent', () => {
  it.each(CASES)('%s', (name, expected) => {
    expect(parseUserAgent(UA[name])).toEqual(expected);
  });

  it('gives the same answer from its cache, and a copy the caller may change', () => {
    const first = parseUserAgent(UA.iphoneSafari);
    first.browser = 'changed';
    expect(parseUserAgent(UA.iphoneSafari)).toEqual({ browser: 'Safari', os: 'iOS', deviceType: 'mobile' });
  });

  it('reports an empty or unknown user agent as other', () => {
    expect(parseUserAgent('')).toEqual({ deviceType: 'other' });
    expect(parseUserAgent(undefined)).toEqual({ deviceType: 'other' });
    expect(parseUserAgent(UA.curl)).toEqual({ deviceType: 'other' });
  });

  it('keeps names inside the event schema bounds for any input', () => {
    const info = parseUserAgent(`Mozilla/5.0 (${'x'.repeat(5000)})`);
    expect((info.browser ?? '').length).toBeLessThanOrEqual(64);
    expect((info.os ?? '').length).toBeLessThanOrEqual(64);
  });
});
