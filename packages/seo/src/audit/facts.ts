/**
 * One pass of htmlparser2 over a page turns its HTML into the compact PageFacts
 * the checks read. The raw HTML and the visible text are not kept: the text is
 * reduced to counts and fingerprints so a large site is not held in memory twice.
 */
import type { Result } from '@wasl/core';
import { Parser } from 'htmlparser2';
import type { CrawledPage } from '../types.ts';
import { parseLinkHeader } from './headers.ts';
import { hash64, simhash, toHex } from './simhash.ts';
import { ARABIC_LETTER, normaliseArabic, squash, words } from './text.ts';
import { resolveUrl } from './url.ts';

export interface ImageFacts {
  /** Absolute URL when resolvable, else the attribute as written. */
  src: string;
  /** undefined when the alt attribute is absent; '' when present but empty. */
  alt?: string;
  hasWidth: boolean;
  hasHeight: boolean;
  /** The image is all a link contains (no text, no aria-label), so its alt is the link's name. */
  soleLinkContent: boolean;
}

export interface AnchorFacts {
  /** Absolute URL. */
  url: string;
  text: string;
  rel?: string;
}

export interface HreflangFacts {
  lang: string;
  /** Absolute URL. */
  url: string;
  source: 'html' | 'header';
}

export interface PageFacts {
  titles: string[];
  descriptions: string[];
  /** content of every meta robots / googlebot tag. */
  metaRobots: string[];
  /** href of every link rel=canonical, as written. */
  canonicals: string[];
  /** Canonical URLs from the Link header, as written. */
  headerCanonicals: string[];
  hreflang: HreflangFacts[];
  lang?: string;
  htmlDir?: string;
  bodyDir?: string;
  headings: { level: number; text: string }[];
  images: ImageFacts[];
  /** http:// scripts, styles, images, iframes and media (absolute URLs). */
  insecureSubresources: string[];
  jsonLd: Result<unknown, string>[];
  /** og:* and twitter:* meta values by property/name. */
  social: Record<string, string>;
  anchors: AnchorFacts[];
  wordCount: number;
  /** Letters of visible text, and how many of them are Arabic script. */
  letters: number;
  arabicLetters: number;
  /** Hash of the normalised visible text, for exact duplicates. */
  contentHash: string;
  /** Simhash of word 3-shingles; undefined with fewer than 3 words. */
  simhash?: string;
}

const HIDDEN = new Set([
  'script',
  'style',
  'noscript',
  'template',
  'svg',
  'math',
  'head',
  'iframe',
  'object',
]);
// Inline tags do not separate words ('<b>wo</b>rd' is one word).
const INLINE = new Set([
  'a',
  'abbr',
  'b',
  'bdi',
  'bdo',
  'cite',
  'code',
  'data',
  'dfn',
  'em',
  'i',
  'kbd',
  'mark',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strong',
  'sub',
  'sup',
  'time',
  'u',
  'var',
  'font',
  'label',
]);
const SUBRESOURCE_ATTR: Record<string, string> = {
  script: 'src',
  img: 'src',
  iframe: 'src',
  audio: 'src',
  video: 'src',
  source: 'src',
  track: 'src',
  embed: 'src',
  object: 'data',
};

export function isHtml(page: CrawledPage): boolean {
  if (page.body === undefined) return false;
  const type = page.contentType ?? page.headers['content-type'] ?? '';
  return type === '' ? /^\s*<(!doctype html|html)/i.test(page.body) : /html/i.test(type);
}

export function extractFacts(page: CrawledPage): PageFacts {
  const html = page.body ?? '';
  let base = page.finalUrl || page.url;
  const f: PageFacts = {
    titles: [],
    descriptions: [],
    metaRobots: [],
    canonicals: [],
    headerCanonicals: [],
    hreflang: [],
    headings: [],
    images: [],
    insecureSubresources: [],
    jsonLd: [],
    social: {},
    anchors: [],
    wordCount: 0,
    letters: 0,
    arabicLetters: 0,
    contentHash: '',
  };
  const text: string[] = [];
  let hiddenDepth = 0;
  let svgDepth = 0;
  let title: string | undefined;
  let heading: { level: number; text: string } | undefined;
  let anchor: { href?: string; rel?: string; label: string; text: string; images: ImageFacts[] } | undefined;
  let jsonLd: string | undefined;
  const insecure = new Set<string>();

  const noteInsecure = (raw: string | undefined) => {
    if (!raw) return;
    const abs = resolveUrl(raw, base);
    if (abs?.startsWith('http:')) insecure.add(abs);
  };

  const parser = new Parser(
    {
      onopentag(name, a) {
        if (name === 'svg' || name === 'math') svgDepth++;
        if (HIDDEN.has(name)) hiddenDepth++;
        if (!INLINE.has(name)) text.push(' ');
        switch (name) {
          case 'html':
            if (a.lang !== undefined) f.lang = a.lang.trim();
            if (a.dir !== undefined) f.htmlDir = a.dir.trim().toLowerCase();
            break;
          case 'body':
            if (a.dir !== undefined) f.bodyDir = a.dir.trim().toLowerCase();
            break;
          case 'base':
            if (a.href) base = resolveUrl(a.href, base) ?? base;
            break;
          case 'title':
            if (svgDepth === 0) title = '';
            break;
          case 'meta': {
            const key = (a.name ?? a.property ?? '').trim().toLowerCase();
            const content = a.content ?? '';
            if (key === 'description') f.descriptions.push(squash(content));
            else if (key === 'robots' || key === 'googlebot') f.metaRobots.push(content);
            else if (key.startsWith('og:') || key.startsWith('twitter:')) f.social[key] ??= content.trim();
            break;
          }
          case 'link': {
            const rel = (a.rel ?? '').toLowerCase().split(/\s+/);
            if (rel.includes('canonical') && a.href !== undefined) f.canonicals.push(a.href.trim());
            if (rel.includes('alternate') && a.hreflang !== undefined && a.href !== undefined) {
              const url = resolveUrl(a.href, base);
              if (url) f.hreflang.push({ lang: a.hreflang.trim(), url, source: 'html' });
            }
            if (rel.includes('stylesheet') || rel.includes('preload') || rel.includes('icon'))
              noteInsecure(a.href);
            break;
          }
          case 'script':
            if ((a.type ?? '').trim().toLowerCase() === 'application/ld+json') jsonLd = '';
            break;
          case 'a':
            if (anchor === undefined) {
              anchor = { label: (a['aria-label'] ?? '').trim(), text: '', images: [] };
              if (a.href !== undefined) anchor.href = a.href;
              if (a.rel !== undefined) anchor.rel = a.rel;
            }
            break;
          case 'img': {
            const image: ImageFacts = {
              src: resolveUrl(a.src ?? '', base) ?? a.src ?? '',
              hasWidth: a.width !== undefined && a.width.trim() !== '',
              hasHeight: a.height !== undefined && a.height.trim() !== '',
              soleLinkContent: false,
            };
            if (a.alt !== undefined) image.alt = a.alt.trim();
            f.images.push(image);
            anchor?.images.push(image);
            if (heading && image.alt) heading.text += ` ${image.alt}`;
            break;
          }
        }
        if (/^h[1-6]$/.test(name) && svgDepth === 0) heading = { level: Number(name[1]), text: '' };
        const attr = SUBRESOURCE_ATTR[name];
        if (attr) noteInsecure(a[attr]);
        if (a.srcset && (name === 'img' || name === 'source'))
          for (const part of a.srcset.split(',')) noteInsecure(part.trim().split(/\s+/)[0]);
      },
      ontext(data) {
        if (title !== undefined) title += data;
        if (jsonLd !== undefined) jsonLd += data;
        if (hiddenDepth > 0) return;
        text.push(data);
        if (heading) heading.text += data;
        if (anchor) anchor.text += data;
      },
      onclosetag(name) {
        if (name === 'title' && title !== undefined) {
          f.titles.push(squash(title));
          title = undefined;
        }
        if (name === 'script' && jsonLd !== undefined) {
          try {
            f.jsonLd.push({ ok: true, value: JSON.parse(jsonLd) });
          } catch (e) {
            f.jsonLd.push({ ok: false, error: e instanceof Error ? e.message : String(e) });
          }
          jsonLd = undefined;
        }
        if (heading && name === `h${heading.level}`) {
          f.headings.push({ level: heading.level, text: squash(heading.text) });
          heading = undefined;
        }
        if (name === 'a' && anchor) {
          const linkText = squash(anchor.text);
          if (linkText === '' && anchor.label === '')
            for (const image of anchor.images) image.soleLinkContent = true;
          const url = anchor.href === undefined ? undefined : resolveUrl(anchor.href, base);
          if (url?.startsWith('http')) {
            const facts: AnchorFacts = { url, text: linkText || anchor.label };
            if (anchor.rel !== undefined) facts.rel = anchor.rel;
            f.anchors.push(facts);
          }
          anchor = undefined;
        }
        if (HIDDEN.has(name)) hiddenDepth = Math.max(0, hiddenDepth - 1);
        if (name === 'svg' || name === 'math') svgDepth = Math.max(0, svgDepth - 1);
        if (!INLINE.has(name)) text.push(' ');
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);

  for (const link of parseLinkHeader(page.headers.link)) {
    if (link.rel.includes('canonical')) f.headerCanonicals.push(link.url);
    if (link.rel.includes('alternate') && link.hreflang !== undefined) {
      const url = resolveUrl(link.url, base);
      if (url) f.hreflang.push({ lang: link.hreflang, url, source: 'header' });
    }
  }
  f.insecureSubresources = page.finalUrl.startsWith('https:') ? [...insecure] : [];

  const visible = text.join('');
  // Normalising never splits or joins words, so the count is that of the text as written.
  const normalised = words(normaliseArabic(visible));
  f.wordCount = normalised.length;
  f.letters = visible.match(/\p{L}/gu)?.length ?? 0;
  f.arabicLetters = visible.match(ARABIC_LETTER)?.length ?? 0;
  f.contentHash = toHex(hash64(normalised.join(' ')));
  const fingerprint = simhash(normalised);
  if (fingerprint !== undefined) f.simhash = fingerprint;
  return f;
}
