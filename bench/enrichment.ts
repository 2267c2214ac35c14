// Throughput of the ingest enrichment functions on this machine, and the memory
// the geo database takes. Run: npm run bench -- enrichment
// Prints one JSON line last, like the benchmarks in bench/.
import {
  classifyTraffic,
  detectBot,
  extractCampaign,
  openGeoDatabase,
  parseUserAgent,
  visitorHash,
} from '../packages/ingest/src/index.ts';

const MB = 1024 * 1024;
const rssMb = () => Math.round(process.memoryUsage().rss / MB);

/** Calls per second of `fn` over `inputs`, after a warm-up pass. */
function perSecond<T>(inputs: readonly T[], fn: (input: T) => unknown, minMs = 1000): number {
  for (const input of inputs.slice(0, 1000)) fn(input);
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < minMs) {
    for (const input of inputs) fn(input);
    calls += inputs.length;
  }
  return Math.round(calls / ((performance.now() - start) / 1000));
}

// A deterministic generator, so runs compare.
let seed = 42;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};
const octet = () => Math.floor(random() * 256);
const hex = () => Math.floor(random() * 65_536).toString(16);

const rssAtStart = rssMb();
const ipv4 = Array.from(
  { length: 100_000 },
  () => `${1 + Math.floor(random() * 222)}.${octet()}.${octet()}.${octet()}`,
);
const ipv6 = Array.from(
  { length: 100_000 },
  () => `2${hex().padStart(3, '0').slice(0, 3)}:${hex()}:${hex()}::${hex()}`,
);

const rssBefore = rssMb();
const geo = openGeoDatabase();
let t = performance.now();
geo.lookup('8.8.8.8');
const ipv4LoadMs = Math.round(performance.now() - t);
const rssIpv4 = rssMb();
t = performance.now();
geo.lookup('2003::1');
const ipv6LoadMs = Math.round(performance.now() - t);
const rssBoth = rssMb();
const geoIpv4PerSecond = perSecond(ipv4, (ip) => geo.lookup(ip));
const geoIpv6PerSecond = perSecond(ipv6, (ip) => geo.lookup(ip));

const BASE_UAS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
];
// Every string distinct, so the cache never answers: the parser's own speed.
const uniqueUas = Array.from({ length: 30_000 }, (_, i) =>
  BASE_UAS[i % BASE_UAS.length]!.replace('537.36', `537.${i}`),
);
const uaColdPerSecond = perSecond(uniqueUas, parseUserAgent, 1);
// A few hundred distinct strings, as real traffic repeats them: the cache answers.
// Every call gets a fresh copy, as each request's header is one, so the string's
// hash is not already computed; the copy's cost is included.
const repeatedUas = Array.from({ length: 10_000 }, (_, i) => uniqueUas[i % 500]!);
const fresh = (text: string) => Buffer.from(text).toString();
const uaCachedPerSecond = perSecond(repeatedUas, (ua) => parseUserAgent(fresh(ua)));
const botPerSecond = perSecond(repeatedUas, (ua) =>
  detectBot({ userAgent: fresh(ua), acceptLanguage: 'ar' }),
);

const PAGE =
  'https://matjar.sa/ar/offers?utm_source=snapchat&utm_medium=paid&utm_campaign=%D8%AA%D8%AE%D9%81%D9%8A%D8%B6%D8%A7%D8%AA';
const pages = Array.from({ length: 1000 }, (_, i) => (i % 2 ? PAGE : `https://matjar.sa/p/${i}`));
const referrers = [
  'https://www.google.com.sa/',
  'https://l.instagram.com/',
  '',
  'https://matjar.sa/',
  'https://t.co/x',
];
const trafficPerSecond = perSecond(pages, (pageUrl) =>
  classifyTraffic({ pageUrl, referrer: referrers[pageUrl.length % 5] }),
);
const campaignPerSecond = perSecond(pages, extractCampaign);
const salt = 'bench-salt';
const hashPerSecond = perSecond(ipv4.slice(0, 10_000), (ip) =>
  visitorHash({ salt, siteId: 'site', ip, userAgent: BASE_UAS[0]! }),
);

// Everything one pageview needs, with user agents and hosts repeating as in real traffic.
const events = Array.from({ length: 10_000 }, (_, i) => ({
  ip: ipv4[i]!,
  userAgent: repeatedUas[i]!,
  pageUrl: pages[i % pages.length]!,
  referrer: referrers[i % referrers.length]!,
}));
const ipDependentPerSecond = perSecond(events, (e) => {
  visitorHash({ salt, siteId: 'site', ip: e.ip, userAgent: e.userAgent });
  return geo.lookup(e.ip);
});
const fullEventPerSecond = perSecond(events, (e) => {
  const userAgent = fresh(e.userAgent);
  visitorHash({ salt, siteId: 'site', ip: e.ip, userAgent });
  geo.lookup(e.ip);
  parseUserAgent(userAgent);
  detectBot({ userAgent, acceptLanguage: 'ar' });
  return classifyTraffic({ pageUrl: e.pageUrl, referrer: e.referrer });
});

console.log(
  JSON.stringify({
    bench: 'ingest-enrichment',
    node: process.version,
    geo: {
      rssMbAtStart: rssAtStart,
      rssMbBeforeOpen: rssBefore,
      rssMbAfterIpv4: rssIpv4,
      rssMbAfterBoth: rssBoth,
      ipv4LoadMs,
      ipv6LoadMs,
      ipv4LookupsPerSecond: geoIpv4PerSecond,
      ipv6LookupsPerSecond: geoIpv6PerSecond,
    },
    userAgent: { coldParsesPerSecond: uaColdPerSecond, cachedParsesPerSecond: uaCachedPerSecond },
    detectBotPerSecond: botPerSecond,
    classifyTrafficPerSecond: trafficPerSecond,
    extractCampaignPerSecond: campaignPerSecond,
    visitorHashPerSecond: hashPerSecond,
    eventsPerSecond: { ipDependent: ipDependentPerSecond, allEnrichment: fullEventPerSecond },
  }),
);
