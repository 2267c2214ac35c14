import { describe, expect, it } from 'vitest';
import { classifyTraffic, type TrafficInput, type TrafficSource } from '../src/index.ts';

const PAGE = 'https://matjar.sa/ar/offers';
const ARABIC_CAMPAIGN = '%D8%AA%D8%AE%D9%81%D9%8A%D8%B6%D8%A7%D8%AA'; // تخفيضات

// [what, input, expected source, expected medium]
const CASES: [string, TrafficInput, string, TrafficSource['medium']][] = [
  // Search engines, country domains included
  ['google.com.sa search', { referrer: 'https://www.google.com.sa/' }, 'Google', 'search'],
  ['google.ae search', { referrer: 'https://www.google.ae/search?q=عطور' }, 'Google', 'search'],
  ['google.com search', { referrer: 'https://www.google.com/' }, 'Google', 'search'],
  ['bing', { referrer: 'https://www.bing.com/search?q=x' }, 'Bing', 'search'],
  ['yahoo country search', { referrer: 'https://sa.search.yahoo.com/' }, 'Yahoo', 'search'],
  ['duckduckgo', { referrer: 'https://duckduckgo.com/' }, 'DuckDuckGo', 'search'],
  ['yandex.com.tr', { referrer: 'https://yandex.com.tr/search/' }, 'Yandex', 'search'],
  ['baidu', { referrer: 'https://www.baidu.com/link?url=x' }, 'Baidu', 'search'],
  ['ecosia', { referrer: 'https://www.ecosia.org/' }, 'Ecosia', 'search'],
  ['naver', { referrer: 'https://search.naver.com/' }, 'Naver', 'search'],
  [
    'Google app on Android',
    { referrer: 'android-app://com.google.android.googlequicksearchbox/' },
    'Google',
    'search',
  ],
  // Social networks and messengers
  ['facebook mobile', { referrer: 'https://m.facebook.com/' }, 'Facebook', 'social'],
  ['facebook link shim', { referrer: 'https://l.facebook.com/' }, 'Facebook', 'social'],
  ['facebook lite link shim', { referrer: 'https://lm.facebook.com/' }, 'Facebook', 'social'],
  ['instagram link shim', { referrer: 'https://l.instagram.com/' }, 'Instagram', 'social'],
  ['t.co', { referrer: 'https://t.co/AbCdEf' }, 'X (Twitter)', 'social'],
  ['x.com', { referrer: 'https://x.com/' }, 'X (Twitter)', 'social'],
  ['linkedin', { referrer: 'https://www.linkedin.com/' }, 'LinkedIn', 'social'],
  ['lnkd.in', { referrer: 'https://lnkd.in/abc' }, 'LinkedIn', 'social'],
  ['tiktok', { referrer: 'https://www.tiktok.com/' }, 'TikTok', 'social'],
  ['youtube', { referrer: 'https://m.youtube.com/' }, 'YouTube', 'social'],
  ['youtu.be', { referrer: 'https://youtu.be/x' }, 'YouTube', 'social'],
  ['snapchat', { referrer: 'https://www.snapchat.com/' }, 'Snapchat', 'social'],
  ['pinterest country domain', { referrer: 'https://www.pinterest.co.uk/' }, 'Pinterest', 'social'],
  ['whatsapp web', { referrer: 'https://web.whatsapp.com/' }, 'WhatsApp', 'social'],
  ['wa.me', { referrer: 'https://wa.me/966500000000' }, 'WhatsApp', 'social'],
  ['whatsapp android app', { referrer: 'android-app://com.whatsapp/' }, 'WhatsApp', 'social'],
  ['t.me', { referrer: 'https://t.me/matjar_offers' }, 'Telegram', 'social'],
  ['telegram web', { referrer: 'https://web.telegram.org/' }, 'Telegram', 'social'],
  ['telegram android app', { referrer: 'android-app://org.telegram.messenger/' }, 'Telegram', 'social'],
  ['reddit', { referrer: 'https://old.reddit.com/r/saudiarabia' }, 'Reddit', 'social'],
  // Webmail
  ['gmail', { referrer: 'https://mail.google.com/' }, 'Gmail', 'email'],
  ['gmail android app', { referrer: 'android-app://com.google.android.gm/' }, 'Gmail', 'email'],
  ['outlook', { referrer: 'https://outlook.live.com/' }, 'Outlook', 'email'],
  ['yahoo mail', { referrer: 'https://mail.yahoo.com/' }, 'Yahoo Mail', 'email'],
  ['an ISP webmail', { referrer: 'https://webmail.stc.com.sa/' }, 'webmail.stc.com.sa', 'email'],
  // Referrals
  ['unknown site', { referrer: 'https://www.alarabiya.net/article?id=1' }, 'alarabiya.net', 'referral'],
  ['Gemini is not Google search', { referrer: 'https://gemini.google.com/' }, 'Gemini', 'referral'],
  ['ChatGPT', { referrer: 'https://chatgpt.com/' }, 'ChatGPT', 'referral'],
  ['a host named like an Object member', { referrer: 'http://constructor/' }, 'constructor', 'referral'],
  // Campaigns
  [
    'email campaign with an Arabic utm_campaign',
    { pageUrl: `${PAGE}?utm_source=newsletter&utm_medium=email&utm_campaign=${ARABIC_CAMPAIGN}` },
    'newsletter',
    'email',
  ],
  [
    'utm_source newsletter without a medium',
    { pageUrl: `${PAGE}?utm_source=Newsletter` },
    'Newsletter',
    'email',
  ],
  ['utm_medium cpc', { pageUrl: `${PAGE}?utm_source=google&utm_medium=cpc` }, 'Google', 'paid'],
  ['utm_medium ppc', { pageUrl: `${PAGE}?utm_source=bing&utm_medium=ppc` }, 'Bing', 'paid'],
  [
    'utm_medium Paid_Social',
    { pageUrl: `${PAGE}?utm_source=ig&utm_medium=Paid_Social` },
    'Instagram',
    'paid',
  ],
  [
    'utm_medium social-media',
    { pageUrl: `${PAGE}?utm_source=snapchat&utm_medium=social-media` },
    'Snapchat',
    'social',
  ],
  ['utm_medium sms', { pageUrl: `${PAGE}?utm_source=matjar&utm_medium=sms` }, 'matjar', 'messaging'],
  ['utm_medium whatsapp', { pageUrl: `${PAGE}?utm_source=wasl&utm_medium=whatsapp` }, 'wasl', 'messaging'],
  ['utm_medium push', { pageUrl: `${PAGE}?utm_source=wasl&utm_medium=push` }, 'wasl', 'push'],
  ['utm_source as a hostname', { pageUrl: `${PAGE}?utm_source=instagram.com` }, 'Instagram', 'social'],
  [
    'explicit UTM wins over the referrer',
    { referrer: 'https://www.google.com/', pageUrl: `${PAGE}?utm_source=snap&utm_medium=cpc` },
    'Snapchat',
    'paid',
  ],
  [
    'unknown utm_medium: the source implies it',
    { referrer: 'https://l.instagram.com/', pageUrl: `${PAGE}?utm_medium=story` },
    'Instagram',
    'social',
  ],
  ['unknown campaign tags only', { pageUrl: `${PAGE}?utm_campaign=ramadan` }, '(not set)', 'other'],
  ['utm given as a value', { pageUrl: PAGE, utm: { source: 'tiktok', medium: 'cpc' } }, 'TikTok', 'paid'],
  // Click ids
  [
    'gclid from Google',
    { referrer: 'https://www.google.com.sa/', pageUrl: `${PAGE}?gclid=Cj0KCQ` },
    'Google',
    'paid',
  ],
  ['gclid without a referrer', { pageUrl: `${PAGE}?gclid=Cj0KCQ` }, 'Google', 'paid'],
  [
    'gclid on YouTube',
    { referrer: 'https://www.youtube.com/', pageUrl: `${PAGE}?gclid=x` },
    'YouTube',
    'paid',
  ],
  ['msclkid', { pageUrl: `${PAGE}?msclkid=abc` }, 'Bing', 'paid'],
  ['ttclid', { referrer: 'https://www.tiktok.com/', pageUrl: `${PAGE}?ttclid=abc` }, 'TikTok', 'paid'],
  ['ScCid (Snapchat ads)', { pageUrl: `${PAGE}?ScCid=abc` }, 'Snapchat', 'paid'],
  [
    'fbclid alone is social, not paid',
    { referrer: 'https://l.facebook.com/', pageUrl: `${PAGE}?fbclid=IwAR` },
    'Facebook',
    'social',
  ],
  [
    'fbclid from Instagram',
    { referrer: 'https://l.instagram.com/', pageUrl: `${PAGE}?fbclid=IwAR` },
    'Instagram',
    'social',
  ],
  ['fbclid without a referrer', { pageUrl: `${PAGE}?fbclid=IwAR` }, 'Facebook', 'social'],
  [
    'fbclid with Meta ads tags is paid',
    {
      referrer: 'https://l.facebook.com/',
      pageUrl: `${PAGE}?fbclid=IwAR&utm_source=facebook&utm_medium=paid`,
    },
    'Facebook',
    'paid',
  ],
  [
    'explicit utm_medium wins over gclid',
    { pageUrl: `${PAGE}?gclid=x&utm_source=newsletter&utm_medium=email` },
    'newsletter',
    'email',
  ],
  // Internal and direct
  ['same page host', { referrer: 'https://matjar.sa/ar/', pageUrl: PAGE }, '(internal)', 'internal'],
  [
    'same site, other subdomain',
    { referrer: 'https://blog.matjar.sa/', pageUrl: PAGE },
    '(internal)',
    'internal',
  ],
  ['same site, www', { referrer: 'https://www.matjar.sa/', pageUrl: PAGE }, '(internal)', 'internal'],
  [
    'another site on a shared host is not internal',
    { referrer: 'https://other.github.io/', pageUrl: 'https://matjar.github.io/' },
    'other.github.io',
    'referral',
  ],
  [
    'localhost to localhost',
    { referrer: 'http://localhost:3000/a', pageUrl: 'http://localhost:3000/b' },
    '(internal)',
    'internal',
  ],
  ['no referrer', { pageUrl: PAGE }, '(direct)', 'direct'],
  ['empty referrer', { referrer: '', pageUrl: PAGE }, '(direct)', 'direct'],
  ['unparsable referrer', { referrer: 'not a url', pageUrl: PAGE }, '(direct)', 'direct'],
  ['about:blank referrer', { referrer: 'about:blank', pageUrl: PAGE }, '(direct)', 'direct'],
];

describe('classifyTraffic', () => {
  it.each(CASES)('%s', (_what, input, source, medium) => {
    const result = classifyTraffic({ pageUrl: PAGE, ...input });
    expect({ source: result.source, medium: result.medium }).toEqual({ source, medium });
  });

  it('reports the referrer host, never its path or query', () => {
    expect(classifyTraffic({ referrer: 'https://www.google.com.sa/search?q=secret', pageUrl: PAGE })).toEqual(
      {
        source: 'Google',
        medium: 'search',
        referrerHost: 'www.google.com.sa',
      },
    );
    expect(classifyTraffic({ pageUrl: PAGE })).toEqual({ source: '(direct)', medium: 'direct' });
  });

  it('keeps an Arabic utm_source readable', () => {
    const result = classifyTraffic({
      pageUrl: `${PAGE}?utm_source=%D9%88%D8%A7%D8%AA%D8%B3%D8%A7%D8%A8&utm_medium=sms`,
    });
    expect(result).toEqual({ source: 'واتساب', medium: 'messaging' });
  });
});

describe('classifyTraffic bounds', () => {
  it('keeps the source inside the event schema for a very long host', () => {
    const host = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example`;
    const result = classifyTraffic({ referrer: `https://${host}/`, pageUrl: PAGE });
    expect(result.medium).toBe('referral');
    expect(result.source.length).toBeLessThanOrEqual(200);
  });
});
