import { parse } from 'tldts';
import type { ClickIdName } from './campaign.ts';

/** A referrer or `utm_source` Wasl recognises: its display name and its medium. */
export interface KnownSource {
  name: string;
  medium: 'search' | 'social' | 'email' | 'paid' | 'referral';
}

const search = (name: string): KnownSource => ({ name, medium: 'search' });
const social = (name: string): KnownSource => ({ name, medium: 'social' });
const email = (name: string): KnownSource => ({ name, medium: 'email' });
const referral = (name: string): KnownSource => ({ name, medium: 'referral' });

// A Map, not an object: a referrer host such as `constructor` must not find
// Object.prototype's members.
const table = (entries: Record<string, KnownSource>): ReadonlyMap<string, KnownSource> =>
  new Map(Object.entries(entries));

const GOOGLE = search('Google');
const BING = search('Bing');
const YAHOO = search('Yahoo');
const YANDEX = search('Yandex');
const FACEBOOK = social('Facebook');
const INSTAGRAM = social('Instagram');
const X = social('X (Twitter)');
const LINKEDIN = social('LinkedIn');
const TIKTOK = social('TikTok');
const YOUTUBE = social('YouTube');
const SNAPCHAT = social('Snapchat');
const PINTEREST = social('Pinterest');
const WHATSAPP = social('WhatsApp');
const TELEGRAM = social('Telegram');
const REDDIT = social('Reddit');
const GMAIL = email('Gmail');
const OUTLOOK = email('Outlook');

/**
 * Keyed by host (without `www.`) or by a parent of it down to the registrable
 * domain; `brand.*` stands for the brand under any public suffix, so
 * `google.*` covers google.com.sa, google.ae and google.co.uk. The most
 * specific key wins: mail.google.com is Gmail, not Google search.
 */
const BY_HOST = table({
  // Search engines
  'google.*': GOOGLE,
  'bing.com': BING,
  'yahoo.*': YAHOO,
  'duckduckgo.com': search('DuckDuckGo'),
  'yandex.*': YANDEX,
  'ya.ru': YANDEX,
  'baidu.com': search('Baidu'),
  'ecosia.org': search('Ecosia'),
  'naver.com': search('Naver'),
  'search.brave.com': search('Brave Search'),
  'startpage.com': search('Startpage'),
  'qwant.com': search('Qwant'),
  'petalsearch.com': search('Petal Search'),
  'seznam.cz': search('Seznam'),
  'sogou.com': search('Sogou'),
  'so.com': search('360 Search'),
  'search.aol.com': search('AOL'),
  'ask.com': search('Ask'),
  // Google and Microsoft properties that are not web search
  'mail.google.*': GMAIL,
  'gemini.google.*': referral('Gemini'),
  'news.google.*': referral('Google News'),
  'play.google.*': referral('Google Play'),
  'docs.google.*': referral('Google Docs'),
  'googleadservices.com': { name: 'Google', medium: 'paid' },
  'googlesyndication.com': { name: 'Google', medium: 'paid' },
  'doubleclick.net': { name: 'Google', medium: 'paid' },
  'copilot.microsoft.com': referral('Copilot'),
  // AI assistants (referral: there is no agreed channel for them yet)
  'chatgpt.com': referral('ChatGPT'),
  'chat.openai.com': referral('ChatGPT'),
  'perplexity.ai': referral('Perplexity'),
  'claude.ai': referral('Claude'),
  // Social networks and messengers
  'facebook.com': FACEBOOK,
  'fb.com': FACEBOOK,
  'fb.me': FACEBOOK,
  'messenger.com': social('Messenger'),
  'instagram.com': INSTAGRAM,
  'twitter.com': X,
  'x.com': X,
  't.co': X,
  'linkedin.com': LINKEDIN,
  'lnkd.in': LINKEDIN,
  'tiktok.com': TIKTOK,
  'youtube.com': YOUTUBE,
  'youtu.be': YOUTUBE,
  'snapchat.com': SNAPCHAT,
  'pinterest.*': PINTEREST,
  'pin.it': PINTEREST,
  'whatsapp.com': WHATSAPP,
  'wa.me': WHATSAPP,
  'telegram.org': TELEGRAM,
  'telegram.me': TELEGRAM,
  't.me': TELEGRAM,
  'reddit.com': REDDIT,
  'redd.it': REDDIT,
  'threads.net': social('Threads'),
  'threads.com': social('Threads'),
  'discord.com': social('Discord'),
  'discord.gg': social('Discord'),
  'quora.com': social('Quora'),
  'tumblr.com': social('Tumblr'),
  'vk.com': social('VK'),
  'bsky.app': social('Bluesky'),
  // Webmail
  'outlook.live.com': OUTLOOK,
  'outlook.office.com': OUTLOOK,
  'outlook.office365.com': OUTLOOK,
  'outlook.com': OUTLOOK,
  'mail.yahoo.*': email('Yahoo Mail'),
  'mail.yandex.*': email('Yandex Mail'),
  'mail.aol.com': email('AOL Mail'),
  'mail.zoho.*': email('Zoho Mail'),
  'mail.proton.me': email('Proton Mail'),
});

/** Android apps send `android-app://<package>/` as the referrer. */
const BY_ANDROID_PACKAGE = table({
  'com.google.android.googlequicksearchbox': GOOGLE,
  'com.google.android.gm': GMAIL,
  'com.google.android.youtube': YOUTUBE,
  'com.microsoft.office.outlook': OUTLOOK,
  'com.yahoo.mobile.client.android.mail': email('Yahoo Mail'),
  'com.facebook.katana': FACEBOOK,
  'com.facebook.lite': FACEBOOK,
  'com.facebook.orca': social('Messenger'),
  'com.instagram.android': INSTAGRAM,
  'com.twitter.android': X,
  'com.linkedin.android': LINKEDIN,
  'com.zhiliaoapp.musically': TIKTOK,
  'com.ss.android.ugc.trill': TIKTOK,
  'com.snapchat.android': SNAPCHAT,
  'com.pinterest': PINTEREST,
  'com.whatsapp': WHATSAPP,
  'com.whatsapp.w4b': WHATSAPP,
  'org.telegram.messenger': TELEGRAM,
  'org.thunderdog.challegram': TELEGRAM,
  'com.reddit.frontpage': REDDIT,
});

/** Common spellings of `utm_source`, lower-cased. */
const BY_UTM_SOURCE = table({
  google: GOOGLE,
  adwords: { name: 'Google', medium: 'paid' },
  googleads: { name: 'Google', medium: 'paid' },
  'google ads': { name: 'Google', medium: 'paid' },
  bing: BING,
  yahoo: YAHOO,
  duckduckgo: search('DuckDuckGo'),
  yandex: YANDEX,
  baidu: search('Baidu'),
  ecosia: search('Ecosia'),
  naver: search('Naver'),
  facebook: FACEBOOK,
  fb: FACEBOOK,
  instagram: INSTAGRAM,
  ig: INSTAGRAM,
  twitter: X,
  x: X,
  linkedin: LINKEDIN,
  tiktok: TIKTOK,
  youtube: YOUTUBE,
  yt: YOUTUBE,
  snapchat: SNAPCHAT,
  snap: SNAPCHAT,
  pinterest: PINTEREST,
  whatsapp: WHATSAPP,
  wa: WHATSAPP,
  telegram: TELEGRAM,
  tg: TELEGRAM,
  reddit: REDDIT,
  threads: social('Threads'),
  gmail: GMAIL,
  outlook: OUTLOOK,
});

/** The network a click id belongs to, when neither UTM nor referrer names one. */
export const CLICK_ID_SOURCE: Readonly<Record<ClickIdName, string>> = {
  gclid: 'Google',
  gbraid: 'Google',
  wbraid: 'Google',
  dclid: 'Google',
  msclkid: 'Bing',
  ttclid: 'TikTok',
  sccid: 'Snapchat',
  twclid: 'X (Twitter)',
  li_fat_id: 'LinkedIn',
  epik: 'Pinterest',
  fbclid: 'Facebook',
};

// Webmail of ISPs and companies (webmail.stc.com.sa, mail.example.com).
const WEBMAIL_LABEL = /^(?:web)?mail$/;

/** The known source of a hostname, most specific key first. */
export function knownSourceOfHost(hostname: string): KnownSource | undefined {
  const host = hostname.toLowerCase().replace(/^www\./, '');
  const parsed = parse(host, { allowPrivateDomains: true });
  const suffix = parsed.publicSuffix;
  const labels = host.split('.');
  const domainLabels = parsed.domain ? parsed.domain.split('.').length : labels.length;
  for (let start = 0; start <= labels.length - domainLabels; start++) {
    const candidate = labels.slice(start).join('.');
    const exact = BY_HOST.get(candidate);
    if (exact) return exact;
    if (suffix && candidate.endsWith(`.${suffix}`)) {
      const wildcard = BY_HOST.get(`${candidate.slice(0, -suffix.length)}*`);
      if (wildcard) return wildcard;
    }
  }
  if (labels.length > domainLabels && WEBMAIL_LABEL.test(labels[0] ?? '')) return email(host);
  return undefined;
}

/** The known source of an Android app's package name. */
export function knownSourceOfApp(packageName: string): KnownSource | undefined {
  return BY_ANDROID_PACKAGE.get(packageName.toLowerCase());
}

/** The known source of a `utm_source` value: a common spelling or a hostname. */
export function knownSourceOfUtm(utmSource: string): KnownSource | undefined {
  const key = utmSource.trim().toLowerCase();
  const byName = BY_UTM_SOURCE.get(key);
  if (byName) return byName;
  return key.includes('.') && !key.includes(' ') ? knownSourceOfHost(key) : undefined;
}
