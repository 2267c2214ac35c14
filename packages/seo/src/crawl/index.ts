export { decodeHtml, looksBinary } from './charset.ts';
export { type CrawlResult, crawl } from './crawler.ts';
export { type ExtractedLinks, extractLinks } from './links.ts';
export { type CrawlOptions, DEFAULT_USER_AGENT } from './options.ts';
export { type ParsedSitemap, parseSitemap, type SitemapReport } from './sitemap.ts';
export { type CrawlProgress, type CrawlStateStore, MemoryCrawlStateStore, type QueueEntry } from './store.ts';
export { type NormaliseOptions, normaliseUrl, sameSite, tryNormaliseUrl } from './url.ts';
