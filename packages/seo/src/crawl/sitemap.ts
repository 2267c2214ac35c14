import { gunzipSync } from 'node:zlib';
import { Parser } from 'htmlparser2';
import { decodeText } from './charset.ts';
import type { Fetcher } from './fetch.ts';
import { type NormaliseOptions, tryNormaliseUrl } from './url.ts';

export interface ParsedSitemap {
  /** Page URLs (<urlset><url><loc>, or lines of a text sitemap). */
  urls: string[];
  /** Child sitemaps of a sitemap index. */
  sitemaps: string[];
}

/** Reads an XML sitemap or sitemap index, or a plain-text sitemap (one URL a line). */
export function parseSitemap(text: string): ParsedSitemap {
  const result: ParsedSitemap = { urls: [], sitemaps: [] };
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (!trimmed.startsWith('<')) {
    result.urls = trimmed
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => /^https?:\/\//i.test(line));
    return result;
  }
  const path: string[] = [];
  let loc = '';
  const parser = new Parser(
    {
      onopentag(name) {
        // Namespaced documents (<sm:url>) name elements with a prefix.
        path.push(name.slice(name.indexOf(':') + 1).toLowerCase());
        loc = '';
      },
      ontext(chunk) {
        if (path.at(-1) === 'loc') loc += chunk;
      },
      onclosetag() {
        const name = path.pop();
        if (name !== 'loc' || loc.trim() === '') return;
        const parent = path.at(-1);
        if (parent === 'url') result.urls.push(loc.trim());
        else if (parent === 'sitemap') result.sitemaps.push(loc.trim());
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.end(trimmed);
  return result;
}

export interface SitemapReport {
  url: string;
  status: number;
  /** Page URLs it listed. */
  urls: number;
  error?: string;
}

const SITEMAP_FILES_MAX = 1000;

/**
 * Fetches sitemaps and the children of sitemap indexes, gzip or not (by the
 * bytes, whatever the headers say), and returns the normalised page URLs.
 */
export async function readSitemaps(
  fetcher: Fetcher,
  roots: readonly string[],
  options: NormaliseOptions & { maxBytes: number; signal?: AbortSignal },
): Promise<{ urls: string[]; reports: SitemapReport[] }> {
  const queue = [...new Set(roots)];
  const seen = new Set(queue);
  const urls = new Set<string>();
  const reports: SitemapReport[] = [];
  while (queue.length > 0 && reports.length < SITEMAP_FILES_MAX && !options.signal?.aborted) {
    const url = queue.shift()!;
    const outcome = await fetcher.fetch(url, {
      method: 'GET',
      maxBytes: options.maxBytes,
      body: () => 'keep',
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const report: SitemapReport = { url, status: outcome.status, urls: 0 };
    reports.push(report);
    if (outcome.error || outcome.bytes === undefined || outcome.status !== 200) {
      report.error = outcome.error?.message ?? `HTTP ${outcome.status}`;
      continue;
    }
    let bytes = outcome.bytes;
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        bytes = gunzipSync(bytes, { maxOutputLength: options.maxBytes });
      } catch {
        report.error = 'gzip sitemap does not decompress (or is over the size cap)';
        continue;
      }
    }
    const parsed = parseSitemap(decodeText(bytes, outcome.contentType));
    for (const loc of parsed.urls) {
      const normal = tryNormaliseUrl(loc, url, options);
      if (normal !== undefined) urls.add(normal);
    }
    report.urls = parsed.urls.length;
    for (const child of parsed.sitemaps) {
      const normal = tryNormaliseUrl(child, url, { stripTracking: false });
      if (normal !== undefined && !seen.has(normal)) {
        seen.add(normal);
        queue.push(normal);
      }
    }
  }
  return { urls: [...urls], reports };
}
